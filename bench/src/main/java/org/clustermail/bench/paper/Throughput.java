package org.clustermail.bench.paper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The paper's throughput method (section 5.1). One trial: the generators send at a constant rate for a window; the
 * time from the first message until every accepted message is stored gives messages/second. The search raises the
 * rate (doubling) until the system no longer keeps up (it needs more than a short drain after the window), probes
 * once just above the rate it managed, takes the lowest rate within 3% of the most messages/second, and repeats
 * it. Before the search, a warm-up sends one message to every user (unmeasured), so that no measured window pays
 * for creating mailboxes: a provider's users have theirs already, and a cold first step saturated while it created
 * 50,000 of them per node and stopped the search there (BENCHMARKS.md, "the cold first window").
 */
final class Throughput {

    /** How a search runs; {@code warmUpRatePerNode} 0: no warm-up. */
    record Settings(double windowSeconds, int repetitions, double startRatePerNode, int maxSteps, int users,
                    int size, double warmUpRatePerNode) {

        Settings withWindow(double seconds) {
            return new Settings(seconds, repetitions, startRatePerNode, maxSteps, users, size, warmUpRatePerNode);
        }
    }

    private final LoadRunner load;
    private final Progress progress;
    private volatile LoadRunner.Window lastWindow;
    private long acceptedTotal;

    Throughput(LoadRunner load, Progress progress) {
        this.load = load;
        this.progress = progress;
    }

    private static final double NEAR_BEST = 0.03;

    /** The search and the repetitions for one system. */
    Results.Throughput search(SystemUnderTest system, Settings s, String label) {
        if (s.warmUpRatePerNode() > 0) {
            warmUp(system, s, label + "-warmup");
        }
        List<Results.Trial> search = new ArrayList<>();
        double rate = s.startRatePerNode() * system.nodes();
        for (int step = 0; step < s.maxSteps(); step++) {
            Results.Trial t = trial(system, rate, s, label + "-search" + (step + 1));
            search.add(t);
            if (t.keptUp()) {
                rate *= 2;
                continue;
            }
            OptionalDouble probe = probeAfter(t, step == 0);
            if (step + 1 < s.maxSteps() && probe.isPresent()) {
                search.add(trial(system, probe.getAsDouble(), s, label + "-probe"));
            }
            break;
        }
        Results.Trial best = bestRate(search);
        List<Results.Trial> reps = new ArrayList<>();
        for (int r = 1; r <= s.repetitions(); r++) {
            reps.add(trial(system, best.rate(), s, label + "-rep" + r));
        }
        double[] v = measured(reps, best).stream().mapToDouble(Results.Trial::messagesPerSecond).toArray();
        double[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        return new Results.Throughput(system.config(), system.nodes(), best.rate(), Stats.round(Stats.mean(v), 2),
                Stats.round(Stats.stddev(v), 2), sorted[0], sorted[sorted.length - 1], search, reps, null);
    }

    /**
     * The rate to try after a saturated step: just above what it stored, if that is clearly below the rate offered
     * and above the step before it, which kept up. A first step has none before it: four Postfix fronts offered
     * their start rate of 640 msg/s stored 179, and without a probe the repetitions measured that overload.
     */
    static OptionalDouble probeAfter(Results.Trial saturated, boolean firstStep) {
        double probe = Math.floor(saturated.messagesPerSecond() * 1.1);
        double keptUpBelow = firstStep ? 0 : saturated.rate() / 2;
        boolean between = probe < 0.9 * saturated.rate() && probe > keptUpBelow;
        return between ? OptionalDouble.of(probe) : OptionalDouble.empty();
    }

    /** The trials a row's figure comes from: the repetitions, or without any (--reps 0) the search's best trial. */
    static List<Results.Trial> measured(List<Results.Trial> repetitions, Results.Trial best) {
        return repetitions.isEmpty() ? List.of(best) : repetitions;
    }

    /**
     * The offered rate to repeat: the lowest whose stored rate is within 3% of the best. Past its
     * capacity a system stores no more, but a queue builds and repetitions there measure overload (60 s windows at
     * twice one node's capacity stored 12-20% less than at its capacity).
     */
    static Results.Trial bestRate(List<Results.Trial> search) {
        double most = search.stream().mapToDouble(Results.Trial::messagesPerSecond).max().orElseThrow();
        return search.stream().filter(t -> t.messagesPerSecond() >= (1 - NEAR_BEST) * most)
                .min(Comparator.comparingDouble(Results.Trial::rate)).orElseThrow();
    }

    /** One message to every user, unmeasured; waits until everything accepted is stored. */
    private void warmUp(SystemUnderTest system, Settings s, String label) {
        double rate = s.warmUpRatePerNode() * system.nodes();
        progress.detail(String.format("warm-up: one message to each of %d users at %.0f msg/s", s.users(), rate));
        measure(system, rate, s.withWindow(s.users() / rate), label,
                () -> load.eachUserOnce(system, rate, s.users(), s.size(), label));
    }

    /** One window at {@code rate}; waits until everything accepted is stored. */
    Results.Trial trial(SystemUnderTest system, double rate, Settings s, String label) {
        progress.detail(String.format("%.0f msg/s for %.0f s", rate, s.windowSeconds()));
        return measure(system, rate, s, label,
                () -> load.run(system, rate, s.windowSeconds(), s.users(), s.size(), label));
    }

    private Results.Trial measure(SystemUnderTest system, double rate, Settings s, String label,
                                  Supplier<LoadRunner.Window> window) {
        String load0 = Machine.loadAverage();
        long before = system.stored();
        LoadRunner.Window w = window.get();
        lastWindow = w;
        int accepted = w.accepted();
        acceptedTotal += accepted;
        progress.detail(String.format("%.0f msg/s: %d accepted, waiting until stored", rate, accepted));
        long storedAt = System.currentTimeMillis();
        long stored = system.stored() - before;
        long deadline = System.currentTimeMillis() + (long) Math.max(120_000, 3_000 * s.windowSeconds());
        while (stored < accepted && System.currentTimeMillis() < deadline) {
            long pollStart = System.nanoTime();
            stored = system.stored() - before;
            storedAt = System.currentTimeMillis();
            if (stored < accepted) {
                sleep(Math.max(50, 2 * (System.nanoTime() - pollStart) / 1_000_000));
            }
        }
        double elapsed = Math.max(0.001, (storedAt - w.startAtMillis()) / 1000.0);
        double[] client = w.records().stream().filter(LoadRunner.Record::accepted)
                .mapToDouble(r -> (r.endUs() - r.startUs()) / 1000.0).sorted().toArray();
        double[] late = w.records().stream().mapToDouble(r -> (r.startUs() - r.schedUs()) / 1000.0).sorted()
                .toArray();
        double drain = elapsed - w.lastScheduledSeconds();
        boolean keptUp = stored >= accepted && accepted == w.records().size()
                && drain <= Math.max(1.0, 0.1 * s.windowSeconds());
        Results.Trial t = new Results.Trial(Stats.round(rate, 2), s.windowSeconds(), w.records().size(), accepted,
                w.records().size() - accepted, stored, Stats.round(elapsed, 3),
                Stats.round(Math.min(stored, accepted) / elapsed, 2), keptUp,
                Stats.round(Stats.quantile(client, 0.5), 2), Stats.round(Stats.quantile(client, 0.99), 2),
                Stats.round(Stats.quantile(late, 0.99), 2), load0 + " -> " + Machine.loadAverage());
        progress.note(String.format("  %s: %.0f msg/s offered -> %.1f msg/s stored (%d/%d accepted, %.1f s, %s)",
                label, rate, t.messagesPerSecond(), accepted, t.sent(), elapsed, keptUp ? "kept up" : "saturated"));
        return t;
    }

    /** Messages accepted by all trials so far. */
    long acceptedTotal() {
        return acceptedTotal;
    }

    /** The per-message records of the latest trial. */
    LoadRunner.Window lastWindow() {
        return lastWindow;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
