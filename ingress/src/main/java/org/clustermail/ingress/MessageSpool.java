package org.clustermail.ingress;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clustermail.store.MessageContent;

/**
 * Where a message being received is kept until it is delivered: in memory up to a threshold, then in a temporary
 * file, so a 50 MB message never sits in the heap. Nothing here is durable; durability is the store's job.
 *
 * <p>Lifecycle: write the body, then {@link #content} (as often as needed), then {@link #close()}, which deletes the
 * file; the session closes it on every path (delivered, refused, client gone). Threading: written by the session
 * thread; the content may be read by several delivery threads at once, after writing ended.
 */
final class MessageSpool extends OutputStream {

    private final int memoryThreshold;
    private final Path directory;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private OutputStream file;
    private Path path;
    private long size;

    MessageSpool(int memoryThreshold, Path directory) {
        this.memoryThreshold = memoryThreshold;
        this.directory = directory;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (file == null && memory.size() + len > memoryThreshold) {
            spill();
        }
        if (file != null) {
            file.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    /** Octets written so far. */
    long size() {
        return size;
    }

    /** Whether the body went to a file (for tests). */
    boolean onDisk() {
        return path != null;
    }

    /** The message as delivered: {@code prefix} (trace headers) followed by the body written so far. */
    MessageContent content(byte[] prefix) throws IOException {
        if (file != null) {
            file.flush();
        }
        byte[] body = file == null ? memory.toByteArray() : null;
        Path bodyFile = path;
        long total = prefix.length + size;
        return new MessageContent() {
            @Override
            public long size() {
                return total;
            }

            @Override
            public InputStream openStream() throws IOException {
                InputStream rest = body != null ? new ByteArrayInputStream(body) : Files.newInputStream(bodyFile);
                return new SequenceInputStream(new ByteArrayInputStream(prefix), rest);
            }
        };
    }

    private void spill() throws IOException {
        Files.createDirectories(directory);
        path = Files.createTempFile(directory, "msg-", ".tmp");
        file = new java.io.BufferedOutputStream(Files.newOutputStream(path), 64 * 1024);
        memory.writeTo(file);
        memory = null;
    }

    /** Drops the message: deletes the temporary file if there is one. Idempotent. */
    @Override
    public void close() {
        try {
            if (file != null) {
                file.close();
                file = null;
            }
            if (path != null) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spool file " + path, e);
        }
    }
}
