package org.clustermail.cluster.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clustermail.cluster.ClusterHealth;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.delivery.Router;
import org.clustermail.delivery.Stage;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.MessageContent;

/**
 * The cluster's routing rule (the paper's version 2 after the location query, with the thesis's secondary node):
 * a recipient's copy goes to
 * <ol>
 *   <li>its primary node: this node's store, or that node's channel if it is believed up;</li>
 *   <li>else its secondary node: this node (held for the hand-back), or that node's channel if believed up;</li>
 *   <li>else this node's durable spool, when there is one.</li>
 * </ol>
 * A node believed up that then refuses the connection fails temporarily, so the next target takes the copy at
 * once; a node known down ({@link ClusterHealth}) is skipped without waiting for a timeout. Nodes missing from the
 * configuration are treated as down. Thread-safe; the health view is read on every call.
 */
public final class ClusterRouter implements Router {

    /** Fails every copy temporarily: nothing can take it now. */
    private static final DeliveryTarget UNREACHABLE = new DeliveryTarget() {
        @Override
        public String name() {
            return "unreachable";
        }

        @Override
        public Stage stage() {
            return Stage.TRANSFER;
        }

        @Override
        public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
            return recipients.stream().<DeliveryOutcome>map(r -> new DeliveryOutcome.Failed(r.address(),
                    DeliveryOutcome.Failure.TEMPORARY, "primary and secondary node down")).toList();
        }
    };

    private final NodeId self;
    private final ClusterHealth health;
    private final DeliveryTarget local;
    private final DeliveryTarget held;
    private final Map<NodeId, ? extends DeliveryTarget> peers;
    private final Optional<DeliveryTarget> spool;

    /**
     * @param local where copies for this node's own users go
     * @param held  where copies go that this node keeps as the secondary
     * @param peers one target per other node
     * @param spool the last resort, if any (the spool's own retries route without it)
     */
    public ClusterRouter(NodeId self, ClusterHealth health, DeliveryTarget local, DeliveryTarget held,
                         Map<NodeId, ? extends DeliveryTarget> peers, Optional<DeliveryTarget> spool) {
        this.self = self;
        this.health = health;
        this.local = local;
        this.held = held;
        this.peers = Map.copyOf(peers);
        this.spool = spool;
    }

    @Override
    public List<DeliveryTarget> route(Recipient recipient) {
        UserLocation where = recipient.location();
        List<DeliveryTarget> targets = new ArrayList<>(3);
        addNode(targets, where.primary(), local);
        where.secondary().filter(s -> !s.equals(where.primary())).ifPresent(s -> addNode(targets, s, held));
        spool.ifPresent(targets::add);
        if (targets.isEmpty()) {
            targets.add(UNREACHABLE); // no spool (a spool retry) and both nodes down: wait for the next round
        }
        return targets;
    }

    private void addNode(List<DeliveryTarget> targets, NodeId node, DeliveryTarget ifSelf) {
        if (node.equals(self)) {
            targets.add(ifSelf);
        } else if (peers.containsKey(node) && health.isUp(node)) {
            targets.add(peers.get(node));
        }
    }

    /** Whether a copy for this recipient could be handed to its primary or secondary node right now. */
    public boolean reachable(UserLocation where) {
        return isReachable(where.primary()) || where.secondary().map(this::isReachable).orElse(false);
    }

    private boolean isReachable(NodeId node) {
        return node.equals(self) || (peers.containsKey(node) && health.isUp(node));
    }
}
