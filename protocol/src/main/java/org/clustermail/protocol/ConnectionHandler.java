package org.clustermail.protocol;

import java.io.IOException;

/**
 * A protocol (SMTP, LMTP, POP3, IMAP) as a {@link Listener} drives it: one call per connection, on that
 * connection's own virtual thread.
 *
 * <p>Call order per connection: exactly one of {@link #serve} (admitted) or {@link #refuse} (over the connection
 * limit); afterwards the listener closes the connection, whatever happened. Implementations are shared by all
 * connections of a listener, so they keep per-session state in locals of {@code serve}, not in fields.
 */
public interface ConnectionHandler {

    /**
     * Runs one whole session: greeting, commands, goodbye. Returning or throwing ends it. An {@link IOException} is
     * the peer's doing (gone, timed out, TLS garbage) and is logged at debug level; a runtime exception is a bug and
     * is logged as an error.
     */
    void serve(Connection connection) throws IOException;

    /**
     * Tells a connection beyond the limit to go away, e.g. SMTP {@code 421 4.7.0 Too many connections}, POP3
     * {@code -ERR}, IMAP {@code * BYE}. Must not read. The default says nothing.
     */
    default void refuse(Connection connection) throws IOException {
    }
}
