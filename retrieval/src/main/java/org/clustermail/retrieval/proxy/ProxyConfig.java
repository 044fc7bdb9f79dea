package org.clustermail.retrieval.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.clustermail.directory.NodeId;

/**
 * What a node needs to proxy sessions to the other nodes and to accept theirs. Immutable.
 *
 * @param self           this node
 * @param imap           every other node's IMAP listener (host and port from the cluster configuration)
 * @param pop3           every other node's POP3 listener
 * @param clusterPeers   the addresses of all cluster nodes: only these may log in with a ticket
 * @param connectTimeout how long connecting to a node may take before it counts as unreachable
 * @param replyTimeout   how long the node may take to greet and to answer the ticket login
 */
public record ProxyConfig(NodeId self, Map<NodeId, InetSocketAddress> imap, Map<NodeId, InetSocketAddress> pop3,
                          Set<InetAddress> clusterPeers, Duration connectTimeout, Duration replyTimeout) {

    public ProxyConfig {
        Objects.requireNonNull(self, "self");
        imap = Map.copyOf(imap);
        pop3 = Map.copyOf(pop3);
        clusterPeers = Set.copyOf(clusterPeers);
        if (connectTimeout.isNegative() || connectTimeout.isZero() || replyTimeout.isNegative()
                || replyTimeout.isZero()) {
            throw new IllegalArgumentException("proxy timeouts must be positive");
        }
    }

    /** The listener of {@code protocol} on {@code node}. */
    InetSocketAddress listener(AccessProtocol protocol, NodeId node) {
        InetSocketAddress a = (protocol == AccessProtocol.IMAP ? imap : pop3).get(node);
        if (a == null) {
            throw new IllegalArgumentException(node + " is not a node of this cluster");
        }
        return a;
    }
}
