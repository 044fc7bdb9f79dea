package org.clustermail.retrieval.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.clustermail.retrieval.mime.MimePart;
import org.clustermail.retrieval.mime.MimeScanner;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;

/**
 * One message while a FETCH or SEARCH works on it: its bytes (kept in memory when small, re-read from the store
 * when large, so a 50 MB message is never held whole) and its MIME structure, scanned at most once. Not
 * thread-safe; lives for one message of one command.
 */
final class LoadedMessage {

    /** Messages up to this size are read once into memory; larger ones are streamed for every use. */
    static final int IN_MEMORY = 256 * 1024;

    private final Mailbox mailbox;
    private final String folder;
    private final MessageRef ref;
    private byte[] bytes;
    private InputStream opened;
    private MimePart structure;

    LoadedMessage(Mailbox mailbox, String folder, MessageRef ref) {
        this.mailbox = mailbox;
        this.folder = folder;
        this.ref = ref;
    }

    MessageRef ref() {
        return ref;
    }

    long size() {
        return ref.size();
    }

    /**
     * Makes sure the content is there before anything of this message is written (it may have been expunged by
     * another session); throws the store's NO_SUCH_MESSAGE if not.
     */
    void load() throws IOException {
        load(false);
    }

    /**
     * As {@link #load()}; with {@code streamOnce} the message is only opened, and the first {@link #open()} gets that
     * stream: a FETCH of just the whole message copies it from the store to the socket without holding it.
     */
    void load(boolean streamOnce) throws IOException {
        if (streamOnce) {
            opened = mailbox.openMessage(folder, ref.uid());
        } else if (bytes == null && ref.size() <= IN_MEMORY) {
            try (InputStream in = mailbox.openMessage(folder, ref.uid())) {
                bytes = in.readNBytes((int) ref.size());
            }
        } else if (bytes == null) {
            mailbox.openMessage(folder, ref.uid()).close();
        }
    }

    /** A fresh stream over the whole message. */
    InputStream open() {
        if (opened != null) {
            InputStream in = opened;
            opened = null;
            return in;
        }
        return bytes != null ? new ByteArrayInputStream(bytes) : mailbox.openMessage(folder, ref.uid());
    }

    /** Closes a stream opened by {@link #load(boolean)} and never used. */
    void release() throws IOException {
        if (opened != null) {
            opened.close();
            opened = null;
        }
    }

    MimePart structure() throws IOException {
        if (structure == null) {
            try (InputStream in = open()) {
                structure = MimeScanner.scan(in);
            }
        }
        return structure;
    }

    /** The bytes {@code [from, from + length)} of the message. */
    byte[] range(long from, int length) throws IOException {
        if (bytes != null) {
            byte[] out = new byte[length];
            System.arraycopy(bytes, (int) from, out, 0, length);
            return out;
        }
        try (InputStream in = open()) {
            in.skipNBytes(from);
            return in.readNBytes(length);
        }
    }

    /** Writes {@code [from, from + length)} as a literal. */
    void writeRange(ImapWriter w, long from, long length) throws IOException {
        if (bytes != null) {
            w.literal(bytes, (int) from, (int) length);
            return;
        }
        try (InputStream in = open()) {
            in.skipNBytes(from);
            w.literal(in, length);
        }
    }
}
