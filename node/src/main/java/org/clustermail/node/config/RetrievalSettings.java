package org.clustermail.node.config;

import java.time.Duration;
import org.clustermail.retrieval.RetrievalConfig;

/**
 * The {@code retrieval} section: the node's POP3 and IMAP listeners. Absent values take the defaults below.
 * Immutable; validated on construction (and again by {@link RetrievalConfig}).
 *
 * @param plaintextOnLoopback whether clients on 127.0.0.1/::1 may log in with a password before STARTTLS/STLS
 *                            (default false: everyone must use TLS first; IMAP says LOGINDISABLED)
 * @param maxConnections      concurrent sessions per listener (default 1000)
 * @param imapIdleTimeout     how long an IMAP session may be silent (default 30m, RFC 3501's minimum autologout)
 * @param pop3IdleTimeout     how long a POP3 session may be silent (default 10m, RFC 1939)
 * @param maxLiteral          largest IMAP literal (APPEND) in octets (default 64 MiB)
 * @param literalTimeout      how long a client may take to send a literal it announced (default 2m)
 * @param proxy               sessions of users whose mailbox another node serves (default: none, they are refused)
 */
public record RetrievalSettings(Boolean plaintextOnLoopback, Integer maxConnections, Duration imapIdleTimeout,
                                Duration pop3IdleTimeout, Long maxLiteral, Duration literalTimeout,
                                ProxySettings proxy) {

    public RetrievalSettings {
        plaintextOnLoopback = plaintextOnLoopback != null && plaintextOnLoopback;
        maxConnections = maxConnections == null ? 1000 : maxConnections;
        imapIdleTimeout = imapIdleTimeout == null ? Duration.ofMinutes(30) : imapIdleTimeout;
        pop3IdleTimeout = pop3IdleTimeout == null ? Duration.ofMinutes(10) : pop3IdleTimeout;
        maxLiteral = maxLiteral == null ? 64L << 20 : maxLiteral;
        literalTimeout = literalTimeout == null ? Duration.ofMinutes(2) : literalTimeout;
        proxy = proxy == null ? ProxySettings.none() : proxy;
        if (maxConnections < 1) {
            throw new IllegalArgumentException("retrieval.maxConnections must be at least 1");
        }
        if (imapIdleTimeout.isNegative() || imapIdleTimeout.isZero() || pop3IdleTimeout.isNegative()
                || pop3IdleTimeout.isZero()) {
            throw new IllegalArgumentException("retrieval.imapIdleTimeout and pop3IdleTimeout must be positive");
        }
    }

    public static RetrievalSettings defaults() {
        return new RetrievalSettings(null, null, null, null, null, null, null);
    }

    /** The protocol-level settings for a node named {@code hostname}. */
    public RetrievalConfig toConfig(String hostname) {
        RetrievalConfig d = RetrievalConfig.defaults(hostname);
        return new RetrievalConfig(hostname, plaintextOnLoopback, maxLiteral, d.maxLine(), literalTimeout,
                d.idleTimeout());
    }
}
