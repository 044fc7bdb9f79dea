package org.clustermail.bench.paper;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.clustermail.postfix.instance.PostfixBinaries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code clustermail bench}: the paper's section 5 as one command. Throughput (rate search, repetitions) and
 * latency by stage for every configuration and cluster size, availability under a {@code kill -9}, how cost grows
 * with message size, users and mailbox size, and the peers' Postfix+Dovecot under the same workload; writes
 * {@code results.json}, PNG charts and a markdown summary (appended to BENCHMARKS.md unless told not to).
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the paper's experiments (section 5) against real node processes on this machine.",
            "Writes results.json, charts/*.png and summary.md to --out, and appends the summary to BENCHMARKS.md."})
public final class PaperBench implements Callable<Integer> {

    static final List<String> ALL_CONFIGS = List.of("version1", "version2", "shared-store", ClusterSystem.POSTFIX);
    static final List<String> ALL_PHASES = List.of("throughput", "latency", "peers", "availability", "cost");

    @Option(names = "--smoke", description = "a few seconds of load on 1 and 2 nodes of version2, throughput and "
            + "latency only, small numbers (the CI test)")
    boolean smoke;

    @Option(names = "--configs", split = ",", description = "configurations (default: all available of "
            + "version1, version2, shared-store, postfix)")
    List<String> configs;

    @Option(names = "--nodes", split = ",", description = "cluster sizes (default: 1,2,4)")
    List<Integer> nodes;

    @Option(names = "--phases", split = ",", description = "default: throughput,latency,peers,availability,cost")
    List<String> phases;

    @Option(names = "--window", description = "seconds of constant-rate load per trial (default: 60, the paper's)")
    Double window;

    @Option(names = "--reps", description = "repetitions at the best rate (default: 3; 0: the figure is the "
            + "search's best trial)")
    Integer reps;

    @Option(names = "--max-steps", description = "trials of the rate search before the repetitions (default: 8)")
    Integer maxSteps;

    @Option(names = "--start-rate", description = "first rate of the search, msg/s per node (default: 20)")
    Double startRate;

    @Option(names = "--warm-up-rate", description = "before each search of the throughput and peers phases, one "
            + "unmeasured message to every user at this many msg/s per node, so that no measured window creates "
            + "mailboxes (default: 400; 0: none, as in runs before 2026-12-06 18:00 UTC)")
    Double warmUpRate;

    @Option(names = "--users-per-node", description = "users per node; recipients are uniform over all "
            + "(default: 50000, the paper's)")
    Integer usersPerNode;

    @Option(names = "--size", description = "message size in octets (default: 8192)")
    Integer size;

    @Option(names = "--generators", description = "load generator processes per trial (default: 1)")
    Integer generators;

    @Option(names = "--max-in-flight", description = "open SMTP transactions per trial at most (default: 400)")
    int maxInFlight = 400;

    @Option(names = "--latency-messages", description = "local and remote deliveries per latency figure "
            + "(default: 100, the paper's)")
    Integer latencyMessages;

    @Option(names = "--latency-rate", description = "light load for latency, msg/s per node (default: 10)")
    double latencyRate = 10;

    @Option(names = "--availability-nodes", description = "cluster size of the availability run (default: 3)")
    int availabilityNodes = 3;

    @Option(names = "--availability-rate", description = "msg/s during the availability run (default: 30)")
    double availabilityRate = 30;

    @Option(names = "--availability-seconds", description = "length of the availability run (default: 30)")
    double availabilitySeconds = 30;

    @Option(names = "--kill-at", description = "second of the availability run at which node 2 is killed "
            + "(default: 10)")
    double killAt = 10;

    @Option(names = "--sizes", split = ",", description = "message sizes for the cost of size "
            + "(default: 512,4096,32768,262144)")
    List<Integer> sizes;

    @Option(names = "--user-counts", split = ",", description = "user counts for the cost of users "
            + "(default: 10000,100000,1000000)")
    List<Integer> userCounts;

    @Option(names = "--mailbox-sizes", split = ",", description = "INBOX sizes for SELECT and listing "
            + "(default: 1000,10000,100000)")
    List<Integer> mailboxSizes;

    @Option(names = "--cores", description = "pin to cores 0..N-1: generators on the last --generator-cores, "
            + "nodes in equal slices of the rest (taskset; default: 0, no pinning)")
    int cores;

    @Option(names = "--generator-cores", description = "cores for the generators when pinning "
            + "(default: a quarter of --cores)")
    Integer generatorCores;

    @Option(names = "--node-heap", description = "each node's -Xmx (default: 384m; 1g for a million users)")
    String nodeHeap = "384m";

    /** The collectors a node may run, as their HotSpot flag names. */
    enum NodeGc {
        serial("UseSerialGC"), parallel("UseParallelGC"), g1("UseG1GC");

        final String flag;

        NodeGc(String flag) {
            this.flag = flag;
        }
    }

    @Option(names = "--node-gc", description = "each node's garbage collector: ${COMPLETION-CANDIDATES} (default: "
            + "serial, the small heaps' collector; g1 is what a node started by hand gets on a server)")
    NodeGc nodeGc = NodeGc.serial;

    @Option(names = "--peers", description = "the peers' scripts (default: ../shared/peers of the repository)")
    Path peersDir;

    @Option(names = "--node-jar", description = "the clustermail jar every node runs (default: "
            + "cli/target/clustermail.jar next to this jar's module)")
    Path nodeJar;

    @Option(names = "--out", description = "where results go (default: bench-results/paper-TIME)")
    Path out;

    @Option(names = "--work", description = "scratch directory for the clusters (default: a new one in /tmp)")
    Path work;

    @Option(names = "--keep-data", description = "keep every cell's mailboxes and queues in --work after it ends "
            + "(default: removed as each cell ends, logs kept)")
    boolean keepData;

    @Option(names = "--append", description = "markdown file the summary is appended to (default: BENCHMARKS.md "
            + "in the current directory, if present; not with --smoke)")
    Path append;

    @Option(names = "--no-append", description = "do not append the summary anywhere")
    boolean noAppend;

    @Option(names = "--summarize", description = "run nothing: write the charts and summary.md of an earlier run "
            + "directory from its results.json (e.g. a run stopped before its end) and append the summary")
    Path summarize;

    private final Results results = new Results();
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private Progress progress;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command, with a run that fails saying why in one line instead of a stack trace. */
    static CommandLine commandLine() {
        PaperBench bench = new PaperBench();
        return new CommandLine(bench).setExecutionExceptionHandler((e, cl, parsed) -> bench.stopped(e));
    }

    /**
     * The figures measured before a failure are in results.json already (it is rewritten after every cell); the
     * stack trace goes beside them for whoever debugs the bench.
     */
    private int stopped(Exception e) {
        System.err.println();
        System.err.println("clustermail bench: stopped: " + e + traceBeside(e));
        return 1;
    }

    /** Where the stack trace went, said after the one-line reason; nothing when there is no output folder yet. */
    private String traceBeside(Exception e) {
        if (out == null || !Files.isDirectory(out)) {
            return "";
        }
        Path trace = out.resolve("error.txt");
        try (PrintStream p = new PrintStream(Files.newOutputStream(trace), true, StandardCharsets.UTF_8)) {
            e.printStackTrace(p);
        } catch (IOException notWritten) {
            return "";
        }
        return "; figures so far: " + out.resolve("results.json") + " (`--summarize " + out
                + "` writes their summary), stack trace: " + trace;
    }

    private volatile boolean signalled;

    @Override
    public Integer call() throws Exception {
        applyDefaults();
        if (summarize != null) {
            return summarizeEarlierRun(summarize);
        }
        Path benchJar = ownJar();
        Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
        // Ctrl-C or SIGTERM: the clusters' own hooks stop the nodes and remove their mail; this one only lets the
        // run end with its figures so far instead of failing in the chart writer (which needs a hook of its own).
        Runtime.getRuntime().addShutdownHook(new Thread(() -> signalled = true, "bench-signalled"));
        Files.createDirectories(out);
        Path raw = out.resolve("raw");
        Files.createDirectories(raw);
        Cores pinning = cores > 0 ? new Cores(cores, generatorCores) : Cores.none();
        if (pinning.pinning()) {
            Cores.pin(ProcessHandle.current().pid(), pinning.generatorList());
        }
        Machine machine = Machine.describe();
        recordRun(machine, pinning);
        List<String> runnable = runnableConfigs();
        progress = new Progress(System.err, System.console() != null, plannedUnits(runnable));
        progress.note("clustermail bench: results in " + out.toAbsolutePath() + " (machine: " + machine.oneLine()
                + "; load " + Machine.loadAverage() + ")");
        LoadRunner load = new LoadRunner(benchJar, java, pinning, raw, generators, maxInFlight);
        Experiments experiments = new Experiments(this, load, progress, results, pinning);
        long t0 = System.nanoTime();
        if (phases.contains("throughput") || phases.contains("latency")) {
            phase("throughput and latency", () -> experiments.throughputAndLatency(runnable));
        }
        if (phases.contains("peers")) {
            phase("peers", experiments::peers);
        }
        if (phases.contains("availability")) {
            phase("availability", experiments::availability);
        }
        if (phases.contains("cost")) {
            phase("cost growth", experiments::cost);
        }
        if (signalled) { // not "finished": --summarize then says the run stopped before its end
            writeJson();
            System.err.println("clustermail bench: stopped by a signal; figures so far: " + out.resolve("results.json")
                    + " (`--summarize " + out + "` writes their charts and summary)");
            return 130;
        }
        results.run.put("finished", Instant.now().toString());
        results.run.put("durationSeconds", Stats.round((System.nanoTime() - t0) / 1e9, 1));
        results.run.put("loadAverageAtEnd", Machine.loadAverage());
        writeJson();
        List<Path> charts = Charts.write(results, out.resolve("charts"));
        String summary = Summary.markdown(results, machine, charts, out, appendTarget());
        Files.writeString(out.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        if (appendTarget() != null) {
            Files.writeString(appendTarget(), "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        progress.finish();
        PrintStream stdout = System.out;
        stdout.println("results: " + out.resolve("results.json"));
        stdout.println("charts:  " + out.resolve("charts"));
        stdout.println("summary: " + out.resolve("summary.md")
                + (appendTarget() != null ? " (appended to " + appendTarget() + ")" : ""));
        return 0;
    }

    private int summarizeEarlierRun(Path dir) throws IOException {
        Results earlier = Results.read(dir.resolve("results.json"));
        if (!earlier.run.containsKey("finished")) { // stopped: it ran until its JSON was last written
            Instant last = Files.getLastModifiedTime(dir.resolve("results.json")).toInstant();
            earlier.run.put("durationSeconds", "ran " + Stats.round(java.time.Duration.between(
                    Instant.parse(String.valueOf(earlier.run.get("started"))), last).toMillis() / 1000.0, 1)
                    + " s; stopped before its end, results as of " + last);
            earlier.run.put("loadAverageAtEnd", "unknown (stopped before its end)");
        }
        Machine machine = new ObjectMapper().convertValue(earlier.run.get("machine"), Machine.class);
        List<Path> charts = Charts.write(earlier, dir.resolve("charts"));
        String summary = Summary.markdown(earlier, machine, charts, dir, appendTarget());
        Files.writeString(dir.resolve("summary.md"), summary, StandardCharsets.UTF_8);
        if (appendTarget() != null) {
            Files.writeString(appendTarget(), "\n" + summary, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        System.out.println("summary: " + dir.resolve("summary.md")
                + (appendTarget() != null ? " (appended to " + appendTarget() + ")" : ""));
        return 0;
    }

    /** Runs one phase, timing it and recording the load before and after; the JSON is rewritten after each. */
    private void phase(String name, ThrowingRunnable body) throws Exception {
        if (signalled) {
            return; // stopping: start no more clusters
        }
        String before = Machine.loadAverage();
        String started = Instant.now().toString();
        long t0 = System.nanoTime();
        try {
            body.run();
        } finally {
            results.phases.add(new Results.Phase(name, started, before, Machine.loadAverage(),
                    Stats.round((System.nanoTime() - t0) / 1e9, 1)));
            writeJson();
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    void writeJson() throws IOException {
        json.writeValue(out.resolve("results.json").toFile(), results.document());
    }

    private void applyDefaults() {
        String stamp = LocalDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        if (smoke) {
            configs = configs != null ? configs : List.of("version2");
            nodes = nodes != null ? nodes : List.of(1, 2);
            phases = phases != null ? phases : List.of("throughput", "latency");
            window = window != null ? window : 3.0;
            reps = reps != null ? reps : 1;
            maxSteps = maxSteps != null ? maxSteps : 1;
            usersPerNode = usersPerNode != null ? usersPerNode : 200;
            latencyMessages = latencyMessages != null ? latencyMessages : 20;
            startRate = startRate != null ? startRate : 10.0;
        }
        configs = configs != null ? configs : ALL_CONFIGS;
        nodes = nodes != null ? nodes : List.of(1, 2, 4);
        phases = phases != null ? phases : ALL_PHASES;
        window = window != null ? window : 60.0;
        reps = reps != null ? reps : 3;
        maxSteps = maxSteps != null ? maxSteps : 8;
        startRate = startRate != null ? startRate : 20.0;
        warmUpRate = warmUpRate != null ? warmUpRate : 400.0;
        usersPerNode = usersPerNode != null ? usersPerNode : 50_000;
        size = size != null ? size : 8192;
        generators = generators != null ? generators : 1;
        latencyMessages = latencyMessages != null ? latencyMessages : 100;
        sizes = sizes != null ? sizes : List.of(512, 4096, 32768, 262144);
        userCounts = userCounts != null ? userCounts : List.of(10_000, 100_000, 1_000_000);
        mailboxSizes = mailboxSizes != null ? mailboxSizes : List.of(1_000, 10_000, 100_000);
        generatorCores = generatorCores != null ? generatorCores : Math.max(1, cores / 4);
        out = out != null ? out : Path.of("bench-results", "paper-" + stamp);
        for (String c : configs) {
            if (!ALL_CONFIGS.contains(c)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown configuration " + c
                        + "; one of " + ALL_CONFIGS);
            }
        }
        for (String p : phases) {
            if (!ALL_PHASES.contains(p)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown phase " + p + "; one of "
                        + ALL_PHASES);
            }
        }
        if (cores > 0 && generatorCores >= cores) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--generator-cores must leave cores for "
                    + "the nodes");
        }
    }

    /** The configurations that can run here; the others are listed as skipped, with the reason. */
    private List<String> runnableConfigs() {
        List<String> runnable = new ArrayList<>();
        for (String c : configs) {
            if (c.equals(ClusterSystem.POSTFIX)) {
                if (!PostfixBinaries.installed() || !"root".equals(System.getProperty("user.name"))) {
                    results.skipped.add("postfix: Postfix is not installed, or this is not root");
                    continue;
                }
            } else if (!ClusterSystem.modeAvailable(c)) {
                results.skipped.add(c + ": this build has no delivery mode " + c);
                continue;
            }
            runnable.add(c);
        }
        return runnable;
    }

    private int plannedUnits(List<String> runnable) {
        int units = 0;
        if (phases.contains("throughput") || phases.contains("latency")) {
            units += runnable.size() * nodes.size();
        }
        if (phases.contains("peers")) {
            units += 1;
        }
        if (phases.contains("availability")) {
            units += (int) runnable.stream().filter(c -> !c.equals(ClusterSystem.POSTFIX)).count();
        }
        if (phases.contains("cost")) {
            units += 1 + userCounts.size() + 1;
        }
        return units;
    }

    private void recordRun(Machine machine, Cores pinning) {
        results.run.put("command", "clustermail bench " + String.join(" ", commandLineArgs()));
        results.run.put("started", Instant.now().toString());
        results.run.put("machine", machine);
        results.run.put("loadAverageAtStart", Machine.loadAverage());
        results.run.put("pinning", pinning.describe(nodes));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("configs", configs);
        s.put("nodes", nodes);
        s.put("phases", phases);
        s.put("windowSeconds", window);
        s.put("repetitions", reps);
        s.put("maxSearchSteps", maxSteps);
        s.put("startRatePerNode", startRate);
        s.put("warmUpRatePerNode", warmUpRate);
        s.put("usersPerNode", usersPerNode);
        s.put("messageSize", size);
        s.put("generators", generators);
        s.put("maxInFlight", maxInFlight);
        s.put("latencyMessages", latencyMessages);
        s.put("latencyRatePerNode", latencyRate);
        s.put("availability", Map.of("nodes", availabilityNodes, "rate", availabilityRate, "seconds",
                availabilitySeconds, "killAtSecond", killAt));
        s.put("sizes", sizes);
        s.put("userCounts", userCounts);
        s.put("mailboxSizes", mailboxSizes);
        s.put("nodeHeap", nodeHeap);
        s.put("nodeGc", nodeGc.name());
        results.run.put("settings", s);
    }

    private static List<String> commandLineArgs() {
        return List.of(ProcessHandle.current().info().arguments().orElse(new String[0])).stream()
                .dropWhile(a -> !a.equals(PaperBench.class.getName())).skip(1).toList();
    }

    Path appendTarget() {
        if (noAppend || smoke && append == null) {
            return null;
        }
        if (append != null) {
            return append;
        }
        Path here = Path.of("BENCHMARKS.md");
        return Files.exists(here) ? here : null;
    }

    static Path ownJar() throws URISyntaxException {
        return Path.of(PaperBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The node jar: the option, or {@code cli/target/clustermail.jar} of the checkout this jar was built in. */
    Path nodeJar() throws URISyntaxException {
        if (nodeJar != null) {
            return nodeJar.toAbsolutePath();
        }
        Path guess = ownJar().toAbsolutePath().getParent().resolve("../../cli/target/clustermail.jar").normalize();
        if (!Files.exists(guess)) {
            throw new IllegalStateException("no node jar at " + guess + "; build it (./mvnw -q -B package "
                    + "-DskipTests -pl cli -am) or pass --node-jar");
        }
        return guess;
    }

    Path workDir(String name) throws IOException {
        if (work == null) {
            work = Files.createTempDirectory("clustermail-bench-");
            Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
        Files.createDirectories(work);
        return work.resolve(name);
    }

    Path peersSource() throws URISyntaxException {
        if (peersDir != null) {
            return peersDir;
        }
        return ownJar().toAbsolutePath().getParent().resolve("../../../shared/peers").normalize();
    }
}
