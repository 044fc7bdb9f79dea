package org.clustermail.bench.paper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.clustermail.bench.ingress.BenchUsers;
import org.clustermail.directory.DirectoryService;
import org.clustermail.node.local.LocalCluster;
import org.clustermail.node.local.LocalClusterSpec;
import org.clustermail.node.local.NodePlan;
import org.clustermail.postfix.instance.FrontSettings;
import org.clustermail.postfix.instance.PostfixInstance;

/**
 * A clustermail cluster of real node processes ({@link LocalCluster}: N {@code clustermail serve} processes and an H2
 * directory server) in one of the paper's configurations: {@code version1}, {@code version2}, {@code shared-store}
 * (delivery modes), or {@code postfix} (version 2 with a private Postfix instance in front of every node, the
 * generators talking to Postfix). Users {@code user1..userU@example.test} are bulk-inserted before the nodes start,
 * spread uniformly over the nodes. Every node logs each delivery's stage times (its per-message debug line) to its
 * log, which {@link #stageLines} reads.
 */
final class ClusterSystem implements SystemUnderTest {

    static final String DOMAIN = "example.test";
    static final String POSTFIX = "postfix";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String config;
    private final LocalCluster cluster;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<PostfixInstance> fronts = new ArrayList<>();
    private final Map<Integer, Long> logMarks = new HashMap<>();
    private final Map<Integer, Long> maillogMarks = new HashMap<>();
    private final Cores cores;
    private final Path dir;
    private final boolean keepData;
    private final Consumer<String> status;
    private int[] primaries = new int[0];
    private double createSeconds;
    private double startSeconds;

    /** What to start. */
    record Spec(String config, int nodes, Path dir, Path nodeJar, int users, String nodeHeap, String gcFlag,
                Cores cores, String extraYaml, boolean keepData, Consumer<String> status) {
    }

    private ClusterSystem(Spec spec, LocalCluster cluster) {
        this.config = spec.config();
        this.cluster = cluster;
        this.cores = spec.cores();
        this.dir = spec.dir();
        this.keepData = spec.keepData();
        this.status = spec.status();
        // A bench stopped with Ctrl-C or SIGTERM must not leave node processes or Postfix instances behind.
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    private final Thread stopOnExit = new Thread(this::stop, "stop-cluster-on-exit");
    private final AtomicBoolean stopped = new AtomicBoolean();

    /** Whether this build has the delivery mode (shared-store arrives with the cluster issue). */
    static boolean modeAvailable(String mode) {
        for (var m : org.clustermail.node.config.DeliveryConfig.Mode.values()) {
            if (m.text().equals(mode)) {
                return true;
            }
        }
        return false;
    }

    /** Creates the directory and its users, starts every node (and Postfix in front for {@code postfix}). */
    static ClusterSystem start(Spec spec) {
        try {
            Files.createDirectories(spec.dir());
            // Postfix's daemons (user postfix) must reach their queue below this directory.
            Files.setPosixFilePermissions(spec.dir(), PosixFilePermissions.fromString("rwx--x--x"));
            Path logback = spec.dir().resolve("node-logback.xml");
            Files.writeString(logback, NODE_LOGBACK);
            String mode = spec.config().equals(POSTFIX) ? "version2" : spec.config();
            // Below Linux's ephemeral range (32768 up): the generators' thousands of client connections take ports
            // there, and one taken between this check and a node's bind made that node fail to start.
            int base = LocalCluster.freeBasePort(10000 + (int) (ProcessHandle.current().pid() % 20000), spec.nodes());
            LocalClusterSpec cs = LocalClusterSpec.of(spec.nodes(), spec.dir().resolve("cluster"), base,
                            spec.nodeJar()).withMode(mode)
                    .withJvmOptions(List.of("-Xmx" + spec.nodeHeap(), "-XX:+" + spec.gcFlag(), "-Xss512k",
                            "-Dlogback.configurationFile=" + logback.toAbsolutePath()))
                    .withExtraYaml(spec.extraYaml());
            ClusterSystem system = new ClusterSystem(spec, new LocalCluster(cs));
            try {
                system.cluster.prepare();
                long t0 = System.nanoTime();
                system.createUsers(spec.users() * spec.nodes(), spec.nodes());
                long t1 = System.nanoTime();
                system.cluster.startAll();
                system.createSeconds = (t1 - t0) / 1e9;
                system.startSeconds = (System.nanoTime() - t1) / 1e9;
                system.pinNodes();
                if (spec.config().equals(POSTFIX)) {
                    system.startFronts(spec.dir());
                }
                return system;
            } catch (RuntimeException e) {
                system.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createUsers(int count, int nodes) {
        try (DirectoryService schema = cluster.openDirectory();
             Connection c = DriverManager.getConnection(cluster.jdbcUrl(), "", "")) {
            primaries = BenchUsers.insert(c, DOMAIN, count, nodes, 8);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create the benchmark users: " + e.getMessage(), e);
        }
    }

    private void pinNodes() {
        if (!cores.pinning()) {
            return;
        }
        for (NodePlan p : cluster.plans()) {
            int k = p.id().number();
            Cores.pin(cluster.pid(k), cores.nodeList(k, cluster.plans().size()));
        }
    }

    private void startFronts(Path dir) {
        for (NodePlan p : cluster.plans()) {
            int port = LocalCluster.freeBasePort(p.smtp() + 1000, 1);
            fronts.add(PostfixInstance.start(dir.resolve("postfix-" + p.id().number()), port,
                    "postfix" + p.id().number() + ".bench.test",
                    new FrontSettings(NodePlan.HOST, p.lmtp(), NodePlan.HOST, p.socketmap(), 26_214_400)));
        }
    }

    @Override
    public String config() {
        return config;
    }

    @Override
    public int nodes() {
        return cluster.plans().size();
    }

    LocalCluster cluster() {
        return cluster;
    }

    /** Each user's primary node, by user number. */
    int[] primaries() {
        return primaries;
    }

    /** How long inserting the users took. */
    double createSeconds() {
        return createSeconds;
    }

    /** From launching the node processes until every one answers its status endpoint (cache loaded). */
    double startSeconds() {
        return startSeconds;
    }

    @Override
    public int maxOpenTransactions() {
        // the generators spread their transactions round-robin, so each front gets its share
        return fronts.isEmpty() ? Integer.MAX_VALUE : POSTFIX_SMTPD_PROCESSES * fronts.size();
    }

    @Override
    public List<InetSocketAddress> smtpTargets() {
        List<InetSocketAddress> targets = new ArrayList<>();
        if (!fronts.isEmpty()) {
            fronts.forEach(f -> targets.add(new InetSocketAddress(NodePlan.HOST, f.smtpPort())));
        } else {
            cluster.plans().forEach(p -> targets.add(new InetSocketAddress(NodePlan.HOST, p.smtp())));
        }
        return targets;
    }

    /**
     * The recipient copies the running nodes report delivered ({@code clustermail_delivery_copies_total}); a node
     * counts a copy once it is durable in the owner's mailbox (or held by the secondary), as its 250 says.
     */
    @Override
    public long stored() {
        long sum = 0;
        for (NodePlan p : cluster.plans()) {
            if (cluster.running(p.id().number())) {
                sum += metric(p, "clustermail_delivery_copies_total", "outcome=\"delivered\"").orElse(0.0);
            }
        }
        return sum;
    }

    /** Sum of the samples of one Prometheus metric on a node whose labels contain {@code labelPart}. */
    Optional<Double> metric(NodePlan p, String name, String labelPart) {
        Optional<String> body = get("http://" + NodePlan.HOST + ":" + p.metrics() + "/metrics", 5);
        if (body.isEmpty()) {
            return Optional.empty();
        }
        double sum = 0;
        boolean found = false;
        for (String line : body.get().split("\n")) {
            if (line.startsWith(name) && (line.length() == name.length() || line.charAt(name.length()) == '{'
                    || line.charAt(name.length()) == ' ') && line.contains(labelPart)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        return found ? Optional.of(sum) : Optional.empty();
    }

    /**
     * Messages in the mailboxes of every running node (owned plus held for others), by the nodes' own count
     * ({@code /status}; opens every mailbox, so only between measurements).
     */
    long mailboxTotal() {
        long sum = 0;
        for (NodePlan p : cluster.plans()) {
            if (cluster.running(p.id().number())) {
                Optional<String> body = get("http://" + NodePlan.HOST + ":" + p.metrics() + "/status", 600);
                if (body.isEmpty()) {
                    throw new IllegalStateException("node " + p.id() + " did not answer /status");
                }
                try {
                    JsonNode s = JSON.readTree(body.get());
                    sum += s.get("messagesStored").asLong() + s.get("heldMessages").asLong();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return sum;
    }

    /** Remembers where every node's log (and Postfix's) ends, so that {@link #stageLines} reads only what follows. */
    void markLogs() {
        for (NodePlan p : cluster.plans()) {
            logMarks.put(p.id().number(), size(p.logFile()));
        }
        for (int i = 0; i < fronts.size(); i++) {
            maillogMarks.put(i, size(fronts.get(i).maillog()));
        }
    }

    /** The nodes' log lines written since {@link #markLogs}. */
    List<String> stageLines() {
        List<String> lines = new ArrayList<>();
        for (NodePlan p : cluster.plans()) {
            lines.addAll(readFrom(p.logFile(), logMarks.getOrDefault(p.id().number(), 0L)));
        }
        return lines;
    }

    /** Postfix's log lines (all fronts) written since {@link #markLogs}. */
    List<String> maillogLines() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < fronts.size(); i++) {
            lines.addAll(readFrom(fronts.get(i).maillog(), maillogMarks.getOrDefault(i, 0L)));
        }
        return lines;
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<String> readFrom(Path file, long offset) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            if (length <= offset) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (length - offset)];
            f.seek(offset);
            f.readFully(bytes);
            return List.of(new String(bytes, StandardCharsets.UTF_8).split("\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<String> get(String url, int timeoutSeconds) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(timeoutSeconds)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException exiting) {
            // already shutting down: the hook does the stopping
        }
        stop();
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        for (PostfixInstance f : fronts) {
            try {
                f.stop();
            } catch (RuntimeException e) {
                System.err.println("could not stop Postfix in " + f.directory() + ": " + e.getMessage());
            }
        }
        status.accept("stopping " + nodes() + " node(s)");
        cluster.close();
        if (!keepData) {
            // After 60 s windows a cell holds a million message files or more: unlinking them takes minutes.
            status.accept("removing the cell's mail, journals and queues (logs stay)");
            removeDataKeepingLogs();
        }
    }

    /**
     * A full run stores tens of GB of mail over its cells; each cell's mailboxes, journals, spools and Postfix
     * queues go when it stops (also on Ctrl-C), its node and Postfix logs stay for reading afterwards.
     */
    private void removeDataKeepingLogs() {
        try {
            PeerSystem.delete(dir, f -> isLog(f.getFileName().toString()));
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not remove the data in " + dir + ": " + e.getMessage());
        }
    }

    /** A node's log ({@code nodeN.log}) or a Postfix instance's; the journal's segments end in .log too. */
    private static boolean isLog(String fileName) {
        return NODE_LOG.matcher(fileName).matches() || fileName.equals("maillog");
    }

    private static final Pattern NODE_LOG = Pattern.compile("node\\d+\\.log");

    /** The nodes' logging: the cli's (warnings to stderr, i.e. the node log), plus one line per delivery. */
    private static final String NODE_LOGBACK = """
            <configuration>
              <appender name="ERR" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n</pattern></encoder>
              </appender>
              <logger name="com.zaxxer.hikari" level="OFF"/>
              <logger name="org.flywaydb" level="WARN"/>
              <logger name="org.clustermail.delivery.RoutedDelivery" level="DEBUG"/>
              <root level="WARN"><appender-ref ref="ERR"/></root>
            </configuration>
            """;
}
