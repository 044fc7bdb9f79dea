package org.clustermail.store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Configuration of a node's store, validated on construction.
 *
 * @param dataDir            the data root; mailboxes live under {@code dataDir/nodeDir/<serial mod 300>/<userId>/}
 * @param nodeDir            this node's directory name, e.g. {@code node01}
 * @param format             how a folder is kept on disk
 * @param durability         how a delivery is made durable
 * @param checkpointInterval group commit: how often applied mailbox files are made durable in bulk and the
 *                           journal trimmed
 * @param maxOpenMailboxes   how many users' indexes stay in memory when no session holds them (LRU)
 * @param maxCachedMessages  how many message summaries the idle mailboxes in memory may hold together: beyond it
 *                           the least recently used idle mailboxes keep only their folders' counters (a summary
 *                           costs about a kilobyte of heap, so this, not the mailbox count, bounds the memory of a
 *                           node whose users have large folders; only mailboxes a session opened hold summaries)
 */
public record StoreConfig(Path dataDir, String nodeDir, Format format, Durability durability,
                          Duration checkpointInterval, int maxOpenMailboxes, long maxCachedMessages) {

    /**
     * The default summary budget: about 0.5 GB of heap at the measured ~940 bytes per summary (BENCHMARKS.md,
     * store: heap per mailbox and per summary).
     */
    public static final long DEFAULT_MAX_CACHED_MESSAGES = 500_000;

    /** On-disk format of folders. */
    public enum Format {
        /** One file per message, Maildir++ folders; readable by mutt and other Maildir tools. The default. */
        MAILDIR,
        /** One mboxrd file per folder (the paper's {@code mbox}), appended under the user's lock. */
        MBOX
    }

    /** How an acknowledged delivery is made durable. */
    public enum Durability {
        /** Each message file is fsync'd, renamed into place and its directory fsync'd (Dovecot's way). */
        PER_FILE,
        /** Deliveries are appended to a node journal; one force() covers a whole batch (group commit). */
        GROUP_COMMIT
    }

    public StoreConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(checkpointInterval, "checkpointInterval");
        if (nodeDir == null || !nodeDir.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("nodeDir must be 1-64 characters of A-Z a-z 0-9 _ -, e.g. node01");
        }
        if (checkpointInterval.isNegative() || checkpointInterval.isZero()) {
            throw new IllegalArgumentException("checkpointInterval must be positive");
        }
        if (maxOpenMailboxes < 1) {
            throw new IllegalArgumentException("maxOpenMailboxes must be at least 1");
        }
        if (maxCachedMessages < 0) {
            throw new IllegalArgumentException("maxCachedMessages must not be negative");
        }
    }

    /** With the default summary budget. */
    public StoreConfig(Path dataDir, String nodeDir, Format format, Durability durability,
                       Duration checkpointInterval, int maxOpenMailboxes) {
        this(dataDir, nodeDir, format, durability, checkpointInterval, maxOpenMailboxes,
                DEFAULT_MAX_CACHED_MESSAGES);
    }

    /**
     * The defaults: Maildir, group commit, checkpoint every 5 s; idle mailboxes and their summaries in memory within
     * a budget that fits this JVM's heap ({@link #cacheBudget}).
     */
    public static StoreConfig defaults(Path dataDir, String nodeDir) {
        return new StoreConfig(dataDir, nodeDir, Format.MAILDIR, Durability.GROUP_COMMIT, Duration.ofSeconds(5),
                50_000, DEFAULT_MAX_CACHED_MESSAGES).withCache(cacheBudget(Runtime.getRuntime().maxMemory()));
    }

    /** Measured heap of an empty mailbox in memory and of one summary (BENCHMARKS.md, store). */
    static final long BYTES_PER_MAILBOX = 2_600;
    static final long BYTES_PER_SUMMARY = 940;

    /**
     * The idle-mailbox cache for a heap of {@code maxHeapBytes}: a tenth of it for mailboxes, three tenths for
     * summaries, at most 50,000 mailboxes and {@link #DEFAULT_MAX_CACHED_MESSAGES} summaries (reached at about
     * 1.6 GB of heap). Without the heap in the sum a node started with a small -Xmx (384 MB in the benchmarks) and
     * 50,000 users with mail filled its heap with cached summaries and spent its time in full collections.
     */
    static long[] cacheBudget(long maxHeapBytes) {
        long mailboxes = Math.max(1_000, Math.min(50_000, maxHeapBytes / 10 / BYTES_PER_MAILBOX));
        long messages = Math.max(10_000, Math.min(DEFAULT_MAX_CACHED_MESSAGES, maxHeapBytes * 3 / 10
                / BYTES_PER_SUMMARY));
        return new long[] {mailboxes, messages};
    }

    private StoreConfig withCache(long[] budget) {
        return withCache((int) budget[0], budget[1]);
    }

    public StoreConfig withFormat(Format f) {
        return new StoreConfig(dataDir, nodeDir, f, durability, checkpointInterval, maxOpenMailboxes,
                maxCachedMessages);
    }

    public StoreConfig withDurability(Durability d) {
        return new StoreConfig(dataDir, nodeDir, format, d, checkpointInterval, maxOpenMailboxes, maxCachedMessages);
    }

    /** The same with other memory bounds for idle mailboxes. */
    public StoreConfig withCache(int mailboxes, long messages) {
        return new StoreConfig(dataDir, nodeDir, format, durability, checkpointInterval, mailboxes, messages);
    }

    /** {@code dataDir/nodeDir}. */
    public Path nodePath() {
        return dataDir.resolve(nodeDir);
    }
}
