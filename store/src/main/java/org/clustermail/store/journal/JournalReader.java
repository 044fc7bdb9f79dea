package org.clustermail.store.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.clustermail.store.MessageContent;
import org.clustermail.store.fs.Framing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads a journal segment at start and replays its records after the checkpoint. Stateless. */
final class JournalReader {

    private static final Logger LOG = LoggerFactory.getLogger(JournalReader.class);

    private JournalReader() {
    }

    /** The last valid sequence number seen and how many records were applied. */
    record Result(long lastSeq, int applied) {
    }

    /** Replays the records of one segment with a sequence number above {@code after}; cuts off a torn tail. */
    static Result replay(Path segment, long after, Journal.Applier applier) throws IOException {
        long last = 0;
        int applied = 0;
        try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long pos = 0;
            while (pos < size) {
                byte[] record = readRecord(ch, pos, size);
                if (record == null) {
                    LOG.warn("journal {}: torn record at {}, cutting {} byte(s)", segment.getFileName(), pos,
                            size - pos);
                    ch.truncate(pos);
                    ch.force(true);
                    break;
                }
                ByteBuffer b = ByteBuffer.wrap(record, Framing.HEADER, record.length - Framing.HEADER);
                long seq = b.getLong();
                int metaLen = b.getInt();
                int metaAt = Framing.HEADER + 12;
                JournalEntry entry = JournalEntry.decode(record, metaAt, metaLen);
                int contentAt = metaAt + metaLen;
                byte[] content = java.util.Arrays.copyOfRange(record, contentAt, record.length);
                if (seq > after) {
                    MessageContent c = MessageContent.ofBytes(content);
                    for (JournalEntry.Target t : entry.targets()) {
                        applier.apply(entry, t, c, null);
                    }
                    applied++;
                }
                last = seq;
                pos += record.length;
            }
        }
        return new Result(last, applied);
    }

    /** The whole frame at {@code pos}, or null if it is incomplete or its checksum is wrong. */
    private static byte[] readRecord(FileChannel ch, long pos, long size) throws IOException {
        if (size - pos < Framing.HEADER) {
            return null;
        }
        ByteBuffer h = ByteBuffer.allocate(Framing.HEADER);
        ch.read(h, pos);
        h.flip();
        int magic = h.getInt();
        int len = h.getInt();
        if (magic != Framing.MAGIC || len < 12 || len > size - pos - Framing.HEADER) {
            return null;
        }
        byte[] all = new byte[Framing.HEADER + len];
        ByteBuffer b = ByteBuffer.wrap(all);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                return null;
            }
        }
        return Framing.validFrameAt(all, 0, all.length) == len ? all : null;
    }
}
