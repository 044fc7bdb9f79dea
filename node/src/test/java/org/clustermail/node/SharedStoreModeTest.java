package org.clustermail.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code delivery.mode: shared-store} (the EarthLink baseline, ADR 0010) with two nodes over real SMTP and POP3/IMAP:
 * the receiving node writes each copy into the owner's mailbox on the shared root itself (even while the owner is
 * stopped), and the owner's sessions and status show it — once, also after the owner restarts.
 */
class SharedStoreModeTest {

    @TempDir
    Path dir;

    private final String jdbcUrl = "jdbc:h2:mem:shared-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";

    private NodeConfig config(int node) {
        return ConfigLoader.parse("""
                node: %d
                dataDir: %s
                cluster:
                  - {id: 1, ports: {channel: 1}}
                  - {id: 2, ports: {channel: 2}}
                directory: {jdbcUrl: "%s"}
                smtp: {hostname: node0%d.test}
                retrieval: {plaintextOnLoopback: true}
                delivery: {mode: shared-store, sharedRoot: %s}
                channel: {healthInterval: 1h}
                """.formatted(node, dir.resolve("data" + node), jdbcUrl, node, dir.resolve("shared")), "test");
    }

    @Test
    void theReceivingNodeWritesIntoTheOwnersMailboxAndTheOwnerShowsItOnce() throws Exception {
        MailNode node1 = MailNode.start(config(1), true);
        MailNode node2 = MailNode.start(config(2), true);
        try {
            Map<Integer, String> userOn = usersOnEachNode(node1, node2);
            String u1 = userOn.get(1);
            String u2 = userOn.get(2);

            Transcripts.send(node1.port("smtp"), List.of(u1, u2), "to both, in at node 1");
            Transcripts.send(node2.port("smtp"), List.of(u2), "to u2, in at node 2");

            assertThat(filesIn(dir.resolve("shared/node02"))).as("node 1 wrote straight into node 2's mailbox")
                    .anyMatch(name -> name.endsWith(".node01"));
            assertThat(Transcripts.pop3(node2.port("pop3"), u2)).hasSize(2)
                    .allSatisfy(m -> assertThat(m).contains("Delivered-To: " + u2))
                    .anySatisfy(m -> assertThat(m).contains("to both, in at node 1"));
            assertThat(imapMessages(node1.port("imap"), u1)).isEqualTo(1);

            node2.stop(Duration.ofSeconds(5));
            Transcripts.send(node1.port("smtp"), List.of(u2), "while node 2 was away, nobody asked it");
            node2 = MailNode.start(config(2), true);
            assertThat(new NodeStatus(node2).report().messagesStored()).as("status counts what others wrote")
                    .isEqualTo(3);
            assertThat(Transcripts.pop3(node2.port("pop3"), u2)).hasSize(3);
        } finally {
            node1.close();
            node2.close();
        }
    }

    /** Adds users (drawn at random over the nodes, as in production) until each node owns one. */
    private static Map<Integer, String> usersOnEachNode(MailNode a, MailNode b) {
        a.directory().admin().addDomain("example.test");
        Map<Integer, String> userOn = new HashMap<>();
        for (int i = 0; userOn.size() < 2 && i < 100; i++) {
            UserLocation l = a.directory().admin().addUser(MailAddress.parse("u" + i + "@example.test"),
                    "pw".toCharArray()).location();
            userOn.putIfAbsent(l.primary().number(), l.address().toString());
        }
        a.directory().directory().refreshNow();
        b.directory().directory().refreshNow();
        return userOn;
    }

    private static int imapMessages(int port, String user) throws IOException {
        try (TextClient imap = new TextClient(port)) {
            imap.skipTo("* OK");
            imap.send("a LOGIN " + user + " pw\r\nb SELECT INBOX\r\n");
            assertThat(imap.skipTo("a ")).startsWith("a OK");
            String exists = imap.skipTo("* ");
            while (!exists.endsWith(" EXISTS")) {
                exists = imap.skipTo("* ");
            }
            imap.skipTo("b OK");
            imap.send("c LOGOUT\r\n");
            return Integer.parseInt(exists.split(" ")[1]);
        }
    }

    private static List<String> filesIn(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).toList();
        }
    }
}
