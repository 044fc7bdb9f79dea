package org.clustermail.bench.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The peers' off-the-shelf stack (Postfix 127.0.0.1:25 → LMTP → Dovecot → Maildir), set up and started by their own
 * scripts from a writable copy of {@code ../shared/peers} ({@code setup_baseline.sh USERS}, {@code services.sh}),
 * with an empty mail store. Stored = the deliveries Postfix's log reports since the start ({@link DeliveryLog}, as the
 * peers' e2e.py counts them); {@link #filesInMaildirs()} checks them on disk at the end. Needs root and installed
 * Postfix and Dovecot.
 */
final class PeerSystem implements SystemUnderTest {

    static final String CONFIG = "postfix-dovecot";

    private static final String STORE = "data/vmail/example.test";
    /** Where the peers' setup_baseline.sh makes Postfix log ({@code maillog_file}). */
    private static final Path POSTFIX_LOG = Path.of("/var/log/postfix.log");
    private final Path peers;
    private final boolean keepData;
    private final DeliveryLog deliveries = new DeliveryLog(POSTFIX_LOG);

    private PeerSystem(Path peers, boolean keepData) {
        this.peers = peers;
        this.keepData = keepData;
    }

    /** Whether the peers can run here: their scripts, Postfix and Dovecot installed, and root. */
    static boolean available(Path source) {
        return Files.isExecutable(source.resolve("setup_baseline.sh")) && Files.isExecutable(Path.of("/usr/sbin/postfix"))
                && Files.isExecutable(Path.of("/usr/sbin/dovecot")) && "root".equals(System.getProperty("user.name"));
    }

    static PeerSystem start(Path source, Path workDir, int users, boolean keepData) {
        try {
            Files.createDirectories(workDir);
            Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path peers = workDir.resolve("peers");
            copy(source, peers);
            run(peers, 600, "./services.sh", "stop");
            run(peers, 900, "./setup_baseline.sh", Integer.toString(users));
            Path store = peers.resolve(STORE);
            delete(store, f -> false);
            PeerSystem system = new PeerSystem(peers, keepData);
            run(peers, 120, "./services.sh", "start");
            return system;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String config() {
        return CONFIG;
    }

    @Override
    public int nodes() {
        return 1;
    }

    @Override
    public List<InetSocketAddress> smtpTargets() {
        return List.of(new InetSocketAddress("127.0.0.1", 25));
    }

    @Override
    public int maxOpenTransactions() {
        return POSTFIX_SMTPD_PROCESSES;
    }

    @Override
    public long stored() {
        return deliveries.sent();
    }

    /** Message files in the users' Maildirs ({@code new/} and {@code cur/}): a walk of every Maildir, seconds long. */
    long filesInMaildirs() {
        Path store = peers.resolve("data/vmail/example.test");
        if (!Files.isDirectory(store)) {
            return 0;
        }
        long[] files = new long[1];
        try {
            Files.walkFileTree(store, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    Path parent = file.getParent();
                    String name = parent == null ? "" : parent.getFileName().toString();
                    if (a.isRegularFile() && (name.equals("new") || name.equals("cur"))) {
                        files[0]++;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // a file renamed away while walking
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files[0];
    }

    @Override
    public void close() {
        run(peers, 120, "./services.sh", "stop");
        if (!keepData) { // the delivered mail; the peers' logs stay
            try {
                delete(peers.resolve(STORE), f -> false);
            } catch (IOException e) {
                System.err.println("could not remove the peers' mail in " + peers.resolve(STORE) + ": "
                        + e.getMessage());
            }
        }
    }

    private static void run(Path dir, int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("bench-peers.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeoutSeconds
                        + " s (see " + dir.resolve("bench-peers.log") + ")");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with status " + p.exitValue()
                        + " (see " + dir.resolve("bench-peers.log") + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(f, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            Files.isExecutable(f) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    /** Deletes {@code dir} and everything below it, except the files {@code keep} accepts (and their folders). */
    static void delete(Path dir, Predicate<Path> keep) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (DirectoryNotEmptyException kept) {
                        // holds a kept file
                    }
                } else if (!keep.test(f)) {
                    Files.deleteIfExists(f);
                }
            }
        }
    }
}
