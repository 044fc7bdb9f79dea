package org.clustermail.store.journal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The threads that apply durable journal records to mailboxes. A mailbox always goes to the same lane (by user ID),
 * so one user's records are applied in journal order, hence in UID order; different users' records are applied in
 * parallel, and while the writer already forces the next batch.
 */
final class ApplyLanes {

    private final ExecutorService[] lanes;

    ApplyLanes(int count) {
        lanes = new ExecutorService[count];
        for (int i = 0; i < count; i++) {
            String name = "journal-apply-" + i;
            lanes[i] = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
        }
    }

    void run(String userId, Runnable task) {
        lanes[Math.floorMod(userId.hashCode(), lanes.length)].execute(task);
    }

    /** Finishes what was queued, then stops. */
    void shutdown() {
        for (ExecutorService lane : lanes) {
            lane.shutdown();
        }
        for (ExecutorService lane : lanes) {
            try {
                lane.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
