package org.clustermail.cluster.receive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.clustermail.cluster.ClusterHealth;
import org.clustermail.cluster.Sweeper;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.cluster.transfer.TransferHeader;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.directory.Directory;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.FlagOp;
import org.clustermail.store.Flags;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreException;
import org.clustermail.store.SystemFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands mail this node held as a secondary back to the user's primary node once it is up again: for each held user,
 * each message of the held INBOX goes over the primary's node channel with its transfer id (the one it arrived with,
 * or one derived from where it is stored), and is deleted here only after the primary's 250. A crash in between
 * makes the next sweep send it again, and the primary answers "already stored" from the id: never lost, never
 * twice. When the held INBOX is empty the user leaves {@link HeldMail}.
 *
 * <p>Runs when a node comes back ({@link #wake()}, from {@link ClusterHealth}'s listener) and every
 * {@code interval}; each user on its own virtual thread, one at a time per user. Flags set while the user read the
 * held copies here are not carried over (LMTP has no way to say them). Lifecycle: {@link #start()},
 * {@link #close()}. Thread-safe.
 */
public final class HandBack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HandBack.class);

    private final NodeId self;
    private final HeldMail held;
    private final MailStore store;
    private final Directory directory;
    private final ClusterHealth health;
    private final Function<NodeId, Optional<DeliveryTarget>> peers;
    private final LocalDeposit deposit;
    private final Sweeper sweeper;
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

    /** @param peers the node-channel target of a node (one that does not spool: a failure just waits) */
    public HandBack(NodeId self, HeldMail held, MailStore store, Directory directory, ClusterHealth health,
                    Function<NodeId, Optional<DeliveryTarget>> peers, LocalDeposit deposit, Duration interval) {
        this.self = self;
        this.held = held;
        this.store = store;
        this.directory = directory;
        this.health = health;
        this.peers = peers;
        this.deposit = deposit;
        this.sweeper = new Sweeper("hand-back", interval, this::sweep);
    }

    public void start() {
        sweeper.start();
        sweeper.wake();
    }

    /** Looks at every held user now. */
    public void wake() {
        sweeper.wake();
    }

    private void sweep() {
        for (MailboxOwner owner : held.users()) {
            if (inFlight.putIfAbsent(owner.userId(), Boolean.TRUE) == null) {
                Thread.ofVirtual().name("hand-back-" + owner.userId()).start(() -> {
                    try {
                        handBack(owner);
                    } catch (RuntimeException e) {
                        log.warn("hand-back of {}'s mail failed; will try again: {}", owner.userId(), e.toString());
                    } finally {
                        inFlight.remove(owner.userId());
                    }
                });
            }
        }
    }

    private void handBack(MailboxOwner owner) {
        Optional<UserLocation> where = directory.locate(MailAddress.parse(owner.userId()));
        if (where.isEmpty()) {
            return; // removed from the directory: keep what we hold rather than lose it
        }
        NodeId primary = where.get().primary();
        if (primary.equals(self)) {
            release(owner); // the user now lives here: what we held is in the right mailbox already
            return;
        }
        Optional<DeliveryTarget> target = peers.apply(primary);
        if (target.isEmpty() || !health.isUp(primary)) {
            return;
        }
        int handed = 0;
        try (Mailbox mailbox = store.open(owner)) {
            for (MessageRef m : mailbox.snapshot(Mailbox.INBOX).messages()) {
                if (!handOne(mailbox, m, where.get(), target.get())) {
                    break;
                }
                handed++;
            }
            deposit.withUserLocked(owner, () -> {
                if (mailbox.snapshot(Mailbox.INBOX).messages().isEmpty()) {
                    release(owner);
                }
                return null;
            });
        }
        if (handed > 0) {
            log.info("handed {} held message(s) of {} back to {}", handed, owner.userId(), primary);
        }
    }

    private boolean handOne(Mailbox mailbox, MessageRef m, UserLocation where, DeliveryTarget primary) {
        byte[] stored;
        try (InputStream in = mailbox.openMessage(Mailbox.INBOX, m.uid())) {
            stored = in.readAllBytes();
        } catch (IOException | StoreException e) {
            return true; // expunged meanwhile (the user deleted it here): nothing to hand back
        }
        HeldCopy copy = HeldCopy.parse(stored);
        IdentifiedContent content = identify(copy.body(), mailbox, m);
        Envelope envelope = new Envelope("hand-back." + content.id(), copy.sender(),
                List.of(new Recipient(where.address(), where, 0)), m.internalDate(), Duration.ZERO);
        DeliveryOutcome outcome = primary.deliver(envelope, envelope.recipients(), content).get(0);
        if (!(outcome instanceof DeliveryOutcome.Delivered)) {
            log.info("hand-back of {} to {} not done yet: {}", content.id(), where.primary(), outcome);
            return false;
        }
        mailbox.storeFlags(Mailbox.INBOX, List.of(m.uid()), FlagOp.ADD, Flags.of(SystemFlag.DELETED),
                java.util.OptionalLong.empty());
        mailbox.expunge(Mailbox.INBOX, Optional.of(List.of(m.uid())));
        return true;
    }

    private IdentifiedContent identify(byte[] body, Mailbox mailbox, MessageRef m) {
        MessageContent bytes = MessageContent.ofBytes(body);
        try {
            Optional<TransferId> id = TransferHeader.find(bytes);
            if (id.isPresent()) {
                return new IdentifiedContent(id.get(), bytes);
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading bytes in memory failed", e);
        }
        long validity = mailbox.snapshot(Mailbox.INBOX).uidValidity();
        TransferId derived = TransferId.derived(self, validity, m.uid(), m.internalDate());
        return new IdentifiedContent(derived, TransferHeader.prepend(derived, bytes));
    }

    private void release(MailboxOwner owner) {
        try {
            held.release(owner);
        } catch (IOException e) {
            log.warn("cannot clear the held-mail entry of {}: {}", owner.userId(), e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.close();
    }

    /**
     * A held copy as stored: this node's {@code Return-Path} and {@code Delivered-To} lines (which the primary adds
     * again) are taken off, the sender kept for the hand-back's MAIL FROM.
     */
    record HeldCopy(String sender, byte[] body) {

        static HeldCopy parse(byte[] stored) {
            int first = lineEnd(stored, 0);
            String returnPath = new String(stored, 0, Math.max(0, first), StandardCharsets.UTF_8);
            if (first < 0 || !returnPath.startsWith("Return-Path: <") || !returnPath.endsWith(">\r")) {
                return new HeldCopy("", stored);
            }
            int second = lineEnd(stored, first + 1);
            String deliveredTo = second < 0 ? "" : new String(stored, first + 1, second - first - 1,
                    StandardCharsets.UTF_8);
            int start = deliveredTo.startsWith("Delivered-To: ") ? second + 1 : first + 1;
            String sender = returnPath.substring("Return-Path: <".length(), returnPath.length() - 2);
            return new HeldCopy(sender, java.util.Arrays.copyOfRange(stored, start, stored.length));
        }

        private static int lineEnd(byte[] b, int from) {
            for (int i = from; i < b.length; i++) {
                if (b[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
