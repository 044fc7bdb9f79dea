package org.clustermail.postfix.socketmap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.clustermail.directory.UserLocation;
import org.clustermail.postfix.TestDirectory;
import org.clustermail.postfix.instance.PostfixBinaries;
import org.clustermail.protocol.Listener;
import org.clustermail.protocol.ListenerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The socketmap server on a real loopback listener: raw netstrings (pipelined, broken), graceful stop with an idle
 * client, and Postfix's own socketmap client ({@code postmap -q}), which the CI machine installs.
 */
class SocketmapServerTest {

    @TempDir
    Path dir;
    TestDirectory directory;
    Listener listener;
    UserLocation alice;

    @BeforeEach
    void setUp() throws IOException {
        directory = new TestDirectory(dir);
        alice = directory.addUser("alice");
        directory.addUser("bob");
        directory.disable("bob");
        listener = new Listener(ListenerConfig.of("socketmap", "127.0.0.1", 0),
                new SocketmapServer(new RecipientTables(directory.service.directory())), Optional.empty());
        listener.start();
    }

    @AfterEach
    void tearDown() {
        listener.stop(Duration.ofSeconds(2));
        directory.close();
    }

    @Test
    void pipelinedRequestsGetTheirRepliesInOrderOnOneConnection() throws IOException {
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(ns("mailbox alice@example.org", "mailbox bob@example.org",
                    "domain example.org", "nothing", "aliases x@y.z"));
            String node = alice.primary().directoryName();
            String expected = new String(ns("OK " + node, "NOTFOUND ", "OK example.org",
                    "PERM request must be 'name key'",
                    "PERM no map named aliases; maps: [domain, mailbox, recipient-access]"), US_ASCII);
            assertThat(read(s.getInputStream(), expected.length())).isEqualTo(expected);
        }
    }

    @Test
    void brokenFramingGetsPermAndTheConnectionCloses() throws IOException {
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("99999:".getBytes(US_ASCII));
            String reply = new String(s.getInputStream().readAllBytes(), US_ASCII);
            assertThat(reply).isEqualTo("48:PERM request of 99999 octets is longer than 4096,");
        }
    }

    @Test
    void stopEndsAnIdleClientsConnectionWithoutWaitingForTheGracePeriod() throws IOException {
        try (Socket s = new Socket("127.0.0.1", listener.port())) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(ns("domain example.org"));
            assertThat(read(s.getInputStream(), 18)).isEqualTo("14:OK example.org,");
            long start = System.nanoTime();
            listener.stop(Duration.ofSeconds(20));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void postfixsOwnSocketmapClientGetsTheAnswers() throws Exception {
        String map = "socketmap:inet:127.0.0.1:" + listener.port() + ":";
        assertThat(postmap("alice@example.org", map + "mailbox")).isEqualTo(new Result(0,
                alice.primary().directoryName()));
        assertThat(postmap("nobody@example.org", map + "mailbox")).isEqualTo(new Result(1, ""));
        assertThat(postmap("bob@example.org", map + "mailbox")).isEqualTo(new Result(1, ""));
        assertThat(postmap("example.org", map + "domain")).isEqualTo(new Result(0, "example.org"));
        assertThat(postmap("bob@example.org", map + "recipient-access"))
                .isEqualTo(new Result(0, "550 5.2.1 Mailbox disabled"));
    }

    record Result(int status, String out) {
    }

    /** {@code postmap -q KEY MAP}: status 0 and the value when found, 1 when not found. */
    private Result postmap(String key, String map) throws Exception {
        Path config = PostfixBinaries.emptyConfigDirectory(dir.resolve("postmap-config"));
        Process p = new ProcessBuilder(PostfixBinaries.require("postmap"), "-c", config.toString(), "-q", key, map)
                .redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("postmap did not finish");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }

    /** The netstrings of {@code texts}, back to back. */
    private static byte[] ns(String... texts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String t : texts) {
            out.writeBytes(Netstrings.encode(t));
        }
        return out.toByteArray();
    }

    private static String read(InputStream in, int n) throws IOException {
        return new String(in.readNBytes(n), US_ASCII);
    }
}
