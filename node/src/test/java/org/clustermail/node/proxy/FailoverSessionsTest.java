package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clustermail.directory.NodeId;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.clients.ClientProcesses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a user's primary node is down, the user's sessions are served by the secondary node, where the mail held
 * for the user can be read, whichever node the client reached; when the primary is back they are served there again.
 */
class FailoverSessionsTest {

    @TempDir
    Path dir;

    @Test
    void aFailedConnectToTheDeadOwnerSendsTheSessionToTheSecondaryAtOnce() {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3, Duration.ofHours(1))) {
            String user = cluster.user(1, 2);
            cluster.stop(1); // no probe will notice for an hour: only the proxy's failed connect does
            try (ImapTestClient viaThird = new ImapTestClient(cluster.port(3, "imap"))) {
                assertThat(viaThird.status("LOGIN " + user + " " + InProcessCluster.PASSWORD)).startsWith("OK");
                assertThat(cluster.node(3).cluster().health().isUp(NodeId.of(1))).isFalse();
                assertThat(viaThird.command("SELECT INBOX")).contains("* 0 EXISTS");
                viaThird.send("i IDLE");
                assertThat(viaThird.readLine()).startsWith("+ ");
                SmtpDrop.send(cluster.port(3, "smtp"), user, "held while the owner is down");
                assertThat(viaThird.readLine()).isEqualTo("* 1 EXISTS");
                assertThat(viaThird.readLine()).isEqualTo("* 1 RECENT");
                viaThird.send("DONE");
                assertThat(viaThird.readLine()).startsWith("i OK");
            }
            assertThat(cluster.inbox(2, user)).singleElement().asString().contains("held while the owner is down");
            try (ImapTestClient onSecondary = new ImapTestClient(cluster.port(2, "imap"))) {
                // The secondary itself still believes the owner up: its own failed connect brings the session home.
                assertThat(onSecondary.status("LOGIN " + user + " " + InProcessCluster.PASSWORD)).startsWith("OK");
                assertThat(onSecondary.command("SELECT INBOX")).contains("* 1 EXISTS", "* 0 RECENT");
            }
        }
    }

    @Test
    void heldMailIsReadOnTheSecondaryThroughAnyNodeAndTheOwnerServesItAfterItsReturn() throws Exception {
        try (InProcessCluster cluster = new InProcessCluster(dir, 3, Duration.ofMillis(200))) {
            String user = cluster.user(1, 2);
            SmtpDrop.send(cluster.port(2, "smtp"), user, "before the failure");
            cluster.stop(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> !cluster.node(3).cluster().health().isUp(NodeId.of(1))
                    && !cluster.node(2).cluster().health().isUp(NodeId.of(1)));
            SmtpDrop.send(cluster.port(3, "smtp"), user, "during the failure");
            String script = """
                    import imaplib, poplib, sys
                    imap, pop3, user, pw, subjects = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5:]
                    m = imaplib.IMAP4('127.0.0.1', imap)
                    m.login(user, pw)
                    typ, data = m.select('INBOX', readonly=True)
                    typ, data = m.fetch('1:*', '(BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
                    got = [x[1].decode().strip() for x in data if isinstance(x, tuple)]
                    assert got == ['Subject: ' + s for s in subjects], got
                    m.logout()
                    p = poplib.POP3('127.0.0.1', pop3)
                    p.user(user); p.pass_(pw)
                    assert p.stat()[0] == len(subjects), p.stat()
                    p.quit()
                    print('read', len(subjects))
                    """;
            assertThat(ClientProcesses.python(script, cluster.port(3, "imap"), cluster.port(3, "pop3"), user,
                    InProcessCluster.PASSWORD, "during the failure")).contains("read 1");

            cluster.start(1);
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.inbox(1, user).size() == 2
                    && cluster.inbox(2, user).isEmpty());
            assertThat(ClientProcesses.python(script, cluster.port(3, "imap"), cluster.port(2, "pop3"), user,
                    InProcessCluster.PASSWORD, "before the failure", "during the failure")).contains("read 2");
            assertThat(List.of(cluster.node(3).cluster().health().isUp(NodeId.of(1)))).containsExactly(true);
        }
    }
}
