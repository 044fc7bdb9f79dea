package org.clustermail.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.clustermail.bench.cluster.FailoverProbe.Transaction;
import org.clustermail.bench.ingress.BenchUsers;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.sql.Database;
import org.clustermail.node.local.LocalCluster;
import org.clustermail.node.local.LocalClusterSpec;
import org.clustermail.node.local.NodePlan;

/**
 * Issue 5's figures, each on a {@link LocalCluster} of real node processes (the shaded jar) on this machine, with
 * {@code SmtpLoad} in its own JVM as the load generator. Prints {@code key=value} lines (one per measured run) and
 * the load average before and after each.
 * <ul>
 *   <li>{@code throughput}: accepted (= stored) msg/s of 1-, 2- and 3-node clusters, 8 KiB messages, sessions spread
 *       round-robin over the nodes, recipients drawn uniformly from users spread evenly over the nodes;</li>
 *   <li>{@code latency}: a 2-node cluster, one session into node 1, recipients owned by node 1 (local store) or by
 *       node 2 (node channel), alternating; end-of-DATA → 250 p50/p99 of each, and the nodes' own stage means;</li>
 *   <li>{@code failover}: a 3-node cluster, a probe sending one message after another into node 1 for users of
 *       node 2 (secondary node 3); {@code kill -9} of node 2; when the next 250 came and where the mail went.</li>
 * </ul>
 *
 * <p>usage: {@code ClusterBench throughput|latency|failover --jar CLI_JAR --bench BENCH_JAR --dir DIR
 * [--nodes 1,2,3] [--mode version2] [--messages 3000] [--sessions 12] [--users 300] [--reps 2]
 * [--warmup 3000] [--pairs 1/2,2/3,3/1] [--node-jvm "JVM OPTIONS"]}. {@code --pairs} overrides where the users live
 * (primary/secondary, round-robin; {@code 1/2} puts all on node 1). The warm-up messages (every node's JIT sees the same code paths as
 * in the measured run; mailboxes get created) are not counted; in {@code throughput} they are sent once the nodes are
 * in their steady state (see {@link #awaitSteadyState()}).
 */
public final class ClusterBench {

    private final Map<String, String> opts;
    private final Path jar;
    private final Path benchJar;
    private final Path dir;
    private final HttpClient http = HttpClient.newHttpClient();
    private long startedAt;

    private ClusterBench(Map<String, String> opts) {
        this.opts = opts;
        this.jar = Path.of(opts.get("jar")).toAbsolutePath();
        this.benchJar = Path.of(opts.get("bench")).toAbsolutePath();
        this.dir = Path.of(opts.get("dir")).toAbsolutePath();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        ClusterBench bench = new ClusterBench(opts);
        switch (args[0]) {
            case "throughput" -> bench.throughput();
            case "latency" -> bench.latency();
            case "failover" -> bench.failover();
            default -> throw new IllegalArgumentException("throughput, latency or failover, not " + args[0]);
        }
    }

    private int intOpt(String key, int dflt) {
        return Integer.parseInt(opts.getOrDefault(key, Integer.toString(dflt)));
    }

    // ---- throughput ----------------------------------------------------------------------------------------------

    private void throughput() throws Exception {
        String mode = opts.getOrDefault("mode", "version2");
        int users = intOpt("users", 300);
        for (int rep = 1; rep <= intOpt("reps", 2); rep++) {
            for (String n : opts.getOrDefault("nodes", "1,2,3").split(",")) {
                int nodes = Integer.parseInt(n);
                try (LocalCluster cluster = start(nodes, mode, "tp-" + mode + "-" + nodes + "-" + rep,
                        Map.of("example.test", opts.getOrDefault("pairs", evenPairs(nodes))), users)) {
                    String ports = cluster.plans().stream().map(p -> Integer.toString(p.smtp()))
                            .collect(Collectors.joining(","));
                    // Steady state first, then the warm-up: warmed up during the first minute (transfer ids checked
                    // on disk) the JIT compiled other paths, and recompiled the steady ones inside the measured run.
                    awaitSteadyState();
                    load(List.of("--label", "warmup", "--ports", ports, "--sessions", opts.getOrDefault("sessions",
                            "12"), "--messages", opts.getOrDefault("warmup", "3000"), "--users",
                            Integer.toString(users), "--seed", "1000"));
                    String before = loadAverage();
                    double[] cpuBefore = nodesCpuSeconds(cluster);
                    Map<String, String> r = load(List.of("--label", mode + "-" + nodes + "node", "--ports", ports,
                            "--sessions", opts.getOrDefault("sessions", "12"), "--messages",
                            opts.getOrDefault("messages", "3000"), "--users", Integer.toString(users), "--seed",
                            Integer.toString(rep)));
                    double[] cpuAfter = nodesCpuSeconds(cluster);
                    int accepted = Integer.parseInt(r.get("accepted"));
                    System.out.println("throughput rep=" + rep + " nodes=" + nodes + " mode=" + mode
                            + " msgs_per_s=" + r.get("accepted_msgs_per_s") + " failed=" + r.get("failed")
                            + String.format(" node_cpu_ms_per_msg=%.2f (user %.2f, system %.2f)",
                            1000 * (cpuAfter[0] + cpuAfter[1] - cpuBefore[0] - cpuBefore[1]) / accepted,
                            1000 * (cpuAfter[0] - cpuBefore[0]) / accepted,
                            1000 * (cpuAfter[1] - cpuBefore[1]) / accepted) + " load_before=" + before
                            + " load_after=" + loadAverage());
                }
            }
        }
    }

    /** {@code 1/2,2/3,3/1}: users spread evenly, each with the next node as secondary. */
    private static String evenPairs(int nodes) {
        if (nodes == 1) {
            return "1";
        }
        return IntStream.rangeClosed(1, nodes).mapToObj(i -> i + "/" + (i % nodes + 1))
                .collect(Collectors.joining(","));
    }

    // ---- latency -------------------------------------------------------------------------------------------------

    private void latency() throws Exception {
        int users = intOpt("users", 300);
        String messages = opts.getOrDefault("messages", "2000");
        try (LocalCluster cluster = start(2, "version2", "latency",
                Map.of("local.test", "1/2", "remote.test", "2/1"), users)) {
            String port = Integer.toString(cluster.plan(1).smtp());
            for (String domain : List.of("local.test", "remote.test")) {
                load(List.of("--label", "warmup", "--port", port, "--sessions", "4", "--messages",
                        Integer.toString(2 * users), "--users", Integer.toString(users), "--domain", domain));
            }
            awaitSteadyState();
            for (int rep = 1; rep <= intOpt("reps", 3); rep++) {
                for (String domain : List.of("local.test", "remote.test")) {
                    Map<String, Double> before = stageSums(cluster.plan(1));
                    String load = loadAverage();
                    Map<String, String> r = load(List.of("--label", domain, "--port", port, "--sessions", "1",
                            "--messages", messages, "--users", Integer.toString(users), "--domain", domain,
                            "--seed", Integer.toString(rep)));
                    Map<String, Double> after = stageSums(cluster.plan(1));
                    double count = after.get("count") - before.get("count");
                    System.out.printf("latency rep=%d owner=%s eod_p50_ms=%s eod_p99_ms=%s store_mean_ms=%.3f "
                                    + "transfer_mean_ms=%.3f load_before=%s load_after=%s%n", rep,
                            domain.equals("local.test") ? "local" : "remote", r.get("eod_p50_ms"), r.get("eod_p99_ms"),
                            1000 * (after.get("store") - before.get("store")) / count,
                            1000 * (after.get("transfer") - before.get("transfer")) / count, load, loadAverage());
                }
            }
        }
    }

    /** Node 1's stage sums (seconds) and message count from its Prometheus endpoint. */
    private Map<String, Double> stageSums(NodePlan node) throws IOException, InterruptedException {
        String text = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.metrics()
                + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> out = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            for (String stage : List.of("store", "transfer")) {
                if (line.startsWith("clustermail_delivery_stage_seconds_sum{stage=\"" + stage + "\"}")) {
                    out.put(stage, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            if (line.startsWith("clustermail_delivery_stage_seconds_count{stage=\"store\"}")) {
                out.put("count", Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return out;
    }

    // ---- failover ------------------------------------------------------------------------------------------------

    private void failover() throws Exception {
        int users = intOpt("users", 100);
        try (LocalCluster cluster = start(3, "version2", "failover", Map.of("example.test", "2/3"), users)) {
            int port = cluster.plan(1).smtp();
            load(List.of("--label", "warmup", "--port", Integer.toString(port), "--sessions", "4", "--messages",
                    Integer.toString(2 * users), "--users", Integer.toString(users)));
            awaitSteadyState();
            List<String> addresses = IntStream.rangeClosed(1, users).mapToObj(i -> "user" + i + "@example.test")
                    .toList();
            for (int rep = 1; rep <= intOpt("reps", 3); rep++) {
                String load = loadAverage();
                FailoverProbe probe = new FailoverProbe(port, addresses);
                probe.start();
                Thread.sleep(2000);
                long killed = System.nanoTime();
                cluster.kill(2);
                Thread.sleep(4000);
                List<Transaction> trace = probe.stop();
                System.out.println("failover rep=" + rep + " " + summarise(trace, killed) + " load_before=" + load
                        + " load_after=" + loadAverage());
                Thread.sleep(2500); // the status counts are redone every 2 s
                System.out.println("failover rep=" + rep + " node3_held_messages="
                        + field(cluster.status(cluster.plan(3)).orElse(""), "heldMessages") + " node1_spooled="
                        + field(cluster.status(cluster.plan(1)).orElse(""), "spooled"));
                cluster.start(2);
                Thread.sleep(8000); // hand-back to the returned node before the next round
            }
        }
    }

    /**
     * From the probe's trace: the last 250 before the kill, the first 250 of a transaction begun after it, the
     * longest time between two 250s around the kill, failures, and the latency before and after.
     */
    private static String summarise(List<Transaction> trace, long killed) {
        List<Transaction> ok = trace.stream().filter(t -> t.code() == 250).toList();
        long firstAfter = ok.stream().filter(t -> t.start() >= killed).mapToLong(Transaction::end).min()
                .orElse(Long.MAX_VALUE);
        long gap = 0;
        for (int i = 1; i < ok.size(); i++) {
            if (ok.get(i).end() >= killed && ok.get(i - 1).end() <= killed + 1_000_000_000L) {
                gap = Math.max(gap, ok.get(i).end() - ok.get(i - 1).end());
            }
        }
        return String.format("first_250_after_kill_ms=%.2f longest_gap_between_250s_ms=%.2f transactions=%d "
                        + "not_250=%d p50_before_ms=%.2f p50_after_ms=%.2f",
                (firstAfter - killed) / 1e6, gap / 1e6, trace.size(), trace.size() - ok.size(),
                p50(ok.stream().filter(t -> t.end() < killed).toList()),
                p50(ok.stream().filter(t -> t.start() > killed).toList()));
    }

    private static double p50(List<Transaction> ts) {
        long[] d = ts.stream().mapToLong(t -> t.end() - t.start()).sorted().toArray();
        return d.length == 0 ? Double.NaN : d[d.length / 2] / 1e6;
    }

    private static String field(String json, String key) {
        int i = json.indexOf("\"" + key + "\":");
        if (i < 0) {
            return "?";
        }
        int start = i + key.length() + 3;
        int end = start;
        while (end < json.length() && json.charAt(end) != ',' && json.charAt(end) != '}') {
            end++;
        }
        return json.substring(start, end);
    }

    // ---- common --------------------------------------------------------------------------------------------------

    /** A prepared and started cluster with {@code users} bench users per domain, spread as the pairs say. */
    private LocalCluster start(int nodes, String mode, String name, Map<String, String> domains, int users)
            throws Exception {
        Path base = dir.resolve(name);
        if (Files.exists(base)) {
            throw new IllegalStateException(base + " exists; give an empty --dir");
        }
        int port = LocalCluster.freeBasePort(23000, nodes);
        LocalClusterSpec spec = LocalClusterSpec.of(nodes, base, port, jar).withMode(mode);
        if (opts.containsKey("node-jvm")) { // e.g. JFR: -XX:StartFlightRecording=filename=/tmp/node-%p.jfr
            List<String> jvm = new java.util.ArrayList<>(spec.jvmOptions());
            jvm.addAll(List.of(opts.get("node-jvm").split(" ")));
            spec = spec.withJvmOptions(jvm);
        }
        LocalCluster cluster = new LocalCluster(spec);
        try {
            cluster.prepare();
            try (Database db = Database.open(new DirectoryConfig(cluster.jdbcUrl(), "", "", null, 2, true, null,
                    null)); Connection c = db.dataSource().getConnection()) {
                for (Map.Entry<String, String> d : domains.entrySet()) {
                    BenchUsers.insert(c, d.getKey(), users, 1, 11);
                    place(c, d.getKey(), users, d.getValue());
                }
            }
            cluster.startAll();
            startedAt = System.nanoTime();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Waits until the nodes have been up for a minute and a bit: until then each node checks every incoming transfer
     * id against the recipient's recent messages on disk, since a peer whose clock runs ahead could have made it
     * before this node started (ADR 0007). The figures are for the steady state after that.
     */
    private void awaitSteadyState() throws InterruptedException {
        long wait = startedAt + Duration.ofSeconds(65).toNanos() - System.nanoTime();
        if (wait > 0) {
            Thread.sleep(wait / 1_000_000);
        }
    }

    /**
     * Puts {@code user1..userN@domain} on the given nodes, round-robin over {@code primary/secondary} pairs
     * ({@code 1/2,2/3,3/1}; a lone {@code 1}: no secondary). Before the nodes start, so they load it with the cache.
     */
    private static void place(Connection c, String domain, int users, String pairs) throws SQLException {
        String[] placement = pairs.split(",");
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET primary_node = ?, secondary_node = ? WHERE address = ?")) {
            for (int i = 1; i <= users; i++) {
                String[] pair = placement[(i - 1) % placement.length].split("/");
                ps.setInt(1, Integer.parseInt(pair[0]));
                if (pair.length > 1) {
                    ps.setInt(2, Integer.parseInt(pair[1]));
                } else {
                    ps.setNull(2, Types.INTEGER);
                }
                ps.setString(3, "user" + i + "@" + domain);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private Map<String, String> load(List<String> options) throws IOException, InterruptedException {
        Map<String, String> r = LoadProcess.run(benchJar, options);
        System.out.println("  " + r.get("line"));
        return r;
    }

    /** User and system CPU seconds the node processes have used so far, together ({@code /proc/PID/stat}). */
    private static double[] nodesCpuSeconds(LocalCluster cluster) throws IOException {
        double[] total = new double[2];
        for (NodePlan p : cluster.plans()) {
            String stat = Files.readString(Path.of("/proc/" + cluster.pid(p.id().number()) + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            total[0] += Long.parseLong(f[11]) / 100.0; // utime, in clock ticks of 1/100 s
            total[1] += Long.parseLong(f[12]) / 100.0; // stime
        }
        return total;
    }

    private static String loadAverage() {
        try {
            return Arrays.stream(Files.readString(Path.of("/proc/loadavg")).split(" ")).limit(3)
                    .collect(Collectors.joining("/"));
        } catch (IOException e) {
            return "?";
        }
    }
}
