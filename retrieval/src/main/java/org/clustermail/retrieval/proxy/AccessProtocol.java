package org.clustermail.retrieval.proxy;

import java.util.Locale;

/**
 * The protocols a session can be handed to another node in (IMAP and POP3 relayed, web-mail redirected); the
 * lower-case name is bound into every ticket.
 */
public enum AccessProtocol {
    IMAP, POP3, WEB;

    /** {@code imap}, {@code pop3} or {@code web}, as in the logon history. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
