package org.clustermail.store.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.clustermail.store.DeliveryReceipt;
import org.clustermail.store.Flags;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailStore;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.StoreException;
import org.clustermail.store.StoreException.Reason;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.Envelope;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.SummaryParser;
import org.clustermail.store.journal.Journal;
import org.clustermail.store.journal.JournalEntry;

/**
 * The node's store: mailboxes in {@link StoreConfig.Format Maildir or mbox}, made durable per file or through the
 * group-commit {@link Journal}. The composition root of the store module.
 *
 * <p>Group commit: a delivery locks its recipients' mailboxes (in user-ID order, so never in a cycle), hands out
 * their UIDs, queues one journal record, unlocks, and waits for the journal writer's force: then it is durable and
 * acknowledged. The journal's lanes apply the record to the mailboxes in journal order (so each folder's UIDs become
 * visible in order); until a mailbox has its copy, it stays in memory (the delivery's reference passes to the
 * apply) and anyone who reads it waits for the copy first ({@link UserMailbox#awaitApplied}), so a reader never
 * misses a message that was acknowledged before it looked.
 *
 * <p>A file lock on {@code <node>/store.lock} keeps a second process off the same node directory. Thread-safe.
 */
public final class LocalMailStore implements MailStore {

    private final StoreConfig config;
    private final MailboxRegistry registry;
    private Journal journal;
    private FileChannel lockChannel;
    private FileLock lock;
    private volatile boolean started;

    public LocalMailStore(StoreConfig config) {
        this.config = config;
        this.registry = new MailboxRegistry(config);
    }

    @Override
    public synchronized void start() {
        try {
            Path node = config.nodePath();
            DurableFiles.createDirectories(node);
            lockChannel = FileChannel.open(node.resolve("store.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
            if (lock == null) {
                lockChannel.close();
                throw new StoreException(Reason.UNAVAILABLE, "another process uses the store in " + node);
            }
            if (config.durability() == StoreConfig.Durability.GROUP_COMMIT) {
                journal = new Journal(node.resolve("journal"), node, config.checkpointInterval(),
                        new Journal.Applier() {
                            @Override
                            public void apply(JournalEntry entry, JournalEntry.Target target, MessageContent content,
                                              Envelope envelope) {
                                applyDelivered(entry, target, content, envelope);
                            }

                            @Override
                            public void abandon(JournalEntry entry, JournalEntry.Target target) {
                                settle(registry.retained(target.owner()));
                            }
                        });
                journal.recover(this::replayJournaled);
                journal.start();
            }
            started = true;
        } catch (IOException e) {
            throw DurableFiles.failure("cannot start the store in " + config.nodePath(), e);
        }
    }

    @Override
    public DeliveryReceipt deliver(List<MailboxOwner> recipients, MessageContent content, Instant internalDate) {
        Map<String, MailboxOwner> distinct = new LinkedHashMap<>();
        recipients.forEach(r -> distinct.putIfAbsent(r.userId(), r));
        Envelope env = parse(content);
        List<DeliveryReceipt.Delivered> out = new ArrayList<>();
        List<UserMailbox> mbs = acquireAll(distinct.values());
        try {
            if (journal == null) {
                for (UserMailbox mb : mbs) {
                    long uid = MessageOps.appendDurably(mb, Mailbox.INBOX, content, Flags.NONE, internalDate, env);
                    out.add(delivered(mb, uid));
                }
            } else {
                for (JournalEntry.Target t : journaled(mbs, Mailbox.INBOX, Flags.NONE, internalDate, content, env)) {
                    out.add(new DeliveryReceipt.Delivered(t.owner(), t.folder(), t.uidValidity(), t.uid()));
                }
            }
        } finally {
            mbs.forEach(this::release);
        }
        return new DeliveryReceipt(out);
    }

    private DeliveryReceipt.Delivered delivered(UserMailbox mb, long uid) {
        long validity = mb.read(index -> index.folder(Mailbox.INBOX).uidValidity());
        return new DeliveryReceipt.Delivered(mb.owner, Mailbox.INBOX, validity, uid);
    }

    /** IMAP APPEND and the like, one mailbox, any folder. */
    long append(UserMailbox mb, String folder, MessageContent content, Flags flags, Instant date) {
        checkStarted();
        if (journal == null) {
            return MessageOps.appendDurably(mb, folder, content, flags, date, parse(content));
        }
        return journaled(List.of(mb), folder, flags, date, content, parse(content)).get(0).uid();
    }

    /**
     * Waits for room in the journal's apply backlog (before any mailbox lock: the lanes that make room take them),
     * then hands out UIDs under the mailboxes' mutexes, queues the record, and waits until it is durable. Each
     * mailbox is retained and expects the copy until the journal applies (or abandons) it.
     */
    private List<JournalEntry.Target> journaled(List<UserMailbox> mbs, String folder, Flags flags, Instant date,
                                                MessageContent content, Envelope env) {
        List<UserMailbox> ordered = new ArrayList<>(mbs);
        ordered.sort(Comparator.comparing(mb -> mb.owner.userId()));
        List<JournalEntry.Target> targets = new ArrayList<>();
        CompletableFuture<Void> done;
        Journal.Room room = journal.reserve(mbs.size());
        ordered.forEach(mb -> mb.mutex.lock());
        try {
            for (UserMailbox mb : mbs) {
                FolderState f = mb.folder(folder);
                targets.add(new JournalEntry.Target(mb.owner, f.name(), f.uidValidity(), mb.nextUid(f),
                        mb.nextModseq()));
            }
            for (UserMailbox mb : mbs) {
                mb.expectApply();
                registry.retain(mb);
            }
            done = journal.submit(room, new JournalEntry(date, flags, targets), content, env);
        } catch (RuntimeException e) {
            room.close(); // nothing submitted (no such folder): the room goes back
            throw e;
        } finally {
            ordered.forEach(mb -> mb.mutex.unlock());
        }
        await(done);
        return targets;
    }

    private static void await(CompletableFuture<Void> done) {
        try {
            done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(Reason.UNAVAILABLE, "interrupted while waiting for the journal");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreException se) {
                throw se;
            }
            throw new StoreException(Reason.IO_FAILURE, "delivery failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Applies an acknowledged copy to the mailbox its delivery retained, then lets the mailbox go. If that fails (a
     * full disk), this copy and every later one of the user stay unapplied and in the journal, and the mailbox
     * stays in memory (its reference is kept), so no later copy can take a UID the next start's replay will need.
     */
    private void applyDelivered(JournalEntry entry, JournalEntry.Target t, MessageContent content, Envelope env) {
        UserMailbox mb = registry.retained(t.owner());
        if (mb.applyFailed) {
            mb.applied();
            throw new StoreException(Reason.IO_FAILURE, "an earlier copy for " + mb.owner.userId()
                    + " could not be applied; this one waits in the journal for the next start");
        }
        try {
            applyTo(mb, entry, t, content, env);
        } catch (RuntimeException e) {
            mb.applyFailed = true;
            mb.applied();
            throw e;
        }
        settle(mb);
    }

    private void settle(UserMailbox mb) {
        mb.applied();
        registry.release(mb);
    }

    /** Replay at start: writes a durable record's copy into its mailbox (idempotent). */
    private void replayJournaled(JournalEntry entry, JournalEntry.Target t, MessageContent content, Envelope env) {
        UserMailbox mb = registry.acquire(t.owner(), false);
        try {
            applyTo(mb, entry, t, content, env);
        } finally {
            registry.release(mb);
        }
    }

    private static void applyTo(UserMailbox mb, JournalEntry entry, JournalEntry.Target t, MessageContent content,
                                Envelope parsed) {
        Envelope env = parsed != null ? parsed : parse(content);
        MessageOps.apply(mb, new MessageOps.NewMessage(new FolderRef(t.folder(), t.uidValidity()), t.uid(),
                t.modseq(), entry.flags(), entry.internalDate(), env), content, false);
    }

    private static Envelope parse(MessageContent content) {
        try (InputStream in = content.openStream()) {
            return SummaryParser.parse(in);
        } catch (IOException e) {
            throw DurableFiles.failure("cannot read the message to store", e);
        }
    }

    private List<UserMailbox> acquireAll(Iterable<MailboxOwner> owners) {
        checkStarted();
        List<UserMailbox> mbs = new ArrayList<>();
        try {
            for (MailboxOwner o : owners) {
                mbs.add(registry.acquire(o, false));
            }
        } catch (RuntimeException e) {
            mbs.forEach(this::release);
            throw e;
        }
        return mbs;
    }

    /** What the mailboxes kept in memory hold: how many, and their message summaries together. */
    public record CacheUse(int mailboxes, long summaries) {
    }

    /** The mailboxes in memory now (they are bounded by {@link StoreConfig#maxOpenMailboxes()} and
     * {@link StoreConfig#maxCachedMessages()} once idle). */
    public CacheUse cacheUse() {
        return registry.use();
    }

    /** Group-commit counters, or empty in per-file mode. */
    public java.util.Optional<Journal.Stats> journalStats() {
        return journal == null ? java.util.Optional.empty() : java.util.Optional.of(journal.stats());
    }

    @Override
    public Mailbox open(MailboxOwner owner) {
        checkStarted();
        return new MailboxHandle(this, registry.acquire(owner, true));
    }

    void release(UserMailbox mb) {
        registry.release(mb);
    }

    @Override
    public long messageCount(MailboxOwner owner) {
        checkStarted();
        UserMailbox mb = registry.acquire(owner, false);
        try {
            mb.awaitApplied();
            return mb.messageCount();
        } finally {
            registry.release(mb);
        }
    }

    @Override
    public int rebuildIndex(MailboxOwner owner) {
        checkStarted();
        registry.evict(owner);
        Path dir = MailboxLoader.userDir(config, owner);
        try {
            Files.deleteIfExists(dir.resolve(MailboxLoader.INDEX_FILE));
        } catch (IOException e) {
            throw DurableFiles.failure("cannot remove the old index of " + owner.userId(), e);
        }
        UserMailbox mb = registry.acquire(owner, false);
        try {
            return (int) (long) mb.read(index -> index.messageCount());
        } finally {
            registry.release(mb);
        }
    }

    @Override
    public int indexExternalDeliveries(MailboxOwner owner) {
        checkStarted();
        UserMailbox mb = registry.acquire(owner, false);
        try {
            return ExternalDeliveries.index(mb);
        } catch (IOException e) {
            throw DurableFiles.failure("cannot index the new mail of " + owner.userId(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(Reason.UNAVAILABLE, "interrupted while indexing new mail");
        } finally {
            registry.release(mb);
        }
    }

    private void checkStarted() {
        if (!started) {
            throw new StoreException(Reason.UNAVAILABLE, "the store is not running");
        }
    }

    @Override
    public synchronized void close() {
        if (!started) {
            return;
        }
        started = false;
        if (journal != null) {
            journal.close();
        }
        registry.closeAll();
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
