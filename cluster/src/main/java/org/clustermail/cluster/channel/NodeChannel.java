package org.clustermail.cluster.channel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.clustermail.cluster.ClusterHealth;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MessageContent;

/**
 * The paper's node channel to one peer node: persistent LMTP connections to the peer's node-channel listener,
 * reused across messages. A message for recipients owned by the peer goes over it directly, never through another
 * hop (version 2).
 *
 * <p>Where the paper has one node thread per peer serving requests in sequence, this keeps a small pool so that
 * concurrent deliveries to one peer can share that peer's group commit. A peer that refuses the connection is
 * marked down in {@link ClusterHealth} at once, and later transfers fail fast with
 * {@link NodeUnavailableException} until a probe sees it up again; other peers' channels are unaffected.
 *
 * <p>Thread-safe.
 */
public final class NodeChannel implements AutoCloseable {

    private final NodeId peer;
    private final InetSocketAddress address;
    private final String localName;
    private final ChannelSettings settings;
    private final ClusterHealth health;
    private final Semaphore permits;
    private final Deque<IdleConnection> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private record IdleConnection(LmtpConnection connection, long sinceNanos) {
    }

    public NodeChannel(NodeId peer, InetSocketAddress address, String localName, ChannelSettings settings,
                       ClusterHealth health) {
        this.peer = peer;
        this.address = address;
        this.localName = localName;
        this.settings = settings;
        this.health = health;
        this.permits = new Semaphore(settings.maxConnections(), true);
    }

    public NodeId peer() {
        return peer;
    }

    /**
     * Sends one message to the peer for the given recipients and returns the peer's reply for each.
     *
     * @throws NodeUnavailableException the peer is down or refused the connection: nothing was stored there
     * @throws TransferFailedException the connection broke after the content started: the outcome is unknown
     */
    public List<RecipientReply> transfer(String mailFrom, List<String> recipients, MessageContent content)
            throws NodeUnavailableException, TransferFailedException, InterruptedException {
        if (closed || !health.isUp(peer)) {
            throw new NodeUnavailableException(peer, closed ? "channel closed" : "marked down", null);
        }
        if (!permits.tryAcquire(settings.replyTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new NodeUnavailableException(peer, "no free connection within the reply timeout", null);
        }
        try {
            // A pooled connection may have been closed by the peer meanwhile: one retry on a fresh connection is
            // safe while no content was sent, because the peer cannot have stored anything.
            IdleConnection pooled = takeIdle();
            if (pooled != null) {
                try {
                    return sendAndPool(pooled.connection(), mailFrom, recipients, content);
                } catch (IOException e) {
                    if (pooled.connection().contentStarted()) {
                        throw new TransferFailedException(peer, e);
                    }
                }
            }
            LmtpConnection fresh = connect();
            try {
                return sendAndPool(fresh, mailFrom, recipients, content);
            } catch (IOException e) {
                if (!fresh.contentStarted()) {
                    health.markDown(peer, "transaction failed: " + e.getMessage());
                    throw new NodeUnavailableException(peer, e.getMessage(), e);
                }
                throw new TransferFailedException(peer, e);
            }
        } finally {
            permits.release();
        }
    }

    private List<RecipientReply> sendAndPool(LmtpConnection c, String mailFrom, List<String> recipients,
                                             MessageContent content) throws IOException {
        try {
            List<RecipientReply> replies = c.send(mailFrom, recipients, content);
            idle.addFirst(new IdleConnection(c, System.nanoTime()));
            if (closed) {
                drainIdle();
            }
            return replies;
        } catch (IOException e) {
            c.abort();
            throw e;
        }
    }

    private IdleConnection takeIdle() {
        IdleConnection c;
        while ((c = idle.pollFirst()) != null) {
            boolean fresh = System.nanoTime() - c.sinceNanos() < settings.idleTimeout().toNanos();
            if (fresh && c.connection().usable()) {
                return c;
            }
            closeQuietly(c.connection());
        }
        return null;
    }

    private LmtpConnection connect() throws NodeUnavailableException {
        try {
            LmtpConnection c = LmtpConnection.open(address, localName, settings.connectTimeout(), settings.replyTimeout());
            health.markUp(peer, "connected");
            return c;
        } catch (IOException e) {
            health.markDown(peer, "connect to " + address + " failed: " + e.getMessage());
            throw new NodeUnavailableException(peer, e.getMessage(), e);
        }
    }

    /** Closes connections idle longer than the idle timeout; the health monitor calls this now and then. */
    public void closeStaleConnections() {
        int n = idle.size();
        for (int i = 0; i < n; i++) {
            IdleConnection c = idle.pollLast();
            if (c == null) {
                return;
            }
            if (System.nanoTime() - c.sinceNanos() < settings.idleTimeout().toNanos() && c.connection().usable()) {
                idle.addLast(c);
            } else {
                closeQuietly(c.connection());
            }
        }
    }

    public int idleConnections() {
        return idle.size();
    }

    private void drainIdle() {
        IdleConnection c;
        while ((c = idle.pollFirst()) != null) {
            closeQuietly(c.connection());
        }
    }

    private static void closeQuietly(LmtpConnection c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // a connection we are discarding anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        drainIdle();
    }
}
