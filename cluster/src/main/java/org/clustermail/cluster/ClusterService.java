package org.clustermail.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clustermail.cluster.channel.NodeChannel;
import org.clustermail.cluster.receive.ChannelReceiver;
import org.clustermail.cluster.receive.HandBack;
import org.clustermail.cluster.receive.HeldMail;
import org.clustermail.cluster.receive.LocalDeposit;
import org.clustermail.cluster.receive.PeerOnly;
import org.clustermail.cluster.receive.TransferLedger;
import org.clustermail.cluster.route.ClusterRouter;
import org.clustermail.cluster.route.DepositTarget;
import org.clustermail.cluster.route.PeerTarget;
import org.clustermail.cluster.route.SpoolTarget;
import org.clustermail.cluster.spool.Spool;
import org.clustermail.cluster.spool.SpoolWorker;
import org.clustermail.delivery.DeliveryMetrics;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.RoutedDelivery;
import org.clustermail.delivery.Router;
import org.clustermail.directory.Directory;
import org.clustermail.directory.NodeId;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.store.MailStore;

/**
 * A node's cluster parts wired together: its view of the other nodes ({@link ClusterHealth}, kept by detection at
 * connect and by the {@link HealthMonitor}), one {@link NodeChannel} per peer, the routing rule for messages this
 * node receives ({@link #router()}), the receiving end of the node channels ({@link #receiver}), the durable spool
 * and its worker, and the hand-back of held mail. When a node comes back up, the spool and the hand-back run at
 * once.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. The node's composition root owns the listener of the
 * channel port (an LMTP {@code IngressServer} over {@link #receiver}, behind {@link #guard}). Thread-safe.
 */
public final class ClusterService implements AutoCloseable {

    private final NodeId self;
    private final Map<NodeId, InetSocketAddress> peers;
    private final ClusterSettings settings;
    private final ClusterHealth health;
    private final Map<NodeId, NodeChannel> channels = new LinkedHashMap<>();
    private final Map<NodeId, PeerTarget> frontTargets = new LinkedHashMap<>();
    private final Map<NodeId, PeerTarget> retryTargets = new LinkedHashMap<>();
    private final Spool spool;
    private final HeldMail held;
    private final LocalDeposit deposit;
    private final ClusterRouter router;
    private final SpoolWorker spoolWorker;
    private final HandBack handBack;
    private final HealthMonitor monitor;
    private ChannelReceiver receiver;

    /**
     * @param peers      the node-channel address of every other node
     * @param localName  this node's name (LHLO)
     * @param localStore this node's plain local delivery ({@code LocalStoreTarget})
     */
    public ClusterService(NodeId self, Map<NodeId, InetSocketAddress> peers, String localName,
                          ClusterSettings settings, Path dataDir, Directory directory, MailStore store,
                          DeliveryTarget localStore) {
        this.self = self;
        this.peers = Map.copyOf(peers);
        this.settings = settings;
        this.health = new ClusterHealth(self, peers.keySet(), Clock.systemUTC());
        this.spool = new Spool(dataDir.resolve("spool"));
        this.held = new HeldMail(dataDir.resolve("held"));
        this.deposit = new LocalDeposit(self, localStore, held,
                new TransferLedger(store, Clock.systemUTC(), settings.dedupRetention()));
        peers.forEach((node, address) -> {
            NodeChannel c = new NodeChannel(node, address, localName, settings.channel(), health);
            channels.put(node, c);
            frontTargets.put(node, new PeerTarget(self, c, Optional.of(spool)));
            retryTargets.put(node, new PeerTarget(self, c, Optional.empty()));
        });
        DepositTarget heldHere = new DepositTarget(self + "-held", deposit);
        this.router = new ClusterRouter(self, health, localStore, heldHere, frontTargets,
                Optional.of(new SpoolTarget(self, spool)));
        ClusterRouter retryRouter = new ClusterRouter(self, health, new DepositTarget(self.directoryName(), deposit),
                heldHere, retryTargets, Optional.empty());
        MailDelivery retries = new RoutedDelivery(directory, retryRouter,
                new DeliveryMetrics(new SimpleMeterRegistry())); // retries stay out of the front node's stage timers
        this.spoolWorker = new SpoolWorker(spool, directory, retries, settings.retryMin(), settings.retryMax(),
                Clock.systemUTC());
        this.handBack = new HandBack(self, held, store, directory, health,
                node -> Optional.ofNullable(retryTargets.get(node)), deposit, settings.handBackInterval());
        this.monitor = new HealthMonitor(health, peers, settings.healthInterval(), settings.channel().connectTimeout(),
                localName);
    }

    /** Recovers the spool and the held-mail registry, then starts probing, retrying and handing back. */
    public void start() {
        spool.start();
        held.start();
        health.onChange(state -> {
            if (state.up()) {
                spoolWorker.wake();
                handBack.wake();
            }
        });
        spoolWorker.start();
        handBack.start();
        monitor.start();
    }

    /** The routing rule for messages received on this node (SMTP, LMTP), version 2. */
    public Router router() {
        return router;
    }

    /**
     * The delivery behind the node-channel listener.
     *
     * @param lookups the node's delivery, whose RCPT check (directory lookup) is reused; it is never asked to deliver
     */
    public synchronized ChannelReceiver receiver(MailDelivery lookups) {
        if (receiver == null) {
            receiver = new ChannelReceiver(self, lookups, deposit);
        }
        return receiver;
    }

    /** Wraps the channel listener's protocol so that only cluster nodes get past the greeting. */
    public ConnectionHandler guard(ConnectionHandler channelProtocol, List<InetAddress> nodeAddresses) {
        Set<InetAddress> allowed = new HashSet<>(nodeAddresses);
        peers.values().forEach(a -> allowed.add(a.getAddress()));
        return new PeerOnly(allowed, channelProtocol);
    }

    public NodeId self() {
        return self;
    }

    public ClusterHealth health() {
        return health;
    }

    public Spool spool() {
        return spool;
    }

    public HeldMail held() {
        return held;
    }

    public HealthMonitor monitor() {
        return monitor;
    }

    public ClusterSettings settings() {
        return settings;
    }

    /** Messages received over the node channel since start. */
    public long channelReceived() {
        return receiver == null ? 0 : receiver.received();
    }

    /** Stops probing and retrying and closes the channels; the spool and held mail stay on disk. */
    @Override
    public void close() {
        monitor.close();
        spoolWorker.close();
        handBack.close();
        channels.values().forEach(NodeChannel::close);
    }
}
