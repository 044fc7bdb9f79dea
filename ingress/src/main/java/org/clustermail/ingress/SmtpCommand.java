package org.clustermail.ingress;

import java.util.Optional;

/**
 * A parsed SMTP or LMTP command (RFC 5321, RFC 2033 LHLO, RFC 3030 BDAT, RFC 3207 STARTTLS, RFC 4954 AUTH).
 * Produced by {@link SmtpParser}; values are syntactically valid but not yet checked against policy.
 */
public sealed interface SmtpCommand {

    /** HELO (RFC 821 style: no extensions). */
    record Helo(String clientName) implements SmtpCommand {
    }

    record Ehlo(String clientName) implements SmtpCommand {
    }

    /** LMTP's EHLO. */
    record Lhlo(String clientName) implements SmtpCommand {
    }

    /**
     * @param reversePath the sender address without angle brackets; empty for the null sender {@code <>}
     */
    record Mail(String reversePath, MailParameters parameters) implements SmtpCommand {
    }

    /** @param forwardPath the recipient address without angle brackets or source route */
    record Rcpt(String forwardPath) implements SmtpCommand {
    }

    record Data() implements SmtpCommand {
    }

    /** A CHUNKING chunk of exactly {@code size} octets follows the command line. */
    record Bdat(long size, boolean last) implements SmtpCommand {
    }

    record Rset() implements SmtpCommand {
    }

    record Noop() implements SmtpCommand {
    }

    record Quit() implements SmtpCommand {
    }

    record Help() implements SmtpCommand {
    }

    record Vrfy() implements SmtpCommand {
    }

    record Expn() implements SmtpCommand {
    }

    record StartTls() implements SmtpCommand {
    }

    /** @param initialResponse base64 as sent, {@code "="} for an empty one */
    record Auth(String mechanism, Optional<String> initialResponse) implements SmtpCommand {
    }
}
