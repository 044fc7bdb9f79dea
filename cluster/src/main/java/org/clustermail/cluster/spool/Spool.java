package org.clustermail.cluster.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.cluster.transfer.TransferHeader;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.store.MessageContent;
import org.clustermail.store.fs.DurableFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable local spool (the thesis's wait list): copies this node acknowledged but could not hand to their owner
 * or secondary yet. Each entry is two files under {@code <dataDir>/spool/}: {@code <n>.eml}, the message with its
 * transfer header, and {@code <n>.env}, the envelope (sender, time, the recipients still to serve). The message is
 * fsync'd before the envelope is written atomically, and an entry exists exactly when its envelope does, so a crash
 * leaves either a complete entry or none; a restart picks the entries up where they were.
 *
 * <p>Thread-safe; one writer per entry at a time ({@link SpoolWorker} ensures it).
 */
public final class Spool {

    private static final Logger log = LoggerFactory.getLogger(Spool.class);

    /** One spooled message and the recipients it still has to reach. */
    public record Entry(String name, String sender, Instant received, List<String> recipients, Path message) {

        public Entry {
            recipients = List.copyOf(recipients);
        }

        /** The message bytes (with the transfer header) and their id. */
        public IdentifiedContent content() throws IOException {
            MessageContent bytes = MessageContent.ofFile(message);
            Optional<TransferId> id = TransferHeader.find(bytes);
            if (id.isEmpty()) {
                throw new IOException("spooled message " + message + " lost its transfer header");
            }
            return new IdentifiedContent(id.get(), bytes);
        }
    }

    private final Path dir;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public Spool(Path dir) {
        this.dir = dir;
    }

    /** Creates the directory and recovers the entries a previous run left; drops half-written ones. */
    public void start() {
        try {
            DurableFiles.createDirectories(dir);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    recover(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the spool in " + dir, e);
        }
        if (!entries.isEmpty()) {
            log.info("spool: {} message(s) waiting from before the restart", entries.size());
        }
    }

    private void recover(Path f) throws IOException {
        String file = f.getFileName().toString();
        String name = file.substring(0, Math.max(0, file.lastIndexOf('.')));
        if (file.endsWith(".env")) {
            entries.put(name, read(name, f));
        } else if (file.endsWith(".tmp") || (file.endsWith(".eml") && !Files.exists(dir.resolve(name + ".env")))) {
            Files.deleteIfExists(f); // a message whose envelope never became durable was never acknowledged
        }
    }

    private Entry read(String name, Path envelope) throws IOException {
        List<String> lines = Files.readAllLines(envelope, StandardCharsets.UTF_8);
        String sender = lines.get(0).substring("from ".length());
        Instant received = Instant.parse(lines.get(1).substring("received ".length()));
        List<String> rcpts = lines.subList(2, lines.size()).stream().map(l -> l.substring("to ".length())).toList();
        return new Entry(name, sender, received, rcpts, dir.resolve(name + ".eml"));
    }

    /** Durably adds a message for {@code recipients}; returns once both files are on disk. */
    public Entry add(String sender, Instant received, Collection<String> recipients, IdentifiedContent content)
            throws IOException {
        String name = content.id().value();
        Path message = dir.resolve(name + ".eml");
        if (entries.containsKey(name)) {
            name = name + "-" + System.nanoTime(); // the same copy spooled again: keep both, the owner dedups
            message = dir.resolve(name + ".eml");
        }
        try (FileChannel ch = FileChannel.open(message, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             InputStream in = content.openStream()) {
            in.transferTo(Channels.newOutputStream(ch));
            ch.force(true);
        }
        Entry e = new Entry(name, sender, received, List.copyOf(recipients), message);
        writeEnvelope(e);
        entries.put(name, e);
        return e;
    }

    /** Records that only {@code remaining} are left; removes the entry when none are. */
    public Entry update(Entry entry, List<String> remaining) throws IOException {
        if (remaining.isEmpty()) {
            Files.deleteIfExists(dir.resolve(entry.name() + ".env"));
            DurableFiles.syncDirectory(dir);
            Files.deleteIfExists(entry.message());
            entries.remove(entry.name());
            return null;
        }
        Entry e = new Entry(entry.name(), entry.sender(), entry.received(), remaining, entry.message());
        writeEnvelope(e);
        entries.put(e.name(), e);
        return e;
    }

    private void writeEnvelope(Entry e) throws IOException {
        StringBuilder b = new StringBuilder("from ").append(e.sender()).append('\n')
                .append("received ").append(e.received()).append('\n');
        e.recipients().forEach(r -> b.append("to ").append(r).append('\n'));
        DurableFiles.writeAtomically(dir.resolve(e.name() + ".env"), b.toString().getBytes(StandardCharsets.UTF_8));
    }

    public List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    /** Messages waiting. */
    public int size() {
        return entries.size();
    }
}
