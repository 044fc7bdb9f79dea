package org.clustermail.node.config;

import org.clustermail.directory.NodeId;

/**
 * One node of the cluster as every node sees it: its number, the host the others reach it at, and its ports.
 * Immutable; validated on construction.
 *
 * @param id    the node's number, 0..999
 * @param host  host name or IP address (default 127.0.0.1)
 * @param ports the node's listening ports (defaults per {@link NodePorts})
 */
public record ClusterNode(Integer id, String host, NodePorts ports) {

    public ClusterNode {
        if (id == null) {
            throw new IllegalArgumentException("each cluster node needs an id");
        }
        NodeId.of(id); // validates the range
        host = host == null || host.isBlank() ? "127.0.0.1" : host.strip();
        ports = ports == null ? NodePorts.defaults() : ports;
    }

    /** A node on 127.0.0.1 with the default ports. */
    public static ClusterNode local(int id) {
        return new ClusterNode(id, null, null);
    }

    public NodeId nodeId() {
        return NodeId.of(id);
    }
}
