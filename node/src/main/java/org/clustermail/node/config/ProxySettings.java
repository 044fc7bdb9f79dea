package org.clustermail.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.clustermail.retrieval.proxy.ProxyTickets;

/**
 * The {@code retrieval.proxy} section: how a node relays the IMAP and POP3 sessions of users whose mailbox another
 * node serves, and accepts those relayed to it (ADR 0013). Without a secret, such users are told to connect to
 * their own node. Immutable; validated (and the secret file read) on construction.
 *
 * @param secret         the cluster's shared proxy secret, at least 32 characters, the same on every node; or
 * @param secretFile     a file holding it (leading and trailing white space ignored); not both
 * @param connectTimeout how long connecting to the serving node may take before it counts as down (default 2s)
 * @param replyTimeout   how long the serving node may take to greet and to log the user in (default 10s)
 */
public record ProxySettings(String secret, Path secretFile, Duration connectTimeout, Duration replyTimeout) {

    public ProxySettings {
        if (secret != null && secretFile != null) {
            throw new IllegalArgumentException("retrieval.proxy: give secret or secretFile, not both");
        }
        if (secretFile != null) {
            secret = read(secretFile);
        }
        if (secret != null && secret.strip().length() < ProxyTickets.MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("retrieval.proxy: the secret must have at least "
                    + ProxyTickets.MIN_SECRET_LENGTH + " characters");
        }
        secret = secret == null ? null : secret.strip();
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        replyTimeout = replyTimeout == null ? Duration.ofSeconds(10) : replyTimeout;
        if (connectTimeout.isNegative() || connectTimeout.isZero() || replyTimeout.isNegative()
                || replyTimeout.isZero()) {
            throw new IllegalArgumentException("retrieval.proxy: timeouts must be positive");
        }
    }

    /** No secret: no proxying. */
    public static ProxySettings none() {
        return new ProxySettings(null, null, null, null);
    }

    /** The secret, if proxying is configured. */
    public Optional<String> configuredSecret() {
        return Optional.ofNullable(secret);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("retrieval.proxy.secretFile: cannot read " + file + ": "
                    + e); // no cause: the loader reports the innermost IllegalArgumentException's message
        }
    }

    /** Never shows the secret (configurations get logged). */
    @Override
    public String toString() {
        return "ProxySettings[secret=" + (secret == null ? "none" : "(set)") + ", connectTimeout=" + connectTimeout
                + ", replyTimeout=" + replyTimeout + "]";
    }
}
