package org.clustermail.store.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** A file holding one decimal number (a folder's UIDVALIDITY beside its messages). Stateless. */
public final class NumberFile {

    private NumberFile() {
    }

    /** The number, or 0 if the file is missing or unreadable (cut short by a crash before it was flushed). */
    public static long read(Path file) throws IOException {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
        } catch (NoSuchFileException | NumberFormatException e) {
            return 0;
        }
    }

    /** Writes the number unless the file holds it already ({@link #write}); true if it wrote. */
    public static boolean update(Path file, long value, boolean durable) throws IOException {
        if (read(file) == value) {
            return false;
        }
        write(file, value, durable);
        return true;
    }

    /**
     * Replaces the file atomically (a temporary file renamed over it), its content fsync'd if {@code durable}. The
     * directory is not fsync'd: the caller does that once for all the entries it changed there.
     */
    public static void write(Path file, long value, boolean durable) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(Long.toString(value).getBytes(StandardCharsets.US_ASCII)));
            if (durable) {
                ch.force(true);
            }
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
