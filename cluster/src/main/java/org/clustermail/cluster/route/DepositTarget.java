package org.clustermail.cluster.route;

import java.util.List;
import java.util.Optional;
import org.clustermail.cluster.receive.LocalDeposit;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.delivery.Stage;
import org.clustermail.store.MessageContent;

/**
 * This node's store reached through {@link LocalDeposit}: for copies this node holds as the secondary (registered for
 * the hand-back) and for spool retries (checked against their transfer id, so a retry after a crash cannot store a
 * second copy). The front node's plain local delivery does not need either and uses {@code LocalStoreTarget}.
 * Thread-safe.
 */
public final class DepositTarget implements DeliveryTarget {

    private final String name;
    private final LocalDeposit deposit;

    public DepositTarget(String name, LocalDeposit deposit) {
        this.name = name;
        this.deposit = deposit;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stage stage() {
        return Stage.STORE;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
        Optional<TransferId> id = content instanceof IdentifiedContent i ? Optional.of(i.id()) : Optional.empty();
        return deposit.deposit(envelope, recipients, content, id);
    }
}
