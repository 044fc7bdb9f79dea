package org.clustermail.postfix.socketmap;

import java.nio.charset.StandardCharsets;

/**
 * One socketmap lookup (Postfix socketmap_table(5), sendmail's socket map): which of the server's maps to search, and
 * the key. Parsed from the payload of one netstring, {@code name SPACE key}.
 *
 * @param map the map's name, e.g. {@code mailbox}; never empty, never holds a space
 * @param key what to look up, e.g. {@code alice@example.org}; may be empty, may hold spaces
 */
public record SocketmapRequest(String map, String key) {

    /** The longest payload a request may have; a recipient address is at most 254 octets. */
    public static final int MAX_PAYLOAD = 4096;

    public SocketmapRequest {
        if (map == null || map.isEmpty() || map.indexOf(' ') >= 0) {
            throw new IllegalArgumentException("map name must be one non-empty word");
        }
        key = key == null ? "" : key;
    }

    /**
     * Parses a netstring's payload. Pure.
     *
     * @throws SocketmapSyntaxException the payload has no {@code name SPACE} prefix
     */
    public static SocketmapRequest parse(byte[] payload) throws SocketmapSyntaxException {
        String text = new String(payload, StandardCharsets.UTF_8);
        int space = text.indexOf(' ');
        if (space <= 0) {
            throw new SocketmapSyntaxException("request must be 'name key'");
        }
        return new SocketmapRequest(text.substring(0, space), text.substring(space + 1));
    }
}
