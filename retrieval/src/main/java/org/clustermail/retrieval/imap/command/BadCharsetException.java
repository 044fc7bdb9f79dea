package org.clustermail.retrieval.imap.command;

/** SEARCH named a charset other than US-ASCII or UTF-8: answered {@code NO [BADCHARSET (US-ASCII UTF-8)]}. */
public final class BadCharsetException extends RuntimeException {
    public BadCharsetException(String charset) {
        super("unsupported charset " + ImapParser.printable(charset), null, false, false);
    }
}
