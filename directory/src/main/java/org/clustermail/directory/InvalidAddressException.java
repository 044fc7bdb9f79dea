package org.clustermail.directory;

/** An address that fails validation; the message is one line, safe to show to a user or an SMTP client. */
public final class InvalidAddressException extends IllegalArgumentException {
    public InvalidAddressException(String message) {
        super(message);
    }
}
