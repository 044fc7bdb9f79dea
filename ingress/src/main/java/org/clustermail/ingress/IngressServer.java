package org.clustermail.ingress;

import java.io.IOException;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.directory.Directory;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;

/**
 * SMTP, submission or LMTP as a protocol for a {@link org.clustermail.protocol.Listener}: one {@link SmtpSession}
 * per connection. Over the connection limit it answers {@code 421 4.7.0} and closes. Thread-safe; shared by all
 * connections of its listener.
 */
public final class IngressServer implements ConnectionHandler {

    private final Dialect dialect;
    private final IngressSettings settings;
    private final MailDelivery delivery;
    private final Directory directory;
    private final SmtpVerbs verbs;

    public IngressServer(Dialect dialect, IngressSettings settings, MailDelivery delivery, Directory directory) {
        this.dialect = dialect;
        this.settings = settings;
        this.delivery = delivery;
        this.directory = directory;
        this.verbs = SmtpVerbs.forDialect(dialect);
    }

    @Override
    public void serve(Connection connection) throws IOException {
        new SmtpSession(connection, dialect, settings, delivery, directory, verbs).run();
    }

    @Override
    public void refuse(Connection connection) throws IOException {
        connection.output().line("421 4.7.0 " + settings.hostname() + " Too many connections, try again later");
    }

    public Dialect dialect() {
        return dialect;
    }
}
