package org.clustermail.retrieval.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the MIME structure of a raw message in one streaming pass: the part tree with the byte offsets of every
 * header and body, so BODYSTRUCTURE and {@code BODY[1.2]} never need the message in memory. Field values are parsed
 * with mime4j ({@link ContentTypes}). Robust against broken mail: a missing boundary ends the part at the end of
 * input; nesting deeper than {@value #MAX_DEPTH} is treated as an opaque body. Stateless; one call per message.
 */
public final class MimeScanner {

    static final int MAX_DEPTH = 32;
    private static final int MAX_PARTS = 5000;

    private final LineScanner in;
    private int parts;

    private MimeScanner(InputStream in) {
        this.in = new LineScanner(in);
    }

    /** The structure of the message read from {@code in} (read to its end; not closed). */
    public static MimePart scan(InputStream in) throws IOException {
        return new MimeScanner(in).part(List.of(), 0, MimePart.ContentType.TEXT_PLAIN);
    }

    private MimePart part(List<byte[]> boundaries, int depth, MimePart.ContentType defaultType) throws IOException {
        parts++;
        long headerStart = in.lineEnd();
        HeaderBlock.Builder header = new HeaderBlock.Builder();
        boolean ended = false;
        while (true) {
            if (!in.next()) {
                ended = true;
                break;
            }
            if (in.blank()) {
                break;
            }
            if (boundaryIndex(boundaries) >= 0) {
                in.unread();
                ended = true;
                break;
            }
            header.line(new String(in.bytes(), 0, in.length(), StandardCharsets.UTF_8));
        }
        HeaderBlock headers = header.build();
        MimePart.ContentType type = ContentTypes.of(headers.first("Content-Type"), defaultType);
        long bodyStart = !ended ? in.lineEnd()
                : in.pushedBack() ? Math.max(headerStart, in.lineStart() - in.previousEol()) : in.end();
        if (ended) {
            return new MimePart(headerStart, bodyStart, bodyStart, 0, headers, type, List.of(), Optional.empty());
        }
        long linesAtStart = in.linesRead();
        String boundary = type.type().equals("multipart") ? type.parameters().get("boundary") : null;
        boolean deep = depth >= MAX_DEPTH || parts >= MAX_PARTS;
        if (boundary != null && !boundary.isEmpty() && !deep) {
            return multipart(boundaries, depth, headerStart, bodyStart, linesAtStart, headers, type, boundary);
        }
        if (type.is("message", "rfc822") && !deep) {
            MimePart inner = part(boundaries, depth + 1, MimePart.ContentType.TEXT_PLAIN);
            long end = inner.bodyEnd();
            return new MimePart(headerStart, bodyStart, end, in.linesRead() - linesAtStart, headers, type, List.of(),
                    Optional.of(inner));
        }
        long end = skipToBoundary(boundaries);
        return new MimePart(headerStart, bodyStart, Math.max(bodyStart, end), in.linesRead() - linesAtStart, headers,
                type, List.of(), Optional.empty());
    }

    private MimePart multipart(List<byte[]> outer, int depth, long headerStart, long bodyStart, long linesAtStart,
                               HeaderBlock headers, MimePart.ContentType type, String boundary) throws IOException {
        List<byte[]> boundaries = new ArrayList<>(outer);
        boundaries.add(boundary.getBytes(StandardCharsets.UTF_8));
        int ownIndex = boundaries.size() - 1;
        MimePart.ContentType childDefault = type.subtype().equals("digest")
                ? MimePart.ContentType.MESSAGE_RFC822 : MimePart.ContentType.TEXT_PLAIN;
        List<MimePart> children = new ArrayList<>();
        // Preamble, up to the first delimiter of this multipart.
        int found = seekBoundary(boundaries);
        byte[] own = boundaries.get(ownIndex);
        while (found == ownIndex && !closeDelimiter(own)) {
            children.add(part(boundaries, depth + 1, childDefault));
            found = seekBoundary(boundaries);
        }
        if (found == ownIndex) {
            found = seekBoundary(outer); // epilogue
        }
        long end = found >= 0 ? Math.max(bodyStart, in.lineStart() - in.previousEol()) : in.end();
        if (found >= 0) {
            in.unread();
        }
        return new MimePart(headerStart, bodyStart, end, in.linesRead() - linesAtStart, headers, type, children,
                Optional.empty());
    }

    /**
     * Reads lines until one is a delimiter of {@code boundaries}; returns its index (the line stays current), or -1 at
     * end of input.
     */
    private int seekBoundary(List<byte[]> boundaries) throws IOException {
        while (in.next()) {
            int i = boundaryIndex(boundaries);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Reads a leaf body to the next enclosing delimiter (pushed back) or the end; returns the body's end offset. */
    private long skipToBoundary(List<byte[]> boundaries) throws IOException {
        if (seekBoundary(boundaries) >= 0) {
            long end = in.lineStart() - in.previousEol();
            in.unread();
            return end;
        }
        return in.end();
    }

    /** The index of the innermost boundary the current line is a delimiter of, or -1. */
    private int boundaryIndex(List<byte[]> boundaries) {
        if (boundaries.isEmpty() || in.length() < 2 || in.bytes()[0] != '-' || in.bytes()[1] != '-') {
            return -1;
        }
        for (int i = boundaries.size() - 1; i >= 0; i--) {
            if (delimiterOf(boundaries.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private boolean delimiterOf(byte[] b) {
        byte[] line = in.bytes();
        int n = in.length();
        if (n < b.length + 2) {
            return false;
        }
        for (int k = 0; k < b.length; k++) {
            if (line[k + 2] != b[k]) {
                return false;
            }
        }
        int rest = b.length + 2;
        if (n >= rest + 2 && line[rest] == '-' && line[rest + 1] == '-') {
            rest += 2;
        }
        for (int k = rest; k < n; k++) {
            if (line[k] != ' ' && line[k] != '\t') {
                return false;
            }
        }
        return true;
    }

    /** Whether the current line, a delimiter of {@code boundary}, is its close delimiter ({@code --boundary--}). */
    private boolean closeDelimiter(byte[] boundary) {
        byte[] line = in.bytes();
        int n = in.length();
        while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t')) {
            n--;
        }
        return n == boundary.length + 4 && line[n - 1] == '-' && line[n - 2] == '-';
    }
}
