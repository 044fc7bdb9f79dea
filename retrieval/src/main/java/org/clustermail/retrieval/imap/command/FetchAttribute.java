package org.clustermail.retrieval.imap.command;

import java.util.Optional;

/** One data item a FETCH asks for (RFC 3501 section 6.4.5, plus MODSEQ of RFC 7162). Macros are expanded. */
public sealed interface FetchAttribute {

    /** Simple items whose value needs no parameters. */
    enum Simple implements FetchAttribute {
        FLAGS, INTERNALDATE, RFC822_SIZE, ENVELOPE, UID, MODSEQ,
        /** BODY without a section: the non-extensible BODYSTRUCTURE. */
        BODY,
        BODYSTRUCTURE,
        /** RFC822: like BODY[], sets \Seen. */
        RFC822,
        /** RFC822.HEADER: like BODY.PEEK[HEADER]. */
        RFC822_HEADER,
        /** RFC822.TEXT: like BODY[TEXT], sets \Seen. */
        RFC822_TEXT;

        /** The item's name in responses. */
        public String wireName() {
            return name().replace('_', '.');
        }
    }

    /** {@code BODY[section]<offset.length>} or its {@code BODY.PEEK} form, which leaves \Seen alone. */
    record Body(Section section, boolean peek, Optional<Partial> partial, String responseName)
            implements FetchAttribute {

        /** The item as the response names it: {@code BODY[section]}, PEEK dropped, without the partial's origin. */
        public Body(Section section, boolean peek, Optional<Partial> partial) {
            this(section, peek, partial, "BODY[" + section.spec() + "]");
        }
    }

    /** The {@code <offset.length>} of a partial fetch. */
    record Partial(long offset, long length) {
    }
}
