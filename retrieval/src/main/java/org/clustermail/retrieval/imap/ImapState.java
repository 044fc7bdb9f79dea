package org.clustermail.retrieval.imap;

import org.clustermail.directory.UserLocation;
import org.clustermail.retrieval.proxy.BackendConnection;
import org.clustermail.store.Mailbox;

/**
 * The states of an IMAP session (RFC 3501 section 3), each holding only what is valid in it: no mailbox before
 * login, no selected folder outside the selected state; a proxied session holds only its connection to the node
 * that serves it.
 */
sealed interface ImapState {

    record NotAuthenticated() implements ImapState {
    }

    record Authenticated(UserLocation user, Mailbox mailbox) implements ImapState {
    }

    record Selected(UserLocation user, Mailbox mailbox, SelectedFolder folder) implements ImapState {
    }

    /** Logged in on the node that serves the mailbox: the rest of the session is relayed there. */
    record Proxied(BackendConnection backend) implements ImapState {
    }

    record Logout() implements ImapState {
    }
}
