package org.clustermail.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clustermail.delivery.DeliveryMetrics;
import org.clustermail.delivery.LocalRouter;
import org.clustermail.delivery.LocalStoreTarget;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.RoutedDelivery;
import org.clustermail.directory.DirectoryService;
import org.clustermail.ingress.Dialect;
import org.clustermail.ingress.IngressServer;
import org.clustermail.ingress.IngressSettings;
import org.clustermail.node.config.ClusterNode;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.node.config.RetrievalSettings;
import org.clustermail.node.config.SmtpConfig;
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
import org.clustermail.store.MailStore;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: one running node built from its {@link NodeConfig} — directory (SQL + cache), store,
 * delivery, the SMTP (inbound), submission (STARTTLS), SMTPS (implicit TLS), LMTP, IMAP and POP3 listeners, and the
 * Prometheus endpoint.
 *
 * <p>Lifecycle: {@link #start} builds and starts everything (in flow order: directory, store, delivery, listeners,
 * metrics) or, if a part fails, stops what was started and throws; {@link #stop} is graceful and reverse: listeners
 * stop accepting and let sessions finish (in parallel, within the grace period), then the store makes everything
 * durable and the directory closes. Thread-safe for {@code stop}; the rest is read-only after start.
 */
public final class MailNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MailNode.class);

    private final NodeConfig config;
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private DirectoryService directory;
    private MailStore store;
    private ServerTls tls;
    private MailDelivery delivery;
    private MetricsEndpoint endpoint;
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
        store = new LocalMailStore(StoreConfig.defaults(config.dataDir(), config.nodeId().directoryName()));
        store.start();
        tls = ServerTls.create(config.tls().configured()
                ? TlsCredentials.loadPem(config.tls().certificate(), config.tls().key())
                : TlsCredentials.selfSigned(config.dataDir().resolve("tls"), hostname()));
        delivery = new RoutedDelivery(directory.directory(),
                new LocalRouter(new LocalStoreTarget(store, config.nodeId().directoryName())),
                new DeliveryMetrics(metrics));
        new JvmMemoryMetrics().bindTo(metrics);
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
        startRetrieval(self, anyFreePorts);
        endpoint = new MetricsEndpoint(metrics, self.host(), anyFreePorts ? 0 : self.ports().metrics());
        endpoint.start();
        log.info("node {} started: {}", config.nodeId(), listeners.values());
    }

    /** POP3 and IMAP, served from this node's store (issue 5 routes other nodes' users to their owner). */
    private void startRetrieval(ClusterNode self, boolean anyFreePorts) throws IOException {
        RetrievalSettings r = config.retrieval();
        RetrievalConfig rc = r.toConfig(hostname());
        Logins logins = new Logins(directory.directory(), rc);
        SessionRouting routing = SessionRouting.byPrimary(config.nodeId());
        listen(new ListenerConfig("imap", self.host(), anyFreePorts ? 0 : self.ports().imap(), false,
                r.maxConnections(), r.imapIdleTimeout(), Duration.ofSeconds(30)),
                new ImapServer(store, logins, routing, rc));
        listen(new ListenerConfig("pop3", self.host(), anyFreePorts ? 0 : self.ports().pop3(), false,
                r.maxConnections(), r.pop3IdleTimeout(), Duration.ofSeconds(30)),
                new Pop3Server(store, logins, routing, rc));
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
     * {@code pop3}, {@code metrics}).
     */
    public int port(String name) {
        if (name.equals("metrics")) {
            return endpoint.port();
        }
        Listener l = listeners.get(name);
        if (l == null) {
            throw new IllegalArgumentException("no listener " + name + "; have " + listeners.keySet());
        }
        return l.port();
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
        if (endpoint != null) {
            endpoint.stop();
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
