package org.clustermail.store;

import java.util.List;

/**
 * Proof that a delivery is durable: one entry per recipient, in the order given to
 * {@link MailStore#deliver}, each with the folder, UIDVALIDITY and UID the message got.
 */
public record DeliveryReceipt(List<Delivered> deliveries) {

    public DeliveryReceipt {
        deliveries = List.copyOf(deliveries);
    }

    /** Where one recipient's copy went. */
    public record Delivered(MailboxOwner owner, String folder, long uidValidity, long uid) {
    }
}
