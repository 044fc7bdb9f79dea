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
 * crash in the middle of an append) is cut off on load; compaction rewrites the file atomically.
 *
 * <p>Appends are written with one {@code write} call each and forced only when asked: the caller decides which
 * changes need their own fsync (see the ADR on durability). Not thread-safe: the owning mailbox serialises access.
 */
public final class IndexFile implements AutoCloseable {

    private final Path path;
    private FileChannel channel;
    private long size;

    private IndexFile(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** What a load found: the records in order, and whether anything had to be cut off or could not be read. */
    public record Loaded(IndexFile file, List<IndexRecord> records, boolean damaged) {
    }

    /** Opens (creating if missing) and reads the file; a damaged tail is truncated. */
    public static Loaded open(Path path) throws IOException {
        byte[] data = Files.exists(path) ? Files.readAllBytes(path) : new byte[0];
        List<IndexRecord> records = new ArrayList<>();
        int pos = 0;
        boolean damaged = false;
        while (pos < data.length) {
            int len = Framing.validFrameAt(data, pos, data.length);
            if (len < 0) {
                damaged = true;
                break;
            }
            try {
                records.add(IndexCodec.decode(new DataInputStream(
                        new ByteArrayInputStream(data, pos + Framing.HEADER, len))));
            } catch (IOException | RuntimeException e) {
                damaged = true;
                break;
            }
            pos += Framing.HEADER + len;
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (pos < data.length) {
            ch.truncate(pos);
            ch.force(true);
        }
        ch.position(pos);
        return new Loaded(new IndexFile(path, ch, pos), records, damaged);
    }

    /** Appends records in one write; durable only after {@link #force()}. */
    public void append(List<IndexRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (IndexRecord r : records) {
            out.write(Framing.frame(IndexCodec.encode(r)));
        }
        ByteBuffer buf = ByteBuffer.wrap(out.toByteArray());
        long start = size;
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        } catch (IOException e) {
            channel.truncate(start); // leave no half record behind (disk full)
            channel.position(start);
            throw e;
        }
        size += out.size();
    }

    /** Makes every append so far durable. */
    public void force() throws IOException {
        channel.force(false);
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
        channel.close();
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        size = out.size();
        channel.position(size);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
