package org.clustermail.retrieval.proxy;

import java.util.Locale;

/** The two protocols a session can be proxied in; the lower-case name is bound into every ticket. */
public enum AccessProtocol {
    IMAP, POP3;

    /** {@code imap} or {@code pop3}, as in the logon history. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
