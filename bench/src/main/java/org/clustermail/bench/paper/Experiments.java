package org.clustermail.bench.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The phases of a run: each starts the systems it needs (fresh clusters in scratch directories), measures, records
 * into {@link Results}, and stops them again.
 */
final class Experiments {

    private static final long LOW_DISK_BYTES = 5L << 30;

    private final PaperBench options;
    private final LoadRunner load;
    private final Progress progress;
    private final Results results;
    private final Cores cores;
    private final Throughput throughput;
    private final StageLatency latency;

    Experiments(PaperBench options, LoadRunner load, Progress progress, Results results, Cores cores) {
        this.options = options;
        this.load = load;
        this.progress = progress;
        this.results = results;
        this.cores = cores;
        this.throughput = new Throughput(load, progress);
        this.latency = new StageLatency(throughput, progress);
    }

    /** Tables 3 and 4, Figs. 8 and 9: every configuration at every cluster size. */
    void throughputAndLatency(List<String> configs) throws Exception {
        for (String config : configs) {
            for (int n : options.nodes) {
                progress.step("throughput " + config + " x" + n);
                try (ClusterSystem system = cluster(config, n, options.usersPerNode, options.nodeHeap, "")) {
                    long before = acceptedTotal();
                    Throughput.Settings s = settings(options.size, options.reps, n * options.usersPerNode);
                    if (options.phases.contains("throughput")) {
                        Results.Throughput t = throughput.search(system, s, config + "-n" + n);
                        results.throughput.add(withVerification(t, system, acceptedTotal() - before));
                    }
                    if (options.phases.contains("latency")) {
                        results.latency.add(latency.measure(system, options.latencyMessages, options.latencyRate,
                                n * options.usersPerNode, options.size, config + "-n" + n + "-latency"));
                    }
                }
                options.writeJson();
            }
        }
    }

    /** The peers' Postfix+Dovecot under the same workload (one server: the 1-node row). */
    void peers() throws Exception {
        Path source = options.peersSource();
        progress.step("peers (Postfix+Dovecot)");
        if (!PeerSystem.available(source)) {
            results.skipped.add("peers: need " + source + "/setup_baseline.sh, Postfix, Dovecot and root");
            return;
        }
        try (PeerSystem peers = PeerSystem.start(source, options.workDir("peers"), options.usersPerNode,
                options.keepData)) {
            long before = acceptedTotal();
            Results.Throughput t = throughput.search(peers, settings(options.size, options.reps,
                    options.usersPerNode), "peers");
            progress.detail("verifying: counting the files in every Maildir");
            long accepted = acceptedTotal() - before;
            long files = peers.filesInMaildirs();
            results.throughput.add(withVerification(t, new Results.Verification(accepted, files, files == accepted,
                    "message files in the Maildirs' new/ and cur/ after the runs")));
        }
    }

    /** Section 5.3: node 2 of a cluster under load is killed; who still gets service, second by second. */
    void availability() throws Exception {
        for (String config : options.configs) {
            if (config.equals(ClusterSystem.POSTFIX) || !ClusterSystem.modeAvailable(config)) {
                continue;
            }
            progress.step("availability " + config);
            int n = options.availabilityNodes;
            int users = Math.min(options.usersPerNode, 2_000);
            try (ClusterSystem system = cluster(config, n, users, options.nodeHeap, "")) {
                // warm-up at the same rate: a cold JVM would otherwise make the first seconds look like an outage
                throughput.trial(system, options.availabilityRate, settings(options.size, 1, users * n)
                        .withWindow(Math.min(10, options.availabilitySeconds)), config + "-availability-warmup");
                long startAt = System.currentTimeMillis() + 3000;
                ScheduledExecutorService killer = Executors.newSingleThreadScheduledExecutor();
                killer.schedule(() -> system.cluster().kill(2),
                        startAt + (long) (options.killAt * 1000) - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
                progress.detail("node 2 is killed at " + options.killAt + " s");
                LoadRunner.Window w = load.run(system, options.availabilityRate, options.availabilitySeconds,
                        users * n, options.size, config + "-availability", startAt);
                killer.shutdown();
                progress.detail("restarting node 2, waiting for hand-back");
                system.cluster().start(2);
                long warm = throughput.lastWindow().accepted();
                Results.Verification v = verifyEventually(system, warm + w.accepted());
                // A message in flight to the killed node may be stored although its client saw the connection
                // break: more stored than accepted is expected, fewer would be a loss.
                results.availability.add(Availability.analyse(config, n, options.availabilityRate, 2,
                        options.killAt, w, new Results.Verification(v.accepted(), v.stored(),
                                v.stored() >= v.accepted(), "every accepted message stored (messagesStored + "
                                + "heldMessages of every node after node 2 restarted, warm-up included); stored "
                                + "beyond accepted: messages in flight to node 2 when it was killed")));
            }
            options.writeJson();
        }
    }

    /** How cost grows: message size, number of users, mailbox size (version 2). */
    void cost() throws Exception {
        CostGrowth cost = new CostGrowth(options, throughput, latency, progress, results, this);
        cost.messageSizes();
        cost.users();
        cost.mailboxes();
    }

    /** The search's settings for the paper's tables and the peers, with the warm-up. */
    Throughput.Settings settings(int size, int reps, int users) {
        return new Throughput.Settings(options.window, reps, options.startRate, options.maxSteps, users, size,
                options.warmUpRate);
    }

    /** The same without a warm-up: the cost of users measures creating mailboxes too; later sizes reuse them. */
    Throughput.Settings coldSettings(int size, int reps, int users) {
        return new Throughput.Settings(options.window, reps, options.startRate, options.maxSteps, users, size, 0);
    }

    ClusterSystem cluster(String config, int n, int usersPerNode, String heap, String extraYaml) throws Exception {
        progress.detail("starting " + n + " node(s), " + usersPerNode * n + " users");
        Path dir = options.workDir(config + "-n" + n + "-" + System.nanoTime());
        warnIfDiskIsLow(dir.getParent());
        return ClusterSystem.start(new ClusterSystem.Spec(config, n, dir, options.nodeJar(), usersPerNode, heap,
                options.nodeGc.flag, cores, extraYaml, options.keepData, progress::detail));
    }

    /** A cell that fills the disk fails with errors that look like the product's; say so before it starts. */
    private void warnIfDiskIsLow(Path work) throws IOException {
        long free = Files.getFileStore(work).getUsableSpace();
        if (free < LOW_DISK_BYTES) {
            progress.note("warning: only " + free / (1L << 20) + " MiB free in " + work + "; a cell stores up to "
                    + "window x rate x reps x message size (about 1 GB per 3 x 15 s at 3,000 msg/s of 8 KB); "
                    + "choose another --work");
        }
    }

    private long acceptedTotal() {
        return throughput.acceptedTotal();
    }

    private Results.Throughput withVerification(Results.Throughput t, ClusterSystem system, long accepted) {
        progress.detail("verifying: counting every mailbox");
        return withVerification(t, verifyEventually(system, accepted));
    }

    private static Results.Throughput withVerification(Results.Throughput t, Results.Verification v) {
        return new Results.Throughput(t.config(), t.nodes(), t.bestRate(), t.mean(), t.stddev(), t.min(), t.max(),
                t.search(), t.repetitions(), v);
    }

    /**
     * Waits (up to 2 minutes) until the nodes' mailboxes hold every accepted message. A node that does not answer
     * its count leaves the cell's figures unverified rather than losing them: a shared-store node indexes every
     * mailbox's new files when {@code /status} opens it, which after a 60 s cell took longer than the 10 minutes
     * a count may take.
     */
    Results.Verification verifyEventually(ClusterSystem system, long accepted) {
        String how = "sum of messagesStored + heldMessages of every node's /status after the runs";
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try {
            long stored = system.mailboxTotal();
            while (stored < accepted && System.nanoTime() < deadline) {
                Throughput.sleep(2500);
                stored = system.mailboxTotal();
            }
            return new Results.Verification(accepted, stored, stored == accepted, how);
        } catch (IllegalStateException | UncheckedIOException e) {
            progress.note("  not verified: " + e.getMessage());
            return new Results.Verification(accepted, Results.Verification.UNKNOWN, false,
                    how + "; not verified: " + e.getMessage());
        }
    }
}
