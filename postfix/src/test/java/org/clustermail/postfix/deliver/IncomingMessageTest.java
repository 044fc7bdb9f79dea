package org.clustermail.postfix.deliver;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Canonical line ends, envelope lines on top, size limits and spilling, on byte strings. */
class IncomingMessageTest {

    @TempDir
    Path tmp;

    private IncomingMessage read(String s) throws Exception {
        return IncomingMessage.read(new ByteArrayInputStream(s.getBytes(UTF_8)), 1 << 24, tmp);
    }

    private static String text(IncomingMessage m) throws IOException {
        try (InputStream in = m.openStream()) {
            return new String(in.readAllBytes(), UTF_8);
        }
    }

    @Test
    void bareLfBecomesCrlfAndCrlfStaysAsItIs() throws Exception {
        try (IncomingMessage m = read("Subject: a\nX: b\r\n\nbody\r\nline\n")) {
            assertThat(text(m)).isEqualTo("Subject: a\r\nX: b\r\n\r\nbody\r\nline\r\n");
            assertThat(m.size()).isEqualTo(text(m).length());
            assertThat(m.envelopeSender()).isEmpty();
        }
    }

    @Test
    void aMissingFinalLineEndIsAdded() throws Exception {
        try (IncomingMessage m = read("Subject: a\n\nno newline")) {
            assertThat(text(m)).isEqualTo("Subject: a\r\n\r\nno newline\r\n");
        }
    }

    @Test
    void localsEnvelopeLinesAreDroppedAndTheirSenderKept() throws Exception {
        String fromLocal = "From alice@sender.test  Sat Nov 28 05:00:00 2026\n"
                + "Return-Path: <bounce+x@sender.test>\nX-Original-To: bob@example.org\n"
                + "Delivered-To: bob@example.org\nSubject: hi\n\nFrom here on it is body\n";
        try (IncomingMessage m = read(fromLocal)) {
            assertThat(m.envelopeSender()).contains("bounce+x@sender.test");
            assertThat(text(m)).isEqualTo("X-Original-To: bob@example.org\r\nDelivered-To: bob@example.org\r\n"
                    + "Subject: hi\r\n\r\nFrom here on it is body\r\n");
        }
    }

    @Test
    void fromLineAloneNamesTheSenderAndMailerDaemonIsTheNullSender() throws Exception {
        try (IncomingMessage m = read("From carol@x.test Sat Nov 28 05:00:00 2026\nSubject: a\n\nb\n")) {
            assertThat(m.envelopeSender()).contains("carol@x.test");
            assertThat(text(m)).startsWith("Subject: a\r\n");
        }
        try (IncomingMessage m = read("From MAILER-DAEMON Sat Nov 28 05:00:00 2026\nSubject: a\n\nb\n")) {
            assertThat(m.envelopeSender()).contains("");
        }
        try (IncomingMessage m = read("Return-Path: <>\nSubject: a\n\nb\n")) {
            assertThat(m.envelopeSender()).isEqualTo(Optional.of(""));
        }
    }

    @Test
    void aFromLineBelowTheTopAndReturnPathInTheBodyAreContent() throws Exception {
        try (IncomingMessage m = read("Subject: a\nFrom x\n\nReturn-Path: <y@z>\n")) {
            assertThat(text(m)).isEqualTo("Subject: a\r\nFrom x\r\n\r\nReturn-Path: <y@z>\r\n");
            assertThat(m.envelopeSender()).isEmpty();
        }
    }

    @Test
    void aVeryLongFirstLineIsContentUnchanged() throws Exception {
        String longLine = "X-Long: " + "a".repeat(20_000);
        try (IncomingMessage m = read(longLine + "\n\nbody\n")) {
            assertThat(text(m)).isEqualTo(longLine + "\r\n\r\nbody\r\n");
        }
    }

    @Test
    void emptyInputAndOversizeAreRefused() {
        assertThatThrownBy(() -> read("")).isInstanceOf(IncomingMessage.BadMessageException.class)
                .hasMessage("empty message on stdin");
        assertThatThrownBy(() -> read("From a@b.test Sat Nov 28 05:00:00 2026\n"))
                .isInstanceOf(IncomingMessage.BadMessageException.class);
        assertThatThrownBy(() -> IncomingMessage.read(new ByteArrayInputStream(new byte[2000]), 1000, tmp))
                .isInstanceOf(IncomingMessage.BadMessageException.class).hasMessage("message larger than 1000 octets");
    }

    @Test
    void largeMessagesSpillToATemporaryFileThatCloseDeletes() throws Exception {
        String body = "line of text\n".repeat(200_000);
        IncomingMessage m = read("Subject: big\n\n" + body);
        assertThat(m.size()).isGreaterThan(IncomingMessage.MEMORY_THRESHOLD);
        try (Stream files = new Stream(tmp)) {
            assertThat(files.count()).isEqualTo(1);
        }
        assertThat(text(m)).isEqualTo(("Subject: big\n\n" + body).replace("\n", "\r\n"));
        m.close();
        try (Stream files = new Stream(tmp)) {
            assertThat(files.count()).isZero();
        }
    }

    /** The files in a directory, closed after use. */
    private record Stream(java.util.stream.Stream<Path> files) implements AutoCloseable {
        Stream(Path dir) throws IOException {
            this(Files.list(dir));
        }

        long count() {
            return files.count();
        }

        @Override
        public void close() {
            files.close();
        }
    }
}
