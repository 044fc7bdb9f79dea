package org.clustermail.retrieval;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the POP3 and IMAP servers of a node. Validated on construction; immutable.
 *
 * @param hostname             the name in greetings
 * @param plaintextOnLoopback  whether clients on a loopback address may log in with a password before TLS
 *                             (elsewhere it is refused and IMAP announces LOGINDISABLED until STARTTLS)
 * @param maxLiteral           the largest IMAP literal (APPEND message) accepted, in octets
 * @param maxLine              the longest command line (IMAP: without its literals), in octets
 * @param literalTimeout       how long a client may take to send a literal it announced
 * @param idleTimeout          how long an IMAP IDLE may last before the server ends it (RFC 2177: at most 30 min)
 */
public record RetrievalConfig(String hostname, boolean plaintextOnLoopback, long maxLiteral, int maxLine,
                              Duration literalTimeout, Duration idleTimeout) {

    public RetrievalConfig {
        Objects.requireNonNull(hostname, "hostname");
        if (maxLiteral < 1024 || maxLiteral > (1L << 30)) {
            throw new IllegalArgumentException("maxLiteral must be 1 KiB .. 1 GiB, got " + maxLiteral);
        }
        if (maxLine < 1024) {
            throw new IllegalArgumentException("maxLine must be at least 1024, got " + maxLine);
        }
        requirePositive("literalTimeout", literalTimeout);
        requirePositive("idleTimeout", idleTimeout);
    }

    /** 64 MiB literals, 64 KiB lines, 2 minutes per literal, 29-minute IDLE; no plain-text login before TLS. */
    public static RetrievalConfig defaults(String hostname) {
        return new RetrievalConfig(hostname, false, 64L << 20, 64 << 10, Duration.ofMinutes(2),
                Duration.ofMinutes(29));
    }

    public RetrievalConfig withPlaintextOnLoopback(boolean allow) {
        return new RetrievalConfig(hostname, allow, maxLiteral, maxLine, literalTimeout, idleTimeout);
    }

    public RetrievalConfig withLiteralTimeout(Duration timeout) {
        return new RetrievalConfig(hostname, plaintextOnLoopback, maxLiteral, maxLine, timeout, idleTimeout);
    }

    public RetrievalConfig withMaxLiteral(long max) {
        return new RetrievalConfig(hostname, plaintextOnLoopback, max, maxLine, literalTimeout, idleTimeout);
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
