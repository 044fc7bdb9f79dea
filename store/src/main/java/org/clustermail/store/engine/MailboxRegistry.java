package org.clustermail.store.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.StoreException;
import org.clustermail.store.fs.DurableFiles;

/**
 * The mailboxes in memory, one {@link UserMailbox} per user, reference-counted: a mailbox in use (an open session,
 * a delivery in flight) stays; idle ones are kept, least recently used dropped first, while there are more than
 * {@code maxOpenMailboxes} of them. Their summaries together stay within {@code maxCachedMessages}: beyond it the
 * least recently used idle mailboxes keep only their folders' counters.
 *
 * <p>A delivery needs only the counters (the next UID), so a mailbox loaded for one drops its summaries at once,
 * and only a session ({@link #acquire acquire} with summaries) loads them. Before that, each delivery to a user not
 * in memory loaded and kept the whole index, evicting another's, and the evicted summaries filled the old
 * generation at the delivery rate (BENCHMARKS.md, "the summary cache churns").
 *
 * <p>Locking: the monitor guards only the map and the counters and is never held during I/O. Loading a mailbox from
 * disk and closing an evicted one happen under the user's <em>stripe</em> lock (one of {@value #STRIPES}, by user
 * ID), so first deliveries to different users load in parallel, two threads never load the same user, and a user
 * is never loaded again while its evicted copy is still closing. Lock order: stripe, then monitor, then a mailbox's
 * mutex (taken under the monitor only with {@code tryLock}).
 */
final class MailboxRegistry {

    private static final int STRIPES = 256;

    private final StoreConfig config;
    private final LinkedHashMap<String, UserMailbox> open = new LinkedHashMap<>(64, 0.75f, true);
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private long cachedMessages;

    MailboxRegistry(StoreConfig config) {
        this.config = config;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * The user's mailbox, with one more reference. {@code summaries}: the caller reads messages (a session), so
     * their summaries are loaded if the mailbox holds only counters; a delivery passes false.
     */
    UserMailbox acquire(MailboxOwner owner, boolean summaries) {
        UserMailbox mb = acquireOrLoad(owner, summaries);
        if (summaries) {
            try {
                mb.ensureSummaries();
            } catch (RuntimeException e) {
                release(mb);
                throw e;
            }
        }
        evictIdle();
        return mb;
    }

    private UserMailbox acquireOrLoad(MailboxOwner owner, boolean summaries) {
        String id = owner.userId();
        UserMailbox mb = acquireLoaded(id);
        if (mb != null) {
            return mb;
        }
        ReentrantLock stripe = stripe(id);
        stripe.lock();
        try {
            mb = acquireLoaded(id);
            if (mb == null) {
                try {
                    mb = MailboxLoader.load(config, owner, summaries);
                } catch (IOException e) {
                    throw DurableFiles.failure("cannot open the mailbox of " + owner.userId(), e);
                }
                if (!summaries) {
                    mb.dropSummariesIfFree(); // nobody else has it yet, so this cannot fail
                }
                long cached = mb.cachedSummaries();
                synchronized (this) {
                    mb.references = 1;
                    mb.cachedMessages = cached;
                    cachedMessages += cached;
                    open.put(id, mb);
                }
            }
        } finally {
            stripe.unlock();
        }
        return mb;
    }

    /** One more reference to a mailbox its caller holds already (a delivery handing it on to the journal). */
    synchronized void retain(UserMailbox mb) {
        mb.references++;
    }

    /** The in-memory mailbox of a user someone {@link #retain retained} for the caller; no new reference. */
    synchronized UserMailbox retained(MailboxOwner owner) {
        UserMailbox mb = open.get(owner.userId());
        if (mb == null || mb.references == 0) {
            throw new IllegalStateException("mailbox of " + owner.userId() + " was not retained");
        }
        return mb;
    }

    private synchronized UserMailbox acquireLoaded(String userId) {
        UserMailbox mb = open.get(userId);
        if (mb != null) {
            mb.references++;
        }
        return mb;
    }

    void release(UserMailbox mb) {
        long messages = mb.cachedSummaries();
        boolean idle;
        synchronized (this) {
            mb.references--;
            idle = mb.references == 0;
            if (open.get(mb.owner.userId()) == mb) {
                cachedMessages += messages - mb.cachedMessages;
                mb.cachedMessages = messages;
            }
        }
        if (idle) {
            mb.releaseFiles(); // an idle mailbox holds no file descriptor, however many stay cached
        }
        evictIdle();
    }

    /**
     * Keeps the idle mailboxes within the bounds, least recently used first: drops whole mailboxes while there are
     * too many, then only the summaries (under the monitor: a moment's work in memory) while those are too many.
     * Closes the dropped ones outside the monitor.
     */
    private void evictIdle() {
        List<String> victims = new ArrayList<>();
        synchronized (this) {
            int count = open.size();
            long messages = cachedMessages; // as it will be once the victims are gone
            for (Map.Entry<String, UserMailbox> e : open.entrySet()) {
                if (count <= config.maxOpenMailboxes() && messages <= config.maxCachedMessages()) {
                    break;
                }
                UserMailbox mb = e.getValue();
                if (mb.references > 0) {
                    continue;
                }
                if (count > config.maxOpenMailboxes()) {
                    victims.add(e.getKey());
                    count--;
                    messages -= mb.cachedMessages;
                } else if (mb.cachedMessages > 0 && mb.dropSummariesIfFree()) {
                    messages -= mb.cachedMessages;
                    cachedMessages -= mb.cachedMessages;
                    mb.cachedMessages = 0;
                }
            }
        }
        for (String id : victims) {
            ReentrantLock stripe = stripe(id);
            if (!stripe.tryLock()) {
                continue; // a load in this stripe is under way; the next release evicts
            }
            try {
                UserMailbox mb;
                synchronized (this) {
                    mb = open.get(id);
                    if (mb == null || mb.references > 0) {
                        continue;
                    }
                    remove(mb);
                }
                mb.close();
            } finally {
                stripe.unlock();
            }
        }
    }

    /** Drops a user's mailbox from memory (for a rebuild); refused while anyone uses it. */
    void evict(MailboxOwner owner) {
        ReentrantLock stripe = stripe(owner.userId());
        stripe.lock();
        try {
            UserMailbox mb;
            synchronized (this) {
                mb = open.get(owner.userId());
                if (mb == null) {
                    return;
                }
                if (mb.references > 0) {
                    throw new StoreException(StoreException.Reason.LOCKED,
                            "mailbox of " + owner.userId() + " is in use");
                }
                remove(mb);
            }
            mb.close();
        } finally {
            stripe.unlock();
        }
    }

    private void remove(UserMailbox mb) {
        open.remove(mb.owner.userId());
        cachedMessages -= mb.cachedMessages;
    }

    /** How many mailboxes are in memory and how many summaries they hold. */
    synchronized LocalMailStore.CacheUse use() {
        return new LocalMailStore.CacheUse(open.size(), cachedMessages);
    }

    void closeAll() {
        List<UserMailbox> all;
        synchronized (this) {
            all = new ArrayList<>(open.values());
            open.clear();
            cachedMessages = 0;
        }
        all.forEach(UserMailbox::close);
    }

    private ReentrantLock stripe(String userId) {
        return stripes[Math.floorMod(userId.hashCode(), STRIPES)];
    }
}
