package org.clustermail.cluster.receive;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.cluster.transfer.TransferHeader;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.store.FolderInfo;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageRef;

/**
 * Answers "is the copy of transfer {@code id} for this user stored here already?" so that a hand-over repeated after
 * a lost reply or a crash is acknowledged without a second copy.
 *
 * <p>Two sources, no extra fsync on the delivery path: the ids this process stored in the last {@code retention}
 * (memory), and the stored messages themselves, whose {@code X-Clustermail-Transfer} header is durable exactly when
 * the copy is. Memory is the whole truth for an id made after this process started (it would have recorded it);
 * for an older id (a retry across a restart of this node, or one older than the retention) the user's messages
 * stored since the id was made (less a clock-skew allowance) are read for the header, which is few messages since
 * retries are rare and recent.
 *
 * <p>Callers serialise check-then-store per user ({@link LocalDeposit} does). Thread-safe.
 */
public final class TransferLedger {

    /** Allowance for the clocks of two nodes disagreeing. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final MailStore store;
    private final Clock clock;
    private final Duration retention;
    private final Instant started;
    private final Map<String, Instant> recent = new ConcurrentHashMap<>();
    private final AtomicLong recorded = new AtomicLong();
    private final AtomicLong scans = new AtomicLong();

    public TransferLedger(MailStore store, Clock clock, Duration retention) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.started = clock.instant();
    }

    /** Whether the copy of {@code id} for {@code owner} is stored here (or was, and the user has since moved it). */
    public boolean stored(MailboxOwner owner, TransferId id) {
        if (recent.containsKey(key(owner, id))) {
            return true;
        }
        Instant now = clock.instant();
        boolean madeWhileUp = id.created().isAfter(started.plus(CLOCK_SKEW));
        boolean remembered = id.created().isAfter(now.minus(retention).plus(CLOCK_SKEW));
        if (madeWhileUp && remembered) {
            return false;
        }
        scans.incrementAndGet();
        return inMailbox(owner, id, id.created().minus(CLOCK_SKEW));
    }

    /** Notes that the copy of {@code id} for {@code owner} is now durable here. */
    public void record(MailboxOwner owner, TransferId id) {
        recent.put(key(owner, id), clock.instant());
        if (recorded.incrementAndGet() % 4096 == 0) {
            Instant cutoff = clock.instant().minus(retention);
            recent.values().removeIf(at -> at.isBefore(cutoff));
        }
    }

    /** How many checks had to read stored messages (for tests and metrics). */
    public long mailboxScans() {
        return scans.get();
    }

    private boolean inMailbox(MailboxOwner owner, TransferId id, Instant since) {
        try (Mailbox mailbox = store.open(owner)) {
            for (FolderInfo folder : mailbox.folders()) {
                for (MessageRef m : mailbox.snapshot(folder.name()).messages()) {
                    if (!m.internalDate().isBefore(since) && carries(mailbox, folder.name(), m.uid(), id)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    private static boolean carries(Mailbox mailbox, String folder, long uid, TransferId id) {
        try (InputStream in = mailbox.openMessage(folder, uid)) {
            Optional<TransferId> found = TransferHeader.find(in);
            return found.isPresent() && found.get().value().equals(id.value());
        } catch (IOException | org.clustermail.store.StoreException e) {
            return false; // expunged meanwhile: not there
        }
    }

    private static String key(MailboxOwner owner, TransferId id) {
        return owner.userId() + ' ' + id.value();
    }
}
