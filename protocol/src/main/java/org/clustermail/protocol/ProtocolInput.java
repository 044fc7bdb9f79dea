package org.clustermail.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * Bounded reading of a line protocol from one connection: CRLF lines up to a limit the caller gives per call, and
 * exact-length chunks (IMAP literals, SMTP BDAT) streamed to a sink.
 *
 * <p>Invariants: memory is bounded by the buffer plus the limit of the current call — a longer line is read and
 * thrown away in buffer-sized chunks, never accumulated. A blocking read never waits longer than the idle timeout
 * (no byte at all) nor past the deadline of the current command, if one is set. Before it blocks, it runs the
 * "before block" action (the connection flushes its pending replies there, so pipelined commands get their replies
 * in one batch and a client waiting for a reply always gets it). While waiting for the first byte of a line with no
 * deadline set, i.e. for the next command, it notices that the server is stopping
 * ({@link ServerStoppingException}); it polls for that every half second. A deadline marks a command in progress
 * (a DATA body, a literal): that is left to finish, within the deadline and the server's grace period.
 *
 * <p>Threading: owned by the session's thread; not thread-safe.
 */
public final class ProtocolInput {

    /** Sets how long the next blocking read may wait (a socket's SO_TIMEOUT); 0 is never passed. */
    @FunctionalInterface
    public interface ReadTimer {
        void setReadTimeout(int millis) throws IOException;
    }

    /** Something to do before the reader blocks on the peer, e.g. flushing replies. */
    @FunctionalInterface
    public interface BeforeBlock {
        void run() throws IOException;
    }

    static final int BUFFER_SIZE = 16 * 1024;
    private static final long POLL_NANOS = Duration.ofMillis(500).toNanos();
    private static final byte[] EMPTY = new byte[0];

    private final byte[] buf = new byte[BUFFER_SIZE];
    private final ReadTimer timer;
    private final BeforeBlock beforeBlock;
    private final BooleanSupplier stopping;
    private InputStream in;
    private int pos;
    private int limit;
    private long idleTimeoutNanos;
    private long deadlineNanos;
    private boolean hasDeadline;

    public ProtocolInput(InputStream in, Duration idleTimeout, ReadTimer timer, BeforeBlock beforeBlock,
                         BooleanSupplier stopping) {
        this.in = in;
        this.timer = timer;
        this.beforeBlock = beforeBlock;
        this.stopping = stopping;
        setIdleTimeout(idleTimeout);
    }

    /** Reader over a plain stream with no timeouts and no stop signal: for parsers' and sessions' tests. */
    public static ProtocolInput of(InputStream in) {
        return new ProtocolInput(in, Duration.ofDays(1), millis -> { }, () -> { }, () -> false);
    }

    /**
     * Reads one line and returns it without its CRLF (or bare LF, which {@link Line#bareLf()} reports).
     *
     * @param maxLength the most octets the line may hold, not counting its terminator
     * @throws LineTooLongException the line was longer; it has been consumed up to its LF
     * @throws EOFException the peer closed the connection (a partial last line is dropped)
     * @throws ReadTimeoutException see {@link ReadTimeoutException}
     * @throws ServerStoppingException the server stops and no byte of this line had arrived
     */
    public Line readLine(int maxLength) throws IOException {
        byte[] acc = EMPTY;
        int accLen = 0;
        boolean discarding = false;
        while (true) {
            if (pos == limit) {
                fill(accLen == 0 && !discarding);
            }
            int lf = indexOfLf();
            if (lf >= 0 && accLen == 0 && !discarding) {
                return wholeLineInBuffer(lf, maxLength);
            }
            int chunkEnd = lf >= 0 ? lf : limit;
            int chunkLen = chunkEnd - pos;
            if (!discarding) {
                // maxLength + 1 leaves room for the CR of a line of exactly maxLength octets.
                if (accLen + chunkLen > maxLength + 1) {
                    discarding = true;
                    acc = EMPTY;
                } else {
                    acc = append(acc, accLen, chunkLen, maxLength + 1);
                    accLen += chunkLen;
                }
            }
            if (lf < 0) {
                pos = limit;
                continue;
            }
            pos = lf + 1;
            if (discarding) {
                throw new LineTooLongException(maxLength);
            }
            boolean cr = accLen > 0 && acc[accLen - 1] == '\r';
            int len = cr ? accLen - 1 : accLen;
            if (len > maxLength) {
                throw new LineTooLongException(maxLength);
            }
            return new Line(acc.length == len ? acc : Arrays.copyOf(acc, len), !cr);
        }
    }

    /**
     * Copies exactly {@code count} octets to {@code sink} (an IMAP literal, a BDAT chunk).
     *
     * @throws EOFException the peer closed the connection first
     */
    public void readExact(long count, OutputStream sink) throws IOException {
        long left = count;
        while (left > 0) {
            if (pos == limit) {
                fill(false);
            }
            int n = (int) Math.min(left, limit - pos);
            sink.write(buf, pos, n);
            pos += n;
            left -= n;
        }
    }

    /** Reads exactly {@code count} octets into a new array; the caller bounds {@code count}. */
    public byte[] readExact(int count) throws IOException {
        byte[] out = new byte[count];
        int off = 0;
        while (off < count) {
            if (pos == limit) {
                fill(false);
            }
            int n = Math.min(count - off, limit - pos);
            System.arraycopy(buf, pos, out, off, n);
            pos += n;
            off += n;
        }
        return out;
    }

    /**
     * Waits until the first octet of the next command has arrived, noticing the stop signal and the idle timeout
     * as {@link #readLine} does at the start of a line. For protocols whose commands are not lines (netstrings).
     *
     * @throws ServerStoppingException the server stops and no octet of the next command had arrived
     */
    public void awaitCommand() throws IOException {
        if (pos == limit) {
            fill(true);
        }
    }

    /** Octets received but not yet consumed. */
    public int buffered() {
        return limit - pos;
    }

    /** Drops whatever was received but not consumed; returns how many octets that was. */
    public int discardBuffered() {
        int n = limit - pos;
        pos = limit;
        return n;
    }

    /** Reads from {@code next} from now on (after a TLS upgrade); nothing may be buffered. */
    void replaceStream(InputStream next) {
        if (buffered() != 0) {
            throw new IllegalStateException("unread input would cross a stream change");
        }
        in = next;
    }

    public Duration idleTimeout() {
        return Duration.ofNanos(idleTimeoutNanos);
    }

    /** How long a read may wait for the next byte; e.g. raised for IMAP IDLE. */
    public void setIdleTimeout(Duration idleTimeout) {
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive");
        }
        idleTimeoutNanos = idleTimeout.toNanos();
    }

    /**
     * Reads fail with {@link ReadTimeoutException.Kind#DEADLINE} once {@code timeout} from now has passed. While a
     * deadline is set, the stop signal is not reported: the command in progress may finish.
     */
    public void setDeadline(Duration timeout) {
        deadlineNanos = System.nanoTime() + timeout.toNanos();
        hasDeadline = true;
    }

    public void clearDeadline() {
        hasDeadline = false;
    }

    /** The common case: the whole line is in the buffer; one copy. */
    private Line wholeLineInBuffer(int lf, int maxLength) throws LineTooLongException {
        int start = pos;
        pos = lf + 1;
        boolean cr = lf > start && buf[lf - 1] == '\r';
        int end = cr ? lf - 1 : lf;
        if (end - start > maxLength) {
            throw new LineTooLongException(maxLength);
        }
        return new Line(Arrays.copyOfRange(buf, start, end), !cr);
    }

    private int indexOfLf() {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private byte[] append(byte[] acc, int accLen, int n, int cap) {
        byte[] target = acc;
        if (accLen + n > acc.length) {
            target = Arrays.copyOf(acc, Math.min(cap, Math.max(accLen + n, Math.max(64, acc.length * 2))));
        }
        System.arraycopy(buf, pos, target, accLen, n);
        return target;
    }

    private void fill(boolean atLineStart) throws IOException {
        if (in.available() == 0) {
            beforeBlock.run();
        }
        long waitStart = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            if (atLineStart && !hasDeadline && stopping.getAsBoolean()) {
                throw new ServerStoppingException();
            }
            long wait = Math.min(POLL_NANOS, idleTimeoutNanos - (now - waitStart));
            if (wait <= 0) {
                throw new ReadTimeoutException(ReadTimeoutException.Kind.IDLE);
            }
            if (hasDeadline) {
                long toDeadline = deadlineNanos - now;
                if (toDeadline <= 0) {
                    throw new ReadTimeoutException(ReadTimeoutException.Kind.DEADLINE);
                }
                wait = Math.min(wait, toDeadline);
            }
            timer.setReadTimeout((int) Math.max(1, (wait + 999_999) / 1_000_000));
            try {
                int n = in.read(buf, 0, buf.length);
                if (n < 0) {
                    throw new EOFException("connection closed by peer");
                }
                if (n > 0) {
                    pos = 0;
                    limit = n;
                    return;
                }
            } catch (SocketTimeoutException e) {
                // Not yet: loop to re-check the idle timeout, the deadline and the stop signal.
            }
        }
    }
}
