package org.clustermail.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.clustermail.store.fs.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes applied journal records redundant: notes the last applied sequence number S, flushes the whole file system
 * that holds the mailboxes ({@code sync -f}, i.e. syncfs(2): Java 21 has no API for it), which makes every mailbox
 * file and index entry written before the flush durable, then records S in the checkpoint file and deletes
 * segments holding only records up to S. Runs on its own thread every interval, and once at close.
 */
final class Checkpointer {

    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    private final Journal journal;
    private final Path file;
    private final Path syncTarget;
    private final Duration interval;
    private ScheduledExecutorService timer;
    private long checkpointed;

    Checkpointer(Journal journal, Path file, Path syncTarget, Duration interval) {
        this.journal = journal;
        this.file = file;
        this.syncTarget = syncTarget;
        this.interval = interval;
    }

    long read() throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(file);
        checkpointed = b.length == 8 ? ByteBuffer.wrap(b).getLong() : 0;
        return checkpointed;
    }

    void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("journal-checkpoint")
                .daemon().unstarted(r));
        timer.scheduleWithFixedDelay(this::checkpoint, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (timer != null) {
            timer.shutdown();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    synchronized void checkpoint() {
        long upTo = journal.appliedSeq();
        if (upTo <= checkpointed) {
            return;
        }
        try {
            syncFileSystem();
            DurableFiles.writeAtomically(file, ByteBuffer.allocate(8).putLong(upTo).array());
            checkpointed = upTo;
            trim(upTo);
        } catch (IOException e) {
            LOG.error("journal checkpoint failed; segments are kept and replayed at the next start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void syncFileSystem() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sync", "-f", syncTarget.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("sync -f " + syncTarget + " failed: " + out.strip());
        }
    }

    /** Deletes segments all of whose records are at or below {@code upTo}, never the one being written. */
    private void trim(long upTo) throws IOException {
        long current = journal.currentFirstSeq();
        for (Map.Entry<Long, Path> seg : journal.segments.entrySet()) {
            Long next = journal.segments.higherKey(seg.getKey());
            if (next == null || seg.getKey() >= current || next - 1 > upTo) {
                break;
            }
            Files.deleteIfExists(seg.getValue());
            journal.segments.remove(seg.getKey());
        }
    }
}
