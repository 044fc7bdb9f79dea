package org.clustermail.retrieval;

import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.MailboxOwner;

/**
 * Where a logged-in user's POP3 or IMAP session is served: by this node's store, or by the node that owns the
 * mailbox. The sessions ask this right after authentication and before touching any mailbox: a
 * {@link Route.Remote} answer hands the rest of the session to that node through the
 * {@link org.clustermail.retrieval.proxy.SessionProxy} (ADR 0013), or, where no proxy is configured, refuses the login
 * with a temporary error.
 */
@FunctionalInterface
public interface SessionRouting {

    Route route(UserLocation user);

    /** The answer: serve here, or elsewhere. */
    sealed interface Route {
        /** This node holds the mailbox (primary, or secondary while the primary is down). */
        record Local(MailboxOwner owner) implements Route {
        }

        /** Another node holds it. */
        record Remote(NodeId node) implements Route {
        }
    }

    /** A one-node cluster, or a node that serves only its own users: every mailbox is opened here. */
    static SessionRouting localOnly() {
        return user -> new Route.Local(owner(user));
    }

    /** Local when {@code self} is the user's primary node, else the primary. */
    static SessionRouting byPrimary(NodeId self) {
        return user -> user.primary().equals(self) ? new Route.Local(owner(user)) : new Route.Remote(user.primary());
    }

    static MailboxOwner owner(UserLocation user) {
        return new MailboxOwner(user.address().toString(), user.serial());
    }
}
