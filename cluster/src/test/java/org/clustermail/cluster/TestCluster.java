package org.clustermail.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.FreePorts;

/**
 * N real nodes in this JVM sharing one in-memory H2 directory, each with its own data directory and fixed loopback
 * ports for SMTP and the node channel. Users are drawn at random over the nodes as in production; {@link #user}
 * adds users until one has the wanted primary and secondary node.
 */
final class TestCluster implements AutoCloseable {

    static final String DOMAIN = "example.test";

    final List<TestNode> nodes = new ArrayList<>();
    final DirectoryService admin;
    private int users;
    private final Map<String, List<String>> spare = new HashMap<>();

    TestCluster(Path dir, int size) throws IOException {
        String url = "jdbc:h2:mem:cluster-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add(NodeId.of(i));
        }
        admin = DirectoryService.open(DirectoryConfig.of(url), ids);
        admin.admin().addDomain(DOMAIN);
        Map<NodeId, InetSocketAddress> channels = new HashMap<>();
        Map<NodeId, Integer> smtp = new HashMap<>();
        for (NodeId id : ids) {
            smtp.put(id, FreePorts.pick());
            channels.put(id, new InetSocketAddress("127.0.0.1", FreePorts.pick()));
        }
        for (NodeId id : ids) {
            Map<NodeId, InetSocketAddress> peers = new HashMap<>(channels);
            peers.remove(id);
            nodes.add(new TestNode(id, dir.resolve(id.directoryName()), smtp.get(id), channels.get(id).getPort(),
                    url, ids, peers));
        }
    }

    TestCluster start() throws IOException {
        for (TestNode n : nodes) {
            n.start();
        }
        awaitEveryNodeSeesEveryOtherUp();
        return this;
    }

    /**
     * Nodes start one after another, so an early node's first probe can find a later one refusing and mark it down
     * until its next probe; a test that sent mail then would see it fail over to the secondary or the spool. Waits
     * until every node has seen every other up for longer than a probe interval, so no such probe is still in flight.
     */
    private void awaitEveryNodeSeesEveryOtherUp() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        long stableSince = System.nanoTime();
        while (System.nanoTime() - stableSince < Duration.ofMillis(600).toNanos()) {
            boolean allUp = nodes.stream().allMatch(n -> nodes.stream().allMatch(o -> n.cluster.health().isUp(o.id)));
            if (!allUp) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nodes still see each other down");
                }
                stableSince = System.nanoTime();
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    TestNode node(int number) {
        return nodes.get(number - 1);
    }

    /**
     * A user whose primary and secondary nodes are the given ones, not handed out before. Users drawn for other
     * pairs are kept for later calls (each costs an Argon2 hash).
     */
    String user(int primary, int secondary) {
        String pair = primary + "/" + secondary;
        for (int tries = 0; tries < 500 && spare.getOrDefault(pair, List.of()).isEmpty(); tries++) {
            UserLocation l = admin.admin().addUser(MailAddress.parse("u" + (++users) + "@" + DOMAIN),
                    "pw".toCharArray()).location();
            spare.computeIfAbsent(l.primary().number() + "/" + l.secondary().orElseThrow().number(),
                    k -> new ArrayList<>()).add(l.address().toString());
        }
        List<String> candidates = spare.get(pair);
        if (candidates == null || candidates.isEmpty()) {
            throw new IllegalStateException("no user with nodes " + pair);
        }
        nodes.stream().filter(TestNode::running).forEach(n -> n.directory.directory().refreshNow());
        return candidates.remove(0);
    }


    @Override
    public void close() {
        nodes.forEach(TestNode::close);
        admin.close();
    }
}
