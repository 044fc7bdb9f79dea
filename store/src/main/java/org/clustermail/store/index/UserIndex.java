package org.clustermail.store.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.clustermail.store.index.IndexRecord.Counters;
import org.clustermail.store.index.IndexRecord.Expunged;
import org.clustermail.store.index.IndexRecord.FlagsSet;
import org.clustermail.store.index.IndexRecord.FolderCreated;
import org.clustermail.store.index.IndexRecord.FolderDeleted;
import org.clustermail.store.index.IndexRecord.FolderRenamed;
import org.clustermail.store.index.IndexRecord.MessageAdded;
import org.clustermail.store.index.IndexRecord.Relocated;
import org.clustermail.store.index.IndexRecord.Subscribed;

/**
 * A user's whole index in memory: folders, subscriptions and the user's modseq counter, built by applying
 * {@link IndexRecord}s in order. The same {@link #apply} serves loading and live changes, so memory and file
 * cannot disagree.
 *
 * <p>Applying is tolerant: a record about a folder or message that no longer exists is ignored (it can follow a
 * crash between two related writes). Not thread-safe: the owning mailbox guards it with its read-write lock.
 *
 * <p>An index loaded only for deliveries may {@link #dropSummaries drop its messages' summaries} and keep the
 * folders' counters; new messages then move only the counters. Records that need the messages (flags, expunges,
 * relocations) and compaction are refused until {@link #replaceWith} puts a fully loaded index in its place.
 * An index loaded {@linkplain #withoutEnvelopes without envelopes} (the step before dropping, which saves decoding
 * them) keeps its messages for the loader's repair but counts as having no summaries: it is never compacted and a
 * session loads it again.
 */
public final class UserIndex {

    private final Map<String, FolderState> folders = new TreeMap<>();
    private final Set<String> subscriptions = new TreeSet<>();
    private long highestModseq;
    private long records;
    private boolean summaries = true;
    private boolean envelopes = true;

    /** An index to be built from records decoded without envelopes (see the class comment). */
    public static UserIndex withoutEnvelopes() {
        UserIndex index = new UserIndex();
        index.envelopes = false;
        return index;
    }

    public void apply(IndexRecord record) {
        records++;
        switch (record) {
            case FolderCreated c -> {
                if (!folders.containsKey(c.folder())) {
                    FolderState f = new FolderState(c.folder(), c.uidValidity(), c.specialUse());
                    if (!summaries) {
                        f.dropSummaries();
                    }
                    folders.put(c.folder(), f);
                }
            }
            case FolderDeleted d -> folders.remove(d.folder());
            case FolderRenamed r -> {
                FolderState f = folders.remove(r.from());
                if (f != null) {
                    f.rename(r.to());
                    folders.put(r.to(), f);
                }
            }
            case Subscribed s -> {
                if (s.subscribed()) {
                    subscriptions.add(s.folder());
                } else {
                    subscriptions.remove(s.folder());
                }
            }
            case MessageAdded a -> {
                FolderState f = folders.get(a.folder());
                if (f != null && a.message().uid() >= f.uidNext()) {
                    f.add(a.message());
                }
                modseq(a.message().modseq());
            }
            case FlagsSet s -> {
                FolderState f = folders.get(s.folder());
                StoredMessage m = f == null ? null : f.find(s.uid());
                if (m != null) {
                    f.replace(m.withFlags(s.flags(), s.modseq()));
                }
                modseq(s.modseq());
            }
            case Expunged e -> {
                FolderState f = folders.get(e.folder());
                if (f != null) {
                    f.remove(e.uids(), e.modseq());
                }
                modseq(e.modseq());
            }
            case Relocated l -> {
                FolderState f = folders.get(l.folder());
                for (int i = 0; f != null && i < l.uids().size(); i++) {
                    StoredMessage m = f.find(l.uids().get(i));
                    if (m != null) {
                        f.replace(m.withLocation(l.locations().get(i)));
                    }
                }
            }
            case Counters c -> {
                FolderState f = folders.get(c.folder());
                if (f != null) {
                    f.counters(c.uidNext(), c.highestModseq());
                }
                modseq(c.highestModseq());
            }
        }
    }

    private void modseq(long m) {
        highestModseq = Math.max(highestModseq, m);
    }

    public FolderState folder(String name) {
        return folders.get(name);
    }

    /** Folder names in sorted order. */
    public List<String> folderNames() {
        return new ArrayList<>(folders.keySet());
    }

    public Map<String, FolderState> folders() {
        return Collections.unmodifiableMap(folders);
    }

    public Set<String> subscriptions() {
        return Collections.unmodifiableSet(subscriptions);
    }

    /** The largest modseq of any change so far; the next change gets a larger one. */
    public long highestModseq() {
        return highestModseq;
    }

    /** How many records were applied since load or the last compaction (to decide when to compact). */
    public long recordCount() {
        return records;
    }

    /** Whether the messages' whole summaries are in memory (else only the folders' counters, or no envelopes). */
    public boolean hasSummaries() {
        return summaries && envelopes;
    }

    /** Keeps the folders' counters only, for a mailbox that just takes deliveries. */
    public void dropSummaries() {
        summaries = false;
        folders.values().forEach(FolderState::dropSummaries);
    }

    /** Takes over everything {@code loaded} holds: the same records, applied with the summaries kept. */
    public void replaceWith(UserIndex loaded) {
        folders.clear();
        folders.putAll(loaded.folders);
        subscriptions.clear();
        subscriptions.addAll(loaded.subscriptions);
        highestModseq = loaded.highestModseq;
        records = loaded.records;
        summaries = loaded.summaries;
        envelopes = loaded.envelopes;
    }

    /** The summaries held in memory: the message count, or 0 with counters only. */
    public long summaryCount() {
        return hasSummaries() ? messageCount() : 0;
    }

    /** The live message count over all folders. */
    public long messageCount() {
        long n = 0;
        for (FolderState f : folders.values()) {
            n += f.size();
        }
        return n;
    }

    /** The shortest record sequence that rebuilds this index (compaction); resets the record count. */
    public List<IndexRecord> compactRecords() {
        if (!hasSummaries()) {
            throw new IllegalStateException("an index without its summaries cannot be compacted");
        }
        List<IndexRecord> out = new ArrayList<>();
        for (FolderState f : folders.values()) {
            out.add(new FolderCreated(f.name(), f.uidValidity(), f.specialUse()));
            for (StoredMessage m : f.messages()) {
                out.add(new MessageAdded(f.name(), m));
            }
            out.add(new Counters(f.name(), f.uidNext(), f.highestModseq()));
        }
        for (String s : subscriptions) {
            out.add(new Subscribed(s, true));
        }
        if (!folders.isEmpty()) {
            String any = folders.keySet().iterator().next();
            out.add(new Counters(any, 0, highestModseq));
        }
        records = out.size();
        return out;
    }
}
