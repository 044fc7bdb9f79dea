package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clustermail.retrieval.ImapTestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP sessions reached through a node that does not own the mailbox, at the protocol level: what the front says
 * itself (greeting, capabilities, the login's reply) and what the owner node says through it (everything after the
 * login: literals, IDLE, LOGOUT).
 */
class ProxiedImapTest {

    @TempDir
    static Path dir;
    static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(dir, 3, Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aSessionOnANonOwnerNodeIsServedByTheOwner() {
        String user = cluster.user(1, 2);
        try (ImapTestClient c = new ImapTestClient(cluster.port(3, "imap"))) {
            assertThat(c.greeting()).startsWith("* OK [CAPABILITY IMAP4rev1").contains("AUTH=PLAIN")
                    .contains("node3.example.test");
            List<String> login = c.command("LOGIN " + user + " " + InProcessCluster.PASSWORD);
            assertThat(login.get(login.size() - 1)).startsWith("t1 OK [CAPABILITY IMAP4rev1").doesNotContain("AUTH=");
            assertThat(c.status("APPEND INBOX {25+}\r\nSubject: via node 3\r\n\r\nhi")).startsWith("OK [APPENDUID");
            assertThat(c.command("SELECT INBOX")).contains("* 1 EXISTS");
            assertThat(String.join("\n", c.command("FETCH 1 (BODY.PEEK[HEADER.FIELDS (SUBJECT)])")))
                    .contains("Subject: via node 3");
            List<String> logout = c.command("LOGOUT");
            assertThat(logout).first().asString().startsWith("* BYE");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(cluster.inbox(1, user)).singleElement().asString().contains("Subject: via node 3");
    }
}
