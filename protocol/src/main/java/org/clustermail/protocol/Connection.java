package org.clustermail.protocol;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.clustermail.protocol.tls.ServerTls;

/**
 * One client connection as a protocol session sees it: bounded {@link #input()}, buffered {@link #output()}, the
 * peer's address, TLS state and the upgrade to TLS (STARTTLS/STLS), and the server's stop signal.
 *
 * <p>Invariants: after {@link #startTls()} nothing received in plain text before the handshake is ever read (it is
 * discarded, so a man in the middle cannot inject commands that seem to come over TLS). {@link #close()} is
 * idempotent. Threading: the session's thread owns input and TLS upgrade; {@link #output()}, {@link #close()} and
 * {@link #requestStop()} may be called from any thread.
 */
public final class Connection implements Closeable {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Optional<ServerTls> tls;
    private final Duration handshakeTimeout;
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final ProtocolInput input;
    private final ProtocolOutput output;
    private final Closeable plainStreams;
    private volatile Socket socket;
    private volatile boolean stopping;

    /**
     * A connection over an accepted socket (already TLS for implicit-TLS listeners).
     *
     * @param tls the server's TLS, offered for STARTTLS; empty if none is configured
     */
    public Connection(Socket socket, Optional<ServerTls> tls, Duration idleTimeout, Duration handshakeTimeout)
            throws IOException {
        this.socket = socket;
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
        this.remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.local = (InetSocketAddress) socket.getLocalSocketAddress();
        this.output = new ProtocolOutput(socket.getOutputStream());
        this.input = new ProtocolInput(socket.getInputStream(), idleTimeout,
                millis -> this.socket.setSoTimeout(millis), output::flush, () -> stopping);
        this.plainStreams = null;
    }

    private Connection(InputStream in, OutputStream out, InetSocketAddress remote) {
        this.tls = Optional.empty();
        this.handshakeTimeout = Duration.ZERO;
        this.remote = remote;
        this.local = new InetSocketAddress(remote.getAddress(), 0);
        this.output = new ProtocolOutput(out);
        this.input = new ProtocolInput(in, Duration.ofDays(1), millis -> { }, output::flush, () -> stopping);
        this.plainStreams = () -> {
            in.close();
            out.close();
        };
    }

    /** A connection over plain streams, without TLS: for session tests that need no socket. */
    public static Connection overStreams(InputStream in, OutputStream out, InetSocketAddress remote) {
        return new Connection(in, out, remote);
    }

    /** A short number that tells this connection apart in logs. */
    public long id() {
        return id;
    }

    public ProtocolInput input() {
        return input;
    }

    public ProtocolOutput output() {
        return output;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    public InetSocketAddress localAddress() {
        return local;
    }

    /** Whether this connection is encrypted (implicit TLS, or after {@link #startTls()}). */
    public boolean secure() {
        return socket instanceof SSLSocket;
    }

    /** The TLS session (protocol, cipher suite) once {@link #secure()}. */
    public Optional<SSLSession> tlsSession() {
        return socket instanceof SSLSocket ssl ? Optional.of(ssl.getSession()) : Optional.empty();
    }

    /** Whether {@link #startTls()} may be offered: TLS is configured and not yet in use. */
    public boolean canStartTls() {
        return tls.isPresent() && socket != null && !secure();
    }

    /**
     * Upgrades this connection to TLS in place, as server. Call it right after sending the protocol's "go ahead"
     * reply (it is flushed here). Plain-text input that arrived after the command is discarded.
     *
     * @return how many octets of pipelined plain text were discarded (0 for a well-behaved client)
     * @throws IllegalStateException if {@link #canStartTls()} is false
     * @throws IOException the handshake failed or timed out; the connection is unusable and must be closed
     */
    public int startTls() throws IOException {
        if (!canStartTls()) {
            throw new IllegalStateException("TLS is not available on this connection");
        }
        output.flush();
        int discarded = input.discardBuffered();
        SSLSocket ssl = tls.get().wrap(socket);
        ssl.setSoTimeout((int) handshakeTimeout.toMillis());
        ssl.startHandshake();
        socket = ssl;
        input.replaceStream(ssl.getInputStream());
        output.replaceStream(ssl.getOutputStream());
        return discarded;
    }

    /** Whether the server is stopping; a session should finish its current work and say goodbye. */
    public boolean stopping() {
        return stopping;
    }

    /** Asks the session to end at its next command (the listener calls this on graceful stop). */
    public void requestStop() {
        stopping = true;
    }

    /** Flushes what can be flushed, then closes the connection; never throws. */
    @Override
    public void close() {
        try {
            output.flush();
        } catch (IOException | RuntimeException e) {
            // The peer may be gone already; closing is all that is left to do.
        }
        try {
            if (plainStreams != null) {
                plainStreams.close();
            } else {
                socket.close();
            }
        } catch (IOException e) {
            // Closing a broken socket may fail; it is closed either way.
        }
    }

    @Override
    public String toString() {
        return "conn#" + id + "[" + remote + (secure() ? ", tls" : "") + "]";
    }
}
