package org.clustermail.delivery;

import java.util.List;
import org.clustermail.store.MessageContent;

/**
 * One place copies can go: this node's store (this issue); with the cluster, another node over its node channel,
 * the secondary node, the durable spool, or a shared store directory. A {@link Router} picks targets per recipient.
 *
 * <p>Thread-safe; called concurrently by many sessions, and for one message possibly at once with other targets.
 */
public interface DeliveryTarget {

    /** For logs and metrics, e.g. {@code local}, {@code node02}, {@code spool}. */
    String name();

    /** Which of the paper's latency stages time spent here counts as. */
    Stage stage();

    /**
     * Hands over one message for {@code recipients} (all routed here, no duplicates) and returns one outcome per
     * recipient, in order. Delivered means durable. Must not throw for delivery failures.
     */
    List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content);
}
