package org.clustermail.store.journal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreException;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.fs.Framing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's group-commit journal: deliveries are appended to segment files by one writer thread, which forces a
 * whole batch with one {@code FileChannel.force} and only then applies each record to the mailboxes (through the
 * {@link Applier}) and completes its caller's future. A delivery is therefore acknowledged only once its bytes are
 * on stable storage, and one flush covers every delivery that queued up while the previous flush ran.
 *
 * <p>The {@link Checkpointer} later makes the applied mailbox files durable in bulk and trims old segments;
 * {@link #recover} replays every record after the last checkpoint at start. Records are framed with length and
 * CRC32C, so a torn tail is recognised and cut off. See docs/adr on group commit for the crash-recovery argument.
 *
 * <p>Threading: {@link #submit} from any thread; one writer thread does all file I/O on the current segment.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final int MAX_BATCH = 512;
    private static final long MAX_BATCH_BYTES = 8L << 20;

    /** Applies a durable record to the mailboxes; must be idempotent (replay may apply a record twice). */
    @FunctionalInterface
    public interface Applier {
        void apply(long seq, JournalEntry entry, MessageContent content);
    }

    private record Pending(JournalEntry entry, MessageContent content, CompletableFuture<Void> done) {
    }

    private final Path dir;
    private final Applier applier;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final Checkpointer checkpointer;
    private FileChannel current;
    private long currentFirstSeq;
    private long nextSeq = 1;
    private volatile long appliedSeq;
    private volatile boolean running;
    private Thread writer;

    public Journal(Path dir, Path syncTarget, Duration checkpointInterval, Applier applier) {
        this.dir = dir;
        this.applier = applier;
        this.checkpointer = new Checkpointer(this, dir.resolve("checkpoint"), syncTarget, checkpointInterval);
    }

    /** Replays every record after the last checkpoint (idempotently), then opens a fresh segment. */
    public void recover() throws IOException {
        DurableFiles.createDirectories(dir);
        long checkpoint = checkpointer.read();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "seg-*.log")) {
            for (Path p : ds) {
                segments.put(Long.parseLong(p.getFileName().toString().substring(4, 24)), p);
            }
        }
        long last = checkpoint;
        int replayed = 0;
        for (Map.Entry<Long, Path> seg : segments.entrySet()) {
            JournalReader.Result r = JournalReader.replay(seg.getValue(), checkpoint, applier);
            last = Math.max(last, r.lastSeq());
            replayed += r.applied();
        }
        if (replayed > 0) {
            LOG.info("journal: replayed {} record(s) after checkpoint {}", replayed, checkpoint);
        }
        nextSeq = last + 1;
        appliedSeq = last;
        openSegment();
    }

    /** Starts the writer and the checkpointer. */
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("journal-writer").daemon().start(this::writeLoop);
        checkpointer.start();
    }

    /** Queues a record; the future completes once it is durable and applied, or fails with a StoreException. */
    public CompletableFuture<Void> submit(JournalEntry entry, MessageContent content) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new StoreException(StoreException.Reason.UNAVAILABLE, "store is stopped"));
            return done;
        }
        queue.add(new Pending(entry, content, done));
        return done;
    }

    long appliedSeq() {
        return appliedSeq;
    }

    long currentFirstSeq() {
        return currentFirstSeq;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                long bytes = first.content().size();
                while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && queue.peek() != null) {
                    Pending p = queue.poll();
                    batch.add(p);
                    bytes += p.content().size();
                }
                writeBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("journal writer", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
        }
    }

    private void writeBatch(List<Pending> batch) {
        long start;
        long firstSeq = nextSeq;
        try {
            start = current.position();
        } catch (IOException e) {
            fail(batch, e);
            return;
        }
        try {
            for (Pending p : batch) {
                writeRecord(nextSeq++, p);
            }
            current.force(false); // the one flush that makes the whole batch durable
        } catch (IOException e) {
            nextSeq = firstSeq;
            try {
                current.truncate(start);
                current.position(start);
            } catch (IOException again) {
                LOG.error("journal: cannot cut off a failed batch; starting a new segment", again);
                reopenQuietly();
            }
            fail(batch, e);
            return;
        }
        long seq = firstSeq;
        for (Pending p : batch) {
            try {
                applier.apply(seq, p.entry(), p.content());
                p.done().complete(null);
            } catch (RuntimeException e) {
                p.done().completeExceptionally(e);
            }
            appliedSeq = seq++;
        }
        rotateIfLarge();
    }

    private void writeRecord(long seq, Pending p) throws IOException {
        byte[] meta = p.entry().encode();
        long contentSize = p.content().size();
        long payload = 8 + 4 + meta.length + contentSize;
        if (payload > Framing.MAX_PAYLOAD) {
            throw new IOException("message too large for the journal: " + contentSize + " bytes");
        }
        long recordStart = current.position();
        current.position(recordStart + Framing.HEADER);
        CRC32C crc = new CRC32C();
        ByteBuffer head = ByteBuffer.allocate(12 + meta.length).putLong(seq).putInt(meta.length).put(meta).flip();
        crc.update(head.duplicate());
        writeFully(head);
        byte[] buf = new byte[65536];
        long copied = 0;
        try (InputStream in = p.content().openStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                crc.update(buf, 0, n);
                writeFully(ByteBuffer.wrap(buf, 0, n));
                copied += n;
            }
        }
        if (copied != contentSize) {
            throw new IOException("message content changed size while being journaled");
        }
        long end = current.position();
        current.write(Framing.header((int) payload, (int) crc.getValue()), recordStart);
        current.position(end);
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            current.write(b);
        }
    }

    private void fail(List<Pending> batch, IOException e) {
        StoreException ex = DurableFiles.failure("cannot write the delivery journal", e);
        batch.forEach(p -> p.done().completeExceptionally(ex));
    }

    private void rotateIfLarge() {
        try {
            if (current.position() >= SEGMENT_BYTES) {
                openSegment();
            }
        } catch (IOException e) {
            LOG.error("journal: cannot start a new segment", e);
        }
    }

    private void reopenQuietly() {
        try {
            openSegment();
        } catch (IOException e) {
            LOG.error("journal: cannot open a new segment", e);
        }
    }

    private void openSegment() throws IOException {
        if (current != null) {
            current.close();
        }
        Path p = dir.resolve(String.format("seg-%020d.log", nextSeq));
        current = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        DurableFiles.syncDirectory(dir);
        currentFirstSeq = nextSeq;
        segments.put(nextSeq, p);
    }

    /** Stops taking records, drains the queue, checkpoints, closes. */
    @Override
    public void close() {
        running = false;
        if (writer != null) {
            try {
                writer.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        checkpointer.stop();
        checkpointer.checkpoint();
        try {
            current.close();
        } catch (IOException e) {
            LOG.warn("journal close: {}", e.toString());
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(new StoreException(StoreException.Reason.UNAVAILABLE, "store stopped"));
        }
    }
}
