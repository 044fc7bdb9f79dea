package org.clustermail.bench.ingress;

import java.nio.charset.StandardCharsets;

/** The load generators' test message: the peers' smtp_blast.py message, as the SMTP DATA octets. */
public final class BenchMessage {

    private BenchMessage() {
    }

    /**
     * Headers, then 76-character lines, exactly {@code size} octets before the terminating {@code .} line (which is
     * included); numbered {@code n} in its Subject and Message-ID so every copy is distinct.
     */
    public static byte[] data(String tag, long n, String rcpt, int size) {
        String hdr = "From: <bench@client.test>\r\nTo: <" + rcpt + ">\r\nSubject: benchmark message " + n
                + "\r\nMessage-ID: <" + tag + "." + n + "@client.test>\r\n"
                + "Date: Thu, 01 Jan 2026 00:00:00 +0000\r\n\r\n";
        StringBuilder b = new StringBuilder(Math.max(size, hdr.length()) + 3).append(hdr);
        String line = "x".repeat(76) + "\r\n";
        while (b.length() + line.length() <= size) {
            b.append(line);
        }
        int rest = size - b.length();
        if (rest == 1) {
            b.setLength(b.length() - line.length());
            b.append("x".repeat(77)).append("\r\n");
        } else if (rest >= 2) {
            b.append("y".repeat(rest - 2)).append("\r\n");
        }
        return b.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
