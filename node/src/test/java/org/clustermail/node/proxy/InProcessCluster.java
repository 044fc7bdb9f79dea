package org.clustermail.node.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.clustermail.cluster.NodeState;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.MailNode;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.node.config.NodePorts;
import org.clustermail.protocol.FreePorts;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageRef;

/**
 * Real {@link MailNode}s in this JVM, each on its own free loopback ports, sharing one in-memory H2 directory and a
 * proxy secret: every listener, the node channels, health probes, held mail and the IMAP/POP3 proxy are the
 * production ones. Passwords may be sent before TLS on loopback. Nodes can be stopped and started again.
 */
final class InProcessCluster implements AutoCloseable {

    static final String DOMAIN = "example.test";
    static final String PASSWORD = "secret";
    static final String SECRET = "proxy-secret-of-this-test-cluster-0123";
    private static final String[] PORTS = {"smtp", "submission", "smtps", "lmtp", "pop3", "imap", "http", "metrics",
        "channel", "socketmap", "imaps", "pop3s"};

    private final List<NodeConfig> configs = new ArrayList<>();
    private final MailNode[] nodes;
    private final Map<String, List<String>> spareUsers = new HashMap<>();
    private int usersMade;

    /**
     * @param healthInterval how often nodes probe each other (long: only failed connects mark a node down)
     */
    InProcessCluster(Path dir, int size, Duration healthInterval) {
        String url = "jdbc:h2:mem:proxy_" + UUID.randomUUID().toString().replace("-", "") + ";DB_CLOSE_DELAY=-1";
        nodes = new MailNode[size];
        for (int attempt = 1; ; attempt++) {
            configs.clear();
            configs.addAll(configs(dir, size, healthInterval, url));
            try {
                for (int id = 1; id <= size; id++) {
                    start(id);
                }
                break;
            } catch (UncheckedIOException e) {
                // A free port picked above was taken meanwhile by another test run on this machine: pick again.
                close();
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("cannot listen")) {
                    throw e;
                }
            }
        }
        node(1).directory().admin().addDomain(DOMAIN);
        refreshAll();
        if (healthInterval.compareTo(Duration.ofSeconds(5)) < 0) {
            awaitEveryNodeSeesEveryOtherUp();
        }
    }

    /**
     * Nodes start one after another, so the first ones' first probes find the later ones refusing and mark them
     * down until the next probe; a test that began then would see sessions fail over to secondaries.
     */
    private void awaitEveryNodeSeesEveryOtherUp() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (MailNode n : nodes) {
            while (!n.cluster().health().snapshot().values().stream().allMatch(NodeState::up)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nodes still see each other down: "
                            + n.cluster().health().snapshot());
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    private static List<NodeConfig> configs(Path dir, int size, Duration healthInterval, String url) {
        StringBuilder cluster = new StringBuilder("cluster:\n");
        for (int id = 1; id <= size; id++) {
            StringBuilder entry = new StringBuilder();
            for (String name : PORTS) {
                entry.append(entry.isEmpty() ? "" : ", ").append(name).append(": ").append(FreePorts.pick());
            }
            cluster.append("  - id: ").append(id).append("\n    host: 127.0.0.1\n    ports: {").append(entry)
                    .append("}\n");
        }
        List<NodeConfig> out = new ArrayList<>();
        for (int id = 1; id <= size; id++) {
            out.add(ConfigLoader.parse("node: " + id + "\ndataDir: " + dir.resolve("node" + id) + "\n" + cluster
                    + "directory: {jdbcUrl: '" + url + "', refreshInterval: 200ms}\n"
                    + "smtp: {hostname: node" + id + ".example.test}\n"
                    + "retrieval: {plaintextOnLoopback: true, proxy: {secret: " + SECRET + "}}\n"
                    + "channel: {healthInterval: " + healthInterval.toMillis() + "ms, retryMin: 200ms, "
                    + "handBackInterval: 1s}\n", "node" + id));
        }
        return out;
    }

    MailNode node(int id) {
        MailNode n = nodes[id - 1];
        if (n == null) {
            throw new IllegalStateException("node " + id + " is stopped");
        }
        return n;
    }

    /** The configured port of node {@code id}'s listener {@code imap}, {@code imaps}, {@code pop3}, {@code http} ... */
    int port(int id, String listener) {
        NodePorts p = configs.get(id - 1).self().ports();
        return switch (listener) {
            case "imap" -> p.imap();
            case "imaps" -> p.imaps();
            case "pop3" -> p.pop3();
            case "pop3s" -> p.pop3s();
            case "smtp" -> p.smtp();
            case "http" -> p.http();
            default -> throw new IllegalArgumentException(listener);
        };
    }

    void start(int id) {
        nodes[id - 1] = MailNode.start(configs.get(id - 1));
    }

    void stop(int id) {
        nodes[id - 1].stop(Duration.ofSeconds(5));
        nodes[id - 1] = null;
    }

    /**
     * A new user (password {@link #PASSWORD}) whose primary and secondary are the given nodes, known to every
     * running node's cache on return. Users drawn for other pairs are kept for later calls.
     */
    String user(int primary, int secondary) {
        String pair = primary + "/" + secondary;
        for (int tries = 0; tries < 300 && spareUsers.getOrDefault(pair, List.of()).isEmpty(); tries++) {
            UserLocation l = anyRunning().directory().admin().addUser(MailAddress.parse("u" + (++usersMade) + "@"
                    + DOMAIN), PASSWORD.toCharArray()).location();
            spareUsers.computeIfAbsent(l.primary().number() + "/" + l.secondary().orElseThrow().number(),
                    k -> new ArrayList<>()).add(l.address().toString());
        }
        List<String> candidates = spareUsers.get(pair);
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalStateException("no user with nodes " + pair);
        }
        refreshAll();
        return candidates.remove(0);
    }

    /** The messages of a user's INBOX in node {@code id}'s store (primary: the mailbox; secondary: held mail). */
    List<String> inbox(int id, String address) {
        MailNode n = node(id);
        UserLocation where = n.directory().directory().locate(MailAddress.parse(address)).orElseThrow();
        try (Mailbox mb = n.store().open(new MailboxOwner(address, where.serial()))) {
            List<String> out = new ArrayList<>();
            for (MessageRef m : mb.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mb.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private MailNode anyRunning() {
        for (MailNode n : nodes) {
            if (n != null) {
                return n;
            }
        }
        throw new IllegalStateException("no node running");
    }

    private void refreshAll() {
        for (MailNode n : nodes) {
            if (n != null) {
                n.directory().directory().refreshNow();
            }
        }
    }


    @Override
    public void close() {
        for (int id = nodes.length; id >= 1; id--) {
            if (nodes[id - 1] != null) {
                stop(id);
            }
        }
    }
}
