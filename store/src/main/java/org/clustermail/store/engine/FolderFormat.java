package org.clustermail.store.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.clustermail.store.Flags;
import org.clustermail.store.MessageContent;
import org.clustermail.store.index.StoredMessage;

/**
 * How one user's folders are kept on disk (Maildir or mbox): message bytes only; UIDs, flags and summaries are the
 * index's business. One instance per user directory; calls are serialised by the user's mutation lock, except
 * {@link #open}, which readers call concurrently.
 *
 * <p>{@code durable} asks for the change to be on stable storage before return (fsync of file and directory);
 * otherwise the change is only in the page cache, and the journal's checkpoint makes it durable later.
 */
public interface FolderFormat {

    /** Identifies a folder on disk: its name and UIDVALIDITY (file names carry both, so rebuilds keep UIDs). */
    record FolderRef(String name, long uidValidity) {
    }

    /**
     * A message found on disk by {@link #scan}: its UID if the file says it (else -1), flags, size, location, and
     * the format's key for it (a file name).
     */
    record Found(long uid, Flags flags, long size, long location, String key, Opener opener) {
    }

    /** Opens a found message's bytes. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    void createFolder(FolderRef folder) throws IOException;

    void deleteFolder(FolderRef folder) throws IOException;

    void renameFolder(FolderRef from, String to) throws IOException;

    /**
     * Writes a new message's bytes under a name derived from its UID, replacing any earlier (partial) copy of the
     * same UID, so that re-applying after a crash is harmless. Returns the message's location.
     */
    long write(FolderRef folder, StoredMessage message, MessageContent content, boolean durable) throws IOException;

    /** Takes back a {@link #write} whose index entry could not be written (disk full), so nothing stray is left. */
    void undoWrite(FolderRef folder, StoredMessage message);

    /** Whether the message's bytes are completely on disk (journal replay rewrites them if not). */
    boolean isComplete(FolderRef folder, StoredMessage message);

    /** The message's bytes as stored. Safe to call concurrently with mutations. */
    InputStream open(FolderRef folder, StoredMessage message) throws IOException;

    /** Reflects a flag change on disk where the format keeps flags (Maildir info suffix). Best effort. */
    void flagsChanged(FolderRef folder, StoredMessage before, StoredMessage after);

    /** Stores a copy of {@code message} as {@code copy} in another folder; returns the copy's location. */
    long copy(FolderRef from, StoredMessage message, FolderRef to, StoredMessage copy, boolean durable)
            throws IOException;

    /** Makes every copy written to {@code folder} durable (after a series of non-durable copies). */
    void sync(FolderRef folder) throws IOException;

    /**
     * Removes messages. Returns new locations of the messages that moved (mbox compaction), keyed by UID.
     *
     * @param kept the folder's remaining messages, in UID order
     */
    Map<Long, Long> expunge(FolderRef folder, List<StoredMessage> removed, List<StoredMessage> kept,
                            boolean durable) throws IOException;

    /** The folders present on disk (for a rebuild), with the UIDVALIDITY found there or 0 if unknown. */
    List<FolderRef> scanFolders() throws IOException;

    /**
     * The messages on disk in a folder, for rebuild and crash repair, in UID order for those with a UID. Removes
     * leftovers of interrupted writes (temporary files, a torn tail) on the way.
     */
    List<Found> scan(FolderRef folder) throws IOException;

    /**
     * Gives a message found without a UID (written by another program) this store's name for {@code uid}.
     * Returns its new location.
     */
    long adopt(FolderRef folder, Found found, StoredMessage as) throws IOException;

    /** Removes leftovers of writes a crash interrupted (files in {@code tmp/}, an unfinished compaction). */
    void cleanTemporary(FolderRef folder) throws IOException;

    /** Removes a stray file or record that the index says was expunged. */
    void discard(FolderRef folder, Found found) throws IOException;
}
