package org.clustermail.ingress;

import java.util.List;

/**
 * One SMTP/LMTP reply: a three-digit code, an enhanced status code (RFC 3463, RFC 2034) and text lines.
 * Immutable; the text must not hold CR or LF (callers pass client input through {@link #sanitize}).
 */
public record SmtpReply(int code, String enhanced, List<String> lines) {

    public SmtpReply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a reply needs a text line");
        }
    }

    public static SmtpReply of(int code, String enhanced, String text) {
        return new SmtpReply(code, enhanced, List.of(text));
    }

    /** Whether the reply is 2xx or 3xx. */
    public boolean positive() {
        return code < 400;
    }

    /** Whether the failure is temporary (4xx). */
    public boolean temporary() {
        return code >= 400 && code < 500;
    }

    /** The reply as wire lines, without CRLF: {@code 250-first}, ..., {@code 250 last}. */
    public List<String> wireLines() {
        String prefix = enhanced.isEmpty() ? "" : enhanced + " ";
        return java.util.stream.IntStream.range(0, lines.size())
                .mapToObj(i -> code + (i == lines.size() - 1 ? " " : "-") + (i == 0 ? prefix : "") + lines.get(i))
                .toList();
    }

    /** Makes client-supplied text safe to echo in a reply: printable ASCII only, at most 200 characters. */
    public static String sanitize(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 200));
        for (int i = 0; i < s.length() && b.length() < 200; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
