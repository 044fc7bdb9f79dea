package org.clustermail.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.protocol.Listener;
import org.clustermail.protocol.ListenerConfig;
import org.clustermail.protocol.tls.ServerTls;
import org.clustermail.protocol.tls.TlsCredentials;
import org.clustermail.retrieval.imap.ImapServer;
import org.clustermail.retrieval.pop3.Pop3Server;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * A real single node for retrieval tests: the directory on embedded H2 in a temp dir, the real store in the same
 * temp dir, and the IMAP and POP3 listeners on ephemeral loopback ports (STARTTLS with a self-signed certificate).
 * Users {@code fred}, {@code wilma} and {@code barney} at {@code example.test}, password {@code secret}.
 * Everything is removed on {@link #close()}.
 */
public final class TestServers implements AutoCloseable {

    public static final String DOMAIN = "example.test";
    public static final String PASSWORD = "secret";

    /** One self-signed certificate for the whole test run: making one takes seconds. */
    private static final Path CERTIFICATES = Path.of(System.getProperty("java.io.tmpdir"),
            "clustermail-retrieval-test-tls-" + ProcessHandle.current().pid());

    private final Path dir;
    private final DirectoryService directory;
    private final MailStore store;
    private final Listener imap;
    private final Listener pop3;

    public TestServers() {
        this(true);
    }

    /** @param plaintextOnLoopback whether password logins are allowed before STARTTLS on loopback */
    public TestServers(boolean plaintextOnLoopback) {
        try {
            dir = Files.createTempDirectory("retrieval-test-");
            DirectoryConfig dc = DirectoryConfig.of("jdbc:h2:mem:rt_" + UUID.randomUUID().toString().replace("-", "")
                            + ";DB_CLOSE_DELAY=-1")
                    .withRefreshInterval(Duration.ofMillis(100))
                    .withLockout(new DirectoryConfig.LockoutConfig(5, Duration.ofMinutes(1), Duration.ofMinutes(1)));
            directory = DirectoryService.open(dc, List.of(NodeId.of(1)));
            directory.admin().addDomain(DOMAIN);
            for (String user : List.of("fred", "wilma", "barney")) {
                directory.admin().addUser(MailAddress.parse(user + "@" + DOMAIN), PASSWORD.toCharArray());
            }
            directory.start();
            store = new LocalMailStore(StoreConfig.defaults(dir.resolve("mail"), "node01"));
            store.start();
            ServerTls tls = ServerTls.create(TlsCredentials.selfSigned(CERTIFICATES, "localhost"));
            RetrievalConfig config = RetrievalConfig.defaults("localhost").withPlaintextOnLoopback(plaintextOnLoopback)
                    .withLiteralTimeout(Duration.ofSeconds(2)).withMaxLiteral(1 << 20);
            Logins logins = new Logins(directory.directory(), config);
            imap = new Listener(ListenerConfig.of("imap", "127.0.0.1", 0),
                    new ImapServer(store, logins, SessionRouting.localOnly(), config), Optional.of(tls));
            pop3 = new Listener(ListenerConfig.of("pop3", "127.0.0.1", 0),
                    new Pop3Server(store, logins, SessionRouting.localOnly(), config), Optional.of(tls));
            imap.start();
            pop3.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds a user (password {@link #PASSWORD}) and waits until the directory cache knows it. */
    public void addUser(String user) {
        MailAddress address = MailAddress.parse(address(user));
        directory.admin().addUser(address, PASSWORD.toCharArray());
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (directory.directory().locate(address).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("directory cache did not pick up " + address);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    public int imapPort() {
        return imap.port();
    }

    public int pop3Port() {
        return pop3.port();
    }

    public MailStore store() {
        return store;
    }

    public DirectoryService directory() {
        return directory;
    }

    public static String address(String user) {
        return user + "@" + DOMAIN;
    }

    public MailboxOwner owner(String user) {
        UserLocation loc = directory.directory().locate(MailAddress.parse(address(user))).orElseThrow();
        return SessionRouting.owner(loc);
    }

    /** Delivers a message to the user's INBOX as the MTA would; returns its UID. */
    public long deliver(String user, String message) {
        return store.deliver(List.of(owner(user)), MessageContent.ofBytes(message.getBytes(StandardCharsets.UTF_8)),
                Instant.now()).deliveries().get(0).uid();
    }

    /** A plain test message of about {@code size} octets. */
    public static String message(String subject, int size) {
        StringBuilder b = new StringBuilder("From: Alice <alice@example.test>\r\nTo: fred@example.test\r\n"
                + "Subject: " + subject + "\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID()
                + "@example.test>\r\n\r\n");
        int line = 0;
        while (b.length() < size) {
            b.append("line ").append(line++).append(" of ").append(subject).append("\r\n");
        }
        return b.toString();
    }

    public Mailbox open(String user) {
        return store.open(owner(user));
    }

    @Override
    public void close() {
        imap.stop(Duration.ofSeconds(2));
        pop3.stop(Duration.ofSeconds(2));
        store.close();
        directory.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
