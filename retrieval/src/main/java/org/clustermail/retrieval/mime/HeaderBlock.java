package org.clustermail.retrieval.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * The fields of one header block, in order, with values unfolded (CRLF before whitespace removed) and otherwise raw
 * (encoded words kept). Immutable once built.
 */
public final class HeaderBlock {

    /** One field: the name as written and the unfolded raw value (leading whitespace after the colon removed). */
    public record Field(String name, String value) {
    }

    private final List<Field> fields;

    HeaderBlock(List<Field> fields) {
        this.fields = List.copyOf(fields);
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first value of {@code name} (case-insensitive), or null. */
    public String first(String name) {
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                return f.value;
            }
        }
        return null;
    }

    /** All values of {@code name} (case-insensitive). */
    public List<String> all(String name) {
        List<String> out = new ArrayList<>();
        for (Field f : fields) {
            if (f.name.equalsIgnoreCase(name)) {
                out.add(f.value);
            }
        }
        return out;
    }

    /** Collects header lines as the scanner reads them; bounded so a hostile header cannot exhaust memory. */
    static final class Builder {
        private static final int MAX_CHARS = 256 * 1024;
        private final List<Field> fields = new ArrayList<>();
        private String name;
        private StringBuilder value;
        private int chars;

        void line(String text) {
            if (chars > MAX_CHARS) {
                return;
            }
            chars += text.length();
            if (!text.isEmpty() && (text.charAt(0) == ' ' || text.charAt(0) == '\t')) {
                if (value != null) {
                    value.append(text);
                }
                return;
            }
            finish();
            int colon = text.indexOf(':');
            if (colon <= 0) {
                return; // not a field; mail in the wild has such lines, they are ignored
            }
            name = text.substring(0, colon).strip();
            value = new StringBuilder(text.substring(colon + 1).stripLeading());
        }

        private void finish() {
            if (name != null) {
                fields.add(new Field(name, value.toString().stripTrailing()));
                name = null;
                value = null;
            }
        }

        HeaderBlock build() {
            finish();
            return new HeaderBlock(fields);
        }
    }
}
