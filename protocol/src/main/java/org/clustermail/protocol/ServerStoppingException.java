package org.clustermail.protocol;

import java.io.IOException;

/**
 * The server is stopping and the session was waiting for its next command: nothing is half-read, so the session
 * should say its protocol's goodbye (SMTP {@code 421}, IMAP {@code * BYE}, POP3 {@code -ERR}) and return.
 */
public final class ServerStoppingException extends IOException {
    public ServerStoppingException() {
        super("server stopping");
    }
}
