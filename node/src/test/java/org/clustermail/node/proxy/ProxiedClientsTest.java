package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.clustermail.retrieval.clients.ClientProcesses;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real clients (Python's imaplib and poplib, Angus Mail, curl) connected to a node that does not own the user's
 * mailbox: everything they do happens in the owner's store, as if they had connected there.
 */
class ProxiedClientsTest {

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
    void pythonImaplibThroughANonOwnerNode() throws Exception {
        String user = cluster.user(1, 2);
        SmtpDrop.send(cluster.port(3, "smtp"), user, "py one");
        SmtpDrop.send(cluster.port(3, "smtp"), user, "py two");
        String out = ClientProcesses.python("""
                import imaplib, sys
                port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                m = imaplib.IMAP4('127.0.0.1', port)
                assert 'IDLE' in m.capabilities and 'AUTH=PLAIN' in m.capabilities, m.capabilities
                m.login(user, pw)
                typ, data = m.select('INBOX')
                assert typ == 'OK' and data == [b'2'], data
                typ, data = m.fetch('1:*', '(UID BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
                subjects = [x[1] for x in data if isinstance(x, tuple)]
                assert subjects == [b'Subject: py one\\r\\n\\r\\n', b'Subject: py two\\r\\n\\r\\n'], subjects
                typ, data = m.fetch('2', '(RFC822)')
                assert b'body of py two' in data[0][1], data
                m.store('1', '+FLAGS', '\\\\Deleted')
                typ, data = m.expunge()
                assert data == [b'1'], data
                typ, data = m.append('INBOX', '(\\\\Seen)', None, b'Subject: appended via proxy\\r\\n\\r\\nhi\\r\\n')
                assert typ == 'OK' and b'APPENDUID' in data[0], data
                typ, data = m.uid('SEARCH', None, 'ALL')
                assert len(data[0].split()) == 2, data
                typ, data = m.logout()
                assert typ == 'BYE', (typ, data)
                print('imaplib ok')
                """, cluster.port(2, "imap"), user, InProcessCluster.PASSWORD);
        assertThat(out).contains("imaplib ok");
        assertThat(cluster.inbox(1, user)).hasSize(2).anySatisfy(m -> assertThat(m).contains("appended via proxy"))
                .noneSatisfy(m -> assertThat(m).contains("py one"));
    }

    @Test
    void pythonPoplibThroughANonOwnerNodeDeletesAtQuitAndTheMaildropIsExclusiveAcrossNodes() throws Exception {
        String user = cluster.user(2, 1);
        SmtpDrop.send(cluster.port(1, "smtp"), user, "pop a");
        SmtpDrop.send(cluster.port(1, "smtp"), user, "pop b");
        String out = ClientProcesses.python("""
                import poplib, sys
                front, other, user, pw = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
                p = poplib.POP3('127.0.0.1', front)
                caps = p.capa()
                assert 'UIDL' in caps and 'TOP' in caps, caps
                p.user(user); p.pass_(pw)
                n, size = p.stat()
                assert n == 2, n
                resp, lines, octets = p.retr(2)
                assert b'body of pop b' in lines, lines
                resp, lines, octets = p.top(1, 0)
                assert b'Subject: pop a' in lines, lines
                q = poplib.POP3('127.0.0.1', other)
                q.user(user)
                try:
                    q.pass_(pw)
                    raise SystemExit('a second session on another node got the maildrop')
                except poplib.error_proto as e:
                    assert b'[IN-USE]' in e.args[0], e
                q.quit()
                p.dele(1)
                p.quit()
                p = poplib.POP3('127.0.0.1', other)
                p.user(user); p.pass_(pw)
                assert p.stat()[0] == 1
                p.quit()
                print('poplib ok')
                """, cluster.port(3, "pop3"), cluster.port(1, "pop3"), user, InProcessCluster.PASSWORD);
        assertThat(out).contains("poplib ok");
        assertThat(cluster.inbox(2, user)).singleElement().asString().contains("pop b");
    }

    @Test
    void implicitTlsListenersAreProxiedToo() throws Exception {
        String user = cluster.user(3, 1);
        SmtpDrop.send(cluster.port(3, "smtp"), user, "over tls");
        String out = ClientProcesses.python("""
                import imaplib, poplib, ssl, sys
                imaps, pop3s, user, pw = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
                ctx = ssl._create_unverified_context()
                m = imaplib.IMAP4_SSL('127.0.0.1', imaps, ssl_context=ctx)
                m.login(user, pw)
                typ, data = m.select('INBOX', readonly=True)
                assert data == [b'1'], data
                typ, data = m.fetch('1', '(BODY.PEEK[TEXT])')
                assert b'body of over tls' in data[0][1], data
                m.logout()
                p = poplib.POP3_SSL('127.0.0.1', pop3s, context=ctx)
                p.user(user); p.pass_(pw)
                assert p.stat()[0] == 1
                p.quit()
                print('tls ok')
                """, cluster.port(1, "imaps"), cluster.port(2, "pop3s"), user, InProcessCluster.PASSWORD);
        assertThat(out).contains("tls ok");
    }

    @Test
    void angusMailImapAndPop3ThroughANonOwnerNode() throws Exception {
        String user = cluster.user(1, 3);
        SmtpDrop.send(cluster.port(1, "smtp"), user, "angus one");
        SmtpDrop.send(cluster.port(1, "smtp"), user, "angus two");
        Store imap = connect("imap", cluster.port(2, "imap"), user);
        try {
            IMAPFolder inbox = (IMAPFolder) imap.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] messages = inbox.getMessages();
            assertThat(messages).extracting(Message::getSubject).containsExactly("angus one", "angus two");
            assertThat((String) messages[1].getContent()).contains("body of angus two");
            messages[0].setFlag(Flags.Flag.FLAGGED, true);
            Folder archive = imap.getFolder("Archive");
            assertThat(archive.create(Folder.HOLDS_MESSAGES)).isTrue();
            inbox.moveMessages(new Message[] {messages[1]}, archive);
            MimeMessage draft = new MimeMessage(Session.getInstance(new Properties()));
            draft.setSubject("draft through the proxy");
            draft.setText("body");
            imap.getFolder("Drafts").appendMessages(new Message[] {draft});
            inbox.close(false);
            assertThat(imap.getFolder("Archive").getMessageCount()).isEqualTo(1);
        } finally {
            imap.close();
        }
        Store pop3 = connect("pop3", cluster.port(3, "pop3"), user);
        try {
            Folder inbox = pop3.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertThat(inbox.getMessages()).extracting(Message::getSubject).containsExactly("angus one");
            inbox.getMessage(1).setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        } finally {
            pop3.close();
        }
        assertThat(cluster.inbox(1, user)).isEmpty();
    }

    @Test
    void curlThroughANonOwnerNode() throws Exception {
        String user = cluster.user(2, 3);
        SmtpDrop.send(cluster.port(2, "smtp"), user, "curl me");
        String login = user + ":" + InProcessCluster.PASSWORD;
        assertThat(ClientProcesses.run(List.of("curl", "-sS", "--max-time", "20", "-u", login,
                "imap://127.0.0.1:" + cluster.port(1, "imap") + "/INBOX;UID=1"))).contains("body of curl me");
        assertThat(ClientProcesses.run(List.of("curl", "-sS", "--max-time", "20", "-u", login,
                "pop3://127.0.0.1:" + cluster.port(3, "pop3") + "/1"))).contains("Subject: curl me");
    }

    private static Store connect(String protocol, int port, String user) throws MessagingException {
        Properties p = new Properties();
        p.put("mail." + protocol + ".connectiontimeout", "5000");
        p.put("mail." + protocol + ".timeout", "10000");
        Store store = Session.getInstance(p).getStore(protocol);
        store.connect("127.0.0.1", port, user, InProcessCluster.PASSWORD);
        return store;
    }
}
