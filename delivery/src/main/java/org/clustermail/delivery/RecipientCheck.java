package org.clustermail.delivery;

/** The verdict on one RCPT, from {@link MailDelivery#check}. The session turns it into the SMTP reply. */
public sealed interface RecipientCheck {

    /** A local user who receives mail: 250. */
    record Accepted(Recipient recipient) implements RecipientCheck {
    }

    /** A local domain but no such user: 550 5.1.1. */
    record UnknownUser() implements RecipientCheck {
    }

    /** The user exists but is disabled: 550 5.2.1. */
    record Disabled() implements RecipientCheck {
    }

    /** Not one of our domains: relaying, refused (550 5.7.1) since there is no outbound delivery yet. */
    record NotLocal() implements RecipientCheck {
    }

    /** The directory could not answer: 451 4.3.0, try again later. */
    record Unavailable(String reason) implements RecipientCheck {
    }
}
