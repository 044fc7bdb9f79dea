package org.clustermail.node;

import java.time.Instant;
import java.util.List;
import org.clustermail.store.DeliveryReceipt;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;

/**
 * The store as POP3 and IMAP sessions see it in shared-store mode (ADR 0010): opening a mailbox (at login) or
 * counting its messages first indexes what other nodes wrote into its INBOX, so the session shows it. Mail written
 * during an IMAP session appears at its next login. Does not own the store: start and close go to the node's store
 * directly. Thread-safe.
 */
final class IndexingOnOpen implements MailStore {

    private final MailStore store;

    IndexingOnOpen(MailStore store) {
        this.store = store;
    }

    @Override
    public Mailbox open(MailboxOwner owner) {
        store.indexExternalDeliveries(owner);
        return store.open(owner);
    }

    @Override
    public void start() {
        // the node starts its store
    }

    @Override
    public DeliveryReceipt deliver(List<MailboxOwner> recipients, MessageContent content, Instant internalDate) {
        return store.deliver(recipients, content, internalDate);
    }

    @Override
    public long messageCount(MailboxOwner owner) {
        store.indexExternalDeliveries(owner);
        return store.messageCount(owner);
    }

    @Override
    public int rebuildIndex(MailboxOwner owner) {
        return store.rebuildIndex(owner);
    }

    @Override
    public int indexExternalDeliveries(MailboxOwner owner) {
        return store.indexExternalDeliveries(owner);
    }

    @Override
    public void close() {
        // the node closes its store
    }
}
