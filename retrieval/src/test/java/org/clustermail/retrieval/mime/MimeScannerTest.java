package org.clustermail.retrieval.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MimeScannerTest {

    static final String NESTED = String.join("\r\n",
            "From: Alice <alice@example.test>",
            "To: bob@example.test",
            "Subject: nested",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"outer\"",
            "",
            "preamble",
            "--outer",
            "Content-Type: text/plain; charset=utf-8",
            "",
            "Hello",
            "World",
            "--outer",
            "Content-Type: message/rfc822",
            "",
            "Subject: inner",
            "Content-Type: multipart/alternative; boundary=inner",
            "",
            "--inner",
            "",
            "plain",
            "--inner",
            "Content-Type: text/html",
            "",
            "<b>x</b>",
            "--inner--",
            "--outer--",
            "epilogue",
            "");

    static MimePart scan(String s) throws IOException {
        return MimeScanner.scan(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String slice(String s, long from, long to) {
        return new String(s.getBytes(StandardCharsets.UTF_8), (int) from, (int) (to - from), StandardCharsets.UTF_8);
    }

    @Test
    void findsPartsWithExactOffsets() throws IOException {
        MimePart root = scan(NESTED);
        assertThat(root.contentType().is("multipart", "mixed")).isTrue();
        assertThat(root.header().first("subject")).isEqualTo("nested");
        assertThat(root.children()).hasSize(2);
        MimePart text = root.children().get(0);
        assertThat(slice(NESTED, text.bodyStart(), text.bodyEnd())).isEqualTo("Hello\r\nWorld");
        assertThat(text.bodyLines()).isEqualTo(2);
        assertThat(slice(NESTED, text.headerStart(), text.bodyStart()))
                .isEqualTo("Content-Type: text/plain; charset=utf-8\r\n\r\n");
        MimePart rfc822 = root.children().get(1);
        MimePart inner = rfc822.message().orElseThrow();
        assertThat(inner.header().first("Subject")).isEqualTo("inner");
        assertThat(inner.children()).hasSize(2);
        assertThat(slice(NESTED, inner.children().get(0).bodyStart(), inner.children().get(0).bodyEnd()))
                .isEqualTo("plain");
        assertThat(inner.children().get(0).contentType().is("text", "plain")).isTrue();
        assertThat(slice(NESTED, inner.children().get(1).bodyStart(), inner.children().get(1).bodyEnd()))
                .isEqualTo("<b>x</b>");
        assertThat(slice(NESTED, rfc822.bodyStart(), rfc822.bodyEnd())).startsWith("Subject: inner")
                .endsWith("--inner--");
        assertThat(root.bodyEnd()).isEqualTo(NESTED.length());
    }

    @Test
    void plainMessageAndBrokenInput() throws IOException {
        String m = "Subject: hi\r\n\r\nbody\r\nline2\r\n";
        MimePart root = scan(m);
        assertThat(root.contentType()).isEqualTo(MimePart.ContentType.TEXT_PLAIN);
        assertThat(root.bodyStart()).isEqualTo(15);
        assertThat(root.bodySize()).isEqualTo(13);
        assertThat(root.bodyLines()).isEqualTo(2);
        // headers only, no blank line
        root = scan("Subject: x\r\nFrom: a@b");
        assertThat(root.bodySize()).isZero();
        assertThat(root.header().first("From")).isEqualTo("a@b");
        // boundary never closed; LF-only line ends
        root = scan("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nA\n--b\n\nB\n");
        assertThat(root.children()).hasSize(2);
        assertThat(root.children().get(1).bodySize()).isEqualTo(2);
        // folded header
        root = scan("Subject: a\r\n  b\r\n\r\n");
        assertThat(root.header().first("subject")).isEqualTo("a  b");
        assertThat(scan("").bodySize()).isZero();
    }
}
