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
import org.clustermail.store.MailboxOwner;

/**
 * A node of the retrieval benchmarks in this JVM: a fresh data directory, every listener on a free port, plain-text
 * login on loopback, and {@link RetrievalNode#USER}'s INBOX filled with {@code messages} messages. Closing it stops
 * the node and removes the directory.
 */
record FilledNode(Path dir, MailNode node, MailboxOwner owner) implements AutoCloseable {

    static FilledNode start(int messages, int size) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("retrieval-bench-");
        MailNode node = MailNode.start(ConfigLoader.parse("dataDir: " + dir
                + "\nretrieval: {plaintextOnLoopback: true}\n", "bench"), true);
        node.directory().admin().addDomain("example.test");
        node.directory().admin().addUser(MailAddress.parse(RetrievalNode.USER), RetrievalNode.PASSWORD.toCharArray());
        node.directory().directory().refreshNow();
        UserLocation user = node.directory().directory().locate(MailAddress.parse(RetrievalNode.USER)).orElseThrow();
        MailboxOwner owner = SessionRouting.owner(user);
        Mailboxes.fill(node.store(), owner, messages, size);
        return new FilledNode(dir, node, owner);
    }

    @Override
    public void close() throws IOException {
        node.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
