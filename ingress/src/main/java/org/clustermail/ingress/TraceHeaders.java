package org.clustermail.ingress;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * The Received header (RFC 5321 4.4) ingress puts on top of each message it accepts. Its {@code with} clause uses
 * the RFC 3848 / RFC 6531 protocol names (ESMTP, ESMTPS, ESMTPSA, LMTP, UTF8SMTPS...). Pure; thread-safe.
 */
final class TraceHeaders {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.US);

    private TraceHeaders() {
    }

    /**
     * @param forRecipient named in a {@code for} clause when the message has exactly one recipient (naming one of
     *                     several would tell each recipient about the others)
     */
    static byte[] received(String clientName, String clientIp, String hostname, String protocol, String id,
                           Optional<SSLSession> tls, Optional<String> forRecipient, ZonedDateTime when) {
        StringBuilder b = new StringBuilder(256);
        b.append("Received: from ").append(SmtpReply.sanitize(clientName)).append(" ([").append(clientIp).append("])")
                .append("\r\n\tby ").append(hostname).append(" (clustermail) with ").append(protocol)
                .append(" id ").append(id);
        tls.ifPresent(s -> b.append("\r\n\t(using ").append(s.getProtocol()).append(" with cipher ")
                .append(s.getCipherSuite()).append(')'));
        forRecipient.ifPresent(r -> b.append("\r\n\tfor <").append(SmtpReply.sanitize(r)).append('>'));
        b.append(";\r\n\t").append(DATE.format(when.withZoneSameInstant(ZoneOffset.UTC))).append("\r\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The RFC 3848/6531 {@code with} keyword for a session. */
    static String protocol(boolean lmtp, boolean extended, boolean utf8, boolean tls, boolean authenticated) {
        String base = lmtp ? "LMTP" : extended ? "ESMTP" : "SMTP";
        if (utf8) {
            base = lmtp ? "UTF8LMTP" : "UTF8SMTP";
        }
        if (base.equals("SMTP")) {
            return base;
        }
        return base + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
