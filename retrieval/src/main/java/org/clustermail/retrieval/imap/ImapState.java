package org.clustermail.retrieval.imap;

import org.clustermail.directory.UserLocation;
import org.clustermail.store.Mailbox;

/**
 * The states of an IMAP session (RFC 3501 section 3), each holding only what is valid in it: no mailbox before
 * login, no selected folder outside the selected state.
 */
sealed interface ImapState {

    record NotAuthenticated() implements ImapState {
    }

    record Authenticated(UserLocation user, Mailbox mailbox) implements ImapState {
    }

    record Selected(UserLocation user, Mailbox mailbox, SelectedFolder folder) implements ImapState {
    }

    record Logout() implements ImapState {
    }
}
