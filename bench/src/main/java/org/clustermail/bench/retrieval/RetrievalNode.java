package org.clustermail.bench.retrieval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.MailNode;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.retrieval.SessionRouting;

/**
 * A clustermail node for the retrieval figures: a fresh data directory, the user {@code user10000@example.test}
 * (password {@code testpass}, as in the Dovecot baseline of {@code ../shared/peers/}) with {@code N} messages of
 * {@code SIZE} octets in its INBOX, IMAP and POP3 on the given loopback ports with plain-text login allowed there.
 * Prints {@code READY} and serves until its standard input closes.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar org.clustermail.bench.retrieval.RetrievalNode N SIZE IMAP POP3}
 */
public final class RetrievalNode {

    public static final String USER = "user10000@example.test";
    public static final String PASSWORD = "testpass";

    private RetrievalNode() {
    }

    public static void main(String[] args) throws Exception {
        int messages = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int imap = Integer.parseInt(args[2]);
        int pop3 = Integer.parseInt(args[3]);
        Path dir = Files.createTempDirectory("retrieval-bench-");
        String yaml = "dataDir: " + dir + "\ncluster: [{id: 1, host: 127.0.0.1, ports: {imap: " + imap + ", pop3: "
                + pop3 + ", smtp: 12525, submission: 12587, smtps: 12465, lmtp: 12424, metrics: 19090, http: 18443}}]\n"
                + "retrieval: {plaintextOnLoopback: true}\n";
        try (MailNode node = MailNode.start(ConfigLoader.parse(yaml, "bench"))) {
            node.directory().admin().addDomain("example.test");
            node.directory().admin().addUser(MailAddress.parse(USER), PASSWORD.toCharArray());
            node.directory().directory().refreshNow();
            UserLocation user = node.directory().directory().locate(MailAddress.parse(USER)).orElseThrow();
            long t0 = System.nanoTime();
            Mailboxes.fill(node.store(), SessionRouting.owner(user), messages, size);
            System.out.printf("READY %d messages of %d octets delivered in %.1f s; imap %d pop3 %d%n", messages, size,
                    (System.nanoTime() - t0) / 1e9, node.port("imap"), node.port("pop3"));
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the driver closes our stdin
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not remove " + dir + ": " + e);
            }
        }
    }
}
