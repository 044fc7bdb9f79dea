package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.clustermail.retrieval.imap.command.FetchAttribute;
import org.clustermail.retrieval.imap.command.Section;
import org.clustermail.retrieval.mime.MimePart;

/**
 * Serves {@code BODY[section]<partial>} (RFC 3501 section 6.4.5): finds the part a section names in the scanned
 * structure and writes the bytes as they are stored — a byte range for most sections, a filtered copy of the header
 * for HEADER.FIELDS (.NOT). A section that names no part yields an empty string. Stateless.
 */
final class SectionReader {

    /** A header larger than this is cut when filtered by HEADER.FIELDS. */
    private static final int MAX_FILTERED_HEADER = 1 << 20;

    private SectionReader() {
    }

    /** Writes the section's content (after the item name) as a literal, honouring the partial. */
    static void write(ImapWriter w, LoadedMessage m, Section section, Optional<FetchAttribute.Partial> partial)
            throws IOException {
        if (section.part().isEmpty() && section.text() == Section.Text.ALL) {
            range(w, m, 0, m.size(), partial);
            return;
        }
        MimePart root = m.structure();
        MimePart part = section.part().isEmpty() ? root : find(root, section.part());
        if (part == null) {
            w.literal(new byte[0]);
            return;
        }
        MimePart message = section.part().isEmpty() ? root : part.message().orElse(null);
        switch (section.text()) {
            case ALL -> range(w, m, part.bodyStart(), part.bodySize(), partial);
            case MIME -> range(w, m, part.headerStart(), part.bodyStart() - part.headerStart(), partial);
            case HEADER -> {
                if (message == null) {
                    w.literal(new byte[0]);
                } else {
                    range(w, m, message.headerStart(), message.bodyStart() - message.headerStart(), partial);
                }
            }
            case TEXT -> {
                if (message == null) {
                    w.literal(new byte[0]);
                } else {
                    range(w, m, message.bodyStart(), message.bodySize(), partial);
                }
            }
            case HEADER_FIELDS, HEADER_FIELDS_NOT -> {
                byte[] filtered = message == null ? new byte[0] : filter(m, message, section);
                bytes(w, filtered, partial);
            }
        }
    }

    /** The part at {@code path} (1-based numbers), or null. */
    static MimePart find(MimePart root, List<Integer> path) {
        MimePart current = null;
        for (int n : path) {
            List<MimePart> children = current == null ? numbered(root) : childrenOf(current);
            if (n < 1 || n > children.size()) {
                return null;
            }
            current = children.get(n - 1);
        }
        return current;
    }

    /** The numbered parts of a message: its children if multipart, else its body as part 1. */
    private static List<MimePart> numbered(MimePart message) {
        return message.isMultipart() ? message.children() : List.of(message);
    }

    private static List<MimePart> childrenOf(MimePart part) {
        if (part.isMultipart()) {
            return part.children();
        }
        return part.message().map(SectionReader::numbered).orElse(List.of());
    }

    private static void range(ImapWriter w, LoadedMessage m, long start, long length,
                              Optional<FetchAttribute.Partial> partial) throws IOException {
        long from = start;
        long len = Math.max(0, length);
        if (partial.isPresent()) {
            long off = Math.min(partial.get().offset(), len);
            from += off;
            len = Math.min(len - off, partial.get().length());
        }
        m.writeRange(w, from, len);
    }

    private static void bytes(ImapWriter w, byte[] b, Optional<FetchAttribute.Partial> partial) throws IOException {
        if (partial.isEmpty()) {
            w.literal(b);
            return;
        }
        int off = (int) Math.min(partial.get().offset(), b.length);
        int len = (int) Math.min(b.length - off, partial.get().length());
        byte[] out = new byte[len];
        System.arraycopy(b, off, out, 0, len);
        w.literal(out);
    }

    /** The header fields named (or not named) by the section, in order, raw, then the empty line. */
    static byte[] filter(LoadedMessage m, MimePart message, Section section) throws IOException {
        int length = (int) Math.min(MAX_FILTERED_HEADER, message.bodyStart() - message.headerStart());
        String header = new String(m.range(message.headerStart(), length), StandardCharsets.ISO_8859_1);
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(section.fields());
        boolean keepNamed = section.text() == Section.Text.HEADER_FIELDS;
        StringBuilder out = new StringBuilder();
        for (String field : fields(header)) {
            int colon = field.indexOf(':');
            String name = colon < 0 ? "" : field.substring(0, colon).strip();
            if (colon > 0 && names.contains(name) == keepNamed) {
                out.append(field);
            }
        }
        out.append("\r\n");
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Splits a raw header into fields, each with its folded continuation lines and line ends. */
    private static List<String> fields(String header) {
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        int pos = 0;
        while (pos < header.length()) {
            int nl = header.indexOf('\n', pos);
            int end = nl < 0 ? header.length() : nl + 1;
            String line = header.substring(pos, end);
            pos = end;
            if (line.equals("\r\n") || line.equals("\n")) {
                break;
            }
            if ((line.startsWith(" ") || line.startsWith("\t")) && current != null) {
                current.append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
        }
        if (current != null) {
            fields.add(current.toString());
        }
        return fields;
    }

}
