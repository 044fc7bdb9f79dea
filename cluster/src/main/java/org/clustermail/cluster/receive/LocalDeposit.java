package org.clustermail.cluster.receive;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.DeliveryOutcome.Delivered;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores copies in this node's store for recipients it owns (primary) or holds for (secondary, primary down), at
 * most once per transfer id: the end of every path a message can take into this node other than the plain local
 * delivery of the front node (node channel, spool retries, held copies).
 *
 * <p>For each user the duplicate check, the held-mail registration and the store happen under one lock (striped by
 * user), so two hand-overs of the same copy cannot both pass the check. A held copy is registered in
 * {@link HeldMail} before it is stored, so the hand-back never misses it.
 *
 * <p>Thread-safe.
 */
public final class LocalDeposit {

    private static final Logger log = LoggerFactory.getLogger(LocalDeposit.class);
    private static final int STRIPES = 256;

    private final NodeId self;
    private final DeliveryTarget store;
    private final HeldMail held;
    private final TransferLedger ledger;
    private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

    /** @param store this node's {@code LocalStoreTarget} (adds Return-Path and Delivered-To, all or nothing) */
    public LocalDeposit(NodeId self, DeliveryTarget store, HeldMail held, TransferLedger ledger) {
        this.self = self;
        this.store = store;
        this.held = held;
        this.ledger = ledger;
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Stores {@code content} for each recipient unless the copy of {@code id} is here already (then it counts as
     * delivered). One outcome per recipient, in order.
     */
    public List<DeliveryOutcome> deposit(Envelope envelope, List<Recipient> recipients, MessageContent content,
                                         Optional<TransferId> id) {
        List<ReentrantLock> taken = lockAll(recipients);
        try {
            return depositLocked(envelope, recipients, content, id);
        } finally {
            taken.forEach(ReentrantLock::unlock);
        }
    }

    /** Runs {@code action} while holding {@code owner}'s lock (the hand-back, deciding whether all is handed back). */
    public <T> T withUserLocked(MailboxOwner owner, java.util.function.Supplier<T> action) {
        ReentrantLock lock = locks[stripe(owner.userId())];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    private List<DeliveryOutcome> depositLocked(Envelope envelope, List<Recipient> recipients, MessageContent content,
                                                Optional<TransferId> id) {
        DeliveryOutcome[] outcomes = new DeliveryOutcome[recipients.size()];
        List<Recipient> toStore = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Recipient r = recipients.get(i);
            MailboxOwner owner = owner(r);
            if (id.isPresent() && ledger.stored(owner, id.get())) {
                log.info("message {}: transfer {} for {} is stored here already", envelope.id(), id.get(),
                        r.address());
                outcomes[i] = new Delivered(r.address(), self + " already stored (transfer " + id.get() + ")");
                continue;
            }
            Optional<DeliveryOutcome> refused = registerIfHeld(r, owner);
            if (refused.isPresent()) {
                outcomes[i] = refused.get();
                continue;
            }
            toStore.add(r);
            positions.add(i);
        }
        if (!toStore.isEmpty()) {
            List<DeliveryOutcome> stored = store.deliver(envelope, toStore, content);
            for (int k = 0; k < stored.size(); k++) {
                outcomes[positions.get(k)] = stored.get(k);
                if (stored.get(k) instanceof Delivered && id.isPresent()) {
                    ledger.record(owner(toStore.get(k)), id.get());
                }
            }
        }
        return List.of(outcomes);
    }

    private Optional<DeliveryOutcome> registerIfHeld(Recipient r, MailboxOwner owner) {
        if (r.location().primary().equals(self)) {
            return Optional.empty();
        }
        try {
            held.register(owner);
            return Optional.empty();
        } catch (IOException e) {
            log.warn("cannot register held mail for {}: {}", r.address(), e.toString());
            return Optional.of(new Failed(r.address(), Failure.TEMPORARY, "cannot hold mail here"));
        }
    }

    private List<ReentrantLock> lockAll(List<Recipient> recipients) {
        TreeSet<Integer> stripes = new TreeSet<>();
        recipients.forEach(r -> stripes.add(stripe(r.address().toString())));
        List<ReentrantLock> taken = new ArrayList<>();
        for (int s : stripes) { // ascending order: never a cycle between two deposits
            locks[s].lock();
            taken.add(locks[s]);
        }
        return taken;
    }

    private static int stripe(String userId) {
        return Math.floorMod(userId.hashCode(), STRIPES);
    }

    static MailboxOwner owner(Recipient r) {
        return new MailboxOwner(r.address().toString(), r.location().serial());
    }
}
