package org.clustermail.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The SMTP envelope of one received message, as ingress hands it to {@link MailDelivery#deliver}.
 *
 * @param id         the message's trace id (also in its Received header and the logs)
 * @param sender     the reverse path without brackets; empty for the null sender (bounces)
 * @param recipients the accepted recipients in RCPT order (duplicates possible; each gets one outcome)
 * @param receivedAt when the message was fully received (its internal date)
 * @param receiving  how long receiving took, from MAIL FROM to the end of the data: the paper's "MTA" stage
 */
public record Envelope(String id, String sender, List<Recipient> recipients, Instant receivedAt, Duration receiving) {

    public Envelope {
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("an envelope needs at least one recipient");
        }
    }
}
