package org.clustermail.ingress;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.delivery.Recipient;
import org.clustermail.directory.MailAddress;

/**
 * Where an SMTP/LMTP session stands. Each state holds exactly what is valid in it; the TLS state lives on the
 * connection. Transitions: Connected →(EHLO/HELO/LHLO) Greeted →(MAIL) Transaction →(BDAT) Chunking; the end of
 * the message, RSET or a new EHLO go back to Greeted; STARTTLS goes back to Connected (RFC 3207: the client must
 * greet again). Authentication survives RSET but not STARTTLS (AUTH is only offered after it anyway).
 */
sealed interface SessionState {

    /** Connected, not greeted yet. */
    record Connected() implements SessionState {
    }

    /**
     * @param clientName what the client called itself
     * @param extended   EHLO/LHLO rather than HELO
     * @param user       the authenticated user, on submission after AUTH
     */
    record Greeted(String clientName, boolean extended, Optional<MailAddress> user) implements SessionState {
        Greeted withUser(MailAddress authenticated) {
            return new Greeted(clientName, extended, Optional.of(authenticated));
        }
    }

    /**
     * After MAIL FROM.
     *
     * @param recipients accepted recipients in RCPT order (a mutable list owned by this state)
     * @param startNanos when MAIL FROM arrived: the start of the paper's MTA stage
     */
    record Transaction(Greeted greeted, String sender, MailParameters parameters, List<Recipient> recipients,
                       long startNanos) implements SessionState {
        static Transaction start(Greeted greeted, String sender, MailParameters parameters) {
            return new Transaction(greeted, sender, parameters, new ArrayList<>(), System.nanoTime());
        }
    }

    /** Between BDAT chunks: the body so far is in {@code spool}, which the session must close on every path. */
    record Chunking(Transaction transaction, MessageSpool spool) implements SessionState {
    }
}
