package org.clustermail.store.fs;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame every append-only file of the store uses (journal segments, user indexes):
 * {@code magic:int, length:int, crc32c:int, payload[length]}. A frame whose magic, length or checksum is wrong marks
 * the end of the valid data (a torn write from a crash); readers stop there and writers truncate it away.
 */
public final class Framing {

    public static final int MAGIC = 0x434D5231; // "CMR1"
    public static final int HEADER = 12;
    /** No frame is larger than this (guards against reading garbage as a huge length). */
    public static final int MAX_PAYLOAD = Integer.MAX_VALUE - 64;

    private Framing() {
    }

    /** The frame header for this payload. */
    public static ByteBuffer header(byte[] payload, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(payload, off, len);
        return header(len, (int) crc.getValue());
    }

    public static ByteBuffer header(int length, int crc) {
        ByteBuffer b = ByteBuffer.allocate(HEADER);
        b.putInt(MAGIC).putInt(length).putInt(crc).flip();
        return b;
    }

    /** A whole frame around a small payload. */
    public static byte[] frame(byte[] payload) {
        ByteBuffer h = header(payload, 0, payload.length);
        byte[] out = new byte[HEADER + payload.length];
        h.get(out, 0, HEADER);
        System.arraycopy(payload, 0, out, HEADER, payload.length);
        return out;
    }

    /**
     * Reads the frame at {@code pos} of {@code data}: its payload length, or -1 if there is no complete valid frame
     * there.
     */
    public static int validFrameAt(byte[] data, int pos, int limit) {
        if (limit - pos < HEADER) {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(data, pos, HEADER);
        int magic = b.getInt();
        int len = b.getInt();
        int crc = b.getInt();
        if (magic != MAGIC || len < 0 || len > limit - pos - HEADER) {
            return -1;
        }
        CRC32C c = new CRC32C();
        c.update(data, pos + HEADER, len);
        return (int) c.getValue() == crc ? len : -1;
    }
}
