package org.clustermail.store;

import java.time.Instant;

/**
 * What IMAP SELECT needs of one message: its UID, flags, last modification sequence, size in bytes (as stored, i.e.
 * RFC822.SIZE) and internal date. Immutable.
 */
public record MessageRef(long uid, Flags flags, long modseq, long size, Instant internalDate) {
}
