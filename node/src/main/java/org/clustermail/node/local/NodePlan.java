package org.clustermail.node.local;

import java.nio.file.Path;
import org.clustermail.directory.NodeId;

/**
 * Where one node of a {@link LocalCluster} lives: its data directory, configuration file and ports, all on
 * 127.0.0.1. Ports are {@code basePort + PORTS_PER_NODE * (n - 1) + offset}, so node 1 of base 12500 has SMTP on
 * 12500, node 2 on 12520. Immutable.
 */
public record NodePlan(NodeId id, Path dataDir, Path configFile, Path logFile, int basePort) {

    public static final String HOST = "127.0.0.1";
    /** The port range each node gets (it uses the first 12; the rest leave room for new listeners). */
    public static final int PORTS_PER_NODE = 20;

    public int smtp() {
        return basePort;
    }

    public int submission() {
        return basePort + 1;
    }

    public int smtps() {
        return basePort + 2;
    }

    public int lmtp() {
        return basePort + 3;
    }

    public int channel() {
        return basePort + 4;
    }

    public int pop3() {
        return basePort + 5;
    }

    public int imap() {
        return basePort + 6;
    }

    public int http() {
        return basePort + 7;
    }

    public int metrics() {
        return basePort + 8;
    }

    /** The recipient tables for an MTA in front (docs/postfix.md), on 127.0.0.1. */
    public int socketmap() {
        return basePort + 9;
    }

    /** IMAP over implicit TLS. */
    public int imaps() {
        return basePort + 10;
    }

    /** POP3 over implicit TLS. */
    public int pop3s() {
        return basePort + 11;
    }

    /** The YAML of this node's {@code cluster:} entry. */
    String clusterEntry() {
        return String.format("  - id: %d%n    host: %s%n    ports: {smtp: %d, submission: %d, smtps: %d, lmtp: %d, "
                        + "channel: %d, pop3: %d, imap: %d, http: %d, metrics: %d, socketmap: %d, imaps: %d, "
                        + "pop3s: %d}%n", id.number(), HOST, smtp(), submission(), smtps(), lmtp(), channel(), pop3(),
                imap(), http(), metrics(), socketmap(), imaps(), pop3s());
    }
}
