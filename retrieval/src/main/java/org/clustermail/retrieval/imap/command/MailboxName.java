package org.clustermail.retrieval.imap.command;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Mailbox names on the wire: modified UTF-7 (RFC 3501 section 5.1.3) both ways, and {@code INBOX} folded to upper
 * case. Pure functions.
 */
public final class MailboxName {

    public static final String INBOX = "INBOX";
    private static final Base64.Decoder DECODER = Base64.getDecoder();
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();

    private MailboxName() {
    }

    /** Decodes a name the client sent; {@code INBOX} and {@code INBOX/...} in any case become upper case. */
    public static String decode(String wire) {
        StringBuilder out = new StringBuilder(wire.length());
        int i = 0;
        while (i < wire.length()) {
            char c = wire.charAt(i);
            if (c != '&') {
                out.append(c);
                i++;
                continue;
            }
            int dash = wire.indexOf('-', i + 1);
            if (dash < 0) {
                throw new ImapSyntaxException("invalid modified UTF-7 in mailbox name");
            }
            if (dash == i + 1) {
                out.append('&');
            } else {
                out.append(decodeBase64(wire.substring(i + 1, dash)));
            }
            i = dash + 1;
        }
        return normaliseInbox(out.toString());
    }

    /** Encodes a name for a response (LIST, STATUS...). */
    public static String encode(String name) {
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c >= 0x20 && c <= 0x7e) {
                out.append(c == '&' ? "&-" : String.valueOf(c));
                i++;
                continue;
            }
            int j = i;
            while (j < name.length() && (name.charAt(j) < 0x20 || name.charAt(j) > 0x7e)) {
                j++;
            }
            byte[] utf16 = name.substring(i, j).getBytes(StandardCharsets.UTF_16BE);
            out.append('&').append(ENCODER.encodeToString(utf16).replace('/', ',')).append('-');
            i = j;
        }
        return out.toString();
    }

    static String normaliseInbox(String name) {
        if (name.length() >= 5 && name.regionMatches(true, 0, INBOX, 0, 5)
                && (name.length() == 5 || name.charAt(5) == '/')) {
            return INBOX + name.substring(5);
        }
        return name;
    }

    private static String decodeBase64(String b64) {
        try {
            byte[] bytes = DECODER.decode(b64.replace(',', '/'));
            if (bytes.length % 2 != 0) {
                throw new ImapSyntaxException("invalid modified UTF-7 in mailbox name");
            }
            return StandardCharsets.UTF_16BE.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | java.nio.charset.CharacterCodingException e) {
            throw new ImapSyntaxException("invalid modified UTF-7 in mailbox name");
        }
    }
}
