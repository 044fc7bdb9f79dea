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
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreException;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.fs.Framing;
import org.clustermail.store.index.Envelope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's group-commit journal: deliveries are appended to segment files by one writer thread, which forces a
 * whole batch with one {@code FileChannel.force}, then completes the callers' futures and hands each record to the
 * apply lanes, which write it into the mailboxes (through the {@link Applier}). A delivery is therefore acknowledged
 * once its bytes are on stable storage, and one flush covers every delivery that queued up while the previous
 * flush ran. (Readers of a mailbox wait for the copies handed to it before they look: {@code UserMailbox}.)
 *
 * <p>The {@link Checkpointer} later makes the applied mailbox files durable in bulk and trims old segments, never
 * past a record whose apply failed (it stays and is applied at the next start); {@link #recover} replays every
 * record after the last checkpoint at start. Records are framed with length and CRC32C, so a torn tail is
 * recognised and cut off. ADR 0011 gives the crash-recovery argument.
 *
 * <p>Backpressure: at most {@value #MAX_UNAPPLIED_COPIES} copies may be admitted and not yet applied. A delivery
 * {@link #reserve reserves} room for its copies before it takes any mailbox lock and waits while there is none, so
 * a node offered more mail than its lanes apply acknowledges at the lanes' rate instead of letting the backlog grow.
 * Unbounded, the backlog held every waiting mailbox in memory with its index file open: a bench node ran out of
 * 20,000 file descriptors, nearly all cached mailboxes' index files (BENCHMARKS.md, "the apply backlog").
 *
 * <p>Threading: {@link #reserve} and {@link #submit} from any thread; one writer thread does all file I/O on the
 * current segment.
 */
public final class Journal implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final long SEGMENT_BYTES = 64L << 20;
    private static final int MAX_BATCH = 512;
    private static final long MAX_BATCH_BYTES = 8L << 20;

    /**
     * Applies a durable record to one target mailbox; must be idempotent (replay may apply a record again).
     * {@code envelope} is the summary parsed at submission, or null (replay: parse the content). Each copy of a
     * submitted record gets exactly one call: {@link #apply}, or {@link #abandon} if the record was never written.
     */
    @FunctionalInterface
    public interface Applier {
        void apply(JournalEntry entry, JournalEntry.Target target, MessageContent content, Envelope envelope);

        /** A submitted copy that will not be applied: its record could not be written, or the store stopped. */
        default void abandon(JournalEntry entry, JournalEntry.Target target) {
        }
    }

    /**
     * Copies admitted and not yet applied, at most. About 2 s of a node's apply rate: room for whole batches of
     * {@value #MAX_BATCH} records while the lanes apply the previous ones, and a bound on the mailboxes a backlog keeps
     * open (one index file descriptor each, at most).
     */
    public static final int MAX_UNAPPLIED_COPIES = 4_096;

    /**
     * How long a delivery waits for room before it fails as temporarily unavailable (SMTP 451, the client retries
     * later): lanes that make no progress for a minute are stuck (a hung disk), and a session must not hang with them.
     */
    static final Duration ROOM_WAIT = Duration.ofSeconds(60);

    /**
     * Room for one record's copies in the apply backlog, from {@link #reserve}. Submitting the record hands the room
     * on (it is given back once every copy is applied or abandoned); closing an unsubmitted room gives it back.
     */
    public final class Room implements AutoCloseable {
        private final int permits;
        private final AtomicBoolean held = new AtomicBoolean(true);

        private Room(int permits) {
            this.permits = permits;
        }

        /** Gives the room back, once. */
        @Override
        public void close() {
            if (held.compareAndSet(true, false)) {
                room.release(permits);
            }
        }
    }

    /** A submitted record: its room goes back when the last of its copies is applied or abandoned. */
    private record Pending(JournalEntry entry, MessageContent content, Envelope envelope,
                           CompletableFuture<Void> durable, Room room, AtomicInteger copiesLeft) {

        /** One copy is applied or abandoned; true for the record's last. */
        boolean settleOne() {
            if (copiesLeft.decrementAndGet() == 0) {
                room.close();
                return true;
            }
            return false;
        }
    }

    private final Path dir;
    private final Applier applier;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    final ConcurrentSkipListMap<Long, Path> segments = new ConcurrentSkipListMap<>();
    private final Checkpointer checkpointer;
    private final ApplyLanes lanes = new ApplyLanes(4);
    private final Semaphore room = new Semaphore(MAX_UNAPPLIED_COPIES, true);
    private final Duration roomWait;
    private final ConcurrentSkipListSet<Long> applying = new ConcurrentSkipListSet<>();
    private volatile long writtenSeq;
    private FileChannel current;
    private Path currentPath;
    private long currentFirstSeq;
    private long nextSeq = 1;
    private final LongAdder batches = new LongAdder();
    private final LongAdder records = new LongAdder();
    private final LongAdder writeNanos = new LongAdder();
    private final LongAdder forceNanos = new LongAdder();
    private final LongAdder applyNanos = new LongAdder();
    private volatile boolean running;
    private Thread writer;

    public Journal(Path dir, Path syncTarget, Duration checkpointInterval, Applier applier) {
        this(dir, syncTarget, checkpointInterval, applier, ROOM_WAIT);
    }

    Journal(Path dir, Path syncTarget, Duration checkpointInterval, Applier applier, Duration roomWait) {
        this.roomWait = roomWait;
        this.dir = dir;
        this.applier = applier;
        this.checkpointer = new Checkpointer(this, dir.resolve("checkpoint"), syncTarget, checkpointInterval);
    }

    /** Replays every record after the last checkpoint (idempotently) through {@code replay}, then opens a segment. */
    public void recover(Applier replay) throws IOException {
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
            JournalReader.Result r = JournalReader.replay(seg.getValue(), checkpoint, replay);
            last = Math.max(last, r.lastSeq());
            replayed += r.applied();
        }
        if (replayed > 0) {
            LOG.info("journal: replayed {} record(s) after checkpoint {}", replayed, checkpoint);
        }
        nextSeq = last + 1;
        writtenSeq = last;
        openSegment();
    }

    /** Starts the writer and the checkpointer. */
    public void start() {
        running = true;
        writer = Thread.ofPlatform().name("journal-writer").daemon().start(this::writeLoop);
        checkpointer.start();
    }

    /**
     * Waits until the apply backlog has room for {@code copies} more copies (a record with more than
     * {@value #MAX_UNAPPLIED_COPIES} targets waits for an empty backlog), at most {@link #ROOM_WAIT}; then fails
     * with {@code UNAVAILABLE}. Call before taking any mailbox lock: the lanes that make room need those locks.
     */
    public Room reserve(int copies) {
        int permits = Math.max(1, Math.min(copies, MAX_UNAPPLIED_COPIES));
        boolean got;
        try {
            got = room.tryAcquire(permits, roomWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "interrupted while waiting for the journal");
        }
        if (!got) {
            throw new StoreException(StoreException.Reason.UNAVAILABLE, "the store is behind: "
                    + (MAX_UNAPPLIED_COPIES - room.availablePermits()) + " copies waiting to be written for "
                    + roomWait.toSeconds() + " s; try again later");
        }
        return new Room(permits);
    }

    /**
     * Queues a record in the room reserved for it; the future completes once it is durable (then the applier gets
     * its copies), or fails with a StoreException (then the applier's {@code abandon} gets them).
     */
    public CompletableFuture<Void> submit(Room reserved, JournalEntry entry, MessageContent content,
                                          Envelope envelope) {
        Pending p = new Pending(entry, content, envelope, new CompletableFuture<>(), reserved,
                new AtomicInteger(entry.targets().size()));
        if (!running) {
            abandon(p, new StoreException(StoreException.Reason.UNAVAILABLE, "store is stopped"));
            return p.durable();
        }
        queue.add(p);
        return p.durable();
    }

    /**
     * Counters since start: how well group commit batches, and where the writer's time goes; and now, how many
     * copies are admitted and not yet applied ({@code unapplied}, at most {@value #MAX_UNAPPLIED_COPIES}).
     */
    public record Stats(long batches, long records, long writeMillis, long forceMillis, long applyMillis,
                        int unapplied) {
    }

    public Stats stats() {
        return new Stats(batches.sum(), records.sum(), writeNanos.sum() / 1_000_000, forceNanos.sum() / 1_000_000,
                applyNanos.sum() / 1_000_000, MAX_UNAPPLIED_COPIES - room.availablePermits());
    }

    /** Every record up to this sequence number is applied (its mailbox files and index entries written). */
    long appliedSeq() {
        long written = writtenSeq;
        Long first = applying.isEmpty() ? null : applying.first();
        return first == null ? written : Math.min(written, first - 1);
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
                LOG.error("journal writer", e); // writeBatch handles its own failures; this is a bug
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
        long t0 = System.nanoTime();
        long t1;
        List<JournalSlice> slices = new ArrayList<>(batch.size());
        try {
            for (Pending p : batch) {
                slices.add(writeRecord(nextSeq++, p));
            }
            t1 = System.nanoTime();
            current.force(false); // the one flush that makes the whole batch durable
        } catch (IOException | RuntimeException e) {
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
        long t2 = System.nanoTime();
        long seq = firstSeq;
        for (Pending p : batch) {
            applying.add(seq++);
        }
        writtenSeq = seq - 1;
        seq = firstSeq;
        for (int i = 0; i < batch.size(); i++) {
            dispatch(seq++, batch.get(i), slices.get(i));
        }
        for (Pending p : batch) {
            p.durable().complete(null); // acknowledged: durable here, in the mailbox once its lane has applied it
        }
        batches.increment();
        records.add(batch.size());
        writeNanos.add(t1 - t0);
        forceNanos.add(t2 - t1);
        rotateIfLarge();
    }

    /**
     * Hands a durable record to the apply lanes. Once every copy is applied the record no longer holds back the
     * checkpoint; if one failed (a full disk), it does until the next start replays it, so it is never lost.
     */
    private void dispatch(long seq, Pending p, JournalSlice content) {
        AtomicBoolean failed = new AtomicBoolean();
        for (JournalEntry.Target t : p.entry().targets()) {
            lanes.run(t.owner().userId(), () -> {
                long t0 = System.nanoTime();
                try {
                    applier.apply(p.entry(), t, content, p.envelope());
                } catch (RuntimeException e) {
                    failed.set(true);
                    LOG.error("journal record {} for {} could not be applied; it stays in the journal and is applied"
                            + " at the next start", seq, t.owner().userId(), e);
                }
                applyNanos.add(System.nanoTime() - t0);
                if (p.settleOne() && !failed.get()) {
                    applying.remove(seq);
                }
            });
        }
    }

    /** Appends one record; returns where its message bytes are. */
    private JournalSlice writeRecord(long seq, Pending p) throws IOException {
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
        return new JournalSlice(currentPath, end - contentSize, contentSize);
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            current.write(b);
        }
    }

    private void fail(List<Pending> batch, Exception e) {
        StoreException ex = e instanceof IOException io ? DurableFiles.failure("cannot write the delivery journal", io)
                : new StoreException(StoreException.Reason.IO_FAILURE, "cannot write the delivery journal: " + e, e);
        for (Pending p : batch) {
            // through the lanes, behind the user's earlier copies, so a mailbox settles its copies in order
            for (JournalEntry.Target t : p.entry().targets()) {
                lanes.run(t.owner().userId(), () -> abandonCopy(p, t));
            }
            p.durable().completeExceptionally(ex);
        }
    }

    private void abandon(Pending p, StoreException why) {
        p.entry().targets().forEach(t -> abandonCopy(p, t));
        p.durable().completeExceptionally(why);
    }

    private void abandonCopy(Pending p, JournalEntry.Target t) {
        try {
            applier.abandon(p.entry(), t);
        } finally {
            p.settleOne();
        }
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
        currentPath = p;
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
        lanes.shutdown();
        checkpointer.stop();
        checkpointer.checkpoint();
        try {
            current.close();
        } catch (IOException e) {
            LOG.warn("journal close: {}", e.toString());
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            abandon(p, new StoreException(StoreException.Reason.UNAVAILABLE, "store stopped"));
        }
    }
}
