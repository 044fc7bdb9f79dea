package org.clustermail.store;

/** How a message-info listing is ordered. Ties are broken by UID. */
public enum SortKey {
    /** The internal (arrival) date. */
    ARRIVAL,
    /** The {@code Date:} header, falling back to the internal date. */
    DATE,
    /** The decoded {@code From:} header, case-insensitively. */
    SENDER,
    /** The decoded subject without {@code Re:}/{@code Fwd:} prefixes, case-insensitively. */
    SUBJECT,
    /** The size in bytes. */
    SIZE
}
