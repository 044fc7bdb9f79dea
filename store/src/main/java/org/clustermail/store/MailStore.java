package org.clustermail.store;

import java.time.Instant;
import java.util.List;

/**
 * The mailbox and message-info subsystems of one node: every message accepted for a local user ends up here.
 *
 * <p>Lifecycle: {@link #start()} (recovers from a crash: replays the journal, repairs or rebuilds damaged
 * indexes), then any number of calls from any threads, then {@link #close()} (drains and stops; later calls fail
 * with {@code UNAVAILABLE}).
 *
 * <p>Durability: when {@link #deliver} or a {@link Mailbox} mutation returns, the change survives a crash of the
 * process or of the machine. A process killed at any instant leaves each message either completely present and
 * indexed exactly once, or absent.
 */
public interface MailStore extends AutoCloseable {

    /** Opens the store: takes the node directory's lock and recovers. Throws {@link StoreException} if it cannot. */
    void start();

    /**
     * Stores one message for several local recipients (the INBOX of each), all durable together. Returns only when
     * every copy and its summary are durable. On failure nothing is acknowledged and a {@link StoreException} says
     * why ({@link StoreException#temporary()}: the SMTP layer answers 451 4.3.0). A recipient listed twice gets one
     * copy.
     */
    DeliveryReceipt deliver(List<MailboxOwner> recipients, MessageContent content, Instant internalDate);

    /** Opens a user's mailbox (creating it on first use). Close the handle when done. */
    Mailbox open(MailboxOwner owner);

    /**
     * How many messages the user's folders hold together, from the folders' counters: unlike {@link #open}, it loads
     * no message summaries into memory (the node's status counts every mailbox this way). Creates the mailbox on
     * first use, as {@link #open} does.
     */
    long messageCount(MailboxOwner owner);

    /**
     * Rebuilds a user's message-info index from the mailbox files (the CLI's {@code store rebuild-index}): flags
     * come from the files where the format keeps them, summaries are parsed again.
     *
     * @return the number of messages indexed
     */
    int rebuildIndex(MailboxOwner owner);

    /**
     * Indexes messages that other processes delivered into the user's INBOX as plain Maildir files (shared-store
     * mode, ADR 0010; {@code SharedStoreWriter}), so they show like any other. Safe while those processes go on
     * writing; a crash at any instant leaves each such message indexed once or still waiting. Returns how many were
     * added; 0 for mbox.
     */
    int indexExternalDeliveries(MailboxOwner owner);

    /** Stops: finishes work in progress, makes everything durable, releases the lock. */
    @Override
    void close();
}
