package org.clustermail.retrieval.imap.command;

/** A command the parser cannot accept; the message is one line, safe to send back after {@code BAD}. */
public final class ImapSyntaxException extends RuntimeException {
    public ImapSyntaxException(String message) {
        super(message, null, false, false);
    }
}
