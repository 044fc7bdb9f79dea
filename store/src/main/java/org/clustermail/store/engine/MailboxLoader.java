package org.clustermail.store.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clustermail.store.Flags;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.SpecialUse;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.FolderFormat.Found;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.Envelope;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.IndexFile;
import org.clustermail.store.index.IndexRecord;
import org.clustermail.store.index.IndexRecord.FolderCreated;
import org.clustermail.store.index.IndexRecord.MessageAdded;
import org.clustermail.store.index.StoredMessage;
import org.clustermail.store.index.SummaryParser;
import org.clustermail.store.index.UserIndex;
import org.clustermail.store.maildir.MaildirFormat;
import org.clustermail.store.mbox.MboxFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a user's mailbox into memory: reads the index file, and repairs it from the message files when it may be
 * behind them (a crash in per-file mode leaves the {@code index.dirty} marker; a damaged or missing index; an mbox
 * longer than the index knows). Repair adds every message found on disk above the folder's UIDNEXT, with the UID
 * its file name or {@code From } line carries, so UIDs survive; a rebuild from nothing works the same way.
 */
final class MailboxLoader {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxLoader.class);
    static final String INDEX_FILE = "clustermail.index";
    private static final Map<String, SpecialUse> DEFAULT_FOLDERS =
            Map.of("Sent", SpecialUse.SENT, "Drafts", SpecialUse.DRAFTS, "Trash", SpecialUse.TRASH);

    private MailboxLoader() {
    }

    static Path userDir(StoreConfig config, MailboxOwner owner) {
        return config.nodePath().resolve(owner.hashDirectory()).resolve(owner.userId());
    }

    static FolderFormat format(StoreConfig config, Path userDir) {
        return config.format() == StoreConfig.Format.MBOX ? new MboxFormat(userDir) : new MaildirFormat(userDir);
    }

    /**
     * Loads a user's mailbox, repairing its index from the files where needed. {@code summaries} false (a load for
     * deliveries, which the caller then drops to counters): envelopes are not decoded.
     */
    static UserMailbox load(StoreConfig config, MailboxOwner owner, boolean summaries) throws IOException {
        Path dir = userDir(config, owner);
        DurableFiles.createDirectories(dir);
        FolderFormat format = format(config, dir);
        boolean dirty = Files.exists(UserMailbox.dirtyMarker(dir));
        Path indexPath = dir.resolve(INDEX_FILE);
        boolean missing = !Files.exists(indexPath) || Files.size(indexPath) == 0;
        IndexFile.Loaded loaded = IndexFile.open(indexPath, summaries);
        UserIndex index = summaries ? new UserIndex() : UserIndex.withoutEnvelopes();
        loaded.records().forEach(index::apply);
        boolean perFile = config.durability() == StoreConfig.Durability.PER_FILE;
        UserMailbox mailbox = new UserMailbox(owner, dir, format, perFile, index, loaded.file());
        boolean thorough = dirty || missing || loaded.damaged();
        if (loaded.damaged()) {
            LOG.warn("index of {} had a damaged tail; repairing from the mailbox files", owner.userId());
        }
        if (dirty) {
            mailbox.markedDirty(); // closing forces the repaired index and only then removes the marker
        }
        repair(mailbox, thorough);
        ensureDefaultFolders(mailbox);
        return mailbox;
    }

    /**
     * Creates INBOX, Sent, Drafts and Trash if they are missing, in the index only: one forced append (and one
     * fsync of the user directory for the new index file). Their files appear with their first message (the
     * formats create a missing folder on write), so a new mailbox costs three fsyncs, not one per folder level.
     */
    private static void ensureDefaultFolders(UserMailbox mb) {
        List<IndexRecord> records = new ArrayList<>();
        for (String name : List.of(Mailbox.INBOX, "Sent", "Drafts", "Trash")) {
            if (mb.index.folder(name) == null) {
                SpecialUse use = DEFAULT_FOLDERS.get(name);
                records.add(new FolderCreated(name, mb.newUidValidity(), use == null ? Set.of() : EnumSet.of(use)));
                records.add(new IndexRecord.Subscribed(name, true));
            }
        }
        if (!records.isEmpty()) {
            mb.commit(records, true);
        }
    }

    /**
     * Adds to the index what is on disk but not in it. {@code thorough}: look at every folder on disk and every
     * file; otherwise only the cheap checks (the tail of each mbox file).
     */
    static void repair(UserMailbox mb, boolean thorough) throws IOException {
        for (String name : mb.folderNamesUnderLock()) {
            mb.format.cleanTemporary(UserMailbox.ref(mb.index.folder(name)));
        }
        if (!thorough && !(mb.format instanceof MboxFormat)) {
            return;
        }
        if (thorough) {
            for (FolderRef onDisk : mb.format.scanFolders()) {
                if (mb.index.folder(onDisk.name()) == null) {
                    long validity = onDisk.uidValidity() > 0 ? onDisk.uidValidity() : mb.newUidValidity();
                    SpecialUse use = DEFAULT_FOLDERS.get(onDisk.name());
                    // Completes what another writer may have left half made (only new/, no UIDVALIDITY file).
                    mb.format.createFolder(new FolderRef(onDisk.name(), validity));
                    mb.commit(List.of(new FolderCreated(onDisk.name(), validity,
                            use == null ? Set.of() : EnumSet.of(use))), true);
                }
            }
        }
        for (String name : mb.folderNamesUnderLock()) {
            FolderState f = mb.index.folder(name);
            List<Found> found = found(mb, f, thorough);
            List<IndexRecord> add = new ArrayList<>();
            // Messages that carry their UID first (in UID order), then foreign ones, which get new UIDs above.
            List<Found> ordered = new ArrayList<>(found.stream().filter(m -> m.uid() >= 0).toList());
            ordered.addAll(found.stream().filter(m -> m.uid() < 0).toList());
            for (Found m : ordered) {
                if (m.uid() >= 0 && m.uid() < f.uidNext()) {
                    continue; // indexed already, or expunged (then the stray file stays invisible)
                }
                add.add(new MessageAdded(name, adopt(mb, f, m)));
            }
            if (!add.isEmpty()) {
                LOG.info("repaired index of {}/{}: {} message(s) found on disk", mb.owner.userId(), name, add.size());
                mb.commit(add, true);
            }
        }
    }

    private static List<Found> found(UserMailbox mb, FolderState f, boolean thorough) throws IOException {
        FolderRef ref = UserMailbox.ref(f);
        if (mb.format instanceof MboxFormat mbox && !thorough) {
            List<StoredMessage> all = f.copyMessages();
            if (all.isEmpty()) {
                return mbox.scanFrom(ref, 0);
            }
            long end = mbox.endOf(ref, all.get(all.size() - 1));
            if (end >= 0) {
                return mbox.scanFrom(ref, end);
            }
            relocate(mb, f, mbox.scan(ref));
            return mbox.scan(ref);
        }
        List<Found> found = mb.format.scan(ref);
        if (mb.format instanceof MboxFormat) {
            relocate(mb, f, found);
        }
        return found;
    }

    /** An mbox was rewritten but the index kept old offsets (a crash between the two): take them from the file. */
    private static void relocate(UserMailbox mb, FolderState f, List<Found> found) {
        List<Long> uids = new ArrayList<>();
        List<Long> locations = new ArrayList<>();
        for (Found m : found) {
            StoredMessage s = f.find(m.uid());
            if (s != null && s.location() != m.location()) {
                uids.add(m.uid());
                locations.add(m.location());
            }
        }
        if (!uids.isEmpty()) {
            mb.commit(List.of(new IndexRecord.Relocated(f.name(), uids, locations)), true);
        }
    }

    /** The index entry for a message found on disk: its own UID if it has one, else a new one (renamed to it). */
    static StoredMessage adopt(UserMailbox mb, FolderState f, Found m) throws IOException {
        Envelope env;
        try (InputStream in = m.opener().open()) {
            env = SummaryParser.parse(in);
        }
        long uid = m.uid() >= 0 ? m.uid() : mb.nextUid(f);
        mb.reserveAtLeast(f, uid + 1);
        Instant date = Instant.now();
        StoredMessage s = new StoredMessage(uid, m.size(), date, m.flags(), mb.nextModseq(), m.location(), env);
        if (m.uid() < 0) {
            long location = mb.format.adopt(UserMailbox.ref(f), m, s);
            s = s.withLocation(location);
        }
        return s.withFlags(m.flags() == null ? Flags.NONE : m.flags(), s.modseq());
    }
}
