package org.clustermail.cluster.channel;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes message content in the DATA form of RFC 5321 section 4.5.2: a line that begins with {@code .} gets a second
 * one, and {@link #finish()} ends the content with {@code CRLF . CRLF} (adding the CRLF the content lacks, if any).
 * A line start is the first byte and every byte after LF, so content with bare LF line ends is stuffed safely too.
 */
final class DotStuffingOutputStream extends FilterOutputStream {

    private boolean atLineStart = true;
    private int last = -1;
    private int beforeLast = -1;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = b == '\n';
        beforeLast = last;
        last = b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (atLineStart && b[i] == '.') {
                out.write(b, start, i - start);
                out.write('.');
                start = i;
            }
            atLineStart = b[i] == '\n';
        }
        out.write(b, start, end - start);
        if (len >= 2) {
            beforeLast = b[end - 2];
            last = b[end - 1];
        } else if (len == 1) {
            beforeLast = last;
            last = b[end - 1];
        }
    }

    /** Terminates the content; the underlying stream stays open. */
    void finish() throws IOException {
        boolean endsWithCrlf = last == '\n' && beforeLast == '\r';
        String terminator = last == -1 || endsWithCrlf ? ".\r\n" : "\r\n.\r\n";
        out.write(terminator.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
