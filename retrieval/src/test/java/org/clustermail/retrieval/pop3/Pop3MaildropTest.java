package org.clustermail.retrieval.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.clustermail.retrieval.TestServers;
import org.clustermail.store.Mailbox;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POP3's maildrop rules (RFC 1939): one session at a time, deletions only when the client QUITs. */
class Pop3MaildropTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aSecondSessionIsRefusedWhileTheFirstHoldsTheMaildrop() throws IOException {
        node.addUser("popper");
        node.deliver("popper", TestServers.message("one", 200));
        try (Client first = new Client(); Client second = new Client()) {
            assertThat(first.login("popper")).isEqualTo("+OK maildrop has 1 messages");
            assertThat(second.login("popper")).startsWith("-ERR [IN-USE]");
            assertThat(second.command("STAT")).startsWith("-ERR"); // still not logged in, still usable
            first.command("QUIT");
            assertThat(second.login("popper")).isEqualTo("+OK maildrop has 1 messages");
        }
    }

    @Test
    void deletionsAreAppliedOnlyAtQuit() throws IOException {
        node.addUser("dropper");
        node.deliver("dropper", TestServers.message("keep me", 200));
        node.deliver("dropper", TestServers.message("delete me", 200));
        try (Client c = new Client()) {
            c.login("dropper");
            assertThat(c.command("DELE 2")).startsWith("+OK");
        } // connection dropped without QUIT: nothing is deleted
        assertThat(count("dropper")).isEqualTo(2);
        try (Client c = new Client()) {
            // The dropped session releases the maildrop as soon as the server sees the close.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> c.login("dropper").startsWith("+OK"));
            c.command("DELE 2");
            assertThat(count("dropper")).as("not before QUIT").isEqualTo(2);
            assertThat(c.command("QUIT")).isEqualTo("+OK bye");
        }
        assertThat(count("dropper")).isEqualTo(1);
    }

    private static int count(String user) {
        try (Mailbox mailbox = node.open(user)) {
            return mailbox.snapshot("INBOX").messages().size();
        }
    }

    private static final class Client implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Client() throws IOException {
            socket = new Socket("127.0.0.1", node.pop3Port());
            socket.setSoTimeout(10_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            out = socket.getOutputStream();
            in.readLine();
        }

        String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return in.readLine();
        }

        String login(String user) throws IOException {
            command("USER " + TestServers.address(user));
            return command("PASS " + TestServers.PASSWORD);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
