package org.clustermail.delivery;

import java.util.List;

/**
 * The per-recipient routing decision: which targets may take this recipient's copy, in the order to try them.
 * One node: always the local store. The cluster: the owner's node (local store or node channel), then the
 * secondary node, then the local spool; health checks may drop a target known to be down.
 *
 * <p>{@link RoutedDelivery} tries the next target only after a {@link DeliveryOutcome.Failure#TEMPORARY} failure
 * (nothing stored), never after {@code UNKNOWN}, so a copy is never stored twice. Thread-safe.
 */
@FunctionalInterface
public interface Router {

    /** At least one target. */
    List<DeliveryTarget> route(Recipient recipient);
}
