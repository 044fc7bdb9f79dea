package org.clustermail.store.mbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * mboxrd {@code From } quoting: on the way in, a line that starts with zero or more {@code >} and then
 * {@code From } gets one more {@code >}; on the way out, a line that starts with one or more {@code >} and then
 * {@code From } loses one. Every other byte (NUL, bare CR, 8-bit) passes untouched, so a message reads back byte
 * for byte. Streaming: memory use does not depend on message size.
 */
final class Mboxrd {

    private static final byte[] FROM = {'F', 'r', 'o', 'm', ' '};

    private Mboxrd() {
    }

    /**
     * Copies {@code in} to {@code out} quoted; returns the number of bytes written. Only line starts are looked at
     * byte by byte; the rest of each line is copied as one run.
     */
    static long quote(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        long written = 0;
        boolean lineStart = true;
        int pending = 0; // bytes of a possible ">*From " prefix seen at the start of the current line
        byte[] prefix = new byte[256];
        int n;
        while ((n = in.read(buf)) > 0) {
            int i = 0;
            while (i < n) {
                if (lineStart || pending > 0) {
                    byte b = buf[i];
                    if (matchesPrefix(prefix, pending, b)) {
                        prefix[pending++] = b;
                        lineStart = false;
                        i++;
                        if (pending >= 5 && endsWithFrom(prefix, pending)) {
                            out.write('>');
                            out.write(prefix, 0, pending);
                            written += pending + 1;
                            pending = 0;
                        } else if (pending == prefix.length) {
                            out.write(prefix, 0, pending);
                            written += pending;
                            pending = 0;
                        }
                        continue;
                    }
                    out.write(prefix, 0, pending);
                    written += pending;
                    pending = 0;
                }
                int end = i;
                while (end < n && buf[end] != '\n') {
                    end++;
                }
                lineStart = end < n;
                end = lineStart ? end + 1 : n;
                out.write(buf, i, end - i);
                written += end - i;
                i = end;
            }
        }
        out.write(prefix, 0, pending);
        return written + pending;
    }

    /** Whether {@code b} can extend a {@code >*From } prefix of {@code len} bytes. */
    private static boolean matchesPrefix(byte[] prefix, int len, byte b) {
        int gt = 0;
        while (gt < len && prefix[gt] == '>') {
            gt++;
        }
        if (gt == len && b == '>') {
            return true;
        }
        int k = len - gt;
        return k < FROM.length && FROM[k] == b;
    }

    private static boolean endsWithFrom(byte[] prefix, int len) {
        for (int i = 0; i < FROM.length; i++) {
            if (prefix[len - FROM.length + i] != FROM[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads quoted bytes and yields the original message. */
    static InputStream unquote(InputStream quoted) {
        return new FilterInputStream(new java.io.BufferedInputStream(quoted, 65536)) {
            private final byte[] pend = new byte[256];
            private int pendLen;
            private int pendPos;
            private boolean lineStart = true;

            @Override
            public int read() throws IOException {
                if (pendPos < pendLen) {
                    return pend[pendPos++] & 0xff;
                }
                int b = in.read();
                if (b < 0) {
                    return -1;
                }
                if (lineStart && b == '>') {
                    return readQuotedLineStart();
                }
                lineStart = b == '\n';
                return b;
            }

            /** At a line start that begins with '>': collect ">+From " and drop one '>' if it is there. */
            private int readQuotedLineStart() throws IOException {
                pendLen = 0;
                pendPos = 0;
                pend[pendLen++] = '>';
                int b;
                while (pendLen < pend.length && (b = in.read()) >= 0) {
                    pend[pendLen++] = (byte) b;
                    if (!matchesPrefix(pend, pendLen - 1, (byte) b)) {
                        break;
                    }
                    if (pendLen >= 6 && endsWithFrom(pend, pendLen)) {
                        pendPos = 1; // drop one '>'
                        break;
                    }
                }
                lineStart = pend[pendLen - 1] == '\n';
                return pend[pendPos++] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                int i = 0;
                while (i < len) {
                    int c = read();
                    if (c < 0) {
                        return i == 0 ? -1 : i;
                    }
                    b[off + i++] = (byte) c;
                }
                return i;
            }
        };
    }
}
