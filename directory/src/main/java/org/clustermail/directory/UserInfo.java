package org.clustermail.directory;

import java.util.Map;
import java.util.TreeMap;

/**
 * The user-info subsystem's profile of one user: what a web-mail profile page shows and edits. Absent values are
 * empty strings; {@code fields} holds free-form name/value pairs (names 1..64 characters, values up to 1000).
 * Immutable.
 */
public record UserInfo(String displayName, String postalAddress, String phone, Map<String, String> fields) {

    public static final int MAX_TEXT = 1000;
    public static final int MAX_FIELD_NAME = 64;
    public static final UserInfo EMPTY = new UserInfo("", "", "", Map.of());

    public UserInfo {
        displayName = text("display name", displayName);
        postalAddress = text("postal address", postalAddress);
        phone = text("phone", phone);
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> e : (fields == null ? Map.<String, String>of() : fields).entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey().strip();
            if (name.isEmpty() || name.length() > MAX_FIELD_NAME || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("field names must be 1.." + MAX_FIELD_NAME
                        + " printable characters: '" + name + "'");
            }
            sorted.put(name, text("field " + name, e.getValue()));
        }
        fields = java.util.Collections.unmodifiableMap(sorted);
    }

    public UserInfo withDisplayName(String v) {
        return new UserInfo(v, postalAddress, phone, fields);
    }

    public UserInfo withPostalAddress(String v) {
        return new UserInfo(displayName, v, phone, fields);
    }

    public UserInfo withPhone(String v) {
        return new UserInfo(displayName, postalAddress, v, fields);
    }

    /** With {@code name} set to {@code value}, or removed when {@code value} is null or empty. */
    public UserInfo withField(String name, String value) {
        TreeMap<String, String> copy = new TreeMap<>(fields);
        if (value == null || value.isEmpty()) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new UserInfo(displayName, postalAddress, phone, copy);
    }

    private static String text(String what, String v) {
        String s = v == null ? "" : v.strip();
        if (s.length() > MAX_TEXT) {
            throw new IllegalArgumentException(what + " longer than " + MAX_TEXT + " characters");
        }
        if (s.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f)) {
            throw new IllegalArgumentException(what + " holds control characters");
        }
        return s;
    }
}
