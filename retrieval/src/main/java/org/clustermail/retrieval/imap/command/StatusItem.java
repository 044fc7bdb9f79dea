package org.clustermail.retrieval.imap.command;

/** The data items of STATUS (RFC 3501 section 6.3.10, plus HIGHESTMODSEQ of RFC 7162). */
public enum StatusItem {
    MESSAGES, RECENT, UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ
}
