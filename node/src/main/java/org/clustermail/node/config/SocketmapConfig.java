package org.clustermail.node.config;

/**
 * The {@code socketmap} section: the recipient tables a front MTA such as Postfix asks at RCPT time
 * (docs/postfix.md), served on {@code host} and the node's {@code ports.socketmap}. The protocol has no
 * authentication, so it listens on loopback unless told otherwise. Immutable.
 *
 * @param enabled whether the node serves the tables (default true)
 * @param host    the address to bind (default 127.0.0.1)
 */
public record SocketmapConfig(Boolean enabled, String host) {

    public SocketmapConfig {
        enabled = enabled == null || enabled;
        host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
    }

    public static SocketmapConfig defaults() {
        return new SocketmapConfig(null, null);
    }
}
