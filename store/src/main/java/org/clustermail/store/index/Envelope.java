package org.clustermail.store.index;

import java.time.Instant;
import java.util.Optional;

/**
 * The header-derived part of a message summary, parsed once when the message is stored and never changed. Absent
 * fields are empty strings; every text is bounded ({@link #MAX_FIELD}, {@link #MAX_PREVIEW}).
 */
public record Envelope(String from, String to, String cc, String subject, Optional<Instant> date, String messageId,
                       String inReplyTo, String references, boolean hasAttachments, String preview) {

    public static final int MAX_FIELD = 1000;
    public static final int MAX_PREVIEW = 200;
    public static final Envelope EMPTY = new Envelope("", "", "", "", Optional.empty(), "", "", "", false, "");

    public Envelope {
        from = cut(from, MAX_FIELD);
        to = cut(to, MAX_FIELD);
        cc = cut(cc, MAX_FIELD);
        subject = cut(subject, MAX_FIELD);
        messageId = cut(messageId, MAX_FIELD);
        inReplyTo = cut(inReplyTo, MAX_FIELD);
        references = cut(references, MAX_FIELD);
        preview = cut(preview, MAX_PREVIEW);
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "";
        }
        if (s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
