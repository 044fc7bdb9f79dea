package org.clustermail.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.clustermail.protocol.FreePorts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clustermail deliver} in-process against a real node: each sysexits status with its one stderr line.
 * {@link DeliverProcessIT} runs the same command as a child process.
 */
class DeliverCommandTest {

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

    record Run(int status, String err) {
    }

    private static Run deliver(String stdin, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] full = new String[args.length + 1];
        full[0] = "deliver";
        System.arraycopy(args, 0, full, 1, args.length);
        int status = Main.execute(full, new ByteArrayInputStream(stdin.getBytes(UTF_8)),
                new PrintStream(new ByteArrayOutputStream(), true, UTF_8), new PrintStream(err, true, UTF_8));
        return new Run(status, err.toString(UTF_8));
    }

    @Test
    void deliversAndPrintsNothing() {
        String alice = node.addUser("alice");
        Run r = deliver("Subject: hi\n\nhello\n", "--to", alice, "--from", "x@sender.test", "--node", node.lmtp());
        assertThat(r).isEqualTo(new Run(0, ""));
        assertThat(node.inbox(alice)).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Return-Path: <x@sender.test>\r\nDelivered-To: alice@example.org\r\n")
                .contains("by node1.example.test (clustermail) with LMTP")
                .endsWith("Subject: hi\r\n\r\nhello\r\n"));
    }

    @Test
    void unknownAndDisabledUsersAre67() {
        Run unknown = deliver("Subject: hi\n\nx\n", "--to", "nobody@example.org", "--node", node.lmtp());
        assertThat(unknown.status()).as(unknown.err()).isEqualTo(67);
        assertThat(unknown.err()).matches("5\\.1\\.1 clustermail deliver: nobody@example\\.org: node said 550 "
                + "5\\.1\\.1 .*\n");
        String bob = node.addUser("bob");
        node.disable(bob);
        Run disabled = deliver("Subject: hi\n\nx\n", "--to", bob, "--node", node.lmtp());
        assertThat(disabled.status()).isEqualTo(67);
        assertThat(disabled.err()).startsWith("5.2.1 clustermail deliver: bob@example.org: node said 550 5.2.1");
        assertThat(deliver("Subject: hi\n\nx\n", "--to", "not an address", "--node", node.lmtp()).status())
                .isEqualTo(67);
    }

    @Test
    void anUnreachableNodeIs75SoTheMtaTriesAgain() throws IOException {
        int closed = FreePorts.pick(); // nothing listens there
        Run r = deliver("Subject: hi\n\nx\n", "--to", "alice@example.org", "--node", "127.0.0.1:" + closed);
        assertThat(r.status()).isEqualTo(75);
        assertThat(r.err()).startsWith("4.4.1 clustermail deliver: cannot reach node 127.0.0.1:" + closed + ": ")
                .hasLineCount(1);
    }

    @Test
    void badInputIs65AndBadUsageIs64InOneLine() {
        String alice = node.addUser("alice");
        assertThat(deliver("", "--to", alice, "--node", node.lmtp()))
                .isEqualTo(new Run(65, "5.6.0 clustermail deliver: empty message on stdin\n"));
        Run noTo = deliver("Subject: x\n\ny\n", "--node", node.lmtp());
        assertThat(noTo.status()).isEqualTo(64);
        assertThat(noTo.err()).isEqualTo("clustermail: Missing required option: '--to=ADDRESS'\n");
        assertThat(deliver("x\n", "--to", alice, "--node", "nonsense"))
                .isEqualTo(new Run(64, "5.3.5 clustermail deliver: --node must be HOST:PORT, got 'nonsense'\n"));
        assertThat(deliver("x\n", "--to", alice, "--from", "a b@c", "--node", node.lmtp()).status()).isEqualTo(64);
        assertThat(node.inbox(alice)).isEmpty();
    }
}
