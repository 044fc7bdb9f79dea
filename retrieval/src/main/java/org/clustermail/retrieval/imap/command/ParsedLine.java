package org.clustermail.retrieval.imap.command;

/** What {@link ImapParser} makes of one command: a tagged command, or the reason it is malformed. */
public sealed interface ParsedLine {

    /** The tag to answer with; {@code *} when even the tag was unreadable. */
    String tag();

    record Command(String tag, ImapCommand command) implements ParsedLine {
    }

    /** Malformed: answered {@code tag BAD message}; the session goes on. */
    /** SEARCH with a charset other than US-ASCII and UTF-8: answered NO [BADCHARSET (US-ASCII UTF-8)]. */
    record BadCharset(String tag) implements ParsedLine {
    }

    record Malformed(String tag, String message) implements ParsedLine {
    }
}
