package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clustermail deliver} as Postfix's pipe(8) or local(8) runs it: the packaged jar as a child process, a
 * message on stdin with LF line ends and local(8)'s envelope lines on top, the exit status and stderr read back.
 */
class DeliverProcessIT {

    private static final Path JAR = Path.of("target", "clustermail.jar");

    @TempDir
    Path dir;
    TestNode node;

    @BeforeEach
    void setUp() {
        node = new TestNode(dir);
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    record Run(int status, String out, String err) {
    }

    private Run deliver(String stdin, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", JAR.toAbsolutePath().toString(), "deliver"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("deliver did not finish in 60 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aMessageFromLocalIsStoredOnceWithItsSenderAndCanonicalLineEnds() throws Exception {
        String alice = node.addUser("alice");
        String fromLocal = "From bounce@sender.test  Sat Nov 28 05:00:00 2026\n"
                + "Return-Path: <bounce@sender.test>\nDelivered-To: alice@example.org\n"
                + "Subject: piped\n\nFirst line\n.\nlast line\n";
        Run r = deliver(fromLocal, "--to", alice, "--node", node.lmtp());
        assertThat(r).isEqualTo(new Run(0, "", ""));
        assertThat(node.inbox(alice)).singleElement().satisfies(m -> {
            assertThat(m).startsWith("Return-Path: <bounce@sender.test>\r\nDelivered-To: alice@example.org\r\n");
            assertThat(m).endsWith("Delivered-To: alice@example.org\r\nSubject: piped\r\n\r\nFirst line\r\n.\r\n"
                    + "last line\r\n");
            assertThat(m.split("Return-Path:", -1)).hasSize(2);
        });
    }

    @Test
    void failuresAreSysexitsWithOneLineAndNoStackTrace() throws Exception {
        Run unknown = deliver("Subject: x\n\ny\n", "--to", "nobody@example.org", "--node", node.lmtp());
        assertThat(unknown.status()).isEqualTo(67);
        assertThat(unknown.err()).startsWith("5.1.1 clustermail deliver: nobody@example.org: node said 550 5.1.1")
                .hasLineCount(1);
        String lmtp = node.lmtp();
        node.close();
        Run down = deliver("Subject: x\n\ny\n", "--to", "alice@example.org", "--node", lmtp);
        assertThat(down.status()).isEqualTo(75);
        assertThat(down.err()).startsWith("4.4.1 clustermail deliver: cannot reach node " + lmtp).hasLineCount(1);
        Run usage = deliver("Subject: x\n\ny\n");
        assertThat(usage.status()).isEqualTo(64);
        assertThat(usage.err()).hasLineCount(1).doesNotContain("Exception");
    }
}
