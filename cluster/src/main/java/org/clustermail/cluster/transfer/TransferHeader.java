package org.clustermail.cluster.transfer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import org.clustermail.store.MessageContent;

/**
 * The {@code X-Clustermail-Transfer} header that carries a {@link TransferId} inside a message. The sending node puts
 * it on top of the message before the first hand-over; it stays in the stored copy, which is what makes the owner's
 * duplicate check survive a crash (the header is durable exactly when the copy is). Only the first such header
 * counts, so a header a stranger put further down cannot stand in for ours.
 *
 * <p>Stateless; the parser reads at most {@link #MAX_HEADER_BYTES} of a message.
 */
public final class TransferHeader {

    public static final String NAME = "X-Clustermail-Transfer";
    /** How far into a message the header block is searched. */
    static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final String PREFIX = NAME.toLowerCase(Locale.ROOT) + ":";

    private TransferHeader() {
    }

    /** The message with the header line for {@code id} in front. */
    public static MessageContent prepend(TransferId id, MessageContent content) {
        byte[] line = (NAME + ": " + id.value() + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return new MessageContent() {
            @Override
            public long size() {
                return line.length + content.size();
            }

            @Override
            public InputStream openStream() throws IOException {
                return new SequenceInputStream(new ByteArrayInputStream(line), content.openStream());
            }
        };
    }

    /** The id in the first {@code X-Clustermail-Transfer} header of the header block, if there is a valid one. */
    public static Optional<TransferId> find(MessageContent content) throws IOException {
        try (InputStream in = content.openStream()) {
            return find(in);
        }
    }

    /** As {@link #find(MessageContent)}, reading from {@code in} (which the caller closes). */
    public static Optional<TransferId> find(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int read = 0;
        int b;
        while (read < MAX_HEADER_BYTES && (b = in.read()) >= 0) {
            read++;
            if (b != '\n') {
                if (b != '\r') {
                    line.append((char) b);
                }
                continue;
            }
            if (line.isEmpty()) {
                return Optional.empty(); // end of the header block
            }
            String l = line.toString();
            if (l.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
                return TransferId.parse(l.substring(PREFIX.length()));
            }
            line.setLength(0);
        }
        return Optional.empty();
    }
}
