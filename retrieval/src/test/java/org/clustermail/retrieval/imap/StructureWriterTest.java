package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.clustermail.retrieval.mime.MimePart;
import org.clustermail.retrieval.mime.MimeScanner;
import org.junit.jupiter.api.Test;

class StructureWriterTest {

    static MimePart scan(String s) throws IOException {
        return MimeScanner.scan(new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8)));
    }

    static String bodystructure(String message, boolean ext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureWriter.body(new ImapWriter(out), scan(message), ext);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void singlePartText() throws IOException {
        String m = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + "hi=20there\r\nbye\r\n";
        assertThat(bodystructure(m, true)).isEqualTo(
                "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 17 2 NIL NIL NIL NIL)");
        assertThat(bodystructure(m, false)).isEqualTo(
                "(\"TEXT\" \"PLAIN\" (\"CHARSET\" \"UTF-8\") NIL NIL \"QUOTED-PRINTABLE\" 17 2)");
    }

    @Test
    void multipartWithAttachmentAndEncapsulatedMessage() throws IOException {
        String m = String.join("\r\n",
                "Content-Type: multipart/mixed; boundary=b1",
                "",
                "--b1",
                "Content-Type: application/pdf; name=x.pdf",
                "Content-Disposition: attachment; filename=x.pdf",
                "Content-Transfer-Encoding: base64",
                "",
                "QUJD",
                "--b1",
                "Content-Type: message/rfc822",
                "",
                "From: \"Bob B.\" <bob@example.test>",
                "Subject: fwd",
                "",
                "inner body",
                "--b1--",
                "");
        assertThat(bodystructure(m, true)).isEqualTo("((\"APPLICATION\" \"PDF\" (\"NAME\" \"x.pdf\") NIL NIL \"BASE64\" 4"
                + " NIL (\"ATTACHMENT\" (\"FILENAME\" \"x.pdf\")) NIL NIL)"
                + "(\"MESSAGE\" \"RFC822\" NIL NIL NIL \"7BIT\" 61"
                + " (NIL \"fwd\" ((\"Bob B.\" NIL \"bob\" \"example.test\")) ((\"Bob B.\" NIL \"bob\" \"example.test\"))"
                + " ((\"Bob B.\" NIL \"bob\" \"example.test\")) NIL NIL NIL NIL NIL)"
                + " (\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 10 1 NIL NIL NIL NIL) 4"
                + " NIL NIL NIL NIL)"
                + " \"MIXED\" (\"BOUNDARY\" \"b1\") NIL NIL NIL)");
    }

    @Test
    void envelopeWithGroupsAndEncodedNames() throws IOException {
        String m = "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "From: =?UTF-8?Q?J=C3=BCrgen?= <j@example.test>\r\nTo: friends: a@x.test, b@y.test;\r\n"
                + "Message-ID: <1@x>\r\n\r\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureWriter.envelope(new ImapWriter(out), scan(m).header());
        String env = out.toString(StandardCharsets.UTF_8);
        assertThat(env).startsWith("(\"Mon, 1 Jan 2024 10:00:00 +0000\" \"=?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\" ((\"=?");
        assertThat(env).contains("((NIL NIL \"friends\" NIL)(NIL NIL \"a\" \"x.test\")(NIL NIL \"b\" \"y.test\")"
                + "(NIL NIL NIL NIL))");
        assertThat(env).endsWith("NIL NIL NIL \"<1@x>\")");
    }
}
