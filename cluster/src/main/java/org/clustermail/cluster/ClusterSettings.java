package org.clustermail.cluster;

import java.time.Duration;
import org.clustermail.cluster.channel.ChannelSettings;

/**
 * Tuning of a node's cluster parts. Immutable.
 *
 * @param channel          the node channels' timeouts and pool size
 * @param healthInterval   how often every peer is probed (bounds how long a dead or returning node goes unnoticed)
 * @param retryMin         first back-off of a spooled message; doubles per failed retry
 * @param retryMax         longest back-off of a spooled message
 * @param handBackInterval how often held mail is checked for a returned primary (besides at its return)
 * @param dedupRetention   how long transfer ids are remembered in memory (older ones are looked up in the store)
 */
public record ClusterSettings(ChannelSettings channel, Duration healthInterval, Duration retryMin, Duration retryMax,
                              Duration handBackInterval, Duration dedupRetention) {

    public ClusterSettings {
        for (Duration d : new Duration[] {healthInterval, retryMin, retryMax, handBackInterval, dedupRetention}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("cluster durations must be positive");
            }
        }
        if (retryMax.compareTo(retryMin) < 0) {
            throw new IllegalArgumentException("retryMax must not be shorter than retryMin");
        }
    }

    /** Probes every 2 s, spool retries from 1 s to 5 min, hand-back checks every 30 s, ids remembered 1 h. */
    public static ClusterSettings defaults() {
        return new ClusterSettings(ChannelSettings.defaults(), Duration.ofSeconds(2), Duration.ofSeconds(1),
                Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofHours(1));
    }
}
