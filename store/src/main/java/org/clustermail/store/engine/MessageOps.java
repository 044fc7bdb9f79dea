package org.clustermail.store.engine;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.clustermail.store.FlagOp;
import org.clustermail.store.FlagStoreResult;
import org.clustermail.store.FlagUpdate;
import org.clustermail.store.Flags;
import org.clustermail.store.FolderChange;
import org.clustermail.store.MessageContent;
import org.clustermail.store.SystemFlag;
import org.clustermail.store.UidMapping;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.Envelope;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.IndexRecord;
import org.clustermail.store.index.IndexRecord.MessageAdded;
import org.clustermail.store.index.StoredMessage;

/**
 * The message mutations of a mailbox: store a new message, change flags, expunge, copy, move. Each runs under the
 * user's mutex and follows the same order: message files first, then the index record, then memory, then the
 * listeners. Stateless.
 */
final class MessageOps {

    private MessageOps() {
    }

    /** What a new message needs besides its bytes. */
    record NewMessage(FolderRef folder, long uid, long modseq, Flags flags, Instant internalDate, Envelope envelope) {
    }

    /**
     * Stores a message whose UID was handed out earlier (journal apply and replay): a no-op if the folder already
     * has that UID and its bytes are complete. Returns false if the folder is gone (deleted meanwhile).
     */
    static boolean apply(UserMailbox mb, NewMessage n, MessageContent content, boolean durable) {
        mb.mutex.lock();
        try {
            FolderState f = mb.folder(n.folder());
            if (f == null) {
                return false;
            }
            FolderRef ref = UserMailbox.ref(f);
            if (n.uid() < f.uidNext()) {
                if (!f.hasSummaries()) { // a replay into a mailbox loaded for deliveries: the check needs them
                    mb.ensureSummaries();
                    f = mb.folder(n.folder());
                }
                StoredMessage existing = f.find(n.uid());
                if (existing != null && !mb.format.isComplete(ref, existing)) {
                    long loc = mb.format.write(ref, existing, content, durable);
                    if (loc != existing.location()) {
                        mb.commit(List.of(new IndexRecord.Relocated(f.name(), List.of(n.uid()), List.of(loc))), true);
                    }
                }
                return true;
            }
            mb.reserveAtLeast(f, n.uid() + 1);
            StoredMessage m = new StoredMessage(n.uid(), content.size(), n.internalDate(), n.flags(), n.modseq(), 0,
                    n.envelope());
            m = m.withLocation(mb.format.write(ref, m, content, durable));
            try {
                mb.commit(List.of(new MessageAdded(f.name(), m)), false);
            } catch (RuntimeException e) {
                mb.format.undoWrite(ref, m);
                throw e;
            }
            mb.announce(new FolderChange.Appended(f.name(), List.of(m.ref())));
            return true;
        } catch (IOException e) {
            throw DurableFiles.failure("cannot store a message for " + mb.owner.userId(), e);
        } finally {
            mb.mutex.unlock();
        }
    }

    /** Per-file mode: hands out the UID and stores the message durably, all under the mutex. Returns the UID. */
    static long appendDurably(UserMailbox mb, String folder, MessageContent content, Flags flags, Instant date,
                              Envelope env) {
        mb.mutex.lock();
        try {
            FolderState f = mb.folder(folder);
            NewMessage n = new NewMessage(UserMailbox.ref(f), mb.nextUid(f), mb.nextModseq(), flags, date, env);
            apply(mb, n, content, true);
            return n.uid();
        } finally {
            mb.mutex.unlock();
        }
    }

    static FlagStoreResult storeFlags(UserMailbox mb, String folder, Collection<Long> uids, FlagOp op, Flags flags,
                                      OptionalLong unchangedSince) {
        mb.mutex.lock();
        try {
            FolderState f = mb.folder(folder);
            List<FlagUpdate> updated = new ArrayList<>();
            List<FlagUpdate> changed = new ArrayList<>();
            List<Long> modified = new ArrayList<>();
            List<IndexRecord> records = new ArrayList<>();
            List<StoredMessage[]> renames = new ArrayList<>();
            long modseq = 0;
            for (long uid : new TreeSet<>(uids)) {
                StoredMessage m = f.find(uid);
                if (m == null) {
                    continue;
                }
                if (unchangedSince.isPresent() && m.modseq() > unchangedSince.getAsLong()) {
                    modified.add(uid);
                    continue;
                }
                Flags nf = m.flags().apply(op, flags);
                if (nf.equals(m.flags())) {
                    updated.add(new FlagUpdate(uid, nf, m.modseq()));
                    continue;
                }
                modseq = modseq == 0 ? mb.nextModseq() : modseq;
                records.add(new IndexRecord.FlagsSet(f.name(), uid, nf, modseq));
                renames.add(new StoredMessage[] {m, m.withFlags(nf, modseq)});
                FlagUpdate u = new FlagUpdate(uid, nf, modseq);
                updated.add(u);
                changed.add(u);
            }
            if (!records.isEmpty()) {
                mb.commit(records, true);
                for (StoredMessage[] r : renames) {
                    mb.format.flagsChanged(UserMailbox.ref(f), r[0], r[1]);
                }
                mb.announce(new FolderChange.FlagsChanged(f.name(), changed));
            }
            return new FlagStoreResult(updated, modified);
        } finally {
            mb.mutex.unlock();
        }
    }

    static List<Long> expunge(UserMailbox mb, String folder, Optional<Collection<Long>> uids) {
        mb.mutex.lock();
        try {
            FolderState f = mb.folder(folder);
            Set<Long> only = uids.<Set<Long>>map(HashSet::new).orElse(null);
            List<Long> gone = new ArrayList<>();
            for (StoredMessage m : f.copyMessages()) {
                if (m.flags().has(SystemFlag.DELETED) && (only == null || only.contains(m.uid()))) {
                    gone.add(m.uid());
                }
            }
            remove(mb, f, gone);
            return gone;
        } finally {
            mb.mutex.unlock();
        }
    }

    /** Removes these messages: index first (durably), then the files. Caller holds the mutex. */
    private static void remove(UserMailbox mb, FolderState f, List<Long> uids) {
        if (uids.isEmpty()) {
            return;
        }
        Set<Long> set = new HashSet<>(uids);
        List<StoredMessage> removed = new ArrayList<>();
        List<StoredMessage> kept = new ArrayList<>();
        for (StoredMessage m : f.copyMessages()) {
            (set.contains(m.uid()) ? removed : kept).add(m);
        }
        long modseq = mb.nextModseq();
        mb.commit(List.of(new IndexRecord.Expunged(f.name(), uids, modseq)), true);
        try {
            Map<Long, Long> moved = mb.format.expunge(UserMailbox.ref(f), removed, kept, true);
            if (!moved.isEmpty()) {
                List<Long> u = new ArrayList<>(moved.keySet());
                mb.commit(List.of(new IndexRecord.Relocated(f.name(), u, u.stream().map(moved::get).toList())),
                        true);
            }
        } catch (IOException e) {
            // The index no longer lists them; what is left on disk is invisible and removed by the next rebuild.
            throw DurableFiles.failure("expunged from the index, but removing the files failed", e);
        } finally {
            mb.announce(new FolderChange.Expunged(f.name(), uids, modseq));
        }
    }

    static UidMapping copy(UserMailbox mb, String from, Collection<Long> uids, String to, boolean move) {
        mb.mutex.lock();
        try {
            FolderState src = mb.folder(from);
            FolderState dst = mb.folder(to);
            List<Long> srcUids = new ArrayList<>();
            List<Long> dstUids = new ArrayList<>();
            List<IndexRecord> records = new ArrayList<>();
            List<StoredMessage> copies = new ArrayList<>();
            long modseq = mb.nextModseq();
            for (long uid : new TreeSet<>(uids)) {
                StoredMessage m = src.find(uid);
                if (m == null) {
                    continue;
                }
                StoredMessage c = new StoredMessage(mb.nextUid(dst), m.size(), m.internalDate(), m.flags(), modseq,
                        0, m.envelope());
                c = c.withLocation(mb.format.copy(UserMailbox.ref(src), m, UserMailbox.ref(dst), c, false));
                srcUids.add(uid);
                dstUids.add(c.uid());
                copies.add(c);
                records.add(new MessageAdded(dst.name(), c));
            }
            if (!records.isEmpty()) {
                mb.format.sync(UserMailbox.ref(dst));
                mb.commit(records, true);
                mb.announce(new FolderChange.Appended(dst.name(), copies.stream().map(StoredMessage::ref).toList()));
                if (move) {
                    remove(mb, src, srcUids);
                }
            }
            return new UidMapping(dst.uidValidity(), srcUids, dstUids);
        } catch (IOException e) {
            throw DurableFiles.failure("cannot copy messages of " + mb.owner.userId(), e);
        } finally {
            mb.mutex.unlock();
        }
    }
}
