package org.clustermail.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a sweep at a fixed interval and whenever {@link #wake()} asks for one (e.g. when a node comes back up), never
 * two at once. The sweep itself should only start work (on virtual threads) and return, so that one slow peer does
 * not hold up the others. Lifecycle: {@link #start()}, {@link #close()}. Thread-safe.
 */
public final class Sweeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

    private final String name;
    private final Duration interval;
    private final Runnable sweep;
    private final ScheduledExecutorService timer;

    public Sweeper(String name, Duration interval, Runnable sweep) {
        this.name = name;
        this.interval = interval;
        this.sweep = sweep;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::runSafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Asks for a sweep now (in addition to the periodic ones). */
    public void wake() {
        if (!timer.isShutdown()) {
            try {
                timer.execute(this::runSafely);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: nothing more to sweep
            }
        }
    }

    private void runSafely() {
        try {
            sweep.run();
        } catch (RuntimeException e) {
            log.error("{}: sweep failed; will try again", name, e); // keep the schedule alive
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
