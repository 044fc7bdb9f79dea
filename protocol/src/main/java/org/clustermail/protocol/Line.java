package org.clustermail.protocol;

import java.nio.charset.StandardCharsets;

/**
 * One line read by {@link ProtocolInput}, without its terminator.
 *
 * <p>{@code bareLf} is true when the line ended in a lone LF instead of CRLF; the protocols decide what to make of
 * that (SMTP refuses it: a bare LF is how SMTP smuggling hides a second message). The array is owned by the record
 * and must not be modified; records compare arrays by identity, so compare {@link #text()} instead.
 */
public record Line(byte[] bytes, boolean bareLf) {

    /** The line as UTF-8 text (ASCII commands decode unchanged; bad sequences become U+FFFD). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public int length() {
        return bytes.length;
    }

    /** Whether the line is exactly {@code s} (ASCII), e.g. the {@code "."} that ends SMTP DATA. */
    public boolean is(String s) {
        if (bytes.length != s.length()) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
