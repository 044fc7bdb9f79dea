package org.clustermail.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins and hostile input, on a node that allows no password before TLS (not even on loopback): LOGINDISABLED and
 * STARTTLS/STLS, the directory's lockout, bounded literals and lines, a literal never finished.
 */
class SecurityTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers(false);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void imapRefusesPasswordsBeforeStartTls() {
        try (ImapTestClient c = new ImapTestClient(node.imapPort())) {
            assertThat(c.greeting()).contains("STARTTLS", "LOGINDISABLED").doesNotContain("AUTH=PLAIN");
            assertThat(c.status("LOGIN fred@example.test secret")).startsWith("NO [PRIVACYREQUIRED]");
            assertThat(c.status("AUTHENTICATE PLAIN AGZyZWRAZXhhbXBsZS50ZXN0AHNlY3JldA==")).startsWith("NO");
            assertThat(c.status("STARTTLS")).startsWith("OK");
            c.startTls();
            List<String> caps = c.command("CAPABILITY");
            assertThat(caps.get(0)).contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED", "STARTTLS");
            assertThat(c.status("LOGIN fred@example.test secret")).startsWith("OK");
            assertThat(c.status("SELECT INBOX")).startsWith("OK [READ-WRITE]");
        }
    }

    @Test
    void pop3RefusesPasswordsBeforeStls() throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.pop3Port())) {
            s.setSoTimeout(5000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            assertThat(in.readLine()).startsWith("+OK");
            out.write("USER fred@example.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("-ERR [AUTH]");
            out.write("AUTH PLAIN AGZyZWRAZXhhbXBsZS50ZXN0AHNlY3JldA==\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("-ERR [AUTH]");
            out.write("STLS\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("+OK");
        }
    }

    @Test
    void lockoutAfterRepeatedFailuresRefusesEvenTheRightPassword() {
        node.addUser("target");
        try (ImapTestClient c = new ImapTestClient(node.imapPort())) {
            c.status("STARTTLS");
            c.startTls();
            for (int i = 0; i < 5; i++) {
                assertThat(c.status("LOGIN target@example.test wrong" + i)).startsWith("NO [AUTHENTICATIONFAILED]");
            }
            assertThat(c.status("LOGIN target@example.test secret")).startsWith("NO [AUTHENTICATIONFAILED]");
        }
    }

    @Test
    void boundedLiteralsAndLinesKeepTheSessionUsable() {
        try (ImapTestClient c = new ImapTestClient(node.imapPort())) {
            assertThat(c.status("NOOP {2000000}")).startsWith("NO [TOOBIG]");
            assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
            c.send("x " + "A".repeat(70_000));
            assertThat(c.readLine()).startsWith("* BAD command line too long");
            assertThat(c.status("NOOP")).isEqualTo("OK NOOP completed");
            c.write(new byte[] {'b', ' ', (byte) 0xff, 0, 1, '\r', '\n'});
            assertThat(c.readLine()).startsWith("b BAD");
            assertThat(c.status("LOGIN \"unterminated")).startsWith("BAD");
            assertThat(c.status("CAPABILITY")).isEqualTo("OK CAPABILITY completed");
        }
    }

    @Test
    void unfinishedLiteralTimesOutAndNonSynchronisingOverflowCloses() {
        try (ImapTestClient c = new ImapTestClient(node.imapPort())) {
            c.send("a1 APPEND INBOX {100}");
            assertThat(c.readLine()).startsWith("+");
            c.write("only a few bytes".getBytes(StandardCharsets.US_ASCII));
            // The test node gives a literal 2 seconds.
            assertThat(c.readLine()).startsWith("* BYE");
            assertThat(c.closedByServer()).isTrue();
        }
        try (ImapTestClient c = new ImapTestClient(node.imapPort())) {
            c.send("a1 APPEND INBOX {2000000+}");
            assertThat(c.readLine()).startsWith("* BYE");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
