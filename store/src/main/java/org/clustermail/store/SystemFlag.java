package org.clustermail.store;

import java.util.Optional;

/** The IMAP system flags (RFC 9051 2.3.2) with their Maildir info letters. {@code \Recent} is not stored. */
public enum SystemFlag {
    DRAFT("\\Draft", 'D'),
    FLAGGED("\\Flagged", 'F'),
    ANSWERED("\\Answered", 'R'),
    SEEN("\\Seen", 'S'),
    DELETED("\\Deleted", 'T');

    private final String imapName;
    private final char maildirLetter;

    SystemFlag(String imapName, char maildirLetter) {
        this.imapName = imapName;
        this.maildirLetter = maildirLetter;
    }

    /** The IMAP spelling, e.g. {@code \Seen}. */
    public String imapName() {
        return imapName;
    }

    /** The letter in a Maildir {@code :2,} info suffix. */
    public char maildirLetter() {
        return maildirLetter;
    }

    /** Looks up an IMAP flag name, case-insensitively. */
    public static Optional<SystemFlag> ofImapName(String name) {
        for (SystemFlag f : values()) {
            if (f.imapName.equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
