package org.clustermail.cluster.channel;

import org.clustermail.directory.NodeId;

/** The peer node is down or unreachable; nothing was sent, so the message may go elsewhere (the secondary). */
public final class NodeUnavailableException extends Exception {

    private final NodeId node;

    public NodeUnavailableException(NodeId node, String reason, Throwable cause) {
        super("node " + node + " unavailable: " + reason, cause);
        this.node = node;
    }

    public NodeId node() {
        return node;
    }
}
