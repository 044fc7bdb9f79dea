package org.clustermail.cluster.receive;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Memory is bounded: at most {@link #MAX_REMEMBERED} ids (about 250 bytes each), forgotten oldest first, each
 * in O(1) as it leaves the retention or the bound. An id forgotten early is treated like one older than the
 * retention: looked up in the store. Without the bound a node taking hundreds of transfers a second would keep
 * millions of ids for the hour.
 *
 * <p>Callers serialise check-then-store per user ({@link LocalDeposit} does). Thread-safe.
 */
public final class TransferLedger {

    /** Allowance for the clocks of two nodes disagreeing. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    /** The most ids kept in memory (about 50 MB). */
    static final int MAX_REMEMBERED = 200_000;

    private final MailStore store;
    private final Clock clock;
    private final Duration retention;
    private final int maxRemembered;
    private final Instant started;
    private final Map<String, Instant> recent = new ConcurrentHashMap<>();
    /** The keys of {@link #recent} in the order they were recorded, so the oldest leave first. */
    private final Queue<Remembered> order = new ConcurrentLinkedQueue<>();
    private final AtomicInteger remembered = new AtomicInteger();
    /** When the newest id forgotten so far was recorded: memory knows nothing recorded before it. */
    private volatile Instant forgottenUpTo = Instant.EPOCH;
    private final AtomicLong scans = new AtomicLong();

    private record Remembered(String key, Instant at) {
    }

    public TransferLedger(MailStore store, Clock clock, Duration retention) {
        this(store, clock, retention, MAX_REMEMBERED);
    }

    TransferLedger(MailStore store, Clock clock, Duration retention, int maxRemembered) {
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.maxRemembered = maxRemembered;
        this.started = clock.instant();
    }

    /** Whether the copy of {@code id} for {@code owner} is stored here (or was, and the user has since moved it). */
    public boolean stored(MailboxOwner owner, TransferId id) {
        if (recent.containsKey(key(owner, id))) {
            return true;
        }
        // Memory holds every id recorded since the latest of: this start, the retention, the newest forgotten id.
        Instant memorySince = started;
        Instant retained = clock.instant().minus(retention);
        if (retained.isAfter(memorySince)) {
            memorySince = retained;
        }
        if (forgottenUpTo.isAfter(memorySince)) {
            memorySince = forgottenUpTo;
        }
        if (id.created().isAfter(memorySince.plus(CLOCK_SKEW))) {
            return false;
        }
        scans.incrementAndGet();
        return inMailbox(owner, id, id.created().minus(CLOCK_SKEW));
    }

    /** Notes that the copy of {@code id} for {@code owner} is now durable here. */
    public void record(MailboxOwner owner, TransferId id) {
        Instant now = clock.instant();
        String key = key(owner, id);
        if (recent.putIfAbsent(key, now) == null) {
            order.add(new Remembered(key, now));
            remembered.incrementAndGet();
        }
        forgetOld(now.minus(retention));
    }

    /** Ids in memory now (for tests and metrics). */
    public int remembered() {
        return remembered.get();
    }

    private void forgetOld(Instant cutoff) {
        Remembered head = order.peek();
        if (head == null || (remembered.get() <= maxRemembered && !head.at().isBefore(cutoff))) {
            return;
        }
        synchronized (order) {
            while ((head = order.peek()) != null
                    && (remembered.get() > maxRemembered || head.at().isBefore(cutoff))) {
                order.poll();
                // The watermark moves before the id leaves, so a check that misses the id sees the watermark.
                if (head.at().isAfter(forgottenUpTo)) {
                    forgottenUpTo = head.at();
                }
                recent.remove(head.key(), head.at());
                remembered.decrementAndGet();
            }
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
