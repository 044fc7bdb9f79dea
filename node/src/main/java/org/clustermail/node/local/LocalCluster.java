package org.clustermail.node.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.NodeId;
import org.clustermail.protocol.FreePorts;
import org.h2.tools.Server;

/**
 * A whole cluster on this machine, for the demo, the availability test and the benchmarks: an H2 database served
 * over TCP (the shared directory, as PostgreSQL would be in production), and N node processes
 * ({@code java -jar clustermail.jar serve --config nodeK.yaml}) on 127.0.0.1 with distinct ports, each writing its
 * log to {@code nodeK.log}. Nodes can be killed ({@code kill -9}), stopped (SIGTERM) and started again on the same
 * data; the directory server can be stopped and started again.
 *
 * <p>Lifecycle: {@link #start()}, then any of the above, then {@link #close()}, which stops every node it started
 * (SIGTERM, then SIGKILL after the grace period) and the directory server: no process outlives it. Not thread-safe
 * apart from {@link #close()}, which a shutdown hook may call.
 */
public final class LocalCluster implements AutoCloseable {

    private final LocalClusterSpec spec;
    private final List<NodePlan> plans = new ArrayList<>();
    private final Map<Integer, Process> processes = new TreeMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private Server directoryServer;
    private int directoryPort;
    private boolean closed;

    public LocalCluster(LocalClusterSpec spec) {
        this.spec = spec;
        for (int i = 1; i <= spec.nodes(); i++) {
            Path data = spec.baseDir().resolve("node" + i);
            plans.add(new NodePlan(NodeId.of(i), data, spec.baseDir().resolve("node" + i + ".yaml"),
                    spec.baseDir().resolve("node" + i + ".log"), spec.basePort() + NodePlan.PORTS_PER_NODE * (i - 1)));
        }
    }

    /** Starts the directory server, writes every node's configuration, and migrates the directory schema. */
    public void prepare() {
        try {
            Files.createDirectories(spec.baseDir());
            directoryPort = directoryPort == 0 ? FreePorts.pick() : directoryPort;
            startDirectory();
            ensureProxySecret();
            for (NodePlan p : plans) {
                Files.createDirectories(p.dataDir());
                Files.writeString(p.configFile(), configYaml(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the cluster in " + spec.baseDir(), e);
        }
    }

    /** Opens the shared directory from this process (for setting up domains and users); the caller closes it. */
    public DirectoryService openDirectory() {
        return DirectoryService.open(DirectoryConfig.of(jdbcUrl()), nodeIds());
    }

    /** Starts every node and waits until each answers its status endpoint. */
    public void startAll() {
        for (NodePlan p : plans) {
            launch(p);
        }
        for (NodePlan p : plans) {
            awaitUp(p);
        }
    }

    /** Starts (or restarts) node {@code n} and waits until it is up. */
    public void start(int n) {
        NodePlan p = plan(n);
        launch(p);
        awaitUp(p);
    }

    private synchronized void launch(NodePlan p) {
        if (closed) {
            throw new IllegalStateException("the cluster is stopping");
        }
        if (processes.containsKey(p.id().number()) && processes.get(p.id().number()).isAlive()) {
            throw new IllegalStateException("node " + p.id() + " is already running");
        }
        List<String> cmd = new ArrayList<>(List.of(spec.java().toString()));
        cmd.addAll(spec.jvmOptions());
        cmd.addAll(List.of("-jar", spec.jar().toString(), "serve", "--no-demo", "--grace", "5", "--config",
                p.configFile().toString()));
        try {
            Process process = new ProcessBuilder(cmd).directory(spec.baseDir().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(p.logFile().toFile())).start();
            processes.put(p.id().number(), process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + p.id() + ": " + e.getMessage(), e);
        }
    }

    private void awaitUp(NodePlan p) {
        long deadline = System.nanoTime() + spec.startTimeout().toNanos();
        Process process = processes.get(p.id().number());
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + p.id() + " exited with status " + process.exitValue()
                        + "; see " + p.logFile());
            }
            if (status(p).isPresent()) {
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("node " + p.id() + " did not come up within " + spec.startTimeout()
                + "; see " + p.logFile());
    }

    /** The node's {@code /status} JSON, or empty if it does not answer. */
    public Optional<String> status(NodePlan p) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + NodePlan.HOST + ":"
                    + p.metrics() + "/status")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** {@code kill -9} of node {@code n}: no shutdown hook, no flush, as a power cut. */
    public void kill(int n) {
        Process p = processes.get(n);
        if (p != null) {
            p.destroyForcibly();
            waitFor(p, Duration.ofSeconds(10));
        }
    }

    /** SIGTERM to node {@code n}, waiting for its graceful stop (then SIGKILL if it takes too long). */
    public void stop(int n) {
        Process p = processes.get(n);
        if (p != null && p.isAlive()) {
            p.destroy();
            if (!waitFor(p, Duration.ofSeconds(20))) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(10));
            }
        }
    }

    public boolean running(int n) {
        Process p = processes.get(n);
        return p != null && p.isAlive();
    }

    /** The process id of node {@code n} (for {@code kill -9} from outside). */
    public long pid(int n) {
        return processes.get(n).pid();
    }

    /** Stops the shared directory's SQL server (the nodes go on from their caches). */
    public void stopDirectory() {
        if (directoryServer != null) {
            directoryServer.stop();
            directoryServer = null;
        }
    }

    /** Starts the shared directory's SQL server again, on the same port and data. */
    public void startDirectory() {
        if (directoryServer != null) {
            return;
        }
        try {
            directoryServer = Server.createTcpServer("-tcpPort", Integer.toString(directoryPort), "-ifNotExists",
                    "-baseDir", spec.baseDir().resolve("directory").toAbsolutePath().toString()).start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start the directory server on port " + directoryPort + ": "
                    + e.getMessage(), e);
        }
    }

    /** Where the nodes' mailboxes live in shared-store mode: one directory all of them write into. */
    public Path sharedRoot() {
        return spec.baseDir().resolve("shared");
    }

    public String jdbcUrl() {
        return "jdbc:h2:tcp://" + NodePlan.HOST + ":" + directoryPort + "/cluster";
    }

    public List<NodePlan> plans() {
        return List.copyOf(plans);
    }

    public NodePlan plan(int n) {
        return plans.get(n - 1);
    }

    public List<NodeId> nodeIds() {
        return plans.stream().map(NodePlan::id).toList();
    }

    /** The secret the nodes share to proxy IMAP/POP3 sessions (ADR 0013): made once, kept for restarts. */
    private Path proxySecretFile() {
        return spec.baseDir().resolve("proxy.secret");
    }

    private void ensureProxySecret() throws IOException {
        Path file = proxySecretFile();
        if (Files.exists(file)) {
            return;
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Path tmp = Files.createTempFile(spec.baseDir(), "proxy", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n");
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }

    private String configYaml(NodePlan p) {
        StringBuilder y = new StringBuilder();
        y.append("node: ").append(p.id().number()).append('\n');
        y.append("dataDir: ").append(p.dataDir().toAbsolutePath()).append('\n');
        y.append("cluster:\n");
        plans.forEach(other -> y.append(other.clusterEntry()));
        y.append("directory:\n  jdbcUrl: ").append(jdbcUrl()).append("\n  refreshInterval: 1s\n");
        y.append("smtp:\n  hostname: ").append(p.id().directoryName()).append(".localhost\n");
        y.append("delivery:\n  mode: ").append(spec.mode()).append('\n');
        if (spec.mode().equals("shared-store")) {
            y.append("  sharedRoot: ").append(sharedRoot()).append('\n');
        }
        y.append("channel:\n  healthInterval: 1s\n  retryMin: 500ms\n  retryMax: 10s\n  handBackInterval: 5s\n");
        y.append(withProxySecret(spec.extraYaml()));
        return y.toString();
    }

    /**
     * The extra YAML with the proxy secret in its {@code retrieval} section (a second {@code retrieval:} key would
     * replace the first one whole, not add to it).
     */
    private String withProxySecret(String extraYaml) {
        String proxy = "  proxy:\n    secretFile: " + proxySecretFile() + "\n";
        String section = "retrieval:\n";
        int at = extraYaml.startsWith(section) ? 0 : extraYaml.indexOf("\n" + section) + 1;
        if (at == 0 && !extraYaml.startsWith(section)) {
            return section + proxy + extraYaml;
        }
        int after = at + section.length();
        return extraYaml.substring(0, after) + proxy + extraYaml.substring(after);
    }

    /** Stops every node (gracefully, then forcibly) and the directory server. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        processes.values().forEach(p -> {
            if (p.isAlive()) {
                p.destroy();
            }
        });
        for (Process p : processes.values()) {
            if (!waitFor(p, Duration.ofSeconds(20))) {
                p.destroyForcibly();
                waitFor(p, Duration.ofSeconds(10));
            }
        }
        stopDirectory();
    }

    private static boolean waitFor(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Whether every port of every node is free now (a base port to use). */
    public static boolean portsFree(int basePort, int nodes) {
        for (int port = basePort; port < basePort + NodePlan.PORTS_PER_NODE * nodes; port++) {
            if (!FreePorts.free(NodePlan.HOST, port)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A base port from which {@code nodes} nodes' ports are all free, searching upward from {@code from} and skipping
     * the kernel's ephemeral range: a port there that is free at this check can be taken by any process's outgoing
     * connection before the node binds it, and the node then fails to start.
     */
    public static int freeBasePort(int from, int nodes) {
        int span = NodePlan.PORTS_PER_NODE * nodes;
        int[] ephemeral = FreePorts.ephemeralRange();
        for (int base = from; base + span <= 65536; base += span) {
            if (base < ephemeral[1] + 1 && base + span > ephemeral[0]) {
                base = ephemeral[1] + 1 - span; // the loop's step lands just above the range
                continue;
            }
            if (portsFree(base, nodes)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of " + span + " ports above " + from
                + " outside the ephemeral ports " + ephemeral[0] + "-" + ephemeral[1]);
    }

    /** Reads a node's log (for a failing test's message). */
    public String log(int n) {
        try {
            return Files.readString(plan(n).logFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
