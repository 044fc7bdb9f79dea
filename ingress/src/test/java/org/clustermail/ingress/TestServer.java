package org.clustermail.ingress;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clustermail.delivery.DeliveryMetrics;
import org.clustermail.delivery.LocalRouter;
import org.clustermail.delivery.LocalStoreTarget;
import org.clustermail.delivery.RoutedDelivery;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserState;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.Listener;
import org.clustermail.protocol.ListenerConfig;
import org.clustermail.protocol.tls.ServerTls;
import org.clustermail.protocol.tls.TlsCredentials;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * A real one-node ingress for tests: the SQL directory on an embedded H2 file, the node's store, delivery, and
 * SMTP, submission (STARTTLS), SMTPS and LMTP listeners on ephemeral loopback ports, with a self-signed certificate.
 */
final class TestServer implements AutoCloseable {

    static final String DOMAIN = "example.test";
    static final char[] PASSWORD = "s3cret-pw".toCharArray();

    final Path dir;
    final DirectoryService directory;
    final MailStore store;
    final ServerTls tls;
    final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    final DeliveryMetrics deliveryMetrics = new DeliveryMetrics(metrics);
    final IngressSettings settings;
    private final List<Listener> listeners = new ArrayList<>();
    final Listener smtp;
    final Listener submission;
    final Listener smtps;
    final Listener lmtp;

    TestServer(Path dir, UnaryOperator<IngressSettings> tune, UnaryOperator<ListenerConfig> tuneListener)
            throws IOException {
        this.dir = dir;
        directory = DirectoryService.open(DirectoryConfig.of("jdbc:h2:file:" + dir.resolve("directory/dir"))
                .withRefreshInterval(Duration.ofMillis(200)), List.of(NodeId.of(1)));
        directory.admin().addDomain(DOMAIN);
        directory.start();
        store = new LocalMailStore(StoreConfig.defaults(dir.resolve("mail"), "node01"));
        store.start();
        tls = ServerTls.create(TlsCredentials.selfSigned(dir.resolve("tls"), "localhost"));
        settings = tune.apply(IngressSettings.defaults("mx.example.test", dir.resolve("spool")));
        RoutedDelivery delivery = new RoutedDelivery(directory.directory(),
                new LocalRouter(new LocalStoreTarget(store, "node01")), deliveryMetrics);
        smtp = listen(tuneListener.apply(ListenerConfig.of("smtp", "127.0.0.1", 0)), Dialect.SMTP_INBOUND, delivery);
        submission = listen(ListenerConfig.of("submission", "127.0.0.1", 0), Dialect.SUBMISSION, delivery);
        smtps = listen(ListenerConfig.of("smtps", "127.0.0.1", 0).withImplicitTls(true), Dialect.SUBMISSION,
                delivery);
        lmtp = listen(ListenerConfig.of("lmtp", "127.0.0.1", 0), Dialect.LMTP, delivery);
    }

    TestServer(Path dir) throws IOException {
        this(dir, s -> s, l -> l);
    }

    private Listener listen(ListenerConfig config, Dialect dialect, RoutedDelivery delivery) throws IOException {
        Listener l = new Listener(config, new IngressServer(dialect, settings, delivery, directory.directory()),
                Optional.of(tls));
        l.start();
        listeners.add(l);
        return l;
    }

    /** Creates users (visible to RCPT at once). */
    void addUsers(String... localParts) {
        for (String local : localParts) {
            directory.admin().addUser(MailAddress.parse(local + "@" + DOMAIN), PASSWORD.clone());
        }
        directory.directory().refreshNow();
    }

    void disable(String localPart) {
        directory.admin().setState(MailAddress.parse(localPart + "@" + DOMAIN), UserState.DISABLED);
        directory.directory().refreshNow();
    }

    /** The messages in a user's INBOX, in UID order, as stored. */
    List<String> inbox(String localPart) {
        UserLocation where = directory.directory().locate(MailAddress.parse(localPart + "@" + DOMAIN)).orElseThrow();
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

    Path certificate() {
        return dir.resolve("tls/selfsigned.crt");
    }

    @Override
    public void close() {
        listeners.forEach(l -> l.stop(Duration.ofSeconds(2)));
        store.close();
        directory.close();
    }
}
