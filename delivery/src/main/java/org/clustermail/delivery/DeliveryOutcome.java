package org.clustermail.delivery;

import org.clustermail.directory.MailAddress;

/** What became of one recipient's copy. */
public sealed interface DeliveryOutcome {

    MailAddress recipient();

    /** The copy is durable at {@code where} (e.g. {@code node01/INBOX uid 17}); safe to answer 250. */
    record Delivered(MailAddress recipient, String where) implements DeliveryOutcome {
    }

    /** The copy is not stored; {@code reason} is for logs and may be shown to the client (no secrets). */
    record Failed(MailAddress recipient, Failure failure, String reason) implements DeliveryOutcome {
    }

    /** How a copy failed, which decides the reply and whether another target may be tried. */
    enum Failure {
        /** Nothing was stored; a retry (here, on another target, or by the client later) is safe. SMTP 451. */
        TEMPORARY,
        /** It will never work (e.g. the mailbox is gone). SMTP 550/554. */
        PERMANENT,
        /** The hand-over broke half-way: the copy may or may not be stored. Never retried elsewhere. SMTP 451. */
        UNKNOWN
    }
}
