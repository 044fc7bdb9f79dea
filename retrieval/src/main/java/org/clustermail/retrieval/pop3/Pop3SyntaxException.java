package org.clustermail.retrieval.pop3;

/** A POP3 command the parser cannot accept; the message is one line, safe to send after {@code -ERR}. */
public final class Pop3SyntaxException extends RuntimeException {
    public Pop3SyntaxException(String message) {
        super(message, null, false, false);
    }
}
