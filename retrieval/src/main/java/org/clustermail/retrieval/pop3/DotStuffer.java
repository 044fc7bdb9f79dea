package org.clustermail.retrieval.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies a message into a POP3 multi-line response (RFC 1939 section 3): a line that starts with {@code .} gets
 * another one, the data ends with CRLF, then the terminating {@code .} line. Optionally stops after the header and
 * {@code n} body lines (TOP). Streams in chunks; never holds the message. Stateless.
 */
final class DotStuffer {

    private DotStuffer() {
    }

    /**
     * @param bodyLines body lines to copy after the header (TOP), or -1 for the whole message (RETR)
     */
    static void copy(InputStream in, OutputStream out, int bodyLines) throws IOException {
        copy(in, out, bodyLines, new byte[64 * 1024]);
    }

    /** As {@link #copy(InputStream, OutputStream, int)}, with the caller's buffer (reused across messages). */
    static void copy(InputStream in, OutputStream out, int bodyLines, byte[] buf) throws IOException {
        boolean lineStart = true;
        boolean inHeader = true;
        boolean lastWasCr = false;
        int previous = -1;
        long linesLeft = bodyLines;
        int n;
        outer:
        while ((n = in.read(buf)) > 0) {
            int from = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (lineStart) {
                    if (bodyLines >= 0 && !inHeader && linesLeft-- <= 0) {
                        out.write(buf, from, i - from);
                        previous = '\n';
                        break outer;
                    }
                    if (b == '.') {
                        out.write(buf, from, i - from);
                        out.write('.');
                        from = i;
                    }
                    if (inHeader && (b == '\n' || b == '\r')) {
                        inHeader = false; // the empty line that ends the header
                    }
                }
                lineStart = b == '\n';
                lastWasCr = b == '\r';
                previous = b;
            }
            out.write(buf, from, n - from);
        }
        if (previous != '\n' && previous != -1) {
            out.write(lastWasCr ? new byte[] {'\n'} : new byte[] {'\r', '\n'});
        }
        out.write(new byte[] {'.', '\r', '\n'});
    }
}
