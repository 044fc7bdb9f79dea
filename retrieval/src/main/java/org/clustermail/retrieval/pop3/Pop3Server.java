package org.clustermail.retrieval.pop3;

import java.io.IOException;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.retrieval.Logins;
import org.clustermail.retrieval.RetrievalConfig;
import org.clustermail.retrieval.SessionRouting;
import org.clustermail.store.MailStore;

/** The POP3 protocol for a {@link org.clustermail.protocol.Listener}: one {@link Pop3Session} per connection. */
public final class Pop3Server implements ConnectionHandler {

    private final Pop3Context ctx;

    public Pop3Server(MailStore store, Logins logins, SessionRouting routing, RetrievalConfig config) {
        this.ctx = new Pop3Context(store, logins, routing, config);
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
