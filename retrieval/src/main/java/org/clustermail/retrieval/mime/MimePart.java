package org.clustermail.retrieval.mime;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One entity of a message as {@link MimeScanner} found it: where its header and body lie in the raw message (byte
 * offsets, so a section is served by copying a range, never by re-encoding), its parsed Content-Type, and its
 * children (multipart) or the encapsulated message (message/rfc822). Immutable.
 *
 * @param headerStart offset of the part's first header byte (for the message itself, 0)
 * @param bodyStart   offset just past the blank line ending the header
 * @param bodyEnd     offset of the end of the body; the CRLF before a boundary belongs to the boundary (RFC 2046)
 * @param bodyLines   lines in the body
 * @param children    parts of a multipart, else empty
 * @param message     the encapsulated message of a message/rfc822 part
 */
public record MimePart(long headerStart, long bodyStart, long bodyEnd, long bodyLines, HeaderBlock header,
                       ContentType contentType, List<MimePart> children, Optional<MimePart> message) {

    public MimePart {
        children = List.copyOf(children);
    }

    /** The body size in octets, as BODYSTRUCTURE reports it. */
    public long bodySize() {
        return bodyEnd - bodyStart;
    }

    public boolean isMultipart() {
        return contentType.type().equals("multipart") && !children.isEmpty();
    }

    /** The Content-Type of a part, lower-cased type and subtype, parameters as written. */
    public record ContentType(String type, String subtype, Map<String, String> parameters) {
        public static final ContentType TEXT_PLAIN = new ContentType("text", "plain", Map.of("charset", "us-ascii"));
        public static final ContentType MESSAGE_RFC822 = new ContentType("message", "rfc822", Map.of());

        public boolean is(String type, String subtype) {
            return this.type.equals(type) && this.subtype.equals(subtype);
        }
    }
}
