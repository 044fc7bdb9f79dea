package org.clustermail.store;

/**
 * The one exception the store throws. {@link #reason()} says what went wrong; {@link Reason#temporary()} tells the
 * protocol layers whether to answer with a temporary failure (SMTP 451 4.3.0, IMAP {@code NO [UNAVAILABLE]}) or a
 * plain refusal (IMAP {@code NO [NONEXISTENT]} and the like).
 *
 * <p>When a write fails (disk full, unwritable directory), nothing of it is left visible: no partial file, no index
 * entry, no UID a reader could see.
 */
public final class StoreException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** An I/O failure: disk full, unwritable directory, broken file. Retry later. */
        IO_FAILURE(true),
        /** The store is stopped or stopping. Retry later (another node, or after restart). */
        UNAVAILABLE(true),
        /** Another session holds the mailbox's exclusive lock (POP3). */
        LOCKED(true),
        /** The folder does not exist. */
        NO_SUCH_FOLDER(false),
        /** A folder of that name exists already. */
        FOLDER_EXISTS(false),
        /** The folder name is not acceptable (empty part, too long, control characters...). */
        INVALID_NAME(false),
        /** The operation is not allowed on this folder (deleting or renaming INBOX...). */
        NOT_ALLOWED(false),
        /** The message does not exist (expunged, or never was). */
        NO_SUCH_MESSAGE(false);

        private final boolean temporary;

        Reason(boolean temporary) {
            this.temporary = temporary;
        }

        public boolean temporary() {
            return temporary;
        }
    }

    private final Reason reason;

    public StoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /** Whether the client should retry later (4xx in SMTP). */
    public boolean temporary() {
        return reason.temporary();
    }
}
