package org.clustermail.delivery;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The time one message spent in each of the paper's stages. Thread-safe: targets working in parallel on one
 * message add their times concurrently.
 */
public final class StageTimes {

    private final Map<Stage, Long> nanos = new EnumMap<>(Stage.class);

    public synchronized void add(Stage stage, long elapsedNanos) {
        nanos.merge(stage, elapsedNanos, Long::sum);
    }

    public synchronized long nanos(Stage stage) {
        return nanos.getOrDefault(stage, 0L);
    }

    /** {@code mta=1.20ms setup=0.01ms store=3.40ms transfer=0.00ms}, for the per-message log line. */
    @Override
    public synchronized String toString() {
        return java.util.Arrays.stream(Stage.values())
                .map(s -> String.format("%s=%.2fms", s.tag(), nanos(s) / 1e6))
                .collect(Collectors.joining(" "));
    }
}
