package org.clustermail.cluster;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.clustermail.directory.NodeId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's view of which cluster nodes are up. A node is marked down the moment a connection to it fails (the
 * paper's detection at connect) or a health probe fails, so later deliveries go straight to the secondary node
 * instead of each waiting for a timeout; it is marked up again by a successful probe or connection.
 *
 * <p>Every node starts as up: the first connection or probe corrects that. Thread-safe; listeners are called on the
 * thread that caused the change and must not block.
 */
public final class ClusterHealth {

    private static final Logger log = LoggerFactory.getLogger(ClusterHealth.class);

    private final NodeId self;
    private final Clock clock;
    private final Map<NodeId, NodeState> states = new ConcurrentHashMap<>();
    private final List<Consumer<NodeState>> listeners = new CopyOnWriteArrayList<>();

    public ClusterHealth(NodeId self, Collection<NodeId> nodes, Clock clock) {
        this.self = self;
        this.clock = clock;
        for (NodeId n : nodes) {
            states.put(n, new NodeState(n, true, clock.instant(), "assumed up at start"));
        }
        states.put(self, new NodeState(self, true, clock.instant(), "this node"));
    }

    public NodeId self() {
        return self;
    }

    /** Whether {@code node} is believed up; this node always is, unknown nodes are not. */
    public boolean isUp(NodeId node) {
        NodeState s = states.get(node);
        return s != null && s.up();
    }

    public void markDown(NodeId node, String reason) {
        change(node, false, reason);
    }

    public void markUp(NodeId node, String reason) {
        change(node, true, reason);
    }

    private void change(NodeId node, boolean up, String reason) {
        if (node.equals(self) || !states.containsKey(node)) {
            return;
        }
        NodeState[] changed = new NodeState[1];
        states.computeIfPresent(node, (n, old) -> {
            if (old.up() == up) {
                return old;
            }
            changed[0] = new NodeState(n, up, clock.instant(), reason);
            return changed[0];
        });
        if (changed[0] != null) {
            log.warn("node {} is now {}: {}", node, up ? "UP" : "DOWN", reason);
            listeners.forEach(l -> l.accept(changed[0]));
        }
    }

    /** Called after every up/down transition. */
    public void onChange(Consumer<NodeState> listener) {
        listeners.add(listener);
    }

    public NodeState state(NodeId node) {
        return states.get(node);
    }

    /** All nodes, ordered by number. */
    public Map<NodeId, NodeState> snapshot() {
        return new TreeMap<>(states);
    }
}
