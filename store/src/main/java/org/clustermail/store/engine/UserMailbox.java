package org.clustermail.store.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.clustermail.store.FolderChange;
import org.clustermail.store.FolderListener;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.StoreException;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.IndexFile;
import org.clustermail.store.index.IndexRecord;
import org.clustermail.store.index.UserIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live state of one user's mailbox on this node, shared by every session and delivery for that user: the
 * in-memory index, its file, the folder format, and the locks.
 *
 * <p>Locking: {@link #mutex} serialises mutations (file I/O included), as the paper serialises work per user;
 * {@link #state} guards the in-memory index, taken for writing only for the moment a change is applied, so readers
 * never wait for disk I/O. Every change is first written to the index file, then applied to memory, then announced
 * to listeners, in that order and under the mutex.
 *
 * <p>UIDs: {@link #nextUid} hands out UIDs before a message is written (the journal records the UID), and the
 * messages of a folder are applied in UID order, so no reader ever sees a gap filled in later.
 */
public final class UserMailbox {

    private static final Logger LOG = LoggerFactory.getLogger(UserMailbox.class);

    final MailboxOwner owner;
    final Path dir;
    final FolderFormat format;
    final boolean perFile;
    final ReentrantLock mutex = new ReentrantLock();
    final ReentrantReadWriteLock state = new ReentrantReadWriteLock();
    final UserIndex index;
    private IndexFile indexFile;
    private final Map<String, List<FolderListener>> listeners = new ConcurrentHashMap<>();
    private final Map<Long, Long> reservedNext = new ConcurrentHashMap<>(); // uidValidity -> next UID to hand out
    private long modseq;
    private boolean dirtyMarked;
    private final AtomicLong copiesExpected = new AtomicLong();
    private final Object appliedMonitor = new Object();
    private volatile long copiesApplied; // guarded by appliedMonitor for writes
    volatile boolean applyFailed; // a journaled copy could not be applied: later ones wait for the next start
    int references;             // guarded by the registry's monitor
    long cachedMessages;        // guarded by the registry's monitor: the count the registry last charged
    volatile boolean exclusive;

    UserMailbox(MailboxOwner owner, Path dir, FolderFormat format, boolean perFile, UserIndex index,
                IndexFile indexFile) {
        this.owner = owner;
        this.dir = dir;
        this.format = format;
        this.perFile = perFile;
        this.index = index;
        this.indexFile = indexFile;
        this.modseq = index.highestModseq();
    }

    /** The marker that says the index file may lag behind the message files (per-file mode, until closed). */
    static Path dirtyMarker(Path userDir) {
        return userDir.resolve("index.dirty");
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** Runs {@code read} on the index under the read lock. */
    <T> T read(Function<UserIndex, T> read) {
        state.readLock().lock();
        try {
            return read.apply(index);
        } finally {
            state.readLock().unlock();
        }
    }

    /** The folder, or {@code NO_SUCH_FOLDER}. Call under a lock. */
    FolderState folder(String name) {
        FolderState f = index.folder(FolderNames.canonical(name));
        if (f == null) {
            throw new StoreException(StoreException.Reason.NO_SUCH_FOLDER, "no folder " + name);
        }
        return f;
    }

    /** The folder with this name, else (renamed meanwhile) the one with this UIDVALIDITY, else null. */
    FolderState folder(FolderRef ref) {
        FolderState f = index.folder(ref.name());
        if (f != null && f.uidValidity() == ref.uidValidity()) {
            return f;
        }
        for (FolderState g : index.folders().values()) {
            if (g.uidValidity() == ref.uidValidity()) {
                return g;
            }
        }
        return null;
    }

    static FolderRef ref(FolderState f) {
        return new FolderRef(f.name(), f.uidValidity());
    }

    // ---- mutating (caller holds mutex) ---------------------------------------------------------------------------

    /**
     * A journaled copy was given a UID here and is acknowledged once durable, before it is applied. Caller holds
     * the mutex, so copies are expected in the order the journal's lane for this user applies them.
     */
    void expectApply() {
        copiesExpected.incrementAndGet();
    }

    /** The journal applied (or abandoned) the oldest expected copy. */
    void applied() {
        synchronized (appliedMonitor) {
            copiesApplied++;
            appliedMonitor.notifyAll();
        }
    }

    /**
     * Waits until every copy expected before this call is applied, so a reader sees each message acknowledged
     * before it looked. Free when none is in flight; otherwise microseconds to a few milliseconds (the lane's
     * work on this user). Later deliveries do not hold it up.
     */
    void awaitApplied() {
        long target = copiesExpected.get();
        if (copiesApplied >= target) {
            return;
        }
        synchronized (appliedMonitor) {
            while (copiesApplied < target) {
                try {
                    appliedMonitor.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StoreException(StoreException.Reason.UNAVAILABLE,
                            "interrupted while waiting for deliveries to " + owner.userId());
                }
            }
        }
    }

    /** The dirty marker was found at load: it stays until {@link #close} has forced the index. */
    void markedDirty() {
        dirtyMarked = true;
    }

    /** Hands out the next UID of a folder. Caller holds the mutex. */
    long nextUid(FolderState f) {
        long next = Math.max(f.uidNext(), reservedNext.getOrDefault(f.uidValidity(), 1L));
        reservedNext.put(f.uidValidity(), next + 1);
        return next;
    }

    /** The UID {@link #nextUid} would hand out now; above it nothing is in flight. Caller holds the mutex. */
    long peekNextUid(FolderState f) {
        return Math.max(f.uidNext(), reservedNext.getOrDefault(f.uidValidity(), 1L));
    }

    /** Makes sure later UIDs of the folder are at least {@code next}. Caller holds the mutex. */
    void reserveAtLeast(FolderState f, long next) {
        reservedNext.merge(f.uidValidity(), next, Math::max);
    }

    /** Hands out the next modseq. Caller holds the mutex. */
    long nextModseq() {
        modseq = Math.max(modseq, index.highestModseq()) + 1;
        return modseq;
    }

    /**
     * Writes records to the index file, then applies them to memory. {@code force}: fsync the index before
     * returning (changes only the index holds); otherwise the message files or the journal are the durable copy.
     */
    void commit(List<IndexRecord> records, boolean force) {
        try {
            if (!force && perFile && !dirtyMarked) {
                Files.write(dirtyMarker(dir), new byte[0]);
                DurableFiles.syncDirectory(dir);
                dirtyMarked = true;
            }
            indexFile.append(records);
            if (force) {
                indexFile.force();
            }
        } catch (IOException e) {
            throw DurableFiles.failure("cannot write the index of " + owner.userId(), e);
        }
        state.writeLock().lock();
        try {
            for (IndexRecord r : records) {
                index.apply(r);
            }
        } finally {
            state.writeLock().unlock();
        }
        compactIfLarge();
    }

    private void compactIfLarge() {
        if (!index.hasSummaries()) {
            return; // compaction writes the summaries out; the next full load compacts
        }
        long live = index.messageCount() + index.folders().size() * 2L + 16;
        if (index.recordCount() < 2 * live + 1000) {
            return;
        }
        try {
            List<IndexRecord> snapshot;
            state.readLock().lock();
            try {
                snapshot = index.compactRecords();
            } finally {
                state.readLock().unlock();
            }
            indexFile.rewrite(snapshot);
        } catch (IOException e) {
            LOG.warn("index compaction of {} failed, keeping the long file: {}", owner.userId(), e.toString());
        }
    }

    /** Tells the folder's listeners. Caller holds the mutex, so changes are announced in order. */
    void announce(FolderChange change) {
        List<FolderListener> ls = listeners.get(change.folder());
        if (ls == null) {
            return;
        }
        for (FolderListener l : ls) {
            try {
                l.changed(change);
            } catch (RuntimeException e) {
                LOG.warn("folder listener failed on {}", change, e);
            }
        }
    }

    Runnable addListener(String folder, FolderListener l) {
        List<FolderListener> ls = listeners.computeIfAbsent(folder, k -> new CopyOnWriteArrayList<>());
        ls.add(l);
        return () -> ls.remove(l);
    }

    /** A UIDVALIDITY above every one this user has had. Caller holds the mutex. */
    long newUidValidity() {
        long v = Instant.now().getEpochSecond();
        for (FolderState f : index.folders().values()) {
            v = Math.max(v, f.uidValidity() + 1);
        }
        for (long r : reservedNext.keySet()) {
            v = Math.max(v, r + 1);
        }
        reservedNext.putIfAbsent(v, 1L);
        return v;
    }

    /** The live message count over all folders. */
    long messageCount() {
        return read(UserIndex::messageCount);
    }

    /** How many message summaries this mailbox holds in memory (none when loaded for deliveries only). */
    long cachedSummaries() {
        return read(UserIndex::summaryCount);
    }

    /**
     * Brings the summaries into memory if the mailbox holds only its folders' counters: replays the index file,
     * which holds every change memory has (each is written there first, under the mutex held here).
     */
    void ensureSummaries() {
        mutex.lock();
        try {
            if (index.hasSummaries()) {
                return;
            }
            UserIndex loaded = new UserIndex();
            try {
                indexFile.readRecords().forEach(loaded::apply);
            } catch (IOException e) {
                throw DurableFiles.failure("cannot read the index of " + owner.userId(), e);
            }
            state.writeLock().lock();
            try {
                index.replaceWith(loaded);
            } finally {
                state.writeLock().unlock();
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Drops the summaries of a mailbox nobody uses, keeping the counters deliveries need; false if someone holds
     * a lock on it (the registry calls this under its monitor, so it must not wait).
     */
    boolean dropSummariesIfFree() {
        if (!mutex.tryLock()) {
            return false;
        }
        try {
            if (!state.writeLock().tryLock()) {
                return false;
            }
            try {
                index.dropSummaries();
                return true;
            } finally {
                state.writeLock().unlock();
            }
        } finally {
            mutex.unlock();
        }
    }

    /**
     * Closes the index file's descriptor of an idle mailbox (the next change opens it again); skipped if someone
     * holds the mutex, who is then using the mailbox anyway.
     */
    void releaseFiles() {
        if (mutex.tryLock()) {
            try {
                indexFile.release();
            } catch (IOException e) {
                LOG.warn("releasing the index file of {}: {}", owner.userId(), e.toString());
            } finally {
                mutex.unlock();
            }
        }
    }

    /**
     * Closes the index file (eviction, shutdown). Per-file mode first forces the appends it left unforced, so the
     * dirty marker can go; in group-commit mode those appends are the journal's (a checkpoint's file-system flush
     * or a replay makes them durable), so closing costs no fsync.
     */
    void close() {
        mutex.lock();
        try {
            if (dirtyMarked) {
                indexFile.force();
                Files.deleteIfExists(dirtyMarker(dir));
                dirtyMarked = false;
            }
            indexFile.close();
        } catch (IOException e) {
            LOG.warn("closing the index of {}: {}", owner.userId(), e.toString());
        } finally {
            mutex.unlock();
        }
    }

    /** Replaces the index file after a rebuild. Caller holds the mutex. */
    void replaceIndexFile(IndexFile f) {
        indexFile = f;
    }

    List<String> folderNamesUnderLock() {
        return new ArrayList<>(index.folderNames());
    }
}
