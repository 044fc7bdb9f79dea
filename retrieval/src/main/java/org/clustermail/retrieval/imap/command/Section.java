package org.clustermail.retrieval.imap.command;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@code BODY[section]} specifier: a MIME part path ({@code 1.2.3}, empty for the whole message) and what of that
 * part is wanted.
 *
 * @param part the part numbers, outermost first; empty means the message itself
 * @param text which piece of the part; {@link Text#ALL} means the part's whole content
 * @param fields header names for {@link Text#HEADER_FIELDS} and {@link Text#HEADER_FIELDS_NOT}, as the client gave them
 */
public record Section(List<Integer> part, Text text, List<String> fields) {

    public Section {
        part = List.copyOf(part);
        fields = List.copyOf(fields);
    }

    public enum Text { ALL, HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT, MIME }

    public static final Section WHOLE = new Section(List.of(), Text.ALL, List.of());

    /** The section as it is echoed in the FETCH response, e.g. {@code 1.2.HEADER.FIELDS (From To)}. */
    public String spec() {
        StringBuilder b = new StringBuilder(part.stream().map(String::valueOf).collect(Collectors.joining(".")));
        if (text != Text.ALL) {
            if (!b.isEmpty()) {
                b.append('.');
            }
            b.append(text.name().replace('_', '.'));
        }
        if (text == Text.HEADER_FIELDS || text == Text.HEADER_FIELDS_NOT) {
            b.append(" (").append(String.join(" ", fields)).append(')');
        }
        return b.toString();
    }
}
