package org.clustermail.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * How one listening socket behaves. Validated on construction; immutable.
 *
 * @param name for logs and thread names, e.g. {@code smtp}, {@code submission}, {@code imaps}
 * @param host the address to bind, e.g. {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the port; 0 picks a free one (tests), see {@link Listener#port()}
 * @param implicitTls whether TLS starts right at connect (SMTPS 465, IMAPS 993, POP3S 995)
 * @param maxConnections sessions served at once; more connections are {@linkplain ConnectionHandler#refuse refused}
 * @param idleTimeout how long a session may wait for the client's next byte
 * @param handshakeTimeout how long a TLS handshake may take
 */
public record ListenerConfig(String name, String host, int port, boolean implicitTls, int maxConnections,
                             Duration idleTimeout, Duration handshakeTimeout) {

    public ListenerConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + ": port must be 0..65535, got " + port);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException(name + ": maxConnections must be at least 1");
        }
        requirePositive(name, "idleTimeout", idleTimeout);
        requirePositive(name, "handshakeTimeout", handshakeTimeout);
    }

    /** A plain listener with the usual limits: 500 connections, 5 minutes idle (RFC 5321), 30 s handshake. */
    public static ListenerConfig of(String name, String host, int port) {
        return new ListenerConfig(name, host, port, false, 500, Duration.ofMinutes(5), Duration.ofSeconds(30));
    }

    public ListenerConfig withImplicitTls(boolean implicit) {
        return new ListenerConfig(name, host, port, implicit, maxConnections, idleTimeout, handshakeTimeout);
    }

    public ListenerConfig withMaxConnections(int max) {
        return new ListenerConfig(name, host, port, implicitTls, max, idleTimeout, handshakeTimeout);
    }

    public ListenerConfig withIdleTimeout(Duration idle) {
        return new ListenerConfig(name, host, port, implicitTls, maxConnections, idle, handshakeTimeout);
    }

    private static void requirePositive(String name, String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + what + " must be positive");
        }
    }
}
