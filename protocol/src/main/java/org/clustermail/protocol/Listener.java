package org.clustermail.protocol;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLSocket;
import org.clustermail.protocol.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listening socket: accepts connections and runs each session on its own virtual thread, at most
 * {@link ListenerConfig#maxConnections()} at once (a semaphore; the rest are {@linkplain ConnectionHandler#refuse
 * refused}). For implicit TLS the handshake runs on the connection's thread, so a slow or garbage handshake never
 * holds up accepting.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #stop(Duration)} once. Stopping is graceful: no new connections,
 * sessions waiting for a command are told to say goodbye, sessions in the middle of a command (a DATA transfer, a
 * store) get until the deadline, then whatever is left is closed. Threading: start/stop from any one thread; the
 * accept loop and sessions run on virtual threads.
 */
public final class Listener {

    private static final Logger log = LoggerFactory.getLogger(Listener.class);
    private static final long ACCEPT_RETRY_MILLIS = 50;

    private final ListenerConfig config;
    private final ConnectionHandler handler;
    private final Optional<ServerTls> tls;
    private final Semaphore permits;
    private final Set<Connection> active = ConcurrentHashMap.newKeySet();
    private final Set<Thread> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;
    private ServerSocket server;
    private Thread acceptor;

    /**
     * @param tls the node's TLS: required for implicit TLS, and offered for STARTTLS on plain listeners when present
     */
    public Listener(ListenerConfig config, ConnectionHandler handler, Optional<ServerTls> tls) {
        if (config.implicitTls() && tls.isEmpty()) {
            throw new IllegalArgumentException(config.name() + ": implicit TLS needs a certificate");
        }
        this.config = config;
        this.handler = handler;
        this.tls = tls;
        this.permits = new Semaphore(config.maxConnections());
    }

    /** Binds the socket and starts accepting; returns once the port is bound. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException(config.name() + " already started");
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        try {
            socket.bind(new InetSocketAddress(config.host(), config.port()), 512);
        } catch (IOException e) {
            socket.close();
            throw new IOException(config.name() + ": cannot listen on " + config.host() + ":" + config.port()
                    + ": " + e.getMessage(), e);
        }
        server = socket;
        acceptor = Thread.ofVirtual().name(config.name() + "-accept").start(this::acceptLoop);
        log.info("{} listening on {}:{}{}", config.name(), config.host(), port(),
                config.implicitTls() ? " (TLS)" : "");
    }

    /** The bound port (the real one when the configured port was 0). */
    public int port() {
        return server.getLocalPort();
    }

    public ListenerConfig config() {
        return config;
    }

    /** Sessions being served right now (not counting refused connections). */
    public int activeConnections() {
        return config.maxConnections() - permits.availablePermits();
    }

    /**
     * Stops accepting, asks every session to end and waits up to {@code grace} for them; then closes the rest.
     * Returns when every session thread has ended (or a second after the forced close).
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (server == null || stopping) {
                return;
            }
            stopping = true;
        }
        closeQuietly(server);
        active.forEach(Connection::requestStop);
        long deadline = System.nanoTime() + grace.toNanos();
        awaitSessions(deadline);
        if (!sessions.isEmpty()) {
            log.warn("{}: {} session(s) still running after {}; closing them", config.name(), sessions.size(), grace);
            active.forEach(Connection::close);
            awaitSessions(System.nanoTime() + Duration.ofSeconds(1).toNanos());
        }
        try {
            acceptor.join(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("{} stopped", config.name());
    }

    private void awaitSessions(long deadlineNanos) {
        for (Thread t : sessions) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                t.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void acceptLoop() {
        long failedInARow = 0;
        while (!stopping) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!stopping) {
                    failedInARow++;
                    if (Long.bitCount(failedInARow) == 1) { // the 1st, 2nd, 4th, 8th ... failure in a row
                        log.warn("{}: accept failed ({} in a row): {}", config.name(), failedInARow, e.toString());
                    }
                    if (!pauseAfterFailedAccept()) {
                        return; // interrupted: the one request an acceptor gets besides stop()
                    }
                }
                continue;
            }
            failedInARow = 0;
            Thread t = Thread.ofVirtual().name(config.name() + "-session").unstarted(() -> run(socket));
            sessions.add(t);
            t.start();
        }
    }

    /**
     * A failed accept (mostly: the process is out of file descriptors) fails again at once until something closes;
     * retrying at once spun a core and wrote 15 million identical warnings in five minutes, hence this pause and
     * the warnings only at powers of two. False if interrupted: retrying then would spin again, since every later
     * sleep would end at once.
     */
    private static boolean pauseAfterFailedAccept() {
        try {
            Thread.sleep(ACCEPT_RETRY_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run(Socket socket) {
        boolean admitted = permits.tryAcquire();
        Connection connection = null;
        try {
            socket.setTcpNoDelay(true);
            if (!admitted && config.implicitTls()) {
                return; // no handshake work for connections we refuse anyway
            }
            connection = open(socket);
            active.add(connection);
            if (stopping) {
                connection.requestStop();
            }
            if (admitted) {
                handler.serve(connection);
            } else {
                handler.refuse(connection);
            }
        } catch (IOException e) {
            log.debug("{}: {} ended: {}", config.name(), connection != null ? connection : socket, e.toString());
        } catch (RuntimeException e) {
            log.error("{}: session {} failed", config.name(), connection, e);
        } finally {
            if (connection != null) {
                connection.close();
                active.remove(connection);
            } else {
                closeQuietly(socket);
            }
            if (admitted) {
                permits.release();
            }
            sessions.remove(Thread.currentThread());
        }
    }

    private Connection open(Socket socket) throws IOException {
        Socket s = socket;
        if (config.implicitTls()) {
            SSLSocket ssl = tls.orElseThrow().wrap(socket);
            ssl.setSoTimeout((int) config.handshakeTimeout().toMillis());
            ssl.startHandshake();
            s = ssl;
        }
        return new Connection(s, tls, config.idleTimeout(), config.handshakeTimeout());
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            // Nothing useful to do when closing fails.
        }
    }

    @Override
    public String toString() {
        return config.name() + (server != null && !server.isClosed() ? ":" + port() : "");
    }
}
