package org.clustermail.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.clustermail.node.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow on one node: a message in over SMTP, read back over IMAP and POP3 from the node's listeners. */
class MailNodeRetrievalTest {

    @TempDir
    Path dir;

    @Test
    void mailInOverSmtpComesOutOverImapAndPop3() throws Exception {
        String yaml = "dataDir: " + dir.resolve("data") + "\nsmtp: {hostname: mx.example.test}\n"
                + "retrieval: {plaintextOnLoopback: true}\n";
        try (MailNode node = MailNode.start(ConfigLoader.parse(yaml, "test"), true)) {
            DemoSetup.Account demo = DemoSetup.ensure(node.directory()).orElseThrow();
            try (TextClient smtp = new TextClient(node.port("smtp"))) {
                smtp.skipTo("220 ");
                smtp.send("EHLO me\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<demo@example.test>\r\nDATA\r\n");
                smtp.skipTo("354");
                smtp.send("Subject: round trip\r\n\r\nhello over IMAP\r\n.\r\nQUIT\r\n");
                smtp.skipTo("250 2.0.0");
            }
            try (TextClient imap = new TextClient(node.port("imap"))) {
                assertThat(imap.line()).startsWith("* OK [CAPABILITY IMAP4rev1").contains("AUTH=PLAIN");
                imap.send("a LOGIN " + demo.address() + " " + demo.password() + "\r\n");
                assertThat(imap.skipTo("a ")).startsWith("a OK");
                imap.send("b SELECT INBOX\r\n");
                assertThat(imap.skipTo("* 1 EXISTS")).isEqualTo("* 1 EXISTS");
                imap.skipTo("b OK");
                imap.send("c FETCH 1 (BODY.PEEK[HEADER.FIELDS (Subject)])\r\n");
                imap.skipTo("Subject: round trip");
                imap.skipTo("c OK");
            }
            try (TextClient pop3 = new TextClient(node.port("pop3"))) {
                assertThat(pop3.line()).startsWith("+OK");
                pop3.send("USER " + demo.address() + "\r\nPASS " + demo.password() + "\r\n");
                pop3.skipTo("+OK send PASS");
                assertThat(pop3.line()).isEqualTo("+OK maildrop has 1 messages");
                pop3.send("RETR 1\r\n");
                pop3.skipTo("hello over IMAP");
                assertThat(pop3.line()).isEqualTo(".");
                pop3.send("QUIT\r\n");
                assertThat(pop3.line()).isEqualTo("+OK bye");
            }
        }
    }
}
