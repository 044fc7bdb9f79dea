package org.clustermail.store;

import java.util.List;

/**
 * A change to a folder made by someone (another session, a delivery), as a {@link FolderListener} learns of it.
 * Sealed: a listener handles each kind exhaustively.
 */
public sealed interface FolderChange {

    /** The folder the change happened in. */
    String folder();

    /** New messages (IMAP untagged EXISTS); UIDs above every UID announced before. */
    record Appended(String folder, List<MessageRef> messages) implements FolderChange {
        public Appended {
            messages = List.copyOf(messages);
        }
    }

    /** Flags changed (IMAP untagged FETCH FLAGS, with MODSEQ under CONDSTORE). */
    record FlagsChanged(String folder, List<FlagUpdate> updates) implements FolderChange {
        public FlagsChanged {
            updates = List.copyOf(updates);
        }
    }

    /** Messages removed (IMAP untagged EXPUNGE / VANISHED), in increasing UID order. */
    record Expunged(String folder, List<Long> uids, long modseq) implements FolderChange {
        public Expunged {
            uids = List.copyOf(uids);
        }
    }

    /** The folder was deleted or renamed away: a session that has it selected must leave it. */
    record Gone(String folder) implements FolderChange {
    }
}
