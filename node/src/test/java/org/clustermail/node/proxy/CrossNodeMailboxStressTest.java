package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.MailNode;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.MailboxStress;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link MailboxStress} across nodes: two sessions on each of three nodes (on the owner, and proxied from the two
 * others) append, flag, expunge and fetch the same mailbox while mail for it arrives over SMTP at a third node; every
 * session's announcements must stay consistent with its model and, at the end, with the owner's store.
 */
class CrossNodeMailboxStressTest {

    @TempDir
    Path dir;

    @Test
    void sessionsOnDifferentNodesSeeOneConsistentMailbox() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3, Duration.ofSeconds(1))) {
            String user = cluster.user(1, 2);
            for (int i = 0; i < 10; i++) {
                SmtpDrop.send(cluster.port(2, "smtp"), user, "seed " + i);
            }
            List<ImapTestClient> clients = new ArrayList<>();
            for (int node : new int[] {1, 2, 3, 1, 2, 3}) {
                ImapTestClient c = new ImapTestClient(cluster.port(node, "imap"));
                assertThat(c.status("LOGIN " + user + " " + InProcessCluster.PASSWORD)).startsWith("OK");
                clients.add(c);
            }
            CompletableFuture<Void> arrivals = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 20; i++) {
                    SmtpDrop.send(cluster.port(3, "smtp"), user, "arrival " + i);
                }
            });
            MailboxStress.run(clients, 120, () -> {
                arrivals.join(); // and a failed delivery fails the test
                MailNode owner = cluster.node(1);
                UserLocation where = owner.directory().directory().locate(MailAddress.parse(user)).orElseThrow();
                try (Mailbox mailbox = owner.store().open(new MailboxOwner(user, where.serial()))) {
                    return mailbox.snapshot(Mailbox.INBOX).messages();
                }
            });
        }
    }
}
