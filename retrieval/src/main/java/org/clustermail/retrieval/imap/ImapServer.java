package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailStore;

/**
 * The IMAP4rev1 protocol for a {@link org.clustermail.protocol.Listener}: one {@link ImapSession} per connection.
 * Shared by all connections; keeps no per-session state. Thread-safe.
 */
public final class ImapServer implements ConnectionHandler {

    private final ImapContext ctx;

    /** A server that serves every mailbox it is routed here and refuses the others (no proxy). */
    public ImapServer(MailStore store, Logins logins, SessionRouting routing, RetrievalConfig config) {
        this(store, logins, routing, Optional.empty(), config);
    }

    /** @param proxy relays the sessions routed to other nodes, and admits those relayed here */
    public ImapServer(MailStore store, Logins logins, SessionRouting routing, Optional<SessionProxy> proxy,
                      RetrievalConfig config) {
        this.ctx = new ImapContext(store, logins, routing, proxy, config, new RecentMessages(Instant.now()));
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new ImapSession(connection, ctx).run();
    }

    @Override
    public void refuse(Connection connection) throws IOException {
        connection.output().line("* BYE too many connections, try again later");
    }
}
