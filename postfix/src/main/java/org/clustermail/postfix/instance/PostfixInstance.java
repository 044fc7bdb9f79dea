package org.clustermail.postfix.instance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private Postfix instance in front of a clustermail node, for tests and benchmarks: its own configuration
 * ({@code etc/}), queue ({@code queue/}), data directory ({@code data/}) and log file ({@code maillog}) under one
 * directory, SMTP on {@code 127.0.0.1:smtpPort}, started and
 * stopped with {@code postfix -c DIR start|stop}. It touches nothing of the system's {@code /etc/postfix} and runs
 * next to other instances. Postfix's daemons run as the {@code postfix} user, so the data directory is handed to
 * it; the master runs as root, so this needs root (as CI has).
 *
 * <p>Lifecycle: {@link #start} writes the configuration and returns once Postfix accepts SMTP; {@link #stop} (or
 * {@link #close}) stops it and waits until its master process is gone; a JVM shutdown hook stops it too, so a
 * killed test does not leave Postfix running. Thread-safe for {@code stop}.
 */
public final class PostfixInstance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostfixInstance.class);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final int smtpPort;
    private final Thread shutdownHook;
    private boolean stopped;

    private PostfixInstance(Path dir, int smtpPort) {
        this.dir = dir;
        this.smtpPort = smtpPort;
        this.shutdownHook = new Thread(this::stopQuietly, "postfix-instance-stop");
    }

    /**
     * Writes the instance's configuration under {@code dir} (created if needed) and starts it.
     *
     * @param hostname the instance's {@code myhostname}, named in its Received headers
     * @throws IllegalStateException (one line) Postfix is missing, this is not root, or it did not start; the
     *                               message quotes Postfix's own reason from the log where there is one
     */
    public static PostfixInstance start(Path dir, int smtpPort, String hostname, FrontSettings front) {
        return start(dir, smtpPort, hostname, front, "", "");
    }

    /**
     * As {@link #start(Path, int, String, FrontSettings)}, with lines appended to the generated {@code main.cf} and
     * {@code master.cf}, e.g. a {@linkplain PostfixConfig#pipeTransport deliver transport} and the
     * {@code transport_maps} that use it.
     */
    public static PostfixInstance start(Path dir, int smtpPort, String hostname, FrontSettings front,
                                        String extraMainCf, String extraMasterCf) {
        String postfix = PostfixBinaries.require("postfix");
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException("a Postfix instance must be started as root (its master runs as root)");
        }
        Path abs = dir.toAbsolutePath().normalize();
        PostfixInstance instance = new PostfixInstance(abs, smtpPort);
        try {
            instance.writeConfiguration(PostfixConfig.instanceMainCf(abs, hostname, front) + extraMainCf,
                    PostfixConfig.instanceMasterCf(smtpPort) + extraMasterCf);
            Runtime.getRuntime().addShutdownHook(instance.shutdownHook);
            Result r = run(postfix, "-c", instance.configDirectory().toString(), "start");
            if (r.status() != 0) {
                throw new IllegalStateException("postfix start failed (status " + r.status() + "): "
                        + instance.lastFatal().orElse(r.output().strip()));
            }
            instance.awaitSmtp();
            log.info("Postfix instance in {} accepts SMTP on 127.0.0.1:{}", abs, smtpPort);
            return instance;
        } catch (RuntimeException e) {
            instance.stopQuietly();
            throw e;
        }
    }

    private void writeConfiguration(String mainCf, String masterCf) {
        try {
            Files.createDirectories(dir.resolve("queue"));
            requireReachableByPostfix(dir);
            Path data = Files.createDirectories(dir.resolve("data"));
            Path etc = Files.createDirectories(configDirectory());
            Files.writeString(etc.resolve("main.cf"), mainCf);
            Files.writeString(etc.resolve("master.cf"), masterCf);
            UserPrincipal postfixUser = dir.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByName("postfix");
            Files.setOwner(data, postfixUser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the Postfix instance in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Postfix's daemons run as the {@code postfix} user and open files in the data directory by absolute path, so
     * every directory above the instance must be searchable by others (a test's private 0700 temporary directory
     * is not). Says which one is not, rather than letting Postfix fail with "Permission denied".
     */
    private static void requireReachableByPostfix(Path dir) throws IOException {
        for (Path p = dir.getParent(); p != null; p = p.getParent()) {
            java.util.Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IllegalStateException("the postfix user cannot reach " + dir + ": " + p
                        + " is not searchable by others (chmod o+x " + p + ", or put the instance elsewhere)");
            }
        }
    }

    private void awaitSmtp() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", smtpPort), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Postfix started but does not accept SMTP on 127.0.0.1:"
                            + smtpPort + ": " + lastFatal().orElse(e.getMessage()));
                }
                sleep(100);
            }
        }
    }

    public Path directory() {
        return dir;
    }

    /**
     * The instance's {@code config_directory} ({@code DIR/etc}, holding main.cf and master.cf), apart from its
     * queue and data so that Postfix's ownership checks of each pass.
     */
    public Path configDirectory() {
        return dir.resolve("etc");
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** Postfix's log file ({@code maillog_file}). */
    public Path maillog() {
        return dir.resolve("maillog");
    }

    /** The log's lines so far (empty before the first line is written). */
    public List<String> maillogLines() {
        try {
            return Files.exists(maillog()) ? Files.readAllLines(maillog(), StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether Postfix says this instance runs ({@code postfix -c DIR status}). */
    public boolean running() {
        return run(PostfixBinaries.require("postfix"), "-c", configDirectory().toString(), "status").status() == 0;
    }

    /** Stops the instance and waits until its master process has ended. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this call is the hook itself
        }
        Result r = run(PostfixBinaries.require("postfix"), "-c", configDirectory().toString(), "stop");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (running()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Postfix in " + dir + " did not stop: " + r.output().strip());
            }
            sleep(100);
        }
        log.info("Postfix instance in {} stopped", dir);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            log.warn("stopping Postfix in {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The last {@code fatal:} or {@code error:} line in the log: Postfix's own reason for a failure. */
    private java.util.Optional<String> lastFatal() {
        List<String> lines = new ArrayList<>(maillogLines());
        for (int i = lines.size() - 1; i >= 0; i--) {
            String l = lines.get(i);
            int at = Math.max(l.indexOf("fatal: "), l.indexOf("error: "));
            if (at >= 0 && !l.contains("mail system startup failed")) {
                return java.util.Optional.of(l.substring(at));
            }
        }
        return java.util.Optional.empty();
    }

    record Result(int status, String output) {
    }

    /**
     * Runs a Postfix command. Its output goes through a file, not a pipe: {@code postfix start} leaves a daemon
     * behind that may keep inherited descriptors open, and a pipe would then never reach its end.
     */
    private static Result run(String... command) {
        Path out = null;
        try {
            out = Files.createTempFile("postfix-command", ".out");
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + COMMAND_TIMEOUT);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command[0], e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
