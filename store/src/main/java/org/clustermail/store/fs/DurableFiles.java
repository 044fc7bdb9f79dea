package org.clustermail.store.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.clustermail.store.StoreException;

/** Small helpers for making file-system changes durable. Stateless, thread-safe. */
public final class DurableFiles {

    private DurableFiles() {
    }

    /** fsyncs a directory, so that creations, renames and deletions of its entries survive a crash. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Creates directories (and parents) and fsyncs each new one's parent. */
    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        try {
            Files.createDirectory(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return;
        }
        if (parent != null) {
            syncDirectory(parent);
        }
    }

    /** Replaces {@code target} with {@code bytes} atomically and durably (tmp file, fsync, rename, dir fsync). */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(target.getParent());
    }

    /** Wraps an I/O failure in the store's exception, saying whether the disk is full. */
    public static StoreException failure(String what, IOException e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            msg = fse.getReason() + ": " + fse.getFile();
        }
        return new StoreException(StoreException.Reason.IO_FAILURE, what + ": " + msg, e);
    }
}
