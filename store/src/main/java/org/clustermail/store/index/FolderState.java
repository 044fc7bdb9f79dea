package org.clustermail.store.index;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.FolderStatus;
import org.clustermail.store.MessageRef;
import org.clustermail.store.SpecialUse;
import org.clustermail.store.SystemFlag;

/**
 * The in-memory index of one folder: its identifiers, counters, and messages in increasing UID order.
 *
 * <p>Invariants: {@code messages} is sorted by UID; every UID is below {@code uidNext}; {@code count}, {@code unseen}
 * and {@code totalSize} match the messages. Not thread-safe: {@link UserIndex} guards it.
 *
 * <p>A folder loaded only to take deliveries keeps its counters but not its summaries ({@link #dropSummaries}): a
 * delivery needs only the next UID, and summaries kept for users nobody reads filled the heap (BENCHMARKS.md, "the
 * summary cache churns"). Then new messages only move the counters, and what needs the messages themselves fails
 * until the owning mailbox loads them again.
 */
public final class FolderState {

    private String name;
    private final long uidValidity;
    private final Set<SpecialUse> specialUse;
    private long uidNext = 1;
    private long highestModseq;
    private ArrayList<StoredMessage> messages = new ArrayList<>(); // null: counters only
    private int count;
    private int unseen;
    private long totalSize;
    private long version;
    private Instant latestArrival;
    private long arrivalLateness; // nanoseconds: how far at most a message's internal date lies before a lower UID's

    FolderState(String name, long uidValidity, Set<SpecialUse> specialUse) {
        this.name = name;
        this.uidValidity = uidValidity;
        this.specialUse = Set.copyOf(specialUse);
    }

    public String name() {
        return name;
    }

    void rename(String newName) {
        name = newName;
        version++;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public Set<SpecialUse> specialUse() {
        return specialUse;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    /** Changes with every mutation; lets caches (sorted listings) know they are stale. */
    public long version() {
        return version;
    }

    public int size() {
        return count;
    }

    /** Whether the messages' summaries are in memory, not only the counters. */
    public boolean hasSummaries() {
        return messages != null;
    }

    /** Keeps only the counters; the messages are loaded again from the index file when needed. */
    void dropSummaries() {
        messages = null;
    }

    public int unseen() {
        return unseen;
    }

    /**
     * How far (nanoseconds) a message's internal date lies at most before the latest internal date among the
     * messages with lower UIDs: 0 when UID order is arrival order; microseconds when concurrent deliveries took
     * their dates and UIDs in different orders; large after an APPEND of old mail. Lets listings stop early.
     */
    public long arrivalLatenessNanos() {
        return arrivalLateness;
    }

    /** The message with this UID, or null. */
    public StoredMessage find(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? messages.get(i) : null;
    }

    /** Messages in UID order; the list is live, callers copy what they keep. */
    List<StoredMessage> messages() {
        return summaries();
    }

    /** A copy of the messages, for work done outside the lock. */
    public List<StoredMessage> copyMessages() {
        return new ArrayList<>(summaries());
    }

    public FolderSnapshot snapshot() {
        List<MessageRef> refs = new ArrayList<>(count);
        for (StoredMessage m : summaries()) {
            refs.add(m.ref());
        }
        return new FolderSnapshot(name, uidValidity, uidNext, highestModseq, refs);
    }

    public FolderStatus status() {
        return new FolderStatus(name, uidValidity, uidNext, highestModseq, count, unseen, totalSize);
    }

    private ArrayList<StoredMessage> summaries() {
        if (messages == null) {
            throw new IllegalStateException("folder " + name + " holds counters only (loaded for a delivery)");
        }
        return messages;
    }

    void add(StoredMessage m) {
        if (m.uid() < uidNext) {
            throw new IllegalStateException("UID " + m.uid() + " not above UIDNEXT " + uidNext + " in " + name);
        }
        noteArrival(m.internalDate());
        if (messages != null) {
            messages.add(m);
        }
        uidNext = m.uid() + 1;
        count(m, 1);
        modseq(m.modseq());
    }

    void replace(StoredMessage m) {
        int i = indexOf(m.uid());
        if (i < 0) {
            return;
        }
        count(messages.get(i), -1);
        messages.set(i, m);
        count(m, 1);
        modseq(m.modseq());
    }

    void remove(Collection<Long> uids, long modseq) {
        Set<Long> gone = new HashSet<>(uids);
        summaries().removeIf(m -> {
            if (gone.contains(m.uid())) {
                count(m, -1);
                return true;
            }
            return false;
        });
        if (arrivalLateness > 0) { // the late ones may be gone
            latestArrival = null;
            arrivalLateness = 0;
            messages.forEach(m -> noteArrival(m.internalDate()));
        }
        modseq(modseq);
    }

    private void noteArrival(Instant date) {
        if (latestArrival == null || date.isAfter(latestArrival)) {
            latestArrival = date;
        } else if (date.isBefore(latestArrival)) {
            long late;
            try {
                late = java.time.Duration.between(date, latestArrival).toNanos();
            } catch (ArithmeticException e) {
                late = Long.MAX_VALUE;
            }
            arrivalLateness = Math.max(arrivalLateness, late);
        }
    }

    void counters(long next, long modseq) {
        uidNext = Math.max(uidNext, next);
        modseq(modseq);
    }

    private void modseq(long modseq) {
        highestModseq = Math.max(highestModseq, modseq);
        version++;
    }

    private void count(StoredMessage m, int sign) {
        count += sign;
        totalSize += sign * m.size();
        if (!m.flags().has(SystemFlag.SEEN)) {
            unseen += sign;
        }
    }

    private int indexOf(long uid) {
        List<StoredMessage> list = summaries();
        int lo = 0;
        int hi = list.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long u = list.get(mid).uid();
            if (u < uid) {
                lo = mid + 1;
            } else if (u > uid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }
}
