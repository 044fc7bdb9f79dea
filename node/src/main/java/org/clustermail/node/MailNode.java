package org.clustermail.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clustermail.cluster.ClusterHealth;
import org.clustermail.cluster.ClusterService;
import org.clustermail.cluster.v1.WorkList;
import org.clustermail.delivery.DeliveryMetrics;
import org.clustermail.delivery.LocalStoreTarget;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.DeliveryTarget;
import org.clustermail.delivery.RoutedDelivery;
import org.clustermail.delivery.Router;
import org.clustermail.delivery.SharedStoreTarget;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.DirectoryService;
import org.clustermail.ingress.Dialect;
import org.clustermail.ingress.IngressServer;
import org.clustermail.ingress.IngressSettings;
import org.clustermail.node.config.ClusterNode;
import org.clustermail.node.config.DeliveryConfig;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.node.config.ProxySettings;
import org.clustermail.node.config.RetrievalSettings;
import org.clustermail.node.config.SmtpConfig;
import org.clustermail.postfix.socketmap.RecipientTables;
import org.clustermail.postfix.socketmap.SocketmapServer;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.protocol.Listener;
import org.clustermail.protocol.ListenerConfig;
import org.clustermail.protocol.tls.ServerTls;
import org.clustermail.protocol.tls.TlsCredentials;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.imap.ImapServer;
import org.clustermail.retrieval.pop3.Pop3Server;
import org.clustermail.retrieval.proxy.ProxyConfig;
import org.clustermail.retrieval.proxy.ProxyTickets;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailStore;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;
import org.clustermail.store.engine.SharedStoreWriter;
import org.clustermail.store.journal.Journal;
import org.clustermail.webmail.WebmailServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one running node built from its {@link NodeConfig} — directory (SQL + cache), store,
 * delivery with the cluster's routing (version 2 or version 1), the SMTP (inbound), submission (STARTTLS), SMTPS
 * (implicit TLS), LMTP, node-channel, IMAP, IMAPS, POP3 and POP3S listeners (with the session proxy to the other
 * nodes), web-mail over HTTPS, and the Prometheus and status endpoint.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything (in flow order: directory, store, delivery, listeners,
 * metrics) or, if a part fails, stops what was started and throws; {@link #stop} is graceful and reverse: listeners
 * stop accepting and let sessions finish (in parallel, within the grace period), then the store makes everything
 * durable and the directory closes. Thread-safe for {@code stop}; the rest is read-only after start.
 */
public final class MailNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailNode.class);
    /** How long a web-mail session may go unused before the browser must log in again. */
    private static final Duration WEB_SESSION_IDLE = Duration.ofMinutes(30);

    private final NodeConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private DirectoryService directory;
    private MailStore store;
    private ServerTls tls;
    private MailDelivery delivery;
    private MetricsEndpoint endpoint;
    private WebmailServer webmail;
    private ClusterService cluster;
    private WorkList workList;
    private WorkList channelWorkList;
    private boolean stopped;

    private MailNode(NodeConfig config) {
        this.config = config;
    }

    /** Starts a node on the configured ports. */
    public static MailNode start(NodeConfig config) {
        return start(config, false);
    }

    /**
     * Starts a node.
     *
     * @param anyFreePorts bind every listener to a free port instead of the configured one (tests); see {@link #port}
     */
    public static MailNode start(NodeConfig config, boolean anyFreePorts) {
        MailNode node = new MailNode(config);
        try {
            node.startParts(anyFreePorts);
            return node;
        } catch (RuntimeException | IOException e) {
            node.stop(Duration.ZERO);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void startParts(boolean anyFreePorts) throws IOException {
        directory = DirectoryService.open(config.directory(), config.clusterNodeIds());
        directory.start();
        String nodeDir = config.nodeId().directoryName();
        boolean sharedStore = config.delivery().mode() == DeliveryConfig.Mode.SHARED_STORE;
        LocalMailStore localStore = new LocalMailStore(StoreConfig.defaults(storeRoot(), nodeDir));
        store = localStore;
        store.start();
        tls = ServerTls.create(config.tls().configured()
                ? TlsCredentials.loadPem(config.tls().certificate(), config.tls().key())
                : TlsCredentials.selfSigned(config.dataDir().resolve("tls"), hostname()));
        LocalStoreTarget local = new LocalStoreTarget(store, config.nodeId().directoryName());
        cluster = new ClusterService(config.nodeId(), peerChannels(), hostname(), config.channel().settings(),
                config.dataDir(), directory.directory(), store, local);
        RoutedDelivery routed = new RoutedDelivery(directory.directory(), sharedStore ? sharedStoreRouter(nodeDir)
                : cluster.router(), new DeliveryMetrics(metrics));
        MailDelivery channelSide = cluster.receiver(routed);
        if (config.delivery().mode() == DeliveryConfig.Mode.VERSION1) {
            // Two work lists, so that operation threads waiting on another node never starve the ones that serve
            // that node's transfers to us (one shared list deadlocks two busy nodes until the reply timeout).
            workList = new WorkList("operation", config.delivery().operationThreads(), routed);
            channelWorkList = new WorkList("channel-operation", config.delivery().operationThreads(), channelSide);
            delivery = workList;
            channelSide = channelWorkList;
        } else {
            delivery = routed;
        }
        new JvmMemoryMetrics().bindTo(metrics);
        storeMetrics(localStore);
        new JvmThreadMetrics().bindTo(metrics);
        new ProcessorMetrics().bindTo(metrics);

        ClusterNode self = config.self();
        IngressSettings settings = ingressSettings();
        listen("smtp", self.ports().smtp(), false, new IngressServer(Dialect.SMTP_INBOUND, settings, delivery,
                directory.directory()), anyFreePorts);
        listen("submission", self.ports().submission(), false, new IngressServer(Dialect.SUBMISSION, settings,
                delivery, directory.directory()), anyFreePorts);
        listen("smtps", self.ports().smtps(), true, new IngressServer(Dialect.SUBMISSION, settings, delivery,
                directory.directory()), anyFreePorts);
        listen("lmtp", self.ports().lmtp(), false, new IngressServer(Dialect.LMTP, settings, delivery,
                directory.directory()), anyFreePorts);
        listen("channel", self.ports().channel(), false, cluster.guard(new IngressServer(Dialect.LMTP, settings,
                channelSide, directory.directory()), clusterAddresses()), anyFreePorts);
        startRetrieval(self, anyFreePorts);
        if (config.socketmap().enabled()) {
            SmtpConfig smtp = config.smtp();
            int port = anyFreePorts ? 0 : self.ports().socketmap();
            listen(new ListenerConfig("socketmap", config.socketmap().host(), port, false, smtp.maxConnections(),
                    smtp.idleTimeout(), Duration.ofSeconds(30)),
                    new SocketmapServer(new RecipientTables(directory.directory())));
        }
        cluster.start();
        endpoint = new MetricsEndpoint(metrics, self.host(), anyFreePorts ? 0 : self.ports().metrics());
        NodeStatus status = new NodeStatus(this);
        endpoint.json("/status", status::json);
        endpoint.start();
        log.info("node {} started: {}", config.nodeId(), listeners.values());
    }

    /** How far the store's writing into mailboxes lags behind its acknowledgements, and what its cache holds. */
    private void storeMetrics(LocalMailStore store) {
        Gauge.builder("clustermail.store.unapplied", store,
                        s -> s.journalStats().map(Journal.Stats::unapplied).orElse(0))
                .description("Copies acknowledged (durable in the journal) and not yet written into their mailboxes")
                .register(metrics);
        Gauge.builder("clustermail.store.cached.mailboxes", store, s -> s.cacheUse().mailboxes())
                .description("Mailboxes held in memory").register(metrics);
        Gauge.builder("clustermail.store.cached.summaries", store, s -> s.cacheUse().summaries())
                .description("Message summaries the mailboxes in memory hold").register(metrics);
    }

    /** Shared-store mode: every copy is written into its owner's mailbox on the shared file system (ADR 0010). */
    private Router sharedStoreRouter(String nodeDir) throws IOException {
        SharedStoreWriter writer = new SharedStoreWriter(config.delivery().sharedRoot(), nodeDir);
        writer.start();
        List<DeliveryTarget> onlyTarget = List.of(new SharedStoreTarget(writer));
        return recipient -> onlyTarget;
    }

    /**
     * POP3 and IMAP, plain (STARTTLS) and over implicit TLS: mailboxes served here from this node's store, the
     * others relayed to the node that serves them when a proxy secret is configured (ADR 0013); and web-mail over
     * HTTPS, whose users of other nodes are redirected there with a one-time ticket under the same secret. In
     * shared-store mode a mailbox first takes in what other nodes wrote into it whenever a session opens it.
     */
    private void startRetrieval(ClusterNode self, boolean anyFreePorts) throws IOException {
        RetrievalSettings r = config.retrieval();
        RetrievalConfig rc = r.toConfig(hostname());
        Logins logins = new Logins(directory.directory(), rc);
        SessionRouting routing = sessionRouting();
        MailStore sessions = config.delivery().mode() == DeliveryConfig.Mode.SHARED_STORE
                ? new IndexingOnOpen(store) : store;
        Optional<SessionProxy> proxy = sessionProxy(r.proxy());
        ImapServer imap = new ImapServer(sessions, logins, routing, proxy, rc);
        Pop3Server pop3 = new Pop3Server(sessions, logins, routing, proxy, rc);
        listenRetrieval("imap", self.ports().imap(), false, r.imapIdleTimeout(), imap, anyFreePorts);
        listenRetrieval("imaps", self.ports().imaps(), true, r.imapIdleTimeout(), imap, anyFreePorts);
        listenRetrieval("pop3", self.ports().pop3(), false, r.pop3IdleTimeout(), pop3, anyFreePorts);
        listenRetrieval("pop3s", self.ports().pop3s(), true, r.pop3IdleTimeout(), pop3, anyFreePorts);
        Map<NodeId, URI> peers = new LinkedHashMap<>();
        for (ClusterNode n : config.cluster()) {
            if (!n.nodeId().equals(config.nodeId())) {
                peers.put(n.nodeId(), URI.create("https://" + n.host() + ":" + n.ports().http()));
            }
        }
        webmail = new WebmailServer(new WebmailServer.Settings(config.nodeId(), hostname(), self.host(),
                anyFreePorts ? 0 : self.ports().http(), peers, WEB_SESSION_IDLE), tls.context(), directory.directory(),
                sessions, delivery, routing, r.proxy().configuredSecret().map(secret -> new ProxyTickets(secret,
                Clock.systemUTC())),
                node -> cluster.health().markDown(node, "its web-mail listener could not be reached"));
        webmail.start();
    }

    private void listenRetrieval(String name, int port, boolean implicitTls, Duration idle, ConnectionHandler handler,
                                 boolean anyFreePort) throws IOException {
        listen(new ListenerConfig(name, config.self().host(), anyFreePort ? 0 : port, implicitTls,
                config.retrieval().maxConnections(), idle, Duration.ofSeconds(30)), handler);
    }

    /** The relay to the other nodes' IMAP and POP3 listeners, if the cluster shares a proxy secret. */
    private Optional<SessionProxy> sessionProxy(ProxySettings settings) throws IOException {
        if (settings.configuredSecret().isEmpty()) {
            if (config.cluster().size() > 1) {
                log.warn("retrieval.proxy has no secret: IMAP/POP3 users of other nodes are told to connect there");
            }
            return Optional.empty();
        }
        Map<NodeId, InetSocketAddress> imap = new LinkedHashMap<>();
        Map<NodeId, InetSocketAddress> pop3 = new LinkedHashMap<>();
        for (ClusterNode n : config.cluster()) {
            if (!n.nodeId().equals(config.nodeId())) {
                imap.put(n.nodeId(), new InetSocketAddress(n.host(), n.ports().imap()));
                pop3.put(n.nodeId(), new InetSocketAddress(n.host(), n.ports().pop3()));
            }
        }
        ProxyConfig pc = new ProxyConfig(config.nodeId(), imap, pop3, new HashSet<>(clusterAddresses()),
                settings.connectTimeout(), settings.replyTimeout());
        ClusterHealth health = cluster.health();
        return Optional.of(new SessionProxy(pc, settings.configuredSecret().get(), directory.directory(),
                node -> health.markDown(node, "its IMAP/POP3 listener could not be reached")));
    }

    /**
     * Where a POP3/IMAP user is served: here if this node is the primary, or the secondary while the primary is
     * down (the held mail is readable here); otherwise on the node that holds the mailbox now. In shared-store mode
     * nothing is held anywhere else: always the primary.
     */
    private SessionRouting sessionRouting() {
        NodeId self = config.nodeId();
        ClusterHealth health = cluster.health();
        boolean secondaryHolds = config.delivery().mode() != DeliveryConfig.Mode.SHARED_STORE;
        return user -> {
            boolean primaryUp = health.isUp(user.primary()) || !secondaryHolds;
            boolean heldHere = !primaryUp && user.secondary().filter(self::equals).isPresent();
            if (user.primary().equals(self) || heldHere) {
                return new SessionRouting.Route.Local(SessionRouting.owner(user));
            }
            return new SessionRouting.Route.Remote(primaryUp ? user.primary()
                    : user.secondary().orElse(user.primary()));
        };
    }

    /** Every other node's node-channel address. */
    private Map<NodeId, InetSocketAddress> peerChannels() {
        Map<NodeId, InetSocketAddress> peers = new LinkedHashMap<>();
        for (ClusterNode n : config.cluster()) {
            if (!n.nodeId().equals(config.nodeId())) {
                peers.put(n.nodeId(), new InetSocketAddress(n.host(), n.ports().channel()));
            }
        }
        return peers;
    }

    /** The addresses of all cluster nodes: the only ones admitted to the node-channel listener. */
    private List<InetAddress> clusterAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (ClusterNode n : config.cluster()) {
            out.addAll(List.of(InetAddress.getAllByName(n.host())));
        }
        return out;
    }

    private IngressSettings ingressSettings() {
        SmtpConfig smtp = config.smtp();
        IngressSettings d = IngressSettings.defaults(hostname(), config.dataDir().resolve("tmp").resolve("ingress"));
        return new IngressSettings(d.hostname(), smtp.maxMessageSize(), smtp.maxRecipients(), d.maxCommandLine(),
                d.maxDataLine(), smtp.maxErrors(), smtp.dataTimeout(), d.memoryThreshold(), d.spoolDirectory());
    }

    private void listen(String name, int port, boolean implicitTls, ConnectionHandler handler, boolean anyFreePort)
            throws IOException {
        SmtpConfig smtp = config.smtp();
        listen(new ListenerConfig(name, config.self().host(), anyFreePort ? 0 : port, implicitTls,
                smtp.maxConnections(), smtp.idleTimeout(), Duration.ofSeconds(30)), handler);
    }

    private void listen(ListenerConfig lc, ConnectionHandler handler) throws IOException {
        String name = lc.name();
        Listener listener = new Listener(lc, handler, Optional.of(tls));
        listener.start();
        listeners.put(name, listener);
        Gauge.builder("clustermail.connections.active", listener, Listener::activeConnections)
                .description("Sessions being served").tag("listener", name).register(metrics);
    }

    /** The name in greetings, Received headers and the self-signed certificate. */
    public String hostname() {
        return config.smtp().hostnameFor(config.nodeId());
    }

    /**
     * The bound port of a listener ({@code smtp}, {@code submission}, {@code smtps}, {@code lmtp}, {@code imap},
     * {@code imaps}, {@code pop3}, {@code pop3s}, {@code socketmap}, {@code metrics}).
     */
    public int port(String name) {
        if (name.equals("metrics")) {
            return endpoint.port();
        }
        if (name.equals("web")) {
            return webmail.port();
        }
        Listener l = listeners.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no listener " + name + "; have " + listeners.keySet());
        }
        return l.port();
    }

    /** Where the store keeps this node's mailboxes ({@code <root>/nodeNN/}): the shared root in shared-store mode. */
    public Path storeRoot() {
        return config.delivery().mode() == DeliveryConfig.Mode.SHARED_STORE ? config.delivery().sharedRoot()
                : config.dataDir();
    }

    public NodeConfig config() {
        return config;
    }

    public DirectoryService directory() {
        return directory;
    }

    public MailStore store() {
        return store;
    }

    public ServerTls tls() {
        return tls;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    /** The node's cluster parts: health view, spool, held mail. */
    public ClusterService cluster() {
        return cluster;
    }

    /** Messages waiting in version 1's work lists (0 in the other modes). */
    public int workListLength() {
        return workList == null ? 0 : workList.length() + channelWorkList.length();
    }

    /**
     * Stops gracefully: listeners stop accepting and sessions get {@code grace} to finish (all listeners at once),
     * then the store and the directory close. Idempotent.
     */
    public synchronized void stop(Duration grace) {
        if (stopped) {
            return;
        }
        stopped = true;
        List<Thread> stopping = new ArrayList<>();
        for (Listener l : listeners.values()) {
            stopping.add(Thread.ofVirtual().start(() -> l.stop(grace)));
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (webmail != null) {
            webmail.close();
        }
        if (endpoint != null) {
            endpoint.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (workList != null) {
            workList.close();
            channelWorkList.close();
        }
        if (store != null) {
            store.close();
        }
        if (directory != null) {
            directory.close();
        }
        log.info("node {} stopped", config.nodeId());
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
