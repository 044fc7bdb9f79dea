package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP responses: atoms, numbers, quoted strings or literals (whichever the text allows), {@code NIL},
 * parentheses, whole lines. Buffers; {@link #flush()} sends. Strings go out quoted when they are short 7-bit text
 * without CR, LF, NUL, and as a literal otherwise, so any value a message holds can be sent safely.
 *
 * <p>Not thread-safe: a session and its IDLE listener serialise writes on the session's lock.
 */
public final class ImapWriter {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final int MAX_QUOTED = 1024;
    private final OutputStream out;
    /** Reused for streamed literals: one session writes one literal at a time. */
    private final byte[] copyBuffer = new byte[64 * 1024];

    /** {@code out} should be buffered; this class adds no buffer of its own. */
    public ImapWriter(OutputStream out) {
        this.out = out;
    }

    public ImapWriter raw(String ascii) throws IOException {
        out.write(ascii.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public ImapWriter raw(byte[] bytes) throws IOException {
        out.write(bytes);
        return this;
    }

    public ImapWriter sp() throws IOException {
        out.write(' ');
        return this;
    }

    public ImapWriter open() throws IOException {
        out.write('(');
        return this;
    }

    public ImapWriter close() throws IOException {
        out.write(')');
        return this;
    }

    public ImapWriter number(long n) throws IOException {
        return raw(Long.toString(n));
    }

    public ImapWriter nil() throws IOException {
        return raw("NIL");
    }

    public ImapWriter crlf() throws IOException {
        out.write(CRLF);
        return this;
    }

    /** A string as quoted text or literal; {@code null} as NIL. */
    public ImapWriter nstring(String s) throws IOException {
        return s == null ? nil() : string(s.getBytes(StandardCharsets.UTF_8));
    }

    public ImapWriter string(String s) throws IOException {
        return string(s.getBytes(StandardCharsets.UTF_8));
    }

    public ImapWriter string(byte[] s) throws IOException {
        if (quotable(s)) {
            out.write('"');
            for (byte b : s) {
                if (b == '"' || b == '\\') {
                    out.write('\\');
                }
                out.write(b);
            }
            out.write('"');
            return this;
        }
        return literal(s);
    }

    public ImapWriter literal(byte[] s) throws IOException {
        return literal(s, 0, s.length);
    }

    /** A literal of {@code length} bytes of {@code s} from {@code offset}, written without a copy. */
    public ImapWriter literal(byte[] s, int offset, int length) throws IOException {
        out.write('{');
        number(length);
        out.write('}');
        crlf();
        out.write(s, offset, length);
        return this;
    }

    /** A literal of exactly {@code length} bytes copied from {@code in}; a short stream is an error. */
    public ImapWriter literal(InputStream in, long length) throws IOException {
        out.write('{');
        number(length);
        out.write('}');
        crlf();
        byte[] buf = copyBuffer;
        long left = length;
        while (left > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                throw new IOException("message content shorter than its recorded size");
            }
            out.write(buf, 0, n);
            left -= n;
        }
        return this;
    }

    /** A whole untagged line {@code * text}. */
    public ImapWriter untagged(String text) throws IOException {
        return raw("* ").raw(text).crlf();
    }

    /** A whole tagged line {@code tag status text}. */
    public ImapWriter tagged(String tag, String status, String text) throws IOException {
        return raw(tag).sp().raw(status).sp().raw(text).crlf();
    }

    public void flush() throws IOException {
        out.flush();
    }

    static boolean quotable(byte[] s) {
        if (s.length > MAX_QUOTED) {
            return false;
        }
        for (byte b : s) {
            if (b == '\r' || b == '\n' || b == 0 || b < 0) {
                return false;
            }
        }
        return true;
    }
}
