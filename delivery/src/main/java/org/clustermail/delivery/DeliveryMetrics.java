package org.clustermail.delivery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The paper's per-message latency sections as Micrometer timers, {@code clustermail.delivery.stage} tagged
 * {@code stage=mta|setup|store|transfer} (Prometheus: {@code clustermail_delivery_stage_seconds}), with p50/p99,
 * plus counters of delivered and failed recipient copies. Every delivered message records all four stages, zero
 * for a stage it did not go through (transfer is zero on one node), so the four means add up to the mean total.
 *
 * <p>Thread-safe.
 */
public final class DeliveryMetrics {

    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
    private final Counter delivered;
    private final Counter failed;

    public DeliveryMetrics(MeterRegistry registry) {
        for (Stage s : Stage.values()) {
            stages.put(s, Timer.builder("clustermail.delivery.stage")
                    .description("Per-message latency of one delivery stage (the paper's MTA, setup, store, transfer)")
                    .tag("stage", s.tag())
                    .publishPercentiles(0.5, 0.99)
                    .register(registry));
        }
        delivered = copies(registry, "delivered");
        failed = copies(registry, "failed");
    }

    private static Counter copies(MeterRegistry registry, String outcome) {
        return Counter.builder("clustermail.delivery.copies").tag("outcome", outcome)
                .description("Recipient copies by outcome: delivered (durable) or failed").register(registry);
    }

    /** Records one message's stage times. */
    public void record(StageTimes times, int deliveredCopies, int failedCopies) {
        for (Stage s : Stage.values()) {
            stages.get(s).record(Duration.ofNanos(times.nanos(s)));
        }
        delivered.increment(deliveredCopies);
        failed.increment(failedCopies);
    }

    /** The timer of one stage (for tests and the benchmark). */
    public Timer timer(Stage stage) {
        return stages.get(stage);
    }
}
