package org.clustermail.store.index;

import java.util.List;
import java.util.Set;
import org.clustermail.store.Flags;
import org.clustermail.store.SpecialUse;

/**
 * One entry of a user's index file ({@code ID.info}): the index is the sequence of these changes, replayed in order
 * on load, so what is in memory is always what the file says. Sealed; each kind is a record.
 */
public sealed interface IndexRecord {

    /** A folder came into being with this UIDVALIDITY. */
    record FolderCreated(String folder, long uidValidity, Set<SpecialUse> specialUse) implements IndexRecord {
    }

    /** A folder and its messages went away. */
    record FolderDeleted(String folder) implements IndexRecord {
    }

    /** A folder (and its children, which have their own records) was renamed. */
    record FolderRenamed(String from, String to) implements IndexRecord {
    }

    /** A subscription was added or removed. */
    record Subscribed(String folder, boolean subscribed) implements IndexRecord {
    }

    /** A message was stored; its UID is at or above the folder's UIDNEXT, which moves past it. */
    record MessageAdded(String folder, StoredMessage message) implements IndexRecord {
    }

    /** A message's flags changed. */
    record FlagsSet(String folder, long uid, Flags flags, long modseq) implements IndexRecord {
    }

    /** Messages were removed. */
    record Expunged(String folder, List<Long> uids, long modseq) implements IndexRecord {
    }

    /** Messages moved inside their folder's file (mbox compaction): new byte offsets. */
    record Relocated(String folder, List<Long> uids, List<Long> locations) implements IndexRecord {
    }

    /** The counters a compacted index must keep although no message shows them any more. */
    record Counters(String folder, long uidNext, long highestModseq) implements IndexRecord {
    }
}
