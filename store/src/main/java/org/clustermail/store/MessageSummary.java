package org.clustermail.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The compact summary of one message (the paper's message info, the thesis's {@code ID.info} entry): parsed once
 * when the message is stored, then answered from memory for web-mail listings and IMAP ENVELOPE-like needs.
 *
 * <p>Text fields are decoded (RFC 2047 encoded-words) and unfolded; an absent header is the empty string. Long
 * values are cut to a bounded length, so a pathological header cannot blow up the index. {@code date} is the
 * {@code Date:} header when it could be parsed. {@code preview} is the start of the first text part, whitespace
 * collapsed.
 */
public record MessageSummary(long uid, String folder, Instant internalDate, long size, Flags flags, long modseq,
                             String from, String to, String cc, String subject, Optional<Instant> date,
                             String messageId, String inReplyTo, String references, boolean hasAttachments,
                             String preview) {

    /** The date a listing sorts by: the {@code Date:} header if present, else the internal date. */
    public Instant sortDate() {
        return date.orElse(internalDate);
    }
}
