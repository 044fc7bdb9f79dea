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
 */
public final class UserIndex {

    private final Map<String, FolderState> folders = new TreeMap<>();
    private final Set<String> subscriptions = new TreeSet<>();
    private long highestModseq;
    private long records;

    public void apply(IndexRecord record) {
        records++;
        switch (record) {
            case FolderCreated c -> folders.putIfAbsent(c.folder(),
                    new FolderState(c.folder(), c.uidValidity(), c.specialUse()));
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
