package org.clustermail.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.cluster.ClusterService;
import org.clustermail.cluster.NodeState;
import org.clustermail.directory.NodeId;
import org.clustermail.node.config.DeliveryConfig;
import org.clustermail.store.MailboxOwner;

/**
 * The node's own account of itself, served as JSON at {@code /status} next to {@code /metrics}, read by
 * {@code clustermail cluster status}: its delivery mode, whether SQL is reachable, how many users it owns and how many
 * messages their mailboxes hold, its spool, the mail it holds for other nodes' users, its work list (version 1) and
 * what it believes about every other node. Counting mailboxes touches only those that exist on disk and is redone
 * at most every two seconds (it opens every mailbox, and monitors poll); {@code countedAt} says when the counts
 * were taken. Thread-safe.
 */
final class NodeStatus {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RECOUNT = Duration.ofSeconds(2);

    /** One node's status document. */
    record Report(int node, String hostname, String mode, long uptimeSeconds, boolean sqlAvailable, long usersOwned,
                  long messagesStored, String countedAt, int spooled, int heldUsers, long heldMessages,
                  int workList, long channelReceived, Map<String, Peer> peers) {
    }

    /** What this node believes about another. */
    record Peer(boolean up, String since, String reason) {
    }

    private record Counts(long users, long messages, long heldMessages, Instant at) {
    }

    private final MailNode node;
    private final Instant started = Instant.now();
    private volatile Counts counts = new Counts(0, 0, 0, Instant.EPOCH);
    private final AtomicLong recounting = new AtomicLong();

    NodeStatus(MailNode node) {
        this.node = node;
    }

    String json() {
        try {
            return JSON.writeValueAsString(report());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("status is not serialisable", e);
        }
    }

    Report report() {
        Counts c = counts();
        ClusterService cluster = node.cluster();
        Map<String, Peer> peers = new LinkedHashMap<>();
        for (Map.Entry<NodeId, NodeState> e : cluster.health().snapshot().entrySet()) {
            if (!e.getKey().equals(cluster.self())) {
                NodeState s = e.getValue();
                peers.put(e.getKey().directoryName(), new Peer(s.up(), s.since().toString(), s.reason()));
            }
        }
        return new Report(node.config().node(), node.hostname(), node.config().delivery().mode().text(),
                Duration.between(started, Instant.now()).toSeconds(), node.directory().sqlAvailable(), c.users(),
                c.messages(), c.at().toString(), cluster.spool().size(), cluster.held().users().size(), c.heldMessages(),
                node.workListLength(), cluster.channelReceived(), peers);
    }

    private Counts counts() {
        Counts c = counts;
        if (Duration.between(c.at(), Instant.now()).compareTo(RECOUNT) > 0 && recounting.getAndIncrement() == 0) {
            try {
                counts = c = recount();
            } finally {
                recounting.set(0);
            }
        }
        return c;
    }

    private Counts recount() {
        NodeId self = node.config().nodeId();
        long[] users = new long[1];
        long[] messages = new long[1];
        node.directory().directory().forEachLocation(l -> {
            if (l.primary().equals(self)) {
                users[0]++;
                messages[0] += messages(new MailboxOwner(l.address().toString(), l.serial()));
            }
        });
        long held = 0;
        for (MailboxOwner o : node.cluster().held().users()) {
            held += messages(o);
        }
        return new Counts(users[0], messages[0], held, Instant.now());
    }

    /**
     * Messages in all folders of a mailbox that exists here (the store's layout: node dir / serial mod 300 / id),
     * in shared-store mode including what other nodes wrote into it.
     */
    private long messages(MailboxOwner owner) {
        Path dir = node.storeRoot().resolve(node.config().nodeId().directoryName())
                .resolve(owner.hashDirectory()).resolve(owner.userId());
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        if (node.config().delivery().mode() == DeliveryConfig.Mode.SHARED_STORE) {
            node.store().indexExternalDeliveries(owner);
        }
        return node.store().messageCount(owner); // from the counters: counting loads no summaries
    }
}
