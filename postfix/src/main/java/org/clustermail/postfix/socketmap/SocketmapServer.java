package org.clustermail.postfix.socketmap;

import java.io.IOException;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;
import org.clustermail.protocol.ProtocolInput;
import org.clustermail.protocol.ServerStoppingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socketmap protocol on a {@link org.clustermail.protocol.Listener}: a connection carries any number of
 * requests, each one netstring, each answered with one netstring from {@link RecipientTables}. Postfix keeps such a
 * connection open across lookups and reconnects when it is closed.
 *
 * <p>A request whose payload is not {@code name SPACE key} gets {@code PERM}; broken framing (bad length, a request
 * over {@link SocketmapRequest#MAX_PAYLOAD}) gets {@code PERM} and the connection is closed, as the next request
 * cannot be found. The protocol has no goodbye, so on server stop a session waiting for a request just ends.
 * Shared by all connections; stateless; thread-safe.
 */
public final class SocketmapServer implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(SocketmapServer.class);

    private final RecipientTables tables;

    public SocketmapServer(RecipientTables tables) {
        this.tables = tables;
    }

    @Override
    public void serve(Connection connection) throws IOException {
        ProtocolInput in = connection.input();
        while (true) {
            try {
                in.awaitCommand();
            } catch (ServerStoppingException e) {
                return;
            }
            SocketmapReply reply;
            try {
                reply = tables.lookup(SocketmapRequest.parse(Netstrings.read(in, SocketmapRequest.MAX_PAYLOAD)));
            } catch (SocketmapSyntaxException e) {
                log.debug("{}: {}", connection, e.getMessage());
                connection.output().write(new SocketmapReply.PermFail(e.getMessage()).encode());
                if (e.fatal()) {
                    return;
                }
                continue;
            }
            connection.output().write(reply.encode());
        }
    }
}
