package org.clustermail.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clustermail.cluster.channel.LmtpConnection;
import org.clustermail.directory.NodeId;

/**
 * Probes every peer's node-channel listener at a fixed interval (connect, LHLO, QUIT) and records the result in
 * {@link ClusterHealth}. Together with detection at connect this bounds how long a dead node goes unnoticed by
 * one interval plus the connect timeout, and notices a returning node within one interval.
 *
 * <p>A peer that refuses the connection (its process is gone) is marked down at the first failed probe. A peer
 * that is only slow (the connection or its answer timed out) is marked down after {@value #SLOW_PROBES_BEFORE_DOWN}
 * such probes in a row: a node busy with a full collection or a saturated CPU answers late but is alive, and marking
 * it down sends its users' mail to their secondaries and back, more work for a cluster already overloaded (a 4-node
 * cell of Postfix in front on 2 cores marked peers down 59 times that way in 15 minutes). Deliveries still mark a
 * peer down at their first failed connect, so mail never waits on a slow probe.
 *
 * <p>Each probe runs on its own virtual thread, so a peer that hangs delays only its own probe.
 */
public final class HealthMonitor implements AutoCloseable {

    /** Timed-out probes in a row before a peer that still accepts connections counts as down. */
    public static final int SLOW_PROBES_BEFORE_DOWN = 3;

    private final ClusterHealth health;
    private final Map<NodeId, AtomicInteger> slowProbes = new ConcurrentHashMap<>();
    private final Map<NodeId, InetSocketAddress> peers;
    private final Duration interval;
    private final Duration timeout;
    private final String localName;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("health-monitor").factory());

    public HealthMonitor(ClusterHealth health, Map<NodeId, InetSocketAddress> peers, Duration interval,
                         Duration timeout, String localName) {
        this.health = health;
        this.peers = Map.copyOf(peers);
        this.interval = interval;
        this.timeout = timeout;
        this.localName = localName;
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::probeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probeAll() {
        peers.forEach((node, address) -> Thread.ofVirtual().name("probe-" + node).start(() -> probe(node, address)));
    }

    /** One probe; public so a caller (or test) can force a check now. */
    public boolean probe(NodeId node, InetSocketAddress address) {
        AtomicInteger slow = slowProbes.computeIfAbsent(node, n -> new AtomicInteger());
        try (LmtpConnection c = LmtpConnection.open(address, localName, timeout, timeout)) {
            slow.set(0);
            health.markUp(node, "health probe answered");
            return true;
        } catch (SocketTimeoutException e) {
            int inRow = slow.incrementAndGet();
            if (inRow >= SLOW_PROBES_BEFORE_DOWN) {
                health.markDown(node, "health probe timed out " + inRow + " times in a row: " + e.getMessage());
            }
            return false;
        } catch (IOException e) {
            slow.set(0);
            health.markDown(node, "health probe failed: " + e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
