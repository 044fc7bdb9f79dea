package org.clustermail.node.config;

import java.nio.file.Path;

/**
 * The {@code tls} section: the node's certificate chain and private key, both PEM. When both are absent the node
 * makes a self-signed certificate at first start and keeps it under {@code <dataDir>/tls/}. Immutable.
 *
 * @param certificate PEM certificate chain, leaf first
 * @param key         PEM private key (unencrypted)
 */
public record TlsConfig(Path certificate, Path key) {

    public TlsConfig {
        if ((certificate == null) != (key == null)) {
            throw new IllegalArgumentException("tls needs both certificate and key, or neither (self-signed)");
        }
    }

    public static TlsConfig selfSigned() {
        return new TlsConfig(null, null);
    }

    public boolean configured() {
        return certificate != null;
    }
}
