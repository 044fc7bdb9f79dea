package org.clustermail.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clustermail.cluster.channel.ChannelSettings;
import org.clustermail.delivery.DeliveryMetrics;
import org.clustermail.delivery.LocalStoreTarget;
import org.clustermail.delivery.RoutedDelivery;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.ingress.Dialect;
import org.clustermail.ingress.IngressServer;
import org.clustermail.ingress.IngressSettings;
import org.clustermail.protocol.Listener;
import org.clustermail.protocol.ListenerConfig;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * One real node for in-process cluster tests: its own directory connection (to the shared H2 database), store,
 * cluster parts, SMTP listener and node-channel listener on fixed loopback ports, so that it can be stopped and
 * started again on the same ports and data.
 */
final class TestNode implements AutoCloseable {

    static final ClusterSettings FAST = new ClusterSettings(
            new ChannelSettings(Duration.ofMillis(500), Duration.ofSeconds(10), 4, Duration.ofSeconds(30)),
            Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(300),
            Duration.ofHours(1));

    final NodeId id;
    final Path dataDir;
    final int smtpPort;
    final int channelPort;
    private final String jdbcUrl;
    private final List<NodeId> nodes;
    private final Map<NodeId, InetSocketAddress> peers;
    DirectoryService directory;
    MailStore store;
    ClusterService cluster;
    RoutedDelivery delivery;
    private final List<Listener> listeners = new ArrayList<>();

    TestNode(NodeId id, Path dataDir, int smtpPort, int channelPort, String jdbcUrl, List<NodeId> nodes,
             Map<NodeId, InetSocketAddress> peers) {
        this.id = id;
        this.dataDir = dataDir;
        this.smtpPort = smtpPort;
        this.channelPort = channelPort;
        this.jdbcUrl = jdbcUrl;
        this.nodes = nodes;
        this.peers = new java.util.HashMap<>(peers);
    }

    /** Makes this node reach {@code peer} at another address (a proxy), from the next {@link #start()}. */
    void reachPeerAt(NodeId peer, InetSocketAddress address) {
        peers.put(peer, address);
    }

    TestNode start() throws IOException {
        directory = DirectoryService.open(DirectoryConfig.of(jdbcUrl).withRefreshInterval(Duration.ofMillis(200)),
                nodes);
        directory.start();
        store = new LocalMailStore(StoreConfig.defaults(dataDir, id.directoryName()));
        store.start();
        LocalStoreTarget local = new LocalStoreTarget(store, id.directoryName());
        cluster = new ClusterService(id, peers, id + ".test", FAST, dataDir, directory.directory(), store, local);
        delivery = new RoutedDelivery(directory.directory(), cluster.router(),
                new DeliveryMetrics(new SimpleMeterRegistry()));
        IngressSettings settings = IngressSettings.defaults(id + ".test", dataDir.resolve("tmp"));
        listen("smtp", smtpPort, new IngressServer(Dialect.SMTP_INBOUND, settings, delivery, directory.directory()));
        IngressServer channel = new IngressServer(Dialect.LMTP, settings, cluster.receiver(delivery),
                directory.directory());
        listen("channel", channelPort, cluster.guard(channel, List.of(InetAddress.getLoopbackAddress())));
        cluster.start();
        return this;
    }

    private void listen(String name, int port, org.clustermail.protocol.ConnectionHandler handler)
            throws IOException {
        Listener l = new Listener(ListenerConfig.of(name + "-" + id, "127.0.0.1", port), handler, Optional.empty());
        l.start();
        listeners.add(l);
    }

    /** Stops everything, as a clean shutdown would; the data stays for {@link #start()}. */
    void stop() {
        listeners.forEach(l -> l.stop(Duration.ofSeconds(2)));
        listeners.clear();
        if (cluster != null) {
            cluster.close();
        }
        if (store != null) {
            store.close();
        }
        if (directory != null) {
            directory.close();
        }
        cluster = null;
        store = null;
        directory = null;
    }

    boolean running() {
        return store != null;
    }

    /** The messages in a user's INBOX on this node, as stored. */
    List<String> inbox(String address) {
        UserLocation where = directory.directory().locate(MailAddress.parse(address)).orElseThrow();
        try (Mailbox mailbox = store.open(new MailboxOwner(where.address().toString(), where.serial()))) {
            List<String> out = new ArrayList<>();
            for (MessageRef m : mailbox.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mailbox.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
