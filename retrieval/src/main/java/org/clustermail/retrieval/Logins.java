package org.clustermail.retrieval;

import java.util.Arrays;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.Directory;
import org.clustermail.directory.LogonContext;
import org.clustermail.protocol.Connection;

/**
 * The one way POP3 and IMAP check a password: the plain-text policy (TLS, or loopback when configured), then
 * {@link Directory#authenticate} with the protocol and the client's address, so the logon-info subsystem records the
 * attempt and applies its lockout. Thread-safe; shared by all sessions.
 */
public final class Logins {

    private final Directory directory;
    private final RetrievalConfig config;

    public Logins(Directory directory, RetrievalConfig config) {
        this.directory = directory;
        this.config = config;
    }

    /** Whether a password may be sent on this connection now. */
    public boolean plaintextAllowed(Connection connection) {
        return connection.secure()
                || (config.plaintextOnLoopback() && connection.remoteAddress().getAddress().isLoopbackAddress());
    }

    /**
     * Checks a login; the password array is cleared afterwards.
     *
     * @param protocol {@code imap} or {@code pop3}, as recorded in the logon history
     */
    public AuthResult authenticate(String login, char[] password, String protocol, Connection connection) {
        try {
            String address = connection.remoteAddress().getAddress().getHostAddress();
            return directory.authenticate(login, password, new LogonContext(protocol, address));
        } finally {
            Arrays.fill(password, '\0');
        }
    }
}
