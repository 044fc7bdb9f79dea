package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.clustermail.retrieval.imap.command.SequenceSet;
import org.clustermail.store.FlagUpdate;
import org.clustermail.store.FolderChange;
import org.clustermail.store.FolderListener;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;

/**
 * A session's view of its selected folder: the messages as this client knows them (message sequence number
 * {@code n} is {@code view.get(n - 1)}), and the changes others made that it has not been told yet.
 *
 * <p>Invariant: the view changes only when the client is told — new messages with {@code EXISTS}, removals with
 * {@code EXPUNGE} (only when RFC 3501 section 7.4.1 allows it, so a client's sequence numbers never shift under a
 * FETCH, STORE or SEARCH), flag changes with {@code FETCH FLAGS}. New messages are claimed as \Recent for this
 * session when it is told of them ({@link RecentMessages}). Changes arrive from the store's listener on any
 * thread and are queued in order; {@link #announce} applies them in that order, so a message added and removed
 * before the client heard of it is never shown.
 *
 * <p>Threading: {@link #changed} is called from any thread (lock-free queue); everything else from the session's
 * thread, or from its IDLE notifier while the session thread only waits for {@code DONE}.
 */
final class SelectedFolder implements FolderListener {

    private final String name;
    private final boolean readOnly;
    private final String owner;
    private final RecentMessages recentMarks;
    /** This session's \Recent messages: UID ranges (low exclusive, high inclusive), ascending and disjoint. */
    private final List<long[]> recentRanges = new ArrayList<>();
    private final ConcurrentLinkedQueue<FolderChange> queue = new ConcurrentLinkedQueue<>();
    private final ArrayList<MessageRef> view = new ArrayList<>();
    /** New messages not yet announced, by UID. */
    private final LinkedHashMap<Long, MessageRef> pendingNew = new LinkedHashMap<>();
    private final Map<Long, FlagUpdate> pendingFlags = new LinkedHashMap<>();
    private final TreeSet<Long> pendingExpunges = new TreeSet<>();
    private volatile Runnable wakeUp = () -> { };
    private volatile boolean gone;
    private Mailbox.Registration registration;
    private long uidValidity;
    private long uidNext;
    private long highestModseq;

    private SelectedFolder(String name, boolean readOnly, String owner, RecentMessages recentMarks) {
        this.name = name;
        this.readOnly = readOnly;
        this.owner = owner;
        this.recentMarks = recentMarks;
    }

    /**
     * Selects {@code folder}: listens first, then takes the snapshot, so no change can fall in between; then claims
     * the messages recent for this session.
     */
    static SelectedFolder open(Mailbox mailbox, String folder, boolean readOnly, RecentMessages recent) {
        SelectedFolder f = new SelectedFolder(folder, readOnly, mailbox.owner().userId(), recent);
        f.registration = mailbox.listen(folder, f);
        try {
            FolderSnapshot snapshot = mailbox.snapshot(folder);
            f.view.addAll(snapshot.messages());
            f.uidValidity = snapshot.uidValidity();
            f.uidNext = snapshot.uidNext();
            f.highestModseq = snapshot.highestModseq();
            f.claimRecent(0);
        } catch (RuntimeException e) {
            f.registration.close();
            throw e;
        }
        return f;
    }

    /**
     * Adds to this session's recent messages those up to the last one in the view and above {@code known} (what
     * the client was told before): claimed in a read-write session, looked at in a read-only one.
     */
    private void claimRecent(long known) {
        if (view.isEmpty()) {
            return;
        }
        long last = view.get(view.size() - 1).uid();
        long mark = readOnly ? recentMarks.peek(owner, name, uidValidity, view)
                : recentMarks.claim(owner, name, uidValidity, view, last);
        long above = Math.max(mark, known);
        if (last > above) {
            recentRanges.add(new long[] {above, last});
        }
    }

    /** Whether the message is \Recent in this session. */
    boolean recent(long uid) {
        for (long[] r : recentRanges) {
            if (uid > r[0] && uid <= r[1]) {
                return true;
            }
        }
        return false;
    }

    /** How many messages of the view are \Recent in this session (the RECENT response). */
    int recentCount() {
        int n = 0;
        for (long[] r : recentRanges) {
            n += firstIndexAtLeast(r[1] + 1) - firstIndexAtLeast(r[0] + 1);
        }
        return n;
    }

    @Override
    public void changed(FolderChange change) {
        queue.add(change);
        if (change instanceof FolderChange.Gone) {
            gone = true;
        }
        wakeUp.run();
    }

    /** Called (from the store's thread) whenever a change is queued; IDLE sets it. */
    void onChange(Runnable r) {
        wakeUp = r;
    }

    void close() {
        wakeUp = () -> { };
        registration.close();
    }

    String name() {
        return name;
    }

    boolean readOnly() {
        return readOnly;
    }

    long uidValidity() {
        return uidValidity;
    }

    long uidNext() {
        return uidNext;
    }

    long highestModseq() {
        return highestModseq;
    }

    /** Whether the folder was deleted or renamed away under this session. */
    boolean gone() {
        return gone;
    }

    boolean hasQueuedChanges() {
        return !queue.isEmpty();
    }

    int size() {
        return view.size();
    }

    /** The message with sequence number {@code seq} (1-based). */
    MessageRef at(int seq) {
        return view.get(seq - 1);
    }

    List<MessageRef> messages() {
        return view;
    }

    /** The 1-based sequence number of {@code uid}, or -1. */
    int seqOfUid(long uid) {
        int lo = 0;
        int hi = view.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = view.get(mid).uid();
            if (m < uid) {
                lo = mid + 1;
            } else if (m > uid) {
                hi = mid - 1;
            } else {
                return mid + 1;
            }
        }
        return -1;
    }

    /**
     * The sequence numbers a set names, ascending, without duplicates. Message numbers beyond the view are an error
     * (the caller answers BAD); UIDs that do not exist are skipped (RFC 3501 section 6.4.8).
     */
    int[] resolve(SequenceSet set, boolean uid) {
        if (view.isEmpty()) {
            if (!uid) {
                throw new IllegalArgumentException("no messages");
            }
            return new int[0];
        }
        java.util.BitSet hits = new java.util.BitSet(view.size() + 1);
        long maxUid = view.get(view.size() - 1).uid();
        for (SequenceSet.Range r : set.ranges()) {
            if (uid) {
                long lo = r.low(maxUid);
                long hi = r.high(maxUid);
                int from = firstIndexAtLeast(lo);
                for (int i = from; i < view.size() && view.get(i).uid() <= hi; i++) {
                    hits.set(i + 1);
                }
            } else {
                long lo = r.low(view.size());
                long hi = r.high(view.size());
                if (hi > view.size()) {
                    throw new IllegalArgumentException("message number " + hi + " does not exist");
                }
                hits.set((int) lo, (int) hi + 1);
            }
        }
        return hits.stream().toArray();
    }

    private int firstIndexAtLeast(long uid) {
        int lo = 0;
        int hi = view.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (view.get(mid).uid() < uid) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Records a flag change this session made itself (its own FETCH responses tell the client). */
    void applyOwn(FlagUpdate u) {
        int seq = seqOfUid(u.uid());
        if (seq > 0) {
            MessageRef old = view.get(seq - 1);
            view.set(seq - 1, new MessageRef(old.uid(), u.flags(), u.modseq(), old.size(), old.internalDate()));
        }
        highestModseq = Math.max(highestModseq, u.modseq());
    }

    /**
     * Tells the client what changed since it was last told: EXPUNGE (when {@code expungeAllowed}), FETCH FLAGS, and
     * EXISTS. With {@code condstore} the FETCH responses carry MODSEQ.
     */
    void announce(ImapWriter w, boolean expungeAllowed, boolean condstore) throws IOException {
        drainQueue();
        if (expungeAllowed) {
            announceExpunges(w);
        }
        announceFlags(w, condstore);
        announceNew(w);
    }

    /** EXPUNGE in increasing UID order, each numbered as the client sees the folder after the previous one. */
    private void announceExpunges(ImapWriter w) throws IOException {
        for (Iterator<Long> it = pendingExpunges.iterator(); it.hasNext(); ) {
            long uid = it.next();
            it.remove();
            int seq = seqOfUid(uid);
            if (seq > 0) {
                view.remove(seq - 1);
                w.raw("* ").number(seq).raw(" EXPUNGE").crlf();
            }
        }
    }

    private void announceFlags(ImapWriter w, boolean condstore) throws IOException {
        for (FlagUpdate u : pendingFlags.values()) {
            int seq = seqOfUid(u.uid());
            if (seq < 0) {
                continue;
            }
            MessageRef old = view.get(seq - 1);
            if (u.modseq() <= old.modseq()) {
                continue; // already known: this session made the change, or the snapshot had it
            }
            view.set(seq - 1, new MessageRef(old.uid(), u.flags(), u.modseq(), old.size(), old.internalDate()));
            w.raw("* ").number(seq).raw(" FETCH (FLAGS ");
            FlagWriter.flags(w, u.flags(), recent(u.uid()));
            w.raw(" UID ").number(u.uid());
            if (condstore) {
                w.raw(" MODSEQ (").number(u.modseq()).raw(")");
            }
            w.raw(")").crlf();
        }
        pendingFlags.clear();
    }

    private void announceNew(ImapWriter w) throws IOException {
        if (pendingNew.isEmpty()) {
            return;
        }
        long last = view.isEmpty() ? 0 : view.get(view.size() - 1).uid();
        int before = view.size();
        for (MessageRef m : pendingNew.values()) {
            if (m.uid() > last) {
                view.add(m);
                last = m.uid();
            }
        }
        pendingNew.clear();
        uidNext = Math.max(uidNext, last + 1);
        if (view.size() != before) {
            claimRecent(before == 0 ? 0 : view.get(before - 1).uid());
            w.raw("* ").number(view.size()).raw(" EXISTS").crlf();
            w.raw("* ").number(recentCount()).raw(" RECENT").crlf();
        }
    }

    private void drainQueue() {
        FolderChange c;
        while ((c = queue.poll()) != null) {
            switch (c) {
                case FolderChange.Appended a -> a.messages().forEach(m -> {
                    pendingNew.put(m.uid(), m);
                    highestModseq = Math.max(highestModseq, m.modseq());
                });
                case FolderChange.FlagsChanged f -> f.updates().forEach(this::queueFlags);
                case FolderChange.Expunged e -> {
                    for (long uid : e.uids()) {
                        if (pendingNew.remove(uid) == null) {
                            pendingExpunges.add(uid);
                        }
                        pendingFlags.remove(uid);
                    }
                    highestModseq = Math.max(highestModseq, e.modseq());
                }
                case FolderChange.Gone g -> gone = true;
            }
        }
    }

    private void queueFlags(FlagUpdate u) {
        highestModseq = Math.max(highestModseq, u.modseq());
        MessageRef fresh = pendingNew.get(u.uid());
        if (fresh != null) {
            pendingNew.put(u.uid(), new MessageRef(u.uid(), u.flags(), u.modseq(), fresh.size(), fresh.internalDate()));
            return;
        }
        FlagUpdate before = pendingFlags.get(u.uid());
        if (before == null || before.modseq() <= u.modseq()) {
            pendingFlags.put(u.uid(), u);
        }
    }

    /** Whether {@code uid} was expunged by someone and the client has not been told yet. */
    boolean expungePending(long uid) {
        return pendingExpunges.contains(uid);
    }
}
