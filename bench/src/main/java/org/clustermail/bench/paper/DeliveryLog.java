package org.clustermail.bench.paper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Counts the deliveries an MTA's log reports ({@code status=sent} lines) since this counter was made, reading only
 * what was appended since the last count. The peers' Postfix writes one such line per recipient once Dovecot answered
 * its LMTP 250, i.e. after the message's fsync (the peers' own e2e.py counts the same way). Walking 50,000 Maildirs
 * instead took seconds of CPU per poll, beside the stack being measured.
 */
final class DeliveryLog {

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
            byte[] grown = Channels.newInputStream(in.position(offset)).readAllBytes();
            int end = lastNewline(grown) + 1; // complete lines only
            sent += new String(grown, 0, end, StandardCharsets.ISO_8859_1).lines()
                    .filter(line -> line.contains("status=sent")).count();
            offset += end;
            return sent;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
