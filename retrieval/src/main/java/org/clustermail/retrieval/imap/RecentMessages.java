package org.clustermail.retrieval.imap;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.MessageRef;

/**
 * Which messages are {@code \Recent} (RFC 3501 section 2.3.2): a message is recent in the first session told of it,
 * and in no read-write session after that one. Per folder this node keeps a mark, the highest UID some read-write
 * session has been told of: a read-write session claims the messages above the mark when it selects the folder and
 * when it announces new ones (raising the mark atomically, so every message is claimed once); a read-only session
 * (EXAMINE) sees the messages above the mark as recent without claiming them.
 *
 * <p>Every session of a mailbox runs on the node that serves it (others are proxied there, ADR 0012), so one node's
 * marks are the whole truth. They live in memory: the first time a folder is needed after this node started, its
 * mark is put below the first message that arrived since the start (by internal date), so mail no session has seen
 * yet is recent, and mail from before the start is not. Mail that came during the node's previous run and was never
 * seen then loses its \Recent flag at a restart: the lesser fault, since nothing is ever recent twice.
 *
 * <p>Thread-safe; one per node (shared by its IMAP sessions).
 */
final class RecentMessages {

    private final Instant since;
    private final Map<Key, Mark> marks = new ConcurrentHashMap<>();

    private record Key(String owner, String folder) {
    }

    /** The claimed UIDs of one folder incarnation (a folder deleted and made again has a new UIDVALIDITY). */
    private record Mark(long uidValidity, AtomicLong highest) {
    }

    /** @param since when this node started: mail with an earlier internal date counts as seen */
    RecentMessages(Instant since) {
        this.since = since.truncatedTo(ChronoUnit.SECONDS); // internal dates have whole seconds
    }

    /**
     * Claims for a read-write session the messages of the folder up to {@code upToUid}.
     *
     * @param messages the folder as the session sees it (to place the mark the first time)
     * @return the previous mark: this session's recent messages are those with UIDs above it, up to {@code upToUid}
     */
    long claim(String owner, String folder, long uidValidity, List<MessageRef> messages, long upToUid) {
        return mark(owner, folder, uidValidity, messages).highest().getAndAccumulate(upToUid, Math::max);
    }

    /** The mark now, without claiming: messages above it are recent for a read-only session (and for STATUS). */
    long peek(String owner, String folder, long uidValidity, List<MessageRef> messages) {
        return mark(owner, folder, uidValidity, messages).highest().get();
    }

    /**
     * Places the folder's mark now if it has none yet, before this node's own IMAP session adds a message to it
     * (APPEND, COPY, MOVE): the message then counts as recent (RFC 3501 section 6.3.11) whatever its internal date.
     */
    void prepare(String owner, String folder, Supplier<FolderSnapshot> snapshot) {
        Key key = key(owner, folder);
        if (!marks.containsKey(key)) {
            FolderSnapshot s = snapshot.get();
            marks.computeIfAbsent(key, k -> new Mark(s.uidValidity(), new AtomicLong(firstMark(s.messages()))));
        }
    }

    private Mark mark(String owner, String folder, long uidValidity, List<MessageRef> messages) {
        return marks.compute(key(owner, folder), (k, old) -> old != null && old.uidValidity() == uidValidity ? old
                : new Mark(uidValidity, new AtomicLong(firstMark(messages))));
    }

    private static Key key(String owner, String folder) {
        return new Key(owner, folder.equalsIgnoreCase("INBOX") ? "INBOX" : folder);
    }

    /** Just below the first message that arrived since this node started; the last message if none did. */
    private long firstMark(List<MessageRef> messages) {
        long mark = 0;
        for (MessageRef m : messages) {
            if (!m.internalDate().isBefore(since)) {
                return mark;
            }
            mark = m.uid();
        }
        return mark;
    }
}
