package org.clustermail.retrieval.imap.command;

import java.time.LocalDate;
import java.util.List;

/**
 * A SEARCH criterion of RFC 3501 section 6.4.4 (plus MODSEQ of RFC 7162), as a tree.
 *
 * <p>The parser maps each keyword to the smallest record that says it: {@code FROM x} is a {@link Header} on
 * {@code From}, {@code UNSEEN} is a {@link Flag} on {@code \Seen} that must be absent, and so on. A list of keys is an
 * {@link And}. Strings are already decoded to Java text (the command's CHARSET is US-ASCII or UTF-8).
 */
public sealed interface SearchKey {

    record All() implements SearchKey {
    }

    record And(List<SearchKey> keys) implements SearchKey {
        public And {
            keys = List.copyOf(keys);
        }
    }

    record Or(SearchKey left, SearchKey right) implements SearchKey {
    }

    record Not(SearchKey key) implements SearchKey {
    }

    /** A system flag or keyword that must be {@code set} or not. */
    record Flag(String flag, boolean set) implements SearchKey {
    }

    /** RECENT ({@code recent} true) or OLD; NEW is RECENT and UNSEEN. */
    record Recent(boolean recent) implements SearchKey {
    }

    /** A header whose (decoded) value contains {@code value}, case-insensitively; empty value: header present. */
    record Header(String name, String value) implements SearchKey {
    }

    /** BODY ({@code includeHeaders} false) or TEXT: the decoded text contains {@code value}. */
    record Text(String value, boolean includeHeaders) implements SearchKey {
    }

    /** BEFORE/ON/SINCE (internal date) and SENTBEFORE/SENTON/SENTSINCE (Date: header), by day. */
    record Date(DateField field, Comparison comparison, LocalDate date) implements SearchKey {
    }

    enum DateField { INTERNAL, SENT }

    enum Comparison { BEFORE, ON, SINCE }

    /** LARGER ({@code larger} true) or SMALLER than {@code size} octets. */
    record Size(long size, boolean larger) implements SearchKey {
    }

    /** Message sequence numbers ({@code uid} false) or UIDs. */
    record Numbers(SequenceSet set, boolean uid) implements SearchKey {
    }

    /** MODSEQ: the message's mod-sequence is at least {@code modSeq}. */
    record ModSeq(long modSeq) implements SearchKey {
    }
}
