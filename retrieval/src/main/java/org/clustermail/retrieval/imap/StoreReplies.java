package org.clustermail.retrieval.imap;

import org.clustermail.store.StoreException;

/** Maps store failures to IMAP NO replies with RFC 5530 response codes; never leaks internals to the client. */
final class StoreReplies {

    private StoreReplies() {
    }

    static Reply of(StoreException e) {
        return switch (e.reason()) {
            case IO_FAILURE, UNAVAILABLE, LOCKED ->
                    Reply.no("[UNAVAILABLE] mailbox temporarily unavailable, try again");
            case NO_SUCH_FOLDER -> Reply.no("[NONEXISTENT] no such mailbox");
            case FOLDER_EXISTS -> Reply.no("[ALREADYEXISTS] mailbox exists already");
            case INVALID_NAME -> Reply.no("[CANNOT] invalid mailbox name");
            case NOT_ALLOWED -> Reply.no("[CANNOT] not allowed for this mailbox");
            case NO_SUCH_MESSAGE -> Reply.no("[EXPUNGEISSUED] some messages were expunged");
        };
    }

    /** For APPEND, COPY and MOVE: a missing target gets {@code [TRYCREATE]} (RFC 3501 section 6.3.11). */
    static Reply ofTarget(StoreException e) {
        return e.reason() == StoreException.Reason.NO_SUCH_FOLDER
                ? Reply.no("[TRYCREATE] no such mailbox") : of(e);
    }
}
