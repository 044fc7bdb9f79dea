package org.clustermail.store;

import java.util.List;

/**
 * An immutable picture of one folder at one instant, for IMAP SELECT/EXAMINE and POP3: the folder's identifiers and
 * its messages in strictly increasing UID order (message sequence number {@code n} is {@code messages.get(n - 1)}).
 *
 * <p>Later changes do not alter a snapshot; a session learns of them through a {@link FolderListener} or by taking a
 * new snapshot. Built in O(n) from memory, never by reading message files.
 *
 * <p>POP3: the message list is stable for the snapshot, sizes are exact, and {@link #uniqueId(MessageRef)} is the
 * UIDL value (unique and never reused for this folder).
 */
public record FolderSnapshot(String folder, long uidValidity, long uidNext, long highestModseq,
                             List<MessageRef> messages) {

    public FolderSnapshot {
        messages = List.copyOf(messages);
    }

    /** The message with this UID, as a 0-based index into {@link #messages()}, or a negative number if absent. */
    public int indexOfUid(long uid) {
        int lo = 0;
        int hi = messages.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = messages.get(mid).uid();
            if (m < uid) {
                lo = mid + 1;
            } else if (m > uid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    /** The number of messages without {@code \Seen}. */
    public int unseen() {
        int n = 0;
        for (MessageRef m : messages) {
            if (!m.flags().has(SystemFlag.SEEN)) {
                n++;
            }
        }
        return n;
    }

    /** A POP3 UIDL value: stable, unique for this folder, printable ASCII. */
    public String uniqueId(MessageRef message) {
        return uidValidity + "." + message.uid();
    }
}
