package org.clustermail.retrieval.imap.command;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the tokens of one complete IMAP command: atoms, quoted strings, literals and the spaces and parentheses
 * between them (RFC 3501 section 9).
 *
 * <p>The input is the whole command as it came off the wire, with each literal inline: {@code {n}CRLF} or
 * {@code {n+}CRLF} followed by exactly {@code n} bytes (see {@link CommandAssembler}). The final CRLF is optional.
 * Not thread-safe; one instance per command.
 */
final class ImapTokenizer {

    private final byte[] in;
    private int pos;
    private final int end;

    ImapTokenizer(byte[] command) {
        this.in = command;
        int e = command.length;
        if (e >= 2 && command[e - 2] == '\r' && command[e - 1] == '\n') {
            e -= 2;
        }
        this.end = e;
    }

    boolean atEnd() {
        return pos >= end;
    }

    int peek() {
        return pos < end ? in[pos] & 0xff : -1;
    }

    void expect(char c) {
        if (peek() != c) {
            throw new ImapSyntaxException(atEnd() ? "unexpected end of command, expected '" + c + "'"
                    : "expected '" + c + "' at column " + pos);
        }
        pos++;
    }

    void space() {
        expect(' ');
    }

    boolean tryConsume(char c) {
        if (peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    void expectEnd() {
        if (!atEnd()) {
            throw new ImapSyntaxException("unexpected characters at column " + pos);
        }
    }

    /** An atom: one or more ATOM-CHARs; {@code extra} chars (e.g. {@code "]"}, {@code "\\"}) are allowed too. */
    String atom(String extra) {
        int start = pos;
        while (pos < end && isAtomChar(in[pos] & 0xff, extra)) {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException(atEnd() ? "unexpected end of command" : "expected an atom at column " + pos);
        }
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    String atom() {
        return atom("");
    }

    /** A FETCH item name: an atom that stops before {@code [} (BODY[...]) and {@code <}. */
    String fetchItemName() {
        int start = pos;
        while (pos < end && isAtomChar(in[pos] & 0xff, "") && in[pos] != '[' && in[pos] != '<') {
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException(atEnd() ? "unexpected end of command"
                    : "expected a FETCH item at column " + pos);
        }
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** Characters up to the next space or the end (for sequence sets, tags and the like). */
    String word() {
        int start = pos;
        while (pos < end && in[pos] != ' ' && in[pos] != ')' && in[pos] != '(') {
            int c = in[pos] & 0xff;
            if (c < 0x21 || c > 0x7e) {
                throw new ImapSyntaxException("invalid character at column " + pos);
            }
            pos++;
        }
        if (pos == start) {
            throw new ImapSyntaxException("unexpected end of command");
        }
        return new String(in, start, pos - start, StandardCharsets.US_ASCII);
    }

    /** {@code astring}: an atom (with {@code ]} allowed), a quoted string or a literal, as UTF-8 text. */
    String astring() {
        return new String(astringBytes(), StandardCharsets.UTF_8);
    }

    byte[] astringBytes() {
        int c = peek();
        if (c == '"' || c == '{') {
            return string();
        }
        return atom("]").getBytes(StandardCharsets.US_ASCII);
    }

    /** {@code string}: a quoted string or a literal. */
    byte[] string() {
        int c = peek();
        if (c == '"') {
            return quoted();
        }
        if (c == '{') {
            return literal();
        }
        throw new ImapSyntaxException(atEnd() ? "unexpected end of command, expected a string"
                : "expected a string at column " + pos);
    }

    /** {@code nstring}-like: NIL is returned as null. */
    String nstring() {
        if (peek() != '"' && peek() != '{') {
            String a = atom();
            if (!a.equalsIgnoreCase("NIL")) {
                throw new ImapSyntaxException("expected a string or NIL");
            }
            return null;
        }
        return new String(string(), StandardCharsets.UTF_8);
    }

    private byte[] quoted() {
        expect('"');
        byte[] out = new byte[Math.min(end - pos, 1024)];
        int n = 0;
        while (true) {
            if (pos >= end) {
                throw new ImapSyntaxException("unterminated quoted string");
            }
            int c = in[pos++] & 0xff;
            if (c == '"') {
                return Arrays.copyOf(out, n);
            }
            if (c == '\\') {
                if (pos >= end || (in[pos] != '"' && in[pos] != '\\')) {
                    throw new ImapSyntaxException("invalid escape in quoted string");
                }
                c = in[pos++];
            } else if (c == '\r' || c == '\n' || c == 0) {
                throw new ImapSyntaxException("CR, LF or NUL in quoted string");
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, out.length * 2 + 16);
            }
            out[n++] = (byte) c;
        }
    }

    /** A literal {@code {n}CRLF<n bytes>}; the bytes must be present in full. */
    byte[] literal() {
        int[] span = literalSpan();
        return Arrays.copyOfRange(in, span[0], span[0] + span[1]);
    }

    /** Offset and length of the next literal's bytes inside the command, without copying them. */
    int[] literalSpan() {
        expect('{');
        long n = 0;
        int digits = 0;
        while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
            n = n * 10 + (in[pos++] - '0');
            if (++digits > 10) {
                throw new ImapSyntaxException("literal size too large");
            }
        }
        if (digits == 0) {
            throw new ImapSyntaxException("invalid literal size");
        }
        tryConsume('+');
        expect('}');
        if (pos + 2 > in.length || in[pos] != '\r' || in[pos + 1] != '\n') {
            throw new ImapSyntaxException("literal size must be followed by CRLF");
        }
        pos += 2;
        if (n > in.length - pos) {
            throw new ImapSyntaxException("literal shorter than announced");
        }
        int start = pos;
        pos += (int) n;
        return new int[] {start, (int) n};
    }

    int position() {
        return pos;
    }

    byte[] source() {
        return in;
    }

    /** A number ({@code number} or {@code nz-number} of RFC 3501, up to 63 bits for mod-sequences). */
    long number() {
        String s = atom();
        if (s.length() > 19 || !s.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new ImapSyntaxException("expected a number: " + s);
        }
        return Long.parseLong(s);
    }

    static boolean isAtomChar(int c, String extra) {
        if (c <= 0x20 || c >= 0x7f) {
            return false;
        }
        return switch (c) {
            case '(', ')', '{', '%', '*', '"', '\\', ']' -> extra.indexOf(c) >= 0;
            default -> true;
        };
    }
}
