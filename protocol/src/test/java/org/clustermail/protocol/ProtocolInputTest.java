package org.clustermail.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProtocolInputTest {

    private static ProtocolInput input(String s) {
        return ProtocolInput.of(new ByteArrayInputStream(s.getBytes(US_ASCII)));
    }

    @Test
    void readsCrlfLinesAndFlagsBareLf() throws IOException {
        ProtocolInput in = input("EHLO a\r\nNOOP\nQUIT\r\n\r\n");
        Line ehlo = in.readLine(100);
        assertThat(ehlo.text()).isEqualTo("EHLO a");
        assertThat(ehlo.bareLf()).isFalse();
        Line noop = in.readLine(100);
        assertThat(noop.text()).isEqualTo("NOOP");
        assertThat(noop.bareLf()).isTrue();
        assertThat(in.readLine(100).text()).isEqualTo("QUIT");
        assertThat(in.readLine(100).length()).isZero();
        assertThatThrownBy(() -> in.readLine(100)).isInstanceOf(EOFException.class);
    }

    @Test
    void lineOfExactlyTheLimitPassesOneMoreIsRefusedAndTheNextLineStillReads() throws IOException {
        ProtocolInput in = input("12345\r\n123456\r\nNEXT\r\n");
        assertThat(in.readLine(5).text()).isEqualTo("12345");
        assertThatThrownBy(() -> in.readLine(5)).isInstanceOf(LineTooLongException.class);
        assertThat(in.readLine(5).text()).isEqualTo("NEXT");
    }

    @Test
    void linesSpanningManyReadsAndACrSplitFromItsLf() throws IOException {
        ProtocolInput in = ProtocolInput.of(oneByteAtATime("MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n"));
        assertThat(in.readLine(100).text()).isEqualTo("MAIL FROM:<a@b.c>");
        Line rcpt = in.readLine(100);
        assertThat(rcpt.text()).isEqualTo("RCPT TO:<d@e.f>");
        assertThat(rcpt.bareLf()).isFalse();
    }

    @Test
    void tenMegabyteLineIsDiscardedInChunksAndTheSessionGoesOn() throws IOException {
        long size = 10L * 1024 * 1024;
        InputStream huge = new InputStream() {
            long left = size;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };
        ProtocolInput in = ProtocolInput.of(new SequenceInputStream(huge,
                new ByteArrayInputStream("\r\nQUIT\r\n".getBytes(US_ASCII))));
        assertThatThrownBy(() -> in.readLine(1000)).isInstanceOf(LineTooLongException.class);
        assertThat(in.readLine(1000).text()).isEqualTo("QUIT");
    }

    @Test
    void exactLengthChunksThenLinesAgain() throws IOException {
        ProtocolInput in = input("A1 APPEND INBOX {5}\r\nhello)\r\nBDAT\r\n");
        assertThat(in.readLine(100).text()).endsWith("{5}");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        in.readExact(5, sink);
        assertThat(sink.toString(US_ASCII)).isEqualTo("hello");
        assertThat(in.readLine(100).text()).isEqualTo(")");
        assertThat(new String(in.readExact(4), US_ASCII)).isEqualTo("BDAT");
        assertThat(in.buffered()).isEqualTo(2);
        assertThat(in.discardBuffered()).isEqualTo(2);
    }

    @Test
    void endOfStreamInsideALiteralIsEof() {
        ProtocolInput in = input("abc");
        assertThatThrownBy(() -> in.readExact(10, new ByteArrayOutputStream())).isInstanceOf(EOFException.class);
    }

    @Test
    void flushesRepliesOnlyWhenItMustWaitForThePeer() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        ProtocolInput in = new ProtocolInput(oneByteAtATime("A\r\nB\r\n"), Duration.ofSeconds(5), ms -> { },
                flushes::incrementAndGet, () -> false);
        in.readLine(10);
        in.readLine(10);
        // oneByteAtATime reports nothing available, so every refill counts as waiting for the peer.
        assertThat(flushes.get()).isEqualTo(6);
        ProtocolInput pipelined = new ProtocolInput(new ByteArrayInputStream("A\r\nB\r\n".getBytes(US_ASCII)),
                Duration.ofSeconds(5), ms -> { }, flushes::incrementAndGet, () -> false);
        flushes.set(0);
        pipelined.readLine(10);
        pipelined.readLine(10);
        assertThat(flushes.get()).as("both commands arrived together: no flush in between").isZero();
    }

    @Test
    void silentPeerHitsTheIdleTimeout() {
        SilentStream silent = new SilentStream();
        ProtocolInput in = new ProtocolInput(silent, Duration.ofMillis(150), silent::setTimeout, () -> { }, () -> false);
        assertThatThrownBy(() -> in.readLine(10)).isInstanceOfSatisfying(ReadTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ReadTimeoutException.Kind.IDLE));
    }

    @Test
    void deadlineEndsACommandThatNeverFinishes() throws IOException {
        SilentStream silent = new SilentStream();
        ProtocolInput in = new ProtocolInput(silent, Duration.ofMinutes(5), silent::setTimeout, () -> { }, () -> false);
        in.setDeadline(Duration.ofMillis(100));
        assertThatThrownBy(() -> in.readLine(10)).isInstanceOfSatisfying(ReadTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ReadTimeoutException.Kind.DEADLINE));
        in.clearDeadline();
        in.setIdleTimeout(Duration.ofMillis(50));
        assertThatThrownBy(() -> in.readLine(10)).isInstanceOfSatisfying(ReadTimeoutException.class,
                e -> assertThat(e.kind()).isEqualTo(ReadTimeoutException.Kind.IDLE));
    }

    @Test
    void stopSignalEndsOnlyASessionWaitingForANewLine() throws IOException {
        AtomicBoolean stop = new AtomicBoolean(true);
        SilentStream silent = new SilentStream();
        ProtocolInput idle = new ProtocolInput(silent, Duration.ofSeconds(5), silent::setTimeout, () -> { }, stop::get);
        assertThatThrownBy(() -> idle.readLine(10)).isInstanceOf(ServerStoppingException.class);
        idle.setIdleTimeout(Duration.ofMillis(200));
        idle.setDeadline(Duration.ofSeconds(5));
        assertThatThrownBy(() -> idle.readLine(10)).as("a command in progress (deadline set) is not interrupted")
                .isInstanceOf(ReadTimeoutException.class);

        InputStream halfLine = new SequenceInputStream(new ByteArrayInputStream("NO".getBytes(US_ASCII)), silent);
        ProtocolInput busy = new ProtocolInput(halfLine, Duration.ofMillis(200), silent::setTimeout, () -> { },
                stop::get);
        stop.set(false);
        busy.readExact(1);
        stop.set(true);
        assertThatThrownBy(() -> busy.readLine(10)).as("mid-line, the stop signal waits for the line")
                .isInstanceOf(ReadTimeoutException.class);
    }

    @Test
    void awaitCommandReturnsOnceAnOctetIsThereAndStopsLikeALineStart() throws IOException {
        ProtocolInput ready = input("5:hello,");
        ready.awaitCommand();
        assertThat(ready.buffered()).isEqualTo(8);
        assertThat(new String(ready.readExact(8), US_ASCII)).isEqualTo("5:hello,");

        AtomicBoolean stop = new AtomicBoolean(true);
        SilentStream silent = new SilentStream();
        ProtocolInput idle = new ProtocolInput(silent, Duration.ofSeconds(5), silent::setTimeout, () -> { }, stop::get);
        assertThatThrownBy(idle::awaitCommand).isInstanceOf(ServerStoppingException.class);
    }

    private static InputStream oneByteAtATime(String s) {
        byte[] bytes = s.getBytes(US_ASCII);
        return new InputStream() {
            int i;

            @Override
            public int read() {
                return i < bytes.length ? bytes[i++] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (i >= bytes.length) {
                    return -1;
                }
                b[off] = bytes[i++];
                return 1;
            }
        };
    }

    /** A peer that never sends: each read waits for the set timeout, then times out like a socket. */
    private static final class SilentStream extends InputStream {
        private volatile int timeout = 1000;

        void setTimeout(int millis) {
            timeout = millis;
        }

        @Override
        public int read() throws IOException {
            try {
                Thread.sleep(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new SocketTimeoutException("read timed out");
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return read();
        }
    }
}
