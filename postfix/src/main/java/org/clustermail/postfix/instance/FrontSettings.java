package org.clustermail.postfix.instance;

import java.util.Objects;

/**
 * What Postfix in front of a clustermail node needs to know about that node. Immutable; validated on construction.
 *
 * @param lmtpHost         the node's LMTP listener; every message for a local domain goes there (any node will do:
 *                         clustermail routes it to the owner)
 * @param lmtpPort         its port
 * @param socketmapHost    the node's socketmap table server (recipient validation at RCPT time)
 * @param socketmapPort    its port
 * @param messageSizeLimit the largest message Postfix accepts; at most what the node's LMTP takes, so nothing
 *                         accepted is refused later
 */
public record FrontSettings(String lmtpHost, int lmtpPort, String socketmapHost, int socketmapPort,
                            long messageSizeLimit) {

    public FrontSettings {
        Objects.requireNonNull(lmtpHost, "lmtpHost");
        Objects.requireNonNull(socketmapHost, "socketmapHost");
        checkPort("lmtp", lmtpPort);
        checkPort("socketmap", socketmapPort);
        if (messageSizeLimit < 1) {
            throw new IllegalArgumentException("messageSizeLimit must be positive");
        }
    }

    /** The Postfix table for one of the node's socketmaps, e.g. {@code socketmap:inet:127.0.0.1:2427:mailbox}. */
    public String table(String map) {
        return "socketmap:inet:" + socketmapHost + ":" + socketmapPort + ":" + map;
    }

    /** The Postfix next-hop for the node's LMTP listener, e.g. {@code lmtp:inet:127.0.0.1:2424}. */
    public String lmtpTransport() {
        return "lmtp:inet:" + lmtpHost + ":" + lmtpPort;
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " port must be 1..65535, got " + port);
        }
    }
}
