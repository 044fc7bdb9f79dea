package org.clustermail.cluster.route;

import java.io.IOException;
import java.util.List;
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
 * The last resort when a recipient's primary and secondary node are both down: the copy goes durably into this
 * node's {@link Spool} (acknowledged, so the SMTP client gets 250) and the spool worker hands it on later. Only if
 * even the spool cannot take it does the recipient fail, temporarily (the client gets 451). Thread-safe.
 */
public final class SpoolTarget implements DeliveryTarget {

    private static final Logger log = LoggerFactory.getLogger(SpoolTarget.class);

    private final NodeId self;
    private final Spool spool;

    public SpoolTarget(NodeId self, Spool spool) {
        this.self = self;
        this.spool = spool;
    }

    @Override
    public String name() {
        return self + "-spool";
    }

    @Override
    public Stage stage() {
        return Stage.STORE;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
        IdentifiedContent identified = IdentifiedContent.of(self, content);
        List<String> addresses = recipients.stream().map(r -> r.address().toString()).toList();
        try {
            spool.add(envelope.sender(), envelope.receivedAt(), addresses, identified);
            log.info("message {}: spooled for {} (owner and secondary down), transfer {}", envelope.id(), addresses,
                    identified.id());
            return recipients.stream().<DeliveryOutcome>map(r -> new Delivered(r.address(), name())).toList();
        } catch (IOException e) {
            log.error("message {}: cannot spool", envelope.id(), e);
            return recipients.stream().<DeliveryOutcome>map(r -> new Failed(r.address(), Failure.TEMPORARY,
                    "no node can take the message now")).toList();
        }
    }
}
