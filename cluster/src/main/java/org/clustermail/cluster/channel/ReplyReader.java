package org.clustermail.cluster.channel;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads SMTP/LMTP replies ({@code 250-first}, ..., {@code 250 last}) from a server with bounded buffers: a line
 * longer than {@link #MAX_LINE} or a reply of more than {@link #MAX_LINES} lines is a protocol error, so a broken or
 * hostile peer cannot make the client buffer without limit. Not thread-safe; one per connection.
 */
final class ReplyReader {

    static final int MAX_LINE = 4096;
    static final int MAX_LINES = 200;

    /** Compiled once: {@code String.matches} would compile it for every reply line. */
    private static final Pattern ENHANCED = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];

    ReplyReader(InputStream in) {
        this.in = in;
    }

    LmtpReply read() throws IOException {
        List<String> texts = new ArrayList<>();
        int code = -1;
        String enhanced = null;
        while (true) {
            String l = readLine();
            if (l.length() < 3 || !isCode(l)) {
                throw new ProtocolException("malformed reply line: " + l);
            }
            int lineCode = Integer.parseInt(l.substring(0, 3));
            if (code == -1) {
                code = lineCode;
            } else if (code != lineCode) {
                throw new ProtocolException("reply code changed within a reply: " + l);
            }
            boolean more = l.length() > 3 && l.charAt(3) == '-';
            if (l.length() > 3 && !more && l.charAt(3) != ' ') {
                throw new ProtocolException("malformed reply line: " + l);
            }
            String text = l.length() > 4 ? l.substring(4) : "";
            String[] split = splitEnhanced(text, code);
            if (split != null) {
                enhanced = enhanced == null ? split[0] : enhanced;
                text = split[1];
            }
            texts.add(text);
            if (!more) {
                return new LmtpReply(code, enhanced, texts);
            }
            if (texts.size() >= MAX_LINES) {
                throw new ProtocolException("reply longer than " + MAX_LINES + " lines");
            }
        }
    }

    private static boolean isCode(String l) {
        return Character.isDigit(l.charAt(0)) && Character.isDigit(l.charAt(1)) && Character.isDigit(l.charAt(2));
    }

    /** Splits {@code "2.1.5 text"} into the enhanced code and the rest, when the class digit matches the reply. */
    private static String[] splitEnhanced(String text, int code) {
        int sp = text.indexOf(' ');
        String head = sp < 0 ? text : text.substring(0, sp);
        if (!ENHANCED.matcher(head).matches() || head.charAt(0) - '0' != code / 100) {
            return null;
        }
        return new String[] {head, sp < 0 ? "" : text.substring(sp + 1)};
    }

    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed by the server");
            }
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.UTF_8);
            }
            if (n == MAX_LINE) {
                throw new ProtocolException("reply line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) b;
        }
    }
}
