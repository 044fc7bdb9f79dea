package org.clustermail.directory.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.clustermail.directory.DirectoryException;
import org.clustermail.directory.LogonAttempt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes logon attempts to SQL in batches, off the logon path: {@link #accept} only queues (never blocks, never
 * touches SQL). A background thread writes what is queued every {@link #INTERVAL_MS} ms, in batches of
 * {@link #BATCH}. It never takes an attempt out of the queue except under the write lock, so {@link #flush} from
 * another thread writes every attempt queued before it (taking one out first and adding it to the batch after let a
 * flush miss it). While SQL is unreachable attempts wait in the queue (bounded: {@link #CAPACITY}; beyond it new
 * attempts are dropped and counted) and are written when SQL returns. Lifecycle: {@link #start()}, then
 * {@link #close()}, which writes what is left if it can. Thread-safe.
 */
public final class LogonRecorder implements Consumer<LogonAttempt>, AutoCloseable {

    static final int CAPACITY = 100_000;
    static final int BATCH = 500;
    static final long INTERVAL_MS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(LogonRecorder.class);

    private final Consumer<List<LogonAttempt>> sink;
    private final LinkedBlockingQueue<LogonAttempt> queue = new LinkedBlockingQueue<>(CAPACITY);
    private final Object writeLock = new Object();
    private final List<LogonAttempt> batch = new ArrayList<>(); // guarded by writeLock; kept until written
    private final AtomicLong dropped = new AtomicLong();
    private volatile Thread thread;
    private volatile boolean failing;

    /** @param sink writes one batch, e.g. {@code LogonLog::insert}; throws if it cannot */
    public LogonRecorder(Consumer<List<LogonAttempt>> sink) {
        this.sink = sink;
    }

    @Override
    public void accept(LogonAttempt attempt) {
        if (!queue.offer(attempt)) {
            if (dropped.getAndIncrement() % 10_000 == 0) {
                LOG.warn("logon history queue is full (SQL unreachable?): dropping logon records");
            }
        }
    }

    public synchronized void start() {
        if (thread == null) {
            thread = Thread.ofPlatform().daemon().name("logon-recorder").unstarted(this::run);
            thread.start();
        }
    }

    /** Writes everything queued now, in the caller's thread; throws {@link DirectoryException} if SQL fails. */
    public void flush() {
        synchronized (writeLock) {
            while (true) {
                queue.drainTo(batch, Math.max(0, BATCH - batch.size()));
                if (batch.isEmpty()) {
                    return;
                }
                sink.accept(batch);
                batch.clear();
            }
        }
    }

    /** Attempts dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Attempts not yet written. */
    public int pending() {
        synchronized (writeLock) {
            return queue.size() + batch.size();
        }
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            flush();
        } catch (DirectoryException e) {
            LOG.warn("{} logon records not written at shutdown: {}", pending(), e.getMessage());
        }
    }

    private void run() {
        while (thread == Thread.currentThread()) {
            try {
                Thread.sleep(INTERVAL_MS);
                flush();
                if (failing) {
                    failing = false;
                    LOG.info("logon history is being written to SQL again");
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // SQL down (DirectoryException) or a driver bug: keep the queue, retry
                if (!failing) {
                    failing = true;
                    LOG.warn("cannot write logon history to SQL, keeping it queued: {}", e.getMessage());
                }
                if (!pause()) {
                    return;
                }
            }
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(1_000);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
