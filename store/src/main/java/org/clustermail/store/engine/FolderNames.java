package org.clustermail.store.engine;

import java.nio.charset.StandardCharsets;
import org.clustermail.store.Mailbox;
import org.clustermail.store.StoreException;

/**
 * Folder names: validation, the canonical form (any case of {@code INBOX} is {@code INBOX}), and the safe encoding
 * used in file names. Pure.
 *
 * <p>The file-name encoding keeps ASCII letters, digits and {@code - _ + , = &} and writes every other byte of the
 * UTF-8 form as {@code %XX} (so {@code .} and {@code /} never reach a path); hierarchy levels are joined by a
 * separator the caller chooses ({@code .} for Maildir++).
 */
public final class FolderNames {

    private FolderNames() {
    }

    /** Validates a name and returns its canonical form. */
    public static String canonical(String name) {
        if (name == null || name.isEmpty() || name.length() > Mailbox.MAX_FOLDER_NAME) {
            throw invalid("folder name must have 1 to " + Mailbox.MAX_FOLDER_NAME + " characters");
        }
        if (name.equalsIgnoreCase(Mailbox.INBOX)) {
            return Mailbox.INBOX;
        }
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw invalid("folder name may not have an empty, '.' or '..' level: " + printable(name));
            }
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '*' || c == '%') {
                throw invalid("folder name may not hold control characters, '*' or '%'");
            }
        }
        if (name.regionMatches(true, 0, "INBOX/", 0, 6)) {
            return Mailbox.INBOX + name.substring(5);
        }
        return name;
    }

    /** The file-name form of a folder, levels joined by {@code separator}. */
    public static String encode(String folder, char separator) {
        StringBuilder b = new StringBuilder();
        String[] parts = folder.split("/");
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                b.append(separator);
            }
            for (byte x : parts[p].getBytes(StandardCharsets.UTF_8)) {
                int c = x & 0xff;
                boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || "-_+,=&".indexOf(c) >= 0;
                if (keep) {
                    b.append((char) c);
                } else {
                    b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
                }
            }
        }
        return b.toString();
    }

    /** The inverse of {@link #encode}; returns null for a name this store did not write. */
    public static String decode(String encoded, char separator) {
        StringBuilder folder = new StringBuilder();
        java.io.ByteArrayOutputStream part = new java.io.ByteArrayOutputStream();
        for (int i = 0; i <= encoded.length(); i++) {
            char c = i < encoded.length() ? encoded.charAt(i) : separator;
            if (c == separator) {
                if (part.size() == 0) {
                    return null;
                }
                if (folder.length() > 0) {
                    folder.append('/');
                }
                folder.append(part.toString(StandardCharsets.UTF_8));
                part.reset();
            } else if (c == '%' && i + 2 < encoded.length()) {
                int v = Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                part.write(v);
                i += 2;
            } else {
                part.write(c);
            }
        }
        try {
            return canonical(folder.toString());
        } catch (StoreException e) {
            return null;
        }
    }

    private static StoreException invalid(String msg) {
        return new StoreException(StoreException.Reason.INVALID_NAME, msg);
    }

    private static String printable(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
