package org.clustermail.cluster.route;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.cluster.channel.LmtpReply;
import org.clustermail.cluster.channel.NodeChannel;
import org.clustermail.cluster.channel.NodeUnavailableException;
import org.clustermail.cluster.channel.RecipientReply;
import org.clustermail.cluster.channel.TransferFailedException;
import org.clustermail.cluster.spool.Spool;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.DeliveryOutcome.Delivered;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.delivery.Stage;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Another node as a delivery target: the message goes once over that node's {@link NodeChannel} for all the
 * recipients routed to it (version 2: straight to the owner, no intermediate hop), and each recipient's LMTP reply
 * becomes its outcome. Time spent here is the paper's "transfer" stage.
 *
 * <p>Every hand-over carries a transfer id ({@link IdentifiedContent}); a first hand-over gets a new one. Outcomes:
 * the peer's 2xx is delivered, 5xx permanent, 4xx temporary (nothing stored there, the next target may take it); a
 * peer that is down or refuses the connection is temporary for all. A transfer that broke after the content started
 * may or may not have been stored: with a spool, the copy is spooled under the same id (the owner's duplicate check
 * makes the later retry safe) and counts as delivered, since it is durable here; without one it is
 * {@link Failure#UNKNOWN}.
 *
 * <p>Thread-safe; the channel's pool lets concurrent messages to one peer proceed together.
 */
public final class PeerTarget implements DeliveryTarget {

    private static final Logger log = LoggerFactory.getLogger(PeerTarget.class);

    private final NodeId self;
    private final NodeChannel channel;
    private final Optional<Spool> spoolOnUnknown;
    private final String name;

    public PeerTarget(NodeId self, NodeChannel channel, Optional<Spool> spoolOnUnknown) {
        this.self = self;
        this.channel = channel;
        this.spoolOnUnknown = spoolOnUnknown;
        this.name = channel.peer().directoryName();
    }

    public NodeId peer() {
        return channel.peer();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stage stage() {
        return Stage.TRANSFER;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
        IdentifiedContent identified = IdentifiedContent.of(self, content);
        List<String> addresses = recipients.stream().map(r -> r.address().toString()).toList();
        try {
            List<RecipientReply> replies = channel.transfer(envelope.sender(), addresses, identified);
            List<DeliveryOutcome> out = new ArrayList<>();
            for (int i = 0; i < recipients.size(); i++) {
                out.add(outcome(recipients.get(i), replies.get(i).reply()));
            }
            return out;
        } catch (NodeUnavailableException e) {
            return all(recipients, Failure.TEMPORARY, name() + " unavailable");
        } catch (TransferFailedException e) {
            log.warn("message {}: transfer {} to {} broke off: {}", envelope.id(), identified.id(), name(),
                    e.getMessage());
            return unknown(envelope, recipients, addresses, identified);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unknown(envelope, recipients, addresses, identified);
        }
    }

    private DeliveryOutcome outcome(Recipient r, LmtpReply reply) {
        if (reply.positive()) {
            return new Delivered(r.address(), name() + ": " + reply.summary());
        }
        Failure f = reply.permanentFailure() ? Failure.PERMANENT : Failure.TEMPORARY;
        return new Failed(r.address(), f, name() + " said " + reply.summary());
    }

    private List<DeliveryOutcome> unknown(Envelope envelope, List<Recipient> recipients, List<String> addresses,
                                          IdentifiedContent content) {
        if (spoolOnUnknown.isEmpty()) {
            return all(recipients, Failure.UNKNOWN, "transfer to " + name() + " interrupted");
        }
        try {
            spoolOnUnknown.get().add(envelope.sender(), envelope.receivedAt(), addresses, content);
            return recipients.stream().<DeliveryOutcome>map(r -> new Delivered(r.address(),
                    self + " spool (transfer " + content.id() + " to " + name() + " interrupted)")).toList();
        } catch (IOException e) {
            log.error("message {}: cannot spool after the interrupted transfer to {}", envelope.id(), name(), e);
            return all(recipients, Failure.UNKNOWN, "transfer to " + name() + " interrupted");
        }
    }

    private static List<DeliveryOutcome> all(List<Recipient> recipients, Failure failure, String reason) {
        return recipients.stream().<DeliveryOutcome>map(r -> new Failed(r.address(), failure, reason)).toList();
    }
}
