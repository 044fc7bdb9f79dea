package org.clustermail.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.clustermail.cluster.channel.LmtpConnection;
import org.clustermail.directory.NodeId;

/**
 * Probes every peer's node-channel listener at a fixed interval (connect, LHLO, QUIT) and records the result in
 * {@link ClusterHealth}. Together with detection at connect this bounds how long a dead node goes unnoticed by
 * one interval plus the connect timeout, and notices a returning node within one interval.
 *
 * <p>Each probe runs on its own virtual thread, so a peer that hangs delays only its own probe.
 */
public final class HealthMonitor implements AutoCloseable {

    private final ClusterHealth health;
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
        try (LmtpConnection c = LmtpConnection.open(address, localName, timeout, timeout)) {
            health.markUp(node, "health probe answered");
            return true;
        } catch (IOException e) {
            health.markDown(node, "health probe failed: " + e.getMessage());
            return false;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
