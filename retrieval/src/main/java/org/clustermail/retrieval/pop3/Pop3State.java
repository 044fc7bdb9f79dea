package org.clustermail.retrieval.pop3;

import java.util.BitSet;
import org.clustermail.retrieval.proxy.BackendConnection;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.Mailbox;

/**
 * The states of a POP3 session (RFC 1939 section 3), each holding only what is valid in it. TRANSACTION holds the
 * maildrop's exclusive lock, the message list fixed at login, and the messages marked for deletion (applied only
 * when the client QUITs, in the UPDATE state).
 */
sealed interface Pop3State {

    /** Before login; {@code user} is the name a USER command gave, or null. */
    record Authorization(String user) implements Pop3State {
    }

    record Transaction(Mailbox mailbox, Mailbox.Registration lock, FolderSnapshot maildrop, BitSet deleted)
            implements Pop3State {
    }

    /** Logged in on the node that serves the maildrop: the rest of the session is relayed there. */
    record Proxied(BackendConnection backend) implements Pop3State {
    }

    /** After QUIT (or a fatal error): the session ends. */
    record Done() implements Pop3State {
    }
}
