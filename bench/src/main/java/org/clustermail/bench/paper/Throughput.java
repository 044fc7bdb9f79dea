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
            boolean doubling = search.stream().allMatch(Results.Trial::keptUp);
            search.add(trial(system, rate, s, label + (doubling ? "-search" : "-probe") + (step + 1)));
            OptionalDouble next = nextRate(search);
            if (next.isEmpty()) {
                break;
            }
            rate = next.getAsDouble();
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
     * The rate to try after these trials, or none when the search is done. While every step keeps up, the rate
     * doubles. After a saturated step: just above what it stored, if that lies clearly between the highest rate that
     * kept up and the lowest that did not (a first step has none below it: four Postfix fronts offered their start
     * rate of 640 msg/s stored 179, and without a probe the repetitions measured that overload). Then, while a rate
     * that kept up stored about as much as any saturated step (so the saturated steps measured a collapse under
     * overload, not the capacity) and the two rates lie more than 25% apart: their geometric middle.
     */
    static OptionalDouble nextRate(List<Results.Trial> trials) {
        Results.Trial last = trials.get(trials.size() - 1);
        double lowestSaturated = trials.stream().filter(t -> !t.keptUp()).mapToDouble(Results.Trial::rate).min()
                .orElse(Double.POSITIVE_INFINITY);
        if (lowestSaturated == Double.POSITIVE_INFINITY) {
            return OptionalDouble.of(last.rate() * 2);
        }
        Results.Trial keptUp = trials.stream().filter(Results.Trial::keptUp)
                .max(Comparator.comparingDouble(Results.Trial::rate)).orElse(null);
        double highestKeptUp = keptUp == null ? 0 : keptUp.rate();
        if (!last.keptUp()) {
            double probe = Math.floor(last.messagesPerSecond() * 1.1);
            boolean tried = trials.stream().anyMatch(t -> t.rate() == probe);
            if (probe > highestKeptUp && probe < 0.9 * lowestSaturated && !tried) {
                return OptionalDouble.of(probe);
            }
        }
        if (keptUp == null || lowestSaturated / highestKeptUp < 1.25) {
            return OptionalDouble.empty();
        }
        double mostSaturated = trials.stream().filter(t -> !t.keptUp())
                .mapToDouble(Results.Trial::messagesPerSecond).max().orElseThrow();
        if (keptUp.messagesPerSecond() < (1 - NEAR_BEST) * mostSaturated) {
            return OptionalDouble.empty(); // a saturated step stored clearly more: that is the capacity
        }
        return OptionalDouble.of(Math.floor(Math.sqrt(highestKeptUp * lowestSaturated)));
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
