package org.clustermail.cluster.channel;

import org.clustermail.directory.NodeId;

/**
 * A transfer broke after the message content started to flow, so the peer may or may not have stored it. The
 * caller must treat the copy as not acknowledged; a duplicate is possible if it sends the message elsewhere.
 */
public final class TransferFailedException extends Exception {

    private final NodeId node;

    public TransferFailedException(NodeId node, Throwable cause) {
        super("transfer to node " + node + " failed after the content was sent: " + cause.getMessage(), cause);
        this.node = node;
    }

    public NodeId node() {
        return node;
    }
}
