package org.clustermail.postfix.deliver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Bytes written once and read back as often as needed: in memory up to a threshold, then in a temporary file
 * (created owner-only, deleted on {@link #close()}). Not thread-safe: write, then {@link #finish()}, then read.
 */
final class SpillBuffer extends OutputStream {

    private final int threshold;
    private final Path tempDir;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private Path file;
    private OutputStream fileOut;
    private long size;

    SpillBuffer(int threshold, Path tempDir) {
        this.threshold = threshold;
        this.tempDir = tempDir;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (fileOut == null && memory.size() + len > threshold) {
            file = Files.createTempFile(tempDir, "clustermail-deliver", ".eml");
            fileOut = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            memory.writeTo(fileOut);
            memory = null;
        }
        if (fileOut != null) {
            fileOut.write(b, off, len);
        } else {
            memory.write(b, off, len);
        }
        size += len;
    }

    /** Ends writing. */
    void finish() throws IOException {
        if (fileOut != null) {
            fileOut.close();
        }
    }

    long size() {
        return size;
    }

    InputStream openStream() throws IOException {
        return file != null ? Files.newInputStream(file) : new ByteArrayInputStream(memory.toByteArray());
    }

    /** Deletes the temporary file, if there is one. */
    @Override
    public void close() throws IOException {
        finish();
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
