package org.clustermail.protocol;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Buffered replies of one connection. Nothing reaches the peer until {@link #flush()}; the connection's
 * {@link ProtocolInput} flushes before it waits for the peer, so a session just writes its replies.
 *
 * <p>Threading: every method takes one lock, so another thread may write untagged updates (IMAP IDLE) while the
 * session's thread is blocked reading; a line written with {@link #line} is never interleaved with another.
 */
public final class ProtocolOutput {

    private static final byte[] CRLF = {'\r', '\n'};
    private final ReentrantLock lock = new ReentrantLock();
    private OutputStream out;

    public ProtocolOutput(OutputStream raw) {
        this.out = new BufferedOutputStream(raw, 8192);
    }

    /** Writes {@code text} (UTF-8) and CRLF. {@code text} must not hold CR or LF itself. */
    public void line(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            out.write(bytes);
            out.write(CRLF);
        } finally {
            lock.unlock();
        }
    }

    /** Writes raw octets, e.g. a message body or an IMAP literal. */
    public void write(byte[] bytes, int offset, int length) throws IOException {
        lock.lock();
        try {
            out.write(bytes, offset, length);
        } finally {
            lock.unlock();
        }
    }

    public void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    /** Sends everything written so far. */
    public void flush() throws IOException {
        lock.lock();
        try {
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Writes to {@code raw} from now on (after a TLS upgrade); flushes what was pending first. */
    void replaceStream(OutputStream raw) throws IOException {
        lock.lock();
        try {
            out.flush();
            out = new BufferedOutputStream(raw, 8192);
        } finally {
            lock.unlock();
        }
    }
}
