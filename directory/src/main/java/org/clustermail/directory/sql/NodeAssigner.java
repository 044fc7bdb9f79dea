package org.clustermail.directory.sql;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.clustermail.directory.NodeId;

/**
 * Draws a new user's primary and secondary node uniformly at random over the cluster's nodes, the secondary from the
 * nodes other than the primary, so the two are never the same; a one-node cluster gives no secondary. Spreading
 * mailboxes randomly and uniformly is the paper's load-balancing rule. Thread-safe if the generator is.
 */
public final class NodeAssigner {

    /** A user's two nodes. */
    public record Assignment(NodeId primary, Optional<NodeId> secondary) {
    }

    private final List<NodeId> nodes;
    private final RandomGenerator random;

    public NodeAssigner(List<NodeId> nodes, RandomGenerator random) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the cluster has no nodes");
        }
        if (nodes.stream().distinct().count() != nodes.size()) {
            throw new IllegalArgumentException("the cluster lists a node twice: " + nodes);
        }
        this.nodes = List.copyOf(nodes);
        this.random = random;
    }

    public Assignment next() {
        int p = random.nextInt(nodes.size());
        if (nodes.size() == 1) {
            return new Assignment(nodes.get(0), Optional.empty());
        }
        int s = random.nextInt(nodes.size() - 1);
        if (s >= p) {
            s++; // skip the primary: uniform over the other n-1 nodes
        }
        return new Assignment(nodes.get(p), Optional.of(nodes.get(s)));
    }
}
