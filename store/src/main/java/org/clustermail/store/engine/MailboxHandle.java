package org.clustermail.store.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clustermail.store.FlagOp;
import org.clustermail.store.FlagStoreResult;
import org.clustermail.store.Flags;
import org.clustermail.store.FolderInfo;
import org.clustermail.store.FolderListener;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.FolderStatus;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.MessageSummary;
import org.clustermail.store.SortKey;
import org.clustermail.store.StoreException;
import org.clustermail.store.StoreException.Reason;
import org.clustermail.store.SummaryPage;
import org.clustermail.store.UidMapping;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.Listings;
import org.clustermail.store.index.StoredMessage;

/**
 * A session's handle on a {@link UserMailbox}: the public {@link Mailbox} API. Reads go to the shared in-memory
 * index under its read lock; mutations go to {@link MessageOps}/{@link FolderOps}, appends through the store (which
 * knows the durability mode). Thread-safe; closing releases the mailbox to the registry once.
 */
final class MailboxHandle implements Mailbox {

    private final LocalMailStore store;
    private final UserMailbox mb;
    private final AtomicBoolean closed = new AtomicBoolean();

    MailboxHandle(LocalMailStore store, UserMailbox mb) {
        this.store = store;
        this.mb = mb;
    }

    @Override
    public MailboxOwner owner() {
        return mb.owner;
    }

    @Override
    public List<FolderInfo> folders() {
        return mb.read(index -> {
            List<FolderInfo> out = new ArrayList<>();
            List<String> names = new ArrayList<>(index.folderNames());
            names.remove(INBOX);
            names.add(0, INBOX);
            for (String n : names) {
                FolderState f = index.folder(n);
                boolean children = index.folders().keySet().stream().anyMatch(o -> o.startsWith(n + "/"));
                out.add(new FolderInfo(n, f.specialUse(), index.subscriptions().contains(n), children));
            }
            return out;
        });
    }

    @Override
    public void createFolder(String name) {
        FolderOps.create(live(), name);
    }

    @Override
    public void deleteFolder(String name) {
        FolderOps.delete(live(), name);
    }

    @Override
    public void renameFolder(String from, String to) {
        FolderOps.rename(live(), from, to);
    }

    @Override
    public void subscribe(String name, boolean subscribed) {
        FolderOps.subscribe(live(), name, subscribed);
    }

    @Override
    public List<String> subscriptions() {
        return mb.read(index -> List.copyOf(index.subscriptions()));
    }

    @Override
    public FolderStatus status(String folder) {
        return live().read(index -> mb.folder(folder).status());
    }

    @Override
    public Map<String, FolderStatus> statusAll() {
        return live().read(index -> {
            Map<String, FolderStatus> out = new LinkedHashMap<>();
            index.folders().forEach((n, f) -> out.put(n, f.status()));
            return out;
        });
    }

    @Override
    public FolderSnapshot snapshot(String folder) {
        return live().read(index -> mb.folder(folder).snapshot());
    }

    @Override
    public long append(String folder, MessageContent content, Flags flags, Instant internalDate) {
        return store.append(live(), FolderNames.canonical(folder), content, flags, internalDate);
    }

    @Override
    public InputStream openMessage(String folder, long uid) {
        live();
        for (int attempt = 0; attempt < 5; attempt++) {
            record Where(FolderRef ref, StoredMessage m) {
            }
            Where w = mb.read(index -> {
                FolderState f = mb.folder(folder);
                StoredMessage m = f.find(uid);
                return m == null ? null : new Where(UserMailbox.ref(f), m);
            });
            if (w == null) {
                break;
            }
            try {
                return mb.format.open(w.ref(), w.m());
            } catch (NoSuchFileException e) {
                // renamed or rewritten under us (flag change, mbox compaction, expunge): look it up again
            } catch (IOException e) {
                throw DurableFiles.failure("cannot read message " + uid, e);
            }
        }
        throw new StoreException(Reason.NO_SUCH_MESSAGE, "no message with UID " + uid + " in " + folder);
    }

    @Override
    public Optional<MessageSummary> summary(String folder, long uid) {
        return live().read(index -> {
            FolderState f = mb.folder(folder);
            return Optional.ofNullable(f.find(uid)).map(m -> m.summary(f.name()));
        });
    }

    @Override
    public FlagStoreResult storeFlags(String folder, Collection<Long> uids, FlagOp op, Flags flags,
                                      OptionalLong unchangedSince) {
        return MessageOps.storeFlags(live(), folder, uids, op, flags, unchangedSince);
    }

    @Override
    public List<Long> expunge(String folder, Optional<Collection<Long>> uids) {
        return MessageOps.expunge(live(), folder, uids);
    }

    @Override
    public UidMapping copy(String from, Collection<Long> uids, String to) {
        return MessageOps.copy(live(), from, uids, to, false);
    }

    @Override
    public UidMapping move(String from, Collection<Long> uids, String to) {
        return MessageOps.copy(live(), from, uids, to, true);
    }

    @Override
    public SummaryPage list(String folder, SortKey key, boolean descending, int offset, int limit) {
        return live().read(index -> Listings.page(mb.folder(folder), key, descending, offset, limit));
    }

    @Override
    public SummaryPage search(String folder, String text, int offset, int limit) {
        return live().read(index -> Listings.search(mb.folder(folder), text, offset, limit));
    }

    @Override
    public Map<String, Integer> unreadCounts() {
        return live().read(index -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            index.folders().forEach((n, f) -> out.put(n, f.unseen()));
            return out;
        });
    }

    @Override
    public Registration listen(String folder, FolderListener listener) {
        String name = FolderNames.canonical(folder);
        Runnable remove = live().addListener(name, listener);
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                remove.run();
            }
        };
    }

    @Override
    public void awaitDeliveries() {
        live();
    }

    @Override
    public Registration lockExclusive() {
        synchronized (live()) {
            if (mb.exclusive) {
                throw new StoreException(Reason.LOCKED, "mailbox of " + mb.owner.userId() + " is locked by a session");
            }
            mb.exclusive = true;
        }
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                mb.exclusive = false;
            }
        };
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            store.release(mb);
        }
    }

    /** The mailbox, once every delivery acknowledged before this call is in it. */
    private UserMailbox live() {
        if (closed.get()) {
            throw new StoreException(Reason.UNAVAILABLE, "mailbox handle is closed");
        }
        mb.awaitApplied();
        return mb;
    }
}
