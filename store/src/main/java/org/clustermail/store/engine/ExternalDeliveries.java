package org.clustermail.store.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.store.FolderChange;
import org.clustermail.store.Mailbox;
import org.clustermail.store.engine.FolderFormat.Found;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.IndexRecord;
import org.clustermail.store.index.IndexRecord.MessageAdded;
import org.clustermail.store.index.StoredMessage;
import org.clustermail.store.maildir.MaildirFormat;

/**
 * Shared-store mode (ADR 0010): other processes deliver into a user's INBOX as plain Maildir writers (a file
 * fsync'd and renamed into {@code new/}); this indexes what they left there. Each file is renamed to this store's
 * name for a fresh UID, then the index records are forced. A crash between the two leaves a file named for a UID
 * at or above UIDNEXT, which the next pick-up indexes under that UID, so nothing is lost or indexed twice.
 *
 * <p>It waits for this process's own deliveries in flight to the INBOX (UIDs handed out but not yet applied), so that
 * no message becomes visible before one with a smaller UID. Stateless; runs under the user's mutex.
 */
final class ExternalDeliveries {

    private static final int IN_FLIGHT_WAITS = 100;

    private ExternalDeliveries() {
    }

    /** Indexes the INBOX files other processes delivered; returns how many. Nothing to do for mbox. */
    static int index(UserMailbox mb) throws IOException, InterruptedException {
        if (!(mb.format instanceof MaildirFormat maildir)) {
            return 0;
        }
        for (int wait = 0; wait < IN_FLIGHT_WAITS; wait++) {
            mb.mutex.lock();
            try {
                FolderState f = mb.folder(Mailbox.INBOX);
                if (mb.peekNextUid(f) == f.uidNext()) {
                    return adoptAll(mb, maildir, f);
                }
            } finally {
                mb.mutex.unlock();
            }
            Thread.sleep(2);
        }
        return 0; // own deliveries kept arriving: the files stay and are picked up next time
    }

    private static int adoptAll(UserMailbox mb, MaildirFormat maildir, FolderState f) throws IOException {
        List<Found> found = maildir.scanNew(UserMailbox.ref(f));
        // Files that carry a UID at or above UIDNEXT first (a pick-up a crash interrupted), then new ones.
        List<Found> ordered = new ArrayList<>(found.stream().filter(m -> m.uid() >= f.uidNext()).toList());
        ordered.addAll(found.stream().filter(m -> m.uid() < 0).toList());
        if (ordered.isEmpty()) {
            return 0;
        }
        List<IndexRecord> records = new ArrayList<>();
        List<StoredMessage> added = new ArrayList<>();
        for (Found m : ordered) {
            StoredMessage s = MailboxLoader.adopt(mb, f, m);
            records.add(new MessageAdded(f.name(), s));
            added.add(s);
        }
        mb.commit(records, true);
        mb.announce(new FolderChange.Appended(f.name(), added.stream().map(StoredMessage::ref).toList()));
        return added.size();
    }
}
