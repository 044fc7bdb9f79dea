package org.clustermail.node.config;

import java.time.Duration;
import org.clustermail.cluster.ClusterSettings;
import org.clustermail.cluster.channel.ChannelSettings;

/**
 * The {@code channel} section: the node channels between cluster nodes, failure detection, the spool and the
 * hand-back. Absent values take the defaults below. Immutable; validated on construction.
 *
 * @param connectTimeout   how long a connect may take before the peer counts as down (default 1s)
 * @param replyTimeout     how long to wait for one reply of a peer, its durable write included (default 60s)
 * @param maxConnections   persistent connections kept per peer (default 16)
 * @param healthInterval   how often every peer is probed (default 2s)
 * @param retryMin         first back-off of a spooled message, doubling per failure (default 1s)
 * @param retryMax         longest back-off of a spooled message (default 5m)
 * @param handBackInterval how often held mail is checked for a returned primary, besides at its return (default 30s)
 */
public record ChannelConfig(Duration connectTimeout, Duration replyTimeout, Integer maxConnections,
                            Duration healthInterval, Duration retryMin, Duration retryMax,
                            Duration handBackInterval) {

    public ChannelConfig {
        ClusterSettings d = ClusterSettings.defaults();
        connectTimeout = connectTimeout == null ? d.channel().connectTimeout() : connectTimeout;
        replyTimeout = replyTimeout == null ? d.channel().replyTimeout() : replyTimeout;
        maxConnections = maxConnections == null ? d.channel().maxConnections() : maxConnections;
        healthInterval = healthInterval == null ? d.healthInterval() : healthInterval;
        retryMin = retryMin == null ? d.retryMin() : retryMin;
        retryMax = retryMax == null ? d.retryMax() : retryMax;
        handBackInterval = handBackInterval == null ? d.handBackInterval() : handBackInterval;
        if (maxConnections < 1 || maxConnections > 1024) {
            throw new IllegalArgumentException("channel.maxConnections must be 1..1024, got " + maxConnections);
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero() || replyTimeout.isNegative()
                || replyTimeout.isZero()) {
            throw new IllegalArgumentException("channel.connectTimeout and channel.replyTimeout must be positive");
        }
        build(connectTimeout, replyTimeout, maxConnections, healthInterval, retryMin, retryMax, handBackInterval);
    }

    public static ChannelConfig defaults() {
        return new ChannelConfig(null, null, null, null, null, null, null);
    }

    /** As the cluster module takes them. */
    public ClusterSettings settings() {
        return build(connectTimeout, replyTimeout, maxConnections, healthInterval, retryMin, retryMax,
                handBackInterval);
    }

    private static ClusterSettings build(Duration connectTimeout, Duration replyTimeout, int maxConnections,
                                         Duration healthInterval, Duration retryMin, Duration retryMax,
                                         Duration handBackInterval) {
        ChannelSettings channel = new ChannelSettings(connectTimeout, replyTimeout, maxConnections,
                ChannelSettings.defaults().idleTimeout());
        try {
            return new ClusterSettings(channel, healthInterval, retryMin, retryMax, handBackInterval,
                    ClusterSettings.defaults().dedupRetention());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("channel: " + e.getMessage(), e);
        }
    }
}
