package org.clustermail.cluster.channel;

import java.time.Duration;

/**
 * Tuning of the node channels.
 *
 * @param connectTimeout how long a connect may take before the peer counts as down (LAN: well under a second)
 * @param replyTimeout how long to wait for any one reply (covers the peer's durable write)
 * @param maxConnections persistent connections kept per peer; transfers beyond it wait for a free one
 * @param idleTimeout idle connections older than this are closed instead of reused (peers drop them anyway)
 */
public record ChannelSettings(Duration connectTimeout, Duration replyTimeout, int maxConnections,
                              Duration idleTimeout) {

    public static ChannelSettings defaults() {
        return new ChannelSettings(Duration.ofMillis(1000), Duration.ofSeconds(60), 16, Duration.ofSeconds(50));
    }

    public ChannelSettings {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1");
        }
    }
}
