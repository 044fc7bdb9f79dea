package org.clustermail.store.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.StoreException;
import org.clustermail.store.fs.DurableFiles;

/**
 * The mailboxes in memory, one {@link UserMailbox} per user, reference-counted: a mailbox in use (an open session,
 * a delivery in flight) stays; idle ones are kept up to {@code maxOpenMailboxes}, least recently used dropped
 * first. Thread-safe (one monitor; loading a mailbox happens under it, so two threads never load the same user).
 */
final class MailboxRegistry {

    private final StoreConfig config;
    private final LinkedHashMap<String, UserMailbox> open = new LinkedHashMap<>(64, 0.75f, true);

    MailboxRegistry(StoreConfig config) {
        this.config = config;
    }

    synchronized UserMailbox acquire(MailboxOwner owner) {
        UserMailbox mb = open.get(owner.userId());
        if (mb == null) {
            try {
                mb = MailboxLoader.load(config, owner);
            } catch (IOException e) {
                throw DurableFiles.failure("cannot open the mailbox of " + owner.userId(), e);
            }
            open.put(owner.userId(), mb);
        }
        mb.references++;
        return mb;
    }

    synchronized void release(UserMailbox mb) {
        mb.references--;
        evictIdle();
    }

    private void evictIdle() {
        Iterator<Map.Entry<String, UserMailbox>> it = open.entrySet().iterator();
        while (open.size() > config.maxOpenMailboxes() && it.hasNext()) {
            UserMailbox mb = it.next().getValue();
            if (mb.references == 0) {
                it.remove();
                mb.close();
            }
        }
    }

    /** Drops a user's mailbox from memory (for a rebuild); refused while anyone uses it. */
    synchronized void evict(MailboxOwner owner) {
        UserMailbox mb = open.get(owner.userId());
        if (mb == null) {
            return;
        }
        if (mb.references > 0) {
            throw new StoreException(StoreException.Reason.LOCKED, "mailbox of " + owner.userId() + " is in use");
        }
        open.remove(owner.userId());
        mb.close();
    }

    synchronized void closeAll() {
        List<UserMailbox> all = new ArrayList<>(open.values());
        open.clear();
        all.forEach(UserMailbox::close);
    }
}
