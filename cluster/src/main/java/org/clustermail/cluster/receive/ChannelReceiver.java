package org.clustermail.cluster.receive;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.cluster.transfer.TransferHeader;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.Recipient;
import org.clustermail.directory.MailAddress;
import org.clustermail.delivery.RecipientCheck;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of the node channels (the paper's node thread on the owner's side), as the {@link MailDelivery}
 * behind the internal LMTP listener. It never routes again, so a message cannot loop between nodes: a recipient
 * whose primary node is this one is stored here; one whose secondary is this one (the sender found the primary down)
 * is stored here as held mail, to be handed back; any other recipient gets a temporary failure (the sender's view of
 * the directory is ahead of or behind ours, and it will retry).
 *
 * <p>The transfer id in the message's {@code X-Clustermail-Transfer} header makes a repeated hand-over a no-op
 * answered with 250. Thread-safe.
 */
public final class ChannelReceiver implements MailDelivery {

    private static final Logger log = LoggerFactory.getLogger(ChannelReceiver.class);

    private final NodeId self;
    private final MailDelivery lookups;
    private final LocalDeposit deposit;
    private final AtomicLong received = new AtomicLong();

    /** @param lookups answers RCPT checks from the directory (the node's {@code RoutedDelivery}); never delivers */
    public ChannelReceiver(NodeId self, MailDelivery lookups, LocalDeposit deposit) {
        this.self = self;
        this.lookups = lookups;
        this.deposit = deposit;
    }

    @Override
    public RecipientCheck check(String forwardPath) {
        RecipientCheck verdict = lookups.check(forwardPath);
        if (verdict instanceof RecipientCheck.Accepted a) {
            UserLocation where = a.recipient().location();
            boolean primary = where.primary().equals(self);
            boolean secondary = where.secondary().filter(self::equals).isPresent();
            if (!primary && !secondary) {
                return new RecipientCheck.Unavailable("mailbox not on " + self + " (owner " + where.primary() + ")");
            }
        }
        return verdict;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, MessageContent content) {
        Optional<TransferId> id;
        try {
            id = TransferHeader.find(content);
        } catch (IOException e) {
            id = Optional.empty();
        }
        received.incrementAndGet();
        if (log.isDebugEnabled()) {
            log.debug("message {} over the node channel, transfer {}, {} recipient(s)", envelope.id(),
                    id.map(TransferId::value).orElse("(none)"), envelope.recipients().size());
        }
        Map<MailAddress, Recipient> distinct = new LinkedHashMap<>();
        envelope.recipients().forEach(r -> distinct.putIfAbsent(r.address(), r));
        List<DeliveryOutcome> outcomes = deposit.deposit(envelope, List.copyOf(distinct.values()), content, id);
        Map<MailAddress, DeliveryOutcome> byAddress = new HashMap<>();
        outcomes.forEach(o -> byAddress.put(o.recipient(), o));
        return envelope.recipients().stream().map(r -> byAddress.get(r.address())).toList();
    }

    /** Messages received over the node channel since start. */
    public long received() {
        return received.get();
    }
}
