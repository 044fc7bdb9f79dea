package org.clustermail.store;

import java.io.InputStream;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One user's mailbox: folders, messages, flags and summaries. Obtained from {@link MailStore#open}; close it when
 * the session ends (the store keeps an open mailbox's state in memory and may drop it once no handle is open).
 *
 * <p>Folders: {@code INBOX} (case-insensitive), {@code Sent}, {@code Drafts} and {@code Trash} always exist; others
 * are created by the user. {@code /} separates hierarchy levels; a name part may not be empty, {@code .} or
 * {@code ..}, nor hold control characters; at most {@value #MAX_FOLDER_NAME} characters in all.
 *
 * <p>Invariants: in each folder UIDs are strictly increasing and never reused while its UIDVALIDITY stays; a new
 * message becomes visible only after every message with a smaller UID in that folder; modification sequences grow
 * with every change of the mailbox and survive restarts. Mutations of one mailbox are serialised; reads never block
 * on message I/O and see immutable snapshots. Mutations are durable when they return.
 *
 * <p>Threading: thread-safe; many sessions may use the same mailbox at once, each with its own handle or sharing
 * one. Errors: {@link StoreException} only.
 */
public interface Mailbox extends AutoCloseable {

    int MAX_FOLDER_NAME = 200;
    String INBOX = "INBOX";

    MailboxOwner owner();

    // ---- folders -------------------------------------------------------------------------------------------------

    /** All folders, INBOX first, then by name. */
    List<FolderInfo> folders();

    /** Creates a folder (and any missing parents). {@code FOLDER_EXISTS}, {@code INVALID_NAME}. */
    void createFolder(String name);

    /** Deletes a folder and its messages; INBOX and the special folders cannot be deleted. */
    void deleteFolder(String name);

    /**
     * Renames a folder and its children. The messages keep their UIDs, the folder its UIDVALIDITY. Renaming INBOX
     * is refused ({@code NOT_ALLOWED}).
     */
    void renameFolder(String from, String to);

    /** Marks a folder subscribed or not (IMAP SUBSCRIBE/UNSUBSCRIBE, LSUB); the folder need not exist. */
    void subscribe(String name, boolean subscribed);

    /** The names of subscribed folders, sorted. */
    List<String> subscriptions();

    // ---- state ---------------------------------------------------------------------------------------------------

    /** The counters of one folder. */
    FolderStatus status(String folder);

    /** The counters of every folder (web-mail's unread counts), keyed by folder name, from memory. */
    Map<String, FolderStatus> statusAll();

    /** An immutable, UID-ordered picture of a folder (IMAP SELECT, POP3). O(n) in memory, no file access. */
    FolderSnapshot snapshot(String folder);

    // ---- messages ------------------------------------------------------------------------------------------------

    /**
     * Stores a message in a folder (IMAP APPEND, saving to Sent/Drafts). Durable on return.
     *
     * @return the new message's UID
     */
    long append(String folder, MessageContent content, Flags flags, Instant internalDate);

    /**
     * The bytes of a message, exactly as stored. The stream stays readable even if the message is expunged while
     * it is open. {@code NO_SUCH_MESSAGE} if the UID does not exist.
     */
    InputStream openMessage(String folder, long uid);

    /** The summary of one message, from memory. */
    Optional<MessageSummary> summary(String folder, long uid);

    /**
     * Changes the flags of the given messages. Messages whose modseq is above {@code unchangedSince} (when given)
     * are left alone and reported in {@link FlagStoreResult#modified()}. Messages whose flags end up unchanged keep
     * their modseq but are still reported as updated (IMAP sends their FETCH anyway).
     */
    FlagStoreResult storeFlags(String folder, Collection<Long> uids, FlagOp op, Flags flags,
                               OptionalLong unchangedSince);

    /**
     * Removes messages flagged {@code \Deleted}: all of them (IMAP EXPUNGE, CLOSE), or only those among
     * {@code uids} (UID EXPUNGE). Returns the removed UIDs in increasing order.
     */
    List<Long> expunge(String folder, Optional<Collection<Long>> uids);

    /** Copies messages to another folder (IMAP COPY); the result maps old to new UIDs (COPYUID). */
    UidMapping copy(String from, Collection<Long> uids, String to);

    /** Moves messages to another folder (IMAP MOVE): a copy, then an expunge of the originals. */
    UidMapping move(String from, Collection<Long> uids, String to);

    // ---- message info (web-mail) ---------------------------------------------------------------------------------

    /** A page of summaries of a folder, sorted as asked (newest first: {@code DATE}, descending), from memory. */
    SummaryPage list(String folder, SortKey key, boolean descending, int offset, int limit);

    /**
     * A page of the summaries of a folder whose sender, recipients, subject or preview contain {@code text}
     * (case-insensitively), sorted as {@link #list} sorts by {@code DATE}, descending; {@code total} counts the hits.
     * From memory: no message file is read.
     */
    SummaryPage search(String folder, String text, int offset, int limit);

        /** Unread ({@code \Seen} missing) counts of every folder, from memory. */
    Map<String, Integer> unreadCounts();

    // ---- sessions ------------------------------------------------------------------------------------------------

    /** Registers a listener for changes to one folder; close the registration to stop. */
    Registration listen(String folder, FolderListener listener);

    /**
     * Returns once every delivery acknowledged before this call is in the mailbox and its listeners have heard of it.
     * A session calls it before telling its client what changed (IMAP NOOP), so mail acknowledged to the sender is
     * never missing from the next answer. Free when nothing is in flight.
     */
    void awaitDeliveries();

    /**
     * Takes the mailbox's exclusive session lock (POP3 holds it for the whole session, RFC 1939); {@code LOCKED} if
     * another session holds it. Deliveries go on while it is held (POP3 sees them in its next session).
     */
    Registration lockExclusive();

    /** Releases this handle. */
    @Override
    void close();

    /** Something to close: a listener registration, an exclusive lock. Closing twice is harmless. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
