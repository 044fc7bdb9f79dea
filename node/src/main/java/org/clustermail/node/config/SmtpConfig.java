package org.clustermail.node.config;

import java.time.Duration;

/**
 * The {@code smtp} section: names and limits of the node's SMTP, submission, SMTPS and LMTP listeners. Absent values
 * take the defaults below. Immutable; validated on construction (and again by the ingress and protocol records
 * they are turned into).
 *
 * @param hostname       the name in greetings and Received headers, and of the self-signed certificate
 *                       (default {@code node<NN>.localhost})
 * @param maxMessageSize largest message in octets (default 25 MiB)
 * @param maxRecipients  recipients per message (default 100)
 * @param maxConnections concurrent sessions per listener (default 500; more get 421)
 * @param maxErrors      errors per session before it is closed (default 20)
 * @param idleTimeout    how long a session may wait for the client's next command (default 5m)
 * @param dataTimeout    how long one DATA/BDAT transfer may take (default 10m)
 */
public record SmtpConfig(String hostname, Long maxMessageSize, Integer maxRecipients, Integer maxConnections,
                         Integer maxErrors, Duration idleTimeout, Duration dataTimeout) {

    public SmtpConfig {
        hostname = hostname == null || hostname.isBlank() ? null : hostname.strip();
        maxMessageSize = maxMessageSize == null ? 25L * 1024 * 1024 : maxMessageSize;
        maxRecipients = maxRecipients == null ? 100 : maxRecipients;
        maxConnections = maxConnections == null ? 500 : maxConnections;
        maxErrors = maxErrors == null ? 20 : maxErrors;
        idleTimeout = idleTimeout == null ? Duration.ofMinutes(5) : idleTimeout;
        dataTimeout = dataTimeout == null ? Duration.ofMinutes(10) : dataTimeout;
        if (hostname != null && !hostname.matches("[A-Za-z0-9.-]{1,253}")) {
            throw new IllegalArgumentException("smtp.hostname must be a DNS name, got " + hostname);
        }
        if (maxMessageSize < 1024) {
            throw new IllegalArgumentException("smtp.maxMessageSize must be at least 1024");
        }
        if (maxRecipients < 1 || maxConnections < 1 || maxErrors < 1) {
            throw new IllegalArgumentException("smtp.maxRecipients, maxConnections and maxErrors must be at least 1");
        }
        if (idleTimeout.isNegative() || idleTimeout.isZero() || dataTimeout.isNegative() || dataTimeout.isZero()) {
            throw new IllegalArgumentException("smtp.idleTimeout and smtp.dataTimeout must be positive");
        }
    }

    public static SmtpConfig defaults() {
        return new SmtpConfig(null, null, null, null, null, null, null);
    }

    /** The configured host name, or {@code node<NN>.localhost} (RFC 6761 keeps {@code .localhost} local). */
    public String hostnameFor(org.clustermail.directory.NodeId node) {
        return hostname != null ? hostname : node.directoryName() + ".localhost";
    }
}
