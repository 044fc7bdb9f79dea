package org.clustermail.retrieval.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.clustermail.retrieval.TestServers;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;
import org.clustermail.store.SystemFlag;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real command-line clients against a real node: Python's imaplib and poplib (scripts that assert and exit non-zero
 * on any surprise) and curl's {@code imap://} and {@code pop3://}. The programs must be installed (CI installs them).
 */
class CommandLineClientsTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        return ClientProcesses.run(command);
    }

    private static String python(String script, Object... args) throws IOException, InterruptedException {
        return ClientProcesses.python(script, args);
    }

    @Test
    void pythonImaplib() throws Exception {
        node.addUser("pyimap");
        node.deliver("pyimap", TestServers.message("py one", 300));
        node.deliver("pyimap", TestServers.message("py two", 300));
        String out = python("""
                import imaplib, sys
                port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                m = imaplib.IMAP4('127.0.0.1', port)
                assert 'IDLE' in m.capabilities and 'UIDPLUS' in m.capabilities, m.capabilities
                m.login(user, pw)
                typ, data = m.select('INBOX')
                assert typ == 'OK' and data == [b'2'], data
                typ, data = m.fetch('1:*', '(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
                subjects = [x[1] for x in data if isinstance(x, tuple)]
                assert subjects == [b'Subject: py one\\r\\n\\r\\n', b'Subject: py two\\r\\n\\r\\n'], subjects
                typ, data = m.fetch('2', '(RFC822)')
                assert b'line 1 of py two' in data[0][1]
                typ, data = m.search(None, 'SEEN')
                assert data == [b'2'], data
                m.store('1', '+FLAGS', '\\\\Deleted')
                typ, data = m.expunge()
                assert data == [b'1'], data
                typ, data = m.uid('SEARCH', None, 'ALL')
                assert data == [b'2'], data
                typ, data = m.append('INBOX', '(\\\\Seen)', None, b'Subject: appended\\r\\n\\r\\nhi\\r\\n')
                assert typ == 'OK' and b'APPENDUID' in data[0], data
                typ, data = m.status('INBOX', '(MESSAGES UNSEEN)')
                assert data == [b'"INBOX" (MESSAGES 2 UNSEEN 0)'], data
                typ, data = m.list()
                assert any(b'"INBOX"' in x for x in data), data
                m.logout()
                print('imaplib ok')
                """, node.imapPort(), TestServers.address("pyimap"), TestServers.PASSWORD);
        assertThat(out).contains("imaplib ok");
    }

    @Test
    void pythonPoplib() throws Exception {
        node.addUser("pypop");
        node.deliver("pypop", TestServers.message("pop a", 300));
        node.deliver("pypop", ".dot line first\r\n\r\n.dotted body\r\n");
        String out = python("""
                import poplib, sys
                port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
                p = poplib.POP3('127.0.0.1', port)
                caps = p.capa()
                assert 'UIDL' in caps and 'TOP' in caps, caps
                p.user(user); p.pass_(pw)
                n, size = p.stat()
                assert n == 2, n
                resp, lines, octets = p.retr(2)
                assert lines == [b'.dot line first', b'', b'.dotted body'], lines
                resp, lines, octets = p.top(1, 0)
                assert b'Subject: pop a' in lines and lines[-1] == b'', lines
                resp, uids, _ = p.uidl()
                assert len(uids) == 2, uids
                p.dele(1)
                p.quit()
                p = poplib.POP3('127.0.0.1', port)
                p.user(user); p.pass_(pw)
                assert p.stat()[0] == 1
                p.quit()
                print('poplib ok')
                """, node.pop3Port(), TestServers.address("pypop"), TestServers.PASSWORD);
        assertThat(out).contains("poplib ok");
    }

    @Test
    void curlImapAndPop3() throws Exception {
        node.addUser("curly");
        node.deliver("curly", TestServers.message("curl me", 300));
        String login = TestServers.address("curly") + ":" + TestServers.PASSWORD;
        String base = "imap://127.0.0.1:" + node.imapPort();
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "-u", login, base + "/INBOX;UID=1")))
                .contains("Subject: curl me").contains("line 2 of curl me");
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "-u", login, base + "/")))
                .contains("\"INBOX\"").contains("Trash");
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "-u", login, base + "/INBOX", "-X", "SEARCH SEEN")))
                .contains("* SEARCH 1");
        String pop = "pop3://127.0.0.1:" + node.pop3Port();
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "-u", login, pop + "/1")))
                .contains("Subject: curl me");
        assertThat(run(List.of("curl", "-sS", "--max-time", "20", "-u", login, pop + "/"))).matches("(?s)1 \\d+\\s*");
        try (Mailbox mailbox = node.open("curly")) {
            MessageRef m = mailbox.snapshot("INBOX").messages().get(0);
            assertThat(m.flags().has(SystemFlag.SEEN)).isTrue();
        }
    }
}
