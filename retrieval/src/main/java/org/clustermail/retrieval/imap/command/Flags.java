package org.clustermail.retrieval.imap.command;

import java.util.List;
import java.util.Locale;

/** The system flags of RFC 3501 and their canonical spelling. Pure functions. */
public final class Flags {

    public static final String SEEN = "\\Seen";
    public static final String ANSWERED = "\\Answered";
    public static final String FLAGGED = "\\Flagged";
    public static final String DELETED = "\\Deleted";
    public static final String DRAFT = "\\Draft";
    public static final String RECENT = "\\Recent";

    /** The flags a client may set (\Recent is the server's). */
    public static final List<String> SETTABLE = List.of(ANSWERED, FLAGGED, DELETED, SEEN, DRAFT);

    private Flags() {
    }

    /** {@code \SEEN} → {@code \Seen}; unknown backslash names are rejected (clients may not invent them). */
    static String normaliseSystem(String flag) {
        for (String f : SETTABLE) {
            if (f.equalsIgnoreCase(flag)) {
                return f;
            }
        }
        if (RECENT.equalsIgnoreCase(flag)) {
            return RECENT;
        }
        throw new ImapSyntaxException("unknown system flag " + ImapParser.printable(flag.toUpperCase(Locale.ROOT)));
    }
}
