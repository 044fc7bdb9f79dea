package org.clustermail.store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of one message as received (RFC 5322, normally CRLF line ends; stored byte for byte, whatever they are).
 *
 * <p>Either held in memory (small messages) or in a spool file (large ones, up to tens of MB): the store streams
 * it and never needs it whole in memory. {@link #openStream()} may be called several times (once per copy written)
 * and must return the same bytes each time; the content must not change while the store uses it.
 */
public interface MessageContent {

    /** The exact number of bytes {@link #openStream()} yields. */
    long size();

    /** A fresh stream over all the bytes, from the first. The caller closes it. */
    InputStream openStream() throws IOException;

    /** Content held in memory; the array is not copied and must not be changed afterwards. */
    static MessageContent ofBytes(byte[] bytes) {
        return new MessageContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(bytes);
            }
        };
    }

    /** Content in a (spool) file, read when needed; the file must not change while the store uses it. */
    static MessageContent ofFile(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spool file " + file, e);
        }
        return new MessageContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(file);
            }
        };
    }
}
