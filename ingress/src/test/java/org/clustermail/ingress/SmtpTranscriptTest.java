package org.clustermail.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP over raw sockets: the conversation byte for byte, including what misbehaving clients send. */
class SmtpTranscriptTest {

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new TestServer(dir, s -> s.withMaxMessageSize(64 * 1024).withMaxRecipients(3)
                .withDataTimeout(Duration.ofMillis(800)).withMemoryThreshold(1024).withMaxErrors(5), l -> l);
        server.addUsers("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hank", "ivy", "off", "pipe");
        server.disable("off");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient greeted() throws IOException {
        RawClient c = RawClient.connect(server.smtp.port());
        c.expect("220 mx.example.test ESMTP");
        c.command("EHLO client.example", "250 HELP");
        return c;
    }

    @Test
    void deliversWithTraceHeadersAndUndoesDotStuffing() throws IOException {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<sender@elsewhere.example>", "250 2.1.0");
            c.command("RCPT TO:<Alice@Example.TEST>", "250 2.1.5");
            c.command("DATA", "354");
            c.send("Subject: hi\r\n\r\n..leading dot\r\nbody\r\n.\r\n");
            String reply = c.reply();
            assertThat(reply).startsWith("250 2.0.0 Ok: stored as ");
            c.command("QUIT", "221 2.0.0");
            assertThat(c.closedByServer()).isTrue();
            String id = reply.substring(reply.lastIndexOf(' ') + 1);
            assertThat(server.inbox("alice")).singleElement().satisfies(m -> {
                assertThat(m).startsWith("Return-Path: <sender@elsewhere.example>\r\nDelivered-To: alice@example.test\r\n"
                        + "Received: from client.example ([127.0.0.1])\r\n\tby mx.example.test (clustermail) with ESMTP id "
                        + id + "\r\n\tfor <alice@example.test>;");
                assertThat(m).endsWith("\r\nSubject: hi\r\n\r\n.leading dot\r\nbody\r\n");
            });
        }
    }

    @Test
    void smtpUtf8SenderAndEightBitBodyAreStoredByteForByte() throws IOException {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<jörg@bücher.example> SMTPUTF8 BODY=8BITMIME", "250 2.1.0");
            c.command("RCPT TO:<gina@example.test>", "250");
            c.command("DATA", "354");
            c.send("Subject: Grüße\r\n\r\nÄpfel und Öl\r\n.\r\n");
            c.expect("250 2.0.0");
        }
        assertThat(server.inbox("gina")).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Return-Path: <jörg@bücher.example>\r\n").contains(" with UTF8SMTP id ")
                .endsWith("Subject: Grüße\r\n\r\nÄpfel und Öl\r\n"));
    }

    @Test
    void ehloAdvertisesTheExtensions() throws IOException {
        try (RawClient c = RawClient.connect(server.smtp.port())) {
            c.reply();
            c.send("EHLO me\r\n");
            assertThat(c.replyLines()).containsExactly("250-mx.example.test greets me", "250-PIPELINING",
                    "250-SIZE 65536", "250-8BITMIME", "250-ENHANCEDSTATUSCODES", "250-SMTPUTF8", "250-CHUNKING",
                    "250-STARTTLS", "250 HELP");
            c.command("HELO me", "250 mx.example.test");
            c.command("VRFY alice", "252 2.5.0");
            c.command("HELP", "214 2.0.0");
            c.command("NOOP", "250 2.0.0");
            c.command("AUTH PLAIN AGFAYg==", "503 5.5.1 Authentication is not available");
        }
    }

    @Test
    void recipientChecksAndNoOpenRelay() throws IOException {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<x@elsewhere.example>", "250");
            c.command("RCPT TO:<nobody@example.test>", "550 5.1.1");
            c.command("RCPT TO:<off@example.test>", "550 5.2.1");
            c.command("RCPT TO:<someone@gmail.example>", "550 5.7.1 <someone@gmail.example> Relay access denied");
            c.command("RCPT TO:<bad..dots@example.test>", "550 5.1.1");
            c.command("RCPT TO:<carol@example.test>", "250");
            c.command("RCPT TO:<dave@example.test>", "250");
            c.command("RCPT TO:<erin@example.test>", "250");
            c.command("RCPT TO:<frank@example.test>", "452 4.5.3");
        }
    }

    @Test
    void commandsOutOfOrderAndUnknownCommandsThenTooManyErrors() throws IOException {
        try (RawClient c = RawClient.connect(server.smtp.port())) {
            c.reply();
            c.command("MAIL FROM:<a@b.example>", "503 5.5.1");
            c.command("EHLO me", "250");
            c.command("RCPT TO:<alice@example.test>", "503 5.5.1");
            c.command("DATA", "503 5.5.1");
            c.command("XYZZY", "500 5.5.1");
            c.command("MAIL FROM:a@b.example", "501 5.1.7");
            assertThat(c.reply()).startsWith("421 4.7.0");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void tenMegabyteLineIsRefusedAndTheSessionGoesOn() throws IOException {
        try (RawClient c = greeted()) {
            byte[] huge = new byte[10 * 1024 * 1024];
            java.util.Arrays.fill(huge, (byte) 'A');
            c.sendBytes("NOOP ".getBytes());
            c.sendBytes(huge);
            c.send("\r\n");
            c.expect("500 5.5.2 Line too long");
            c.command("NOOP", "250");
        }
    }

    @Test
    void bareLfIsRefusedInCommandsAndInData() throws IOException {
        try (RawClient c = greeted()) {
            c.send("NOOP\n");
            c.expect("500 5.5.2 Bare LF");
            c.command("MAIL FROM:<a@b.example>", "250");
            c.command("RCPT TO:<bob@example.test>", "250");
            c.command("DATA", "354");
            // "\n.\n" must not end the data (SMTP smuggling); only CRLF.CRLF does.
            c.send("Subject: one\r\n\r\nx\n.\nMAIL FROM:<evil@b.example>\r\n.\r\n");
            c.expect("550 5.6.0");
            c.command("NOOP", "250");
        }
        assertThat(server.inbox("bob")).isEmpty();
    }

    @Test
    void pipelinedBatchGetsItsRepliesInOrder() throws IOException {
        try (RawClient c = greeted()) {
            c.send("MAIL FROM:<p@b.example>\r\nRCPT TO:<pipe@example.test>\r\nRCPT TO:<ghost@example.test>\r\n"
                    + "DATA\r\n");
            c.expect("250 2.1.0");
            c.expect("250 2.1.5");
            c.expect("550 5.1.1");
            c.expect("354");
            c.send("Subject: piped\r\n\r\nhello\r\n.\r\nMAIL FROM:<p@b.example>\r\nRCPT TO:<pipe@example.test>\r\n"
                    + "DATA\r\nSubject: piped 2\r\n\r\nagain\r\n.\r\nQUIT\r\n");
            c.expect("250 2.0.0");
            c.expect("250 2.1.0");
            c.expect("250 2.1.5");
            c.expect("354");
            c.expect("250 2.0.0");
            c.expect("221");
        }
        assertThat(server.inbox("pipe")).hasSize(2);
    }

    @Test
    void dataThatNeverEndsTimesOutAndLeavesNothing() throws IOException {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<a@b.example>", "250");
            c.command("RCPT TO:<carol@example.test>", "250");
            c.command("DATA", "354");
            c.send("Subject: never ends\r\n\r\nstill");
            assertThat(c.reply()).startsWith("421 4.4.2");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.inbox("carol")).isEmpty();
    }

    @Test
    void clientDisconnectingMidDataLeavesNothingNotEvenASpoolFile() throws Exception {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<a@b.example>", "250");
            c.command("RCPT TO:<dave@example.test>", "250");
            c.command("DATA", "354");
            c.send("Subject: big\r\n\r\n" + "y".repeat(5000) + "\r\n"); // past the 1 KiB memory threshold
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(spoolFiles()).isZero());
        assertThat(server.inbox("dave")).isEmpty();
    }

    @Test
    void sizeLimits() throws IOException {
        try (RawClient c = greeted()) {
            c.command("MAIL FROM:<a@b.example> SIZE=1000000", "552 5.3.4");
            c.command("MAIL FROM:<a@b.example> SIZE=100", "250");
            c.command("RCPT TO:<erin@example.test>", "250");
            c.command("DATA", "354");
            c.send(("z".repeat(998) + "\r\n").repeat(70) + ".\r\n");
            c.expect("552 5.3.4");
            c.command("NOOP", "250");
        }
        assertThat(server.inbox("erin")).isEmpty();
    }

    @Test
    void chunking() throws IOException {
        try (RawClient c = greeted()) {
            c.send("BDAT 5\r\nhello");
            c.expect("503 5.5.1"); // consumed, so "hello" is not taken for a command
            c.command("NOOP", "250");
            c.command("MAIL FROM:<a@b.example>", "250");
            c.command("RCPT TO:<frank@example.test>", "250");
            c.send("BDAT 14\r\nSubject: c\r\n\r\n");
            c.expect("250 2.0.0 14 octets");
            c.send("BDAT 7 LAST\r\n.body\r\n");
            c.expect("250 2.0.0 Ok");
            c.command("MAIL FROM:<a@b.example>", "250");
            c.command("RCPT TO:<frank@example.test>", "250");
            c.send("BDAT 70000 LAST\r\n" + "q".repeat(70000));
            c.expect("552 5.3.4");
            c.send("BDAT ten\r\n");
            c.expect("501 5.5.4");
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.inbox("frank")).singleElement().satisfies(m ->
                assertThat(m).endsWith("Subject: c\r\n\r\n.body\r\n"));
    }

    @Test
    void tooManyConnections() throws IOException {
        try (TestServer small = new TestServer(dir.resolve("small"), s -> s, l -> l.withMaxConnections(1));
             RawClient first = RawClient.connect(small.smtp.port())) {
            first.expect("220");
            try (RawClient second = RawClient.connect(small.smtp.port())) {
                second.expect("421 4.7.0");
                assertThat(second.closedByServer()).isTrue();
            }
        }
    }

    @Test
    void tlsHandshakeGarbageOnSmtpsDoesNotHurtTheServer() throws IOException {
        try (RawClient c = RawClient.connect(server.smtps.port())) {
            c.sendBytes(new byte[]{0x16, 0x03, 0x01, 0x00, 0x05, 1, 2, 3, 4, 5, 'E', 'H', 'L', 'O', '\r', '\n'});
            c.socket().getInputStream().readAllBytes();
        }
        try (RawClient c = greeted()) {
            c.command("NOOP", "250");
        }
    }

    private static long spoolFiles() throws IOException {
        Path spool = server.settings.spoolDirectory();
        if (!Files.exists(spool)) {
            return 0;
        }
        try (var files = Files.list(spool)) {
            return files.count();
        }
    }
}
