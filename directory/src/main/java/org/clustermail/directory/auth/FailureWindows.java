package org.clustermail.directory.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.Optional;
import org.clustermail.directory.DirectoryConfig.LockoutConfig;

/**
 * Illegal-logon counters for one kind of key (accounts, or remote addresses): after {@code maxFailures} failures
 * within {@code window}, the key is locked for {@code coolDown}. Each key keeps only its last {@code maxFailures}
 * failure times. The table is bounded (at most {@link #MAX_KEYS} keys, idle ones expire), so a flood of made-up
 * names or addresses cannot exhaust memory. Node-local (see ADR 0004). Thread-safe.
 */
final class FailureWindows {

    static final int MAX_KEYS = 200_000;

    private final LockoutConfig config;
    private final Cache<String, Window> windows;

    FailureWindows(LockoutConfig config) {
        this.config = config;
        this.windows = Caffeine.newBuilder()
                .maximumSize(MAX_KEYS)
                .expireAfterAccess(config.window().plus(config.coolDown()))
                .build();
    }

    /** How much longer {@code key} stays locked at {@code nowMs}, if it is locked. */
    Optional<Duration> lockedFor(String key, long nowMs) {
        Window w = windows.getIfPresent(key);
        return w == null ? Optional.empty() : w.lockedFor(nowMs);
    }

    /** Counts a failure; returns true if it locked the key. */
    boolean failure(String key, long nowMs) {
        return windows.get(key, k -> new Window(config.maxFailures())).failure(nowMs, config);
    }

    void reset(String key) {
        windows.invalidate(key);
    }

    /** The last failure times of one key in a ring, and the end of its lock. */
    private static final class Window {
        private final long[] times;
        private int next;
        private int count;
        private long lockedUntil;

        Window(int size) {
            times = new long[size];
        }

        synchronized Optional<Duration> lockedFor(long nowMs) {
            return lockedUntil > nowMs ? Optional.of(Duration.ofMillis(lockedUntil - nowMs)) : Optional.empty();
        }

        synchronized boolean failure(long nowMs, LockoutConfig config) {
            times[next] = nowMs;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
            long oldest = times[next % times.length];
            if (count == times.length && nowMs - oldest < config.window().toMillis()) {
                lockedUntil = nowMs + config.coolDown().toMillis();
                count = 0; // the lock starts a fresh window once it ends
                return true;
            }
            return false;
        }
    }
}
