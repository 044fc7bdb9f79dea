package org.clustermail.bench.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.MailNode;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.protocol.FreePorts;
import org.clustermail.retrieval.SessionRouting;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The extra latency of a proxied IMAP session (the client reached a node that does not own the mailbox, ADR 0011)
 * over a direct one. Two real nodes in one JVM on loopback, sharing an in-memory directory; the user's mailbox is on
 * node 1 and holds one 8 KB message. {@code via=direct} connects to node 1, {@code via=proxied} to node 2, which
 * relays to node 1. {@code session}: connect, LOGIN, SELECT INBOX, FETCH 1 (BODY.PEEK[]), LOGOUT, each reply read
 * in full; {@code noop} and {@code fetch}: one command's round trip on an open session.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ProxyLatencyBenchmark {

    private static final String SECRET = "bench-proxy-secret-0123456789abcdef";
    private static final String PASSWORD = "bench-password";

    @Param({"direct", "proxied"})
    String via;

    private Path dir;
    private MailNode owner;
    private MailNode front;
    private String user;
    private int port;
    private ImapLine session;

    @Setup(Level.Trial)
    public void start() throws Exception {
        dir = Files.createTempDirectory("proxy-bench-");
        String url = "jdbc:h2:mem:proxybench_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        int[][] ports = new int[2][];
        StringBuilder cluster = new StringBuilder("cluster:\n");
        for (int n = 0; n < 2; n++) {
            ports[n] = IntStream.generate(FreePorts::pick).limit(12).toArray();
            int[] p = ports[n];
            cluster.append(String.format("  - id: %d%n    host: 127.0.0.1%n    ports: {smtp: %d, submission: %d, "
                    + "smtps: %d, lmtp: %d, pop3: %d, imap: %d, http: %d, metrics: %d, channel: %d, socketmap: %d, "
                    + "imaps: %d, pop3s: %d}%n", n + 1, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9],
                    p[10], p[11]));
        }
        owner = MailNode.start(ConfigLoader.parse(config(1, url, cluster), "node1"));
        front = MailNode.start(ConfigLoader.parse(config(2, url, cluster), "node2"));
        owner.directory().admin().addDomain("example.test");
        UserLocation location = null;
        for (int i = 1; location == null || !location.primary().equals(NodeId.of(1)); i++) {
            location = owner.directory().admin().addUser(MailAddress.parse("proxy" + i + "@example.test"),
                    PASSWORD.toCharArray()).location();
        }
        user = location.address().toString();
        owner.directory().directory().refreshNow();
        front.directory().directory().refreshNow();
        Mailboxes.fill(owner.store(), SessionRouting.owner(location), 1, 8192);
        port = via.equals("direct") ? ports[0][5] : ports[1][5];
        session = ImapLine.open(port);
        session.command("LOGIN " + user + " " + PASSWORD);
        session.command("SELECT INBOX");
    }

    private String config(int node, String url, StringBuilder cluster) {
        return "node: " + node + "\ndataDir: " + dir.resolve("node" + node) + "\n" + cluster
                + "directory: {jdbcUrl: '" + url + "'}\nsmtp: {hostname: node" + node + ".bench}\n"
                + "retrieval: {plaintextOnLoopback: true, proxy: {secret: " + SECRET + "}}\n"
                + "socketmap: {enabled: false}\n";
    }

    @Benchmark
    public int session() throws IOException {
        try (ImapLine c = ImapLine.open(port)) {
            int n = c.command("LOGIN " + user + " " + PASSWORD).size();
            n += c.command("SELECT INBOX").size();
            n += c.command("FETCH 1 (BODY.PEEK[])").size();
            return n + c.command("LOGOUT").size();
        }
    }

    @Benchmark
    public List<String> noop() throws IOException {
        return session.command("NOOP");
    }

    @Benchmark
    public List<String> fetch() throws IOException {
        return session.command("FETCH 1 (BODY.PEEK[])");
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        session.close();
        front.stop(Duration.ofSeconds(2));
        owner.stop(Duration.ofSeconds(2));
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
