package org.clustermail.store;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A corpus of malformed and awkward messages: each must be stored byte for byte, and summarised without error. */
final class MalformedMail {

    private MalformedMail() {
    }

    static Map<String, byte[]> corpus() {
        Map<String, byte[]> c = new LinkedHashMap<>();
        c.put("empty", new byte[0]);
        c.put("no headers", ascii("just a body line\r\nand another\r\n"));
        c.put("NUL bytes", ascii("Subject: a\0b\r\nFrom: x\0@y\r\n\r\nbody\0\0with NULs\r\n"));
        c.put("bare LF", ascii("Subject: bare lf\nFrom: a@b\n\nline one\nline two\n"));
        c.put("bare CR", ascii("Subject: bare cr\rFrom: a@b\r\rbody\r"));
        c.put("8-bit headers", concat(ascii("Subject: "), "Grüße aus Köln".getBytes(StandardCharsets.UTF_8),
                ascii("\r\nFrom: "), "Jürgen <j@x.test>".getBytes(StandardCharsets.ISO_8859_1), ascii("\r\n\r\n"),
                new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0x80, '\r', '\n'}));
        c.put("broken encoded-words", ascii("Subject: =?utf-8?B?####?= =?nonsense-charset?Q?abc?= =?utf-8?Q?ok=C3?=\r\n"
                + "From: =?utf-8?q?unterminated\r\n\r\nbody\r\n"));
        c.put("1 MB header line", concat(ascii("X-Long: "), ascii("a".repeat(1 << 20)),
                ascii("\r\nSubject: after the long line\r\n\r\nbody\r\n")));
        c.put("wrong MIME boundaries", ascii("Subject: parts\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"abc\"\r\n\r\n--xyz\r\nContent-Type: text/plain\r\n\r\n"
                + "never closed\r\n--abc\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\n"
                + "Content-Type: application/pdf; name=x.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!notbase64!!\r\n"));
        c.put("From lines", ascii("Subject: quoting\r\n\r\nFrom the start\r\n>From quoted once\r\n>>From twice\r\n"
                + "From \r\nFrom\r\n"));
        c.put("starts with From", ascii("From someone Sat Nov 28 04:15:52 2026\r\nSubject: x\r\n\r\nFrom y\r\n"));
        c.put("no final newline", ascii("Subject: no newline\r\n\r\nends without one"));
        c.put("binary", binary());
        return c;
    }

    private static byte[] binary() {
        byte[] b = new byte[4096];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + (i >> 3));
        }
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
