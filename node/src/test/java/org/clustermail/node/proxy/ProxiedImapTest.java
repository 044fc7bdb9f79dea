package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.proxy.AccessProtocol;
import org.clustermail.retrieval.proxy.ProxyTickets;
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

    @Test
    void idleThroughTheProxyHearsADeliveryAtOnceAndSynchronisingLiteralsWaitForTheOwnersGoAhead() {
        String user = cluster.user(2, 3);
        try (ImapTestClient c = new ImapTestClient(cluster.port(1, "imap"))) {
            assertThat(c.status("LOGIN " + user + " " + InProcessCluster.PASSWORD)).startsWith("OK");
            assertThat(c.command("SELECT INBOX")).contains("* 0 EXISTS");
            c.send("i1 IDLE");
            assertThat(c.readLine()).startsWith("+ ");
            SmtpDrop.send(cluster.port(3, "smtp"), user, "while idling");
            assertThat(c.readLine()).isEqualTo("* 1 EXISTS");
            assertThat(c.readLine()).as("recent in this session, on the owner").isEqualTo("* 1 RECENT");
            c.send("DONE");
            assertThat(c.readLine()).startsWith("i1 OK");

            String message = "Subject: synchronising\r\n\r\nwaited for +\r\n";
            c.send("a1 APPEND INBOX {" + message.length() + "}");
            assertThat(c.readLine()).startsWith("+ ");
            c.write((message + "\r\n").getBytes(StandardCharsets.UTF_8));
            List<String> appended = c.readUntilTagged("a1");
            assertThat(appended).containsSubsequence("* 2 EXISTS", "* 2 RECENT");
            assertThat(appended.get(appended.size() - 1)).startsWith("a1 OK [APPENDUID");
            c.send("c1 CAPABILITY");
            assertThat(c.readUntilTagged("c1")).first().asString().startsWith("* CAPABILITY IMAP4rev1")
                    .contains("IDLE").doesNotContain("STARTTLS");
        }
        assertThat(cluster.inbox(2, user)).hasSize(2);
    }

    @Test
    void startTlsEndsAtTheFrontAndTheFrontRecordsTheLogon() {
        String user = cluster.user(1, 3);
        try (ImapTestClient c = new ImapTestClient(cluster.port(2, "imap"))) {
            assertThat(c.status("STARTTLS")).startsWith("OK");
            c.startTls();
            assertThat(c.status("LOGIN " + user + " wrong-password")).startsWith("NO [AUTHENTICATIONFAILED]");
            assertThat(c.status("LOGIN " + user + " " + InProcessCluster.PASSWORD)).startsWith("OK [CAPABILITY");
            assertThat(c.command("STATUS INBOX (MESSAGES)")).contains("* STATUS \"INBOX\" (MESSAGES 0)");
        }
        cluster.node(2).directory().flushLogons();
        var logon = cluster.node(1).directory().admin().lastSuccessfulLogon(MailAddress.parse(user)).orElseThrow();
        assertThat(logon.protocol()).isEqualTo("imap");
        assertThat(logon.remoteAddress()).isEqualTo("127.0.0.1");
        assertThat(cluster.node(1).directory().admin().recentFailures(MailAddress.parse(user), 10)).hasSize(1);
    }

    @Test
    void theOwnerTakesATicketOnceOnlyForItselfAndOnlyFromAClusterNode() throws IOException {
        String user = cluster.user(1, 2);
        ProxyTickets tickets = new ProxyTickets(InProcessCluster.SECRET, Clock.systemUTC());
        String forNode1 = tickets.issue(AccessProtocol.IMAP, NodeId.of(3), NodeId.of(1), user);
        String forNode2 = tickets.issue(AccessProtocol.IMAP, NodeId.of(3), NodeId.of(2), user);
        String forged = new ProxyTickets("another-secret-that-is-long-enough-0123456789", Clock.systemUTC())
                .issue(AccessProtocol.IMAP, NodeId.of(3), NodeId.of(1), user);
        int owner = cluster.port(1, "imap");
        assertThat(ticketLogin(owner, user, "node03", forged)).startsWith("NO [AUTHORIZATIONFAILED]");
        assertThat(ticketLogin(owner, user, "node03", forNode2)).startsWith("NO [AUTHORIZATIONFAILED]");
        assertThat(ticketLogin(owner, user, "node02", forNode1)).as("issued by another node")
                .startsWith("NO [AUTHORIZATIONFAILED]");
        assertThat(ticketLogin(owner, user, "node03", forNode1)).startsWith("OK [CAPABILITY");
        assertThat(ticketLogin(owner, user, "node03", forNode1)).as("replayed").startsWith("NO [AUTHORIZATIONFAILED]");
        String fresh = tickets.issue(AccessProtocol.IMAP, NodeId.of(3), NodeId.of(1), user);
        assertThat(ticketLoginFrom("127.0.0.2", owner, user, "node03", fresh)).as("from an address not in the cluster")
                .startsWith("a NO [AUTHORIZATIONFAILED]");
        String pop3Ticket = tickets.issue(AccessProtocol.POP3, NodeId.of(3), NodeId.of(1), user);
        assertThat(ticketLogin(owner, user, "node03", pop3Ticket)).as("for POP3").startsWith("NO [AUTHORIZATIONFAILED]");
    }

    private static String ticketLogin(int port, String user, String identity, String ticket) {
        try (ImapTestClient c = new ImapTestClient(port)) {
            return c.status("AUTHENTICATE PLAIN " + plain(user, identity, ticket));
        }
    }

    /** The same from another local address (the cluster's nodes are all on 127.0.0.1). */
    private static String ticketLoginFrom(String source, int port, String user, String identity, String ticket)
            throws IOException {
        try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(source), 0)) {
            s.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("* OK");
            s.getOutputStream().write(("a AUTHENTICATE PLAIN " + plain(user, identity, ticket) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            return in.readLine();
        }
    }

    private static String plain(String user, String identity, String ticket) {
        return Base64.getEncoder().encodeToString((user + "\0" + identity + "\0" + ticket)
                .getBytes(StandardCharsets.UTF_8));
    }
}
