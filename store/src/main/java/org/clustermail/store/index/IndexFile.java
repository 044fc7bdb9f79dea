package org.clustermail.store.index;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.fs.Framing;

/**
 * A user's index file (the thesis's {@code ID.info}): framed {@link IndexRecord}s appended in order. A torn tail (a
 * crash in the middle of an append) is cut off on load; compaction rewrites the file atomically. The file is created
 * by its first append, and its descriptor is held only while the mailbox is in use.
 *
 * <p>Appends are written with one {@code write} call each and forced only when asked: the caller decides which
 * changes need their own fsync (see the ADR on durability). Not thread-safe: the owning mailbox serialises access.
 */
public final class IndexFile implements AutoCloseable {

    private final Path path;
    private FileChannel channel; // opened on demand, released while the mailbox is idle
    private long size;
    private boolean entryDurable;

    private IndexFile(Path path, long size, boolean exists) {
        this.path = path;
        this.size = size;
        this.entryDurable = exists;
    }

    /** What a load found: the records in order, and whether anything had to be cut off or could not be read. */
    public record Loaded(IndexFile file, List<IndexRecord> records, boolean damaged) {
    }

    /**
     * Reads the file (a missing file is an empty index, created by the first append); a damaged tail is cut off.
     * {@code envelopes} false: messages' envelopes are skipped and read as empty (a load for deliveries only).
     */
    public static Loaded open(Path path, boolean envelopes) throws IOException {
        boolean exists = Files.exists(path);
        byte[] data = exists ? Files.readAllBytes(path) : new byte[0];
        List<IndexRecord> records = new ArrayList<>();
        int pos = decode(data, data.length, records, envelopes);
        if (pos < data.length) {
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                ch.truncate(pos);
                ch.force(true);
            }
        }
        return new Loaded(new IndexFile(path, pos, exists), records, pos < data.length);
    }

    /**
     * Every record appended so far, read back from the file (a mailbox loaded for deliveries only, which dropped
     * them from memory, when a session opens it). Whatever was appended is in the file, forced or not.
     */
    public List<IndexRecord> readRecords() throws IOException {
        byte[] data = size == 0 ? new byte[0] : Files.readAllBytes(path);
        List<IndexRecord> records = new ArrayList<>();
        if (data.length < size || decode(data, (int) size, records, true) != size) {
            throw new IOException("index file " + path + " does not hold the " + size + " bytes written to it");
        }
        return records;
    }

    /** Decodes the whole frames in {@code data[0, limit)}; returns where the first bad or partial one starts. */
    private static int decode(byte[] data, int limit, List<IndexRecord> into, boolean envelopes) {
        int pos = 0;
        while (pos < limit) {
            int len = Framing.validFrameAt(data, pos, limit);
            if (len < 0) {
                break;
            }
            try {
                into.add(IndexCodec.decode(new DataInputStream(
                        new ByteArrayInputStream(data, pos + Framing.HEADER, len)), envelopes));
            } catch (IOException | RuntimeException e) {
                break;
            }
            pos += Framing.HEADER + len;
        }
        return pos;
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            channel.position(size);
        }
        return channel;
    }

    /** Appends records in one write; durable only after {@link #force()}. */
    public void append(List<IndexRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexRecord r : records) {
            out.write(Framing.frame(IndexCodec.encode(r)));
        }
        ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
        FileChannel ch = channel();
        long start = size;
        try {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            ch.truncate(start); // leave no half record behind (disk full)
            ch.position(start);
            throw e;
        }
        size += out.size();
    }

    /** Makes every append so far durable; the first time after creating the file, its directory entry too. */
    public void force() throws IOException {
        if (channel != null || size > 0) {
            channel().force(false);
        }
        if (!entryDurable && Files.exists(path)) {
            DurableFiles.syncDirectory(path.getParent());
            entryDurable = true;
        }
    }

    public long size() {
        return size;
    }

    /** Replaces the whole file with these records, atomically and durably (compaction, rebuild). */
    public void rewrite(List<IndexRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexRecord r : records) {
            out.write(Framing.frame(IndexCodec.encode(r)));
        }
        DurableFiles.writeAtomically(path, out.toByteArray());
        release();
        size = out.size();
        entryDurable = true;
    }

    /** Closes the descriptor without forcing; the next append or force opens the file again. */
    public void release() throws IOException {
        if (channel != null) {
            FileChannel ch = channel;
            channel = null;
            ch.close();
        }
    }

    @Override
    public void close() throws IOException {
        release();
    }
}
