package org.clustermail.bench.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Counts the deliveries an MTA's log reports ({@code status=sent} lines) since this counter was made, reading only
 * what was appended since the last count. The peers' Postfix writes one such line per recipient once Dovecot answered
 * its LMTP 250, i.e. after the message's fsync (the peers' own e2e.py counts the same way). Walking 50,000 Maildirs
 * instead took seconds of CPU per poll, beside the stack being measured.
 */
final class DeliveryLog {

    private static final byte[] SENT = "status=sent".getBytes(StandardCharsets.US_ASCII);

    private final Path log;
    private long offset;
    private long sent;

    /** Counts from the log's current end: earlier runs' lines are not this run's deliveries. */
    DeliveryLog(Path log) {
        this.log = log;
        try {
            this.offset = Files.exists(log) ? Files.size(log) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code status=sent} lines appended since this counter was made; a line still being written waits. */
    synchronized long sent() {
        if (!Files.exists(log)) {
            return sent;
        }
        try (FileChannel in = FileChannel.open(log, StandardOpenOption.READ)) {
            if (in.size() < offset) { // rotated or truncated: the new file is all new lines
                offset = 0;
            }
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            in.position(offset);
            byte[] line = new byte[0];
            int lineLength = 0;
            long lineStart = offset;
            long pos = offset;
            while (in.read(buf) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    pos++;
                    if (b == '\n') {
                        if (contains(line, lineLength, SENT)) {
                            sent++;
                        }
                        lineLength = 0;
                        lineStart = pos;
                    } else {
                        if (lineLength == line.length) {
                            line = Arrays.copyOf(line, Math.max(256, line.length * 2));
                        }
                        line[lineLength++] = b;
                    }
                }
                buf.clear();
            }
            offset = lineStart;
            return sent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] line, int length, byte[] word) {
        outer:
        for (int i = 0; i + word.length <= length; i++) {
            for (int j = 0; j < word.length; j++) {
                if (line[i + j] != word[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
