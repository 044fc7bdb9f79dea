package org.clustermail.postfix.socketmap;

/**
 * A socketmap server's answer to one lookup: {@code OK data}, {@code NOTFOUND }, {@code TEMP reason},
 * {@code TIMEOUT reason} or {@code PERM reason} (socketmap_table(5)). Postfix turns TEMP and TIMEOUT into a
 * temporary failure of the SMTP command that needed the lookup (4xx), PERM into a permanent one.
 */
public sealed interface SocketmapReply {

    /** The reply's text, before netstring framing. */
    String text();

    /** The reply framed as a netstring, ready to send. */
    default byte[] encode() {
        return Netstrings.encode(text());
    }

    /** The key is in the map; {@code value} is what Postfix gets back (non-empty). */
    record Found(String value) implements SocketmapReply {
        public Found {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("a found value must not be empty");
            }
        }

        @Override
        public String text() {
            return "OK " + value;
        }
    }

    /** The key is not in the map. */
    record NotFound() implements SocketmapReply {
        @Override
        public String text() {
            return "NOTFOUND ";
        }
    }

    /** The lookup could not be answered now (e.g. the directory is unavailable); try later. */
    record TempFail(String reason) implements SocketmapReply {
        @Override
        public String text() {
            return "TEMP " + reason;
        }
    }

    /** The request itself is wrong (unknown map, bad syntax); retrying will not help. */
    record PermFail(String reason) implements SocketmapReply {
        @Override
        public String text() {
            return "PERM " + reason;
        }
    }
}
