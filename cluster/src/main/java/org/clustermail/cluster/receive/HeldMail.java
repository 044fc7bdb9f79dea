package org.clustermail.cluster.receive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.fs.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users whose mail this node holds as their secondary node while their primary is down: one small file per user
 * under {@code <dataDir>/held/} (name: the user ID, content: the serial), made durable before the first held copy is
 * stored, removed once everything held for the user has been handed back. So a restarted secondary still knows what
 * it has to hand back; the copies themselves are ordinary messages in this node's store, readable there.
 *
 * <p>Thread-safe; {@link #register} and {@link #release} for one user are serialised by the caller.
 */
public final class HeldMail {

    private static final Logger log = LoggerFactory.getLogger(HeldMail.class);

    private final Path dir;
    private final Map<String, MailboxOwner> users = new ConcurrentHashMap<>();

    public HeldMail(Path dir) {
        this.dir = dir;
    }

    /** Creates the directory and reads who is held (after a restart). */
    public void start() {
        try {
            DurableFiles.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    load(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the held-mail registry in " + dir, e);
        }
        if (!users.isEmpty()) {
            log.info("holding mail for {} user(s) whose primary node was down", users.size());
        }
    }

    private void load(Path f) throws IOException {
        String name = f.getFileName().toString();
        if (name.endsWith(".tmp")) {
            Files.deleteIfExists(f);
            return;
        }
        try {
            long serial = Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip());
            users.put(name, new MailboxOwner(name, serial));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a malformed held-mail entry {}: {}", f, e.getMessage());
        }
    }

    /** Durably notes that mail for {@code owner} is held here; cheap when it already is. */
    public void register(MailboxOwner owner) throws IOException {
        if (users.containsKey(owner.userId())) {
            return;
        }
        DurableFiles.writeAtomically(dir.resolve(owner.userId()),
                Long.toString(owner.serial()).getBytes(StandardCharsets.US_ASCII));
        users.put(owner.userId(), owner);
    }

    /** Forgets {@code owner} once nothing is held for it any more. */
    public void release(MailboxOwner owner) throws IOException {
        if (users.remove(owner.userId()) != null) {
            Files.deleteIfExists(dir.resolve(owner.userId()));
            DurableFiles.syncDirectory(dir);
        }
    }

    public boolean holds(MailboxOwner owner) {
        return users.containsKey(owner.userId());
    }

    public List<MailboxOwner> users() {
        return List.copyOf(users.values());
    }
}
