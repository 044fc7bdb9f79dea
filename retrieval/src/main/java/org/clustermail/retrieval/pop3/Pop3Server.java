package org.clustermail.retrieval.pop3;

import java.io.IOException;
import java.util.Optional;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.retrieval.proxy.SessionProxy;
import org.clustermail.store.MailStore;

/** The POP3 protocol for a {@link org.clustermail.protocol.Listener}: one {@link Pop3Session} per connection. */
public final class Pop3Server implements ConnectionHandler {

    private final Pop3Context ctx;

    /** A server that serves every maildrop it is routed here and refuses the others (no proxy). */
    public Pop3Server(MailStore store, Logins logins, SessionRouting routing, RetrievalConfig config) {
        this(store, logins, routing, Optional.empty(), config);
    }

    /** @param proxy relays the sessions routed to other nodes, and admits those relayed here */
    public Pop3Server(MailStore store, Logins logins, SessionRouting routing, Optional<SessionProxy> proxy,
                      RetrievalConfig config) {
        this.ctx = new Pop3Context(store, logins, routing, proxy, config);
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new Pop3Session(connection, ctx).run();
    }

    @Override
    public void refuse(Connection connection) throws IOException {
        connection.output().line("-ERR [SYS/TEMP] too many connections, try again later");
    }
}
