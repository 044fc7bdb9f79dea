package org.clustermail.store;

/** The counters of one folder (IMAP STATUS, web-mail folder list). Immutable, taken at one instant. */
public record FolderStatus(String folder, long uidValidity, long uidNext, long highestModseq, int messages,
                           int unseen, long totalSize) {
}
