package org.clustermail.directory;

import java.util.Locale;

/**
 * A validated, normalised mailbox address {@code local@domain}.
 *
 * <p>The local part ends up in a file path (the mailbox directory), so it is held to a strict character set:
 * ASCII letters (case-folded to lower case), digits and {@code . _ - +}; no leading, trailing or doubled dot (so no
 * {@code .} or {@code ..} segment), no {@code /}, NUL or control characters; at most 64 characters. The domain is a
 * lower-cased DNS name of letters, digits and hyphens. Instances exist only in normalised form, so two addresses are
 * equal exactly when they name the same mailbox.
 */
public record MailAddress(String localPart, String domain) {

    public static final int MAX_LOCAL_PART = 64;
    public static final int MAX_DOMAIN = 253;

    public MailAddress {
        localPart = normaliseLocalPart(localPart);
        domain = normaliseDomain(domain);
    }

    /** Parses {@code local@domain}; throws {@link InvalidAddressException} with a one-line reason. */
    public static MailAddress parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidAddressException("empty address");
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1) {
            throw new InvalidAddressException("address must be local@domain: " + printable(text));
        }
        return new MailAddress(text.substring(0, at), text.substring(at + 1));
    }

    /** The normalised form {@code local@domain}; also the user ID used in mailbox paths. */
    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    static String normaliseLocalPart(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidAddressException("empty local part");
        }
        if (raw.length() > MAX_LOCAL_PART) {
            throw new InvalidAddressException("local part longer than " + MAX_LOCAL_PART + " characters");
        }
        String s = raw.toLowerCase(Locale.ROOT);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '+';
            if (!ok) {
                throw new InvalidAddressException("local part may hold only letters, digits and . _ - +: " + printable(raw));
            }
        }
        if (s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            throw new InvalidAddressException("local part may not start or end with a dot or hold two dots in a row: "
                    + printable(raw));
        }
        return s;
    }

    /** Validates and lower-cases a domain name; throws {@link InvalidAddressException} with a one-line reason. */
    public static String normaliseDomain(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidAddressException("empty domain");
        }
        if (raw.length() > MAX_DOMAIN) {
            throw new InvalidAddressException("domain longer than " + MAX_DOMAIN + " characters");
        }
        String s = raw.toLowerCase(Locale.ROOT);
        for (String label : s.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                throw new InvalidAddressException("not a valid domain name: " + printable(raw));
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                    throw new InvalidAddressException("not a valid domain name: " + printable(raw));
                }
            }
        }
        return s;
    }

    /** Shows untrusted input in an error message without control characters. */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f) {
                b.append(String.format("\\x%02x", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }
}
