package org.clustermail.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.protocol.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Growing a running cluster: node 3 is added to the configured cluster list and started; new users are drawn over
 * it; mail for them sent through a node that still has the old list is kept (held or spooled), reaches node 3 once
 * that node is restarted with the new list, and restarted nodes resume with their mail where it was.
 */
class ClusterJoinTest {

    private static final String[] PORT_NAMES = {"smtp", "submission", "smtps", "lmtp", "pop3", "imap", "http",
        "metrics", "channel", "socketmap", "imaps", "pop3s"};

    @TempDir
    Path dir;

    private final String jdbcUrl = "jdbc:h2:mem:join-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private final Map<Integer, Map<String, Integer>> ports = new HashMap<>();

    @Test
    void aNodeAddedToTheListTakesNewUsersAndTheOthersReachItAfterARollingRestart() throws Exception {
        Map<Integer, MailNode> nodes = new HashMap<>();
        try (DirectoryService twoNodes = DirectoryService.open(DirectoryConfig.of(jdbcUrl), ids(2))) {
            nodes.put(1, MailNode.start(config(1, 2)));
            nodes.put(2, MailNode.start(config(2, 2)));
            twoNodes.admin().addDomain("example.test");
            String alice = userOn(twoNodes, 1);
            String bob = userOn(twoNodes, 2);
            refresh(nodes);
            Transcripts.send(nodes.get(1).port("smtp"), List.of(alice, bob), "before the join");

            nodes.put(3, MailNode.start(config(3, 3)));
            String carol;
            try (DirectoryService threeNodes = DirectoryService.open(DirectoryConfig.of(jdbcUrl), ids(3))) {
                carol = userOn(threeNodes, 3);
            }
            refresh(nodes);
            Transcripts.send(nodes.get(1).port("smtp"), List.of(carol), "through a node with the old list");

            for (int n = 1; n <= 2; n++) { // the rolling restart that hands the others the new list
                nodes.get(n).stop(Duration.ofSeconds(5));
                nodes.put(n, MailNode.start(config(n, 3)));
            }
            Transcripts.send(nodes.get(2).port("smtp"), List.of(carol), "through a node with the new list");

            assertThat(awaitMessages(nodes.get(3), carol, 2)).as("carol's mail on node 3, once each")
                    .containsExactlyInAnyOrder("through a node with the old list", "through a node with the new list");
            assertThat(awaitMessages(nodes.get(1), alice, 1)).containsExactly("before the join");
            assertThat(awaitMessages(nodes.get(2), bob, 1)).containsExactly("before the join");
        } finally {
            nodes.values().forEach(MailNode::close);
        }
    }

    /** Node {@code node}'s configuration when the cluster list has nodes 1..{@code listed}. */
    private NodeConfig config(int node, int listed) {
        StringBuilder y = new StringBuilder("node: " + node + "\ndataDir: " + dir.resolve("data" + node) + "\n");
        y.append("cluster:\n");
        for (int n = 1; n <= listed; n++) {
            y.append("  - {id: ").append(n).append(", ports: {");
            Map<String, Integer> p = portsOf(n);
            y.append(String.join(", ", java.util.Arrays.stream(PORT_NAMES).map(k -> k + ": " + p.get(k)).toList()));
            y.append("}}\n");
        }
        y.append("directory: {jdbcUrl: \"").append(jdbcUrl).append("\"}\n");
        y.append("smtp: {hostname: node0").append(node).append(".test}\n");
        y.append("retrieval: {plaintextOnLoopback: true}\n");
        y.append("channel: {healthInterval: 200ms, retryMin: 200ms, retryMax: 1s, handBackInterval: 500ms}\n");
        return ConfigLoader.parse(y.toString(), "node" + node);
    }

    private Map<String, Integer> portsOf(int node) {
        return ports.computeIfAbsent(node, n -> {
            Map<String, Integer> p = new HashMap<>();
            for (String name : PORT_NAMES) {
                p.put(name, FreePorts.pick());
            }
            return p;
        });
    }

    private static List<NodeId> ids(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(NodeId::of).toList();
    }

    /** Adds users (drawn at random over the listed nodes) until one is owned by {@code node}. */
    private static String userOn(DirectoryService directory, int node) {
        for (int i = 0; i < 60; i++) {
            UserLocation l = directory.admin().addUser(MailAddress.parse("n" + node + "u" + i + "@example.test"),
                    "pw".toCharArray()).location();
            if (l.primary().number() == node) {
                return l.address().toString();
            }
        }
        throw new AssertionError("60 new users and none drawn on node " + node);
    }

    private static void refresh(Map<Integer, MailNode> nodes) {
        nodes.values().forEach(n -> n.directory().directory().refreshNow());
    }

    /** The subjects in the user's maildrop on that node (POP3), once it holds at least {@code count}. */
    private static List<String> awaitMessages(MailNode node, String user, int count) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        List<String> subjects = Transcripts.subjects(node.port("pop3"), user);
        while (subjects.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            subjects = Transcripts.subjects(node.port("pop3"), user);
        }
        return subjects;
    }
}
