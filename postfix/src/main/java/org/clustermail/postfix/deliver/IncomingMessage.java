package org.clustermail.postfix.deliver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.clustermail.store.MessageContent;

/**
 * One message as a local delivery agent gets it on stdin, made ready for LMTP: line ends canonical (a bare LF
 * becomes CRLF; Postfix pipes messages with LF), a final line end added if missing, and the envelope lines a
 * delivery agent may find on top removed, since the node writes its own: an mbox {@code From } line (which
 * {@code local(8)} prepends) and {@code Return-Path:} headers. The envelope sender they named is kept.
 *
 * <p>Memory: up to 1 MiB in memory, larger messages in a temporary file, deleted on {@link #close()}. Not
 * thread-safe; readable as often as a retry needs.
 */
public final class IncomingMessage implements MessageContent, AutoCloseable {

    static final int MEMORY_THRESHOLD = 1 << 20;
    /** The longest envelope line looked at on top; a longer first line is message content. */
    private static final int MAX_PRELUDE_LINE = 8192;

    private final SpillBuffer content;
    private final Optional<String> envelopeSender;

    private IncomingMessage(SpillBuffer content, Optional<String> envelopeSender) {
        this.content = content;
        this.envelopeSender = envelopeSender;
    }

    /** The message is empty, or longer than allowed; the text is one line for the user. */
    public static final class BadMessageException extends Exception {
        BadMessageException(String message) {
            super(message);
        }
    }

    /**
     * Reads the whole message from {@code in}.
     *
     * @param maxSize the most octets the canonical message may have
     * @param tempDir where a large message is spilled
     */
    public static IncomingMessage read(InputStream in, long maxSize, Path tempDir)
            throws IOException, BadMessageException {
        BufferedInputStream buffered = new BufferedInputStream(in, 64 * 1024);
        Optional<String> sender = skipEnvelopeLines(buffered);
        SpillBuffer out = new SpillBuffer(MEMORY_THRESHOLD, tempDir);
        try {
            copyCanonical(buffered, out, maxSize);
            out.finish();
        } catch (IOException | BadMessageException e) {
            out.close();
            throw e;
        }
        if (out.size() == 0) {
            out.close();
            throw new BadMessageException("empty message on stdin");
        }
        return new IncomingMessage(out, sender);
    }

    /**
     * The envelope sender that a {@code Return-Path:} header or an mbox {@code From } line on top named; empty
     * string for the null sender; empty optional if neither was there.
     */
    public Optional<String> envelopeSender() {
        return envelopeSender;
    }

    @Override
    public long size() {
        return content.size();
    }

    @Override
    public InputStream openStream() throws IOException {
        return content.openStream();
    }

    @Override
    public void close() throws IOException {
        content.close();
    }

    private static Optional<String> skipEnvelopeLines(BufferedInputStream in) throws IOException {
        String fromLine = null;
        String returnPath = null;
        boolean first = true;
        boolean inReturnPath = false;
        while (true) {
            in.mark(MAX_PRELUDE_LINE + 2);
            String line = readPreludeLine(in);
            if (line == null) {
                in.reset();
                break;
            }
            String lower = line.toLowerCase(Locale.ROOT);
            if (first && line.startsWith("From ")) {
                fromLine = line;
            } else if (lower.startsWith("return-path:")) {
                returnPath = returnPath == null ? line.substring("return-path:".length()) : returnPath;
                inReturnPath = true;
                first = false;
                continue;
            } else if (!(inReturnPath && (line.startsWith(" ") || line.startsWith("\t")))) {
                in.reset();
                break;
            }
            first = false;
        }
        if (returnPath != null) {
            return Optional.of(stripBrackets(returnPath.strip()));
        }
        if (fromLine != null) {
            String[] words = fromLine.split(" +");
            String s = words.length > 1 ? words[1] : "";
            return Optional.of(s.equals("MAILER-DAEMON") ? "" : stripBrackets(s));
        }
        return Optional.empty();
    }

    /** One line without its end, or null at end of input or when longer than the prelude limit. */
    private static String readPreludeLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (line.size() <= MAX_PRELUDE_LINE) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(c);
        }
        return null;
    }

    private static String stripBrackets(String s) {
        return s.startsWith("<") && s.endsWith(">") ? s.substring(1, s.length() - 1) : s;
    }

    /** Copies {@code in} with every bare LF made CRLF, ending with a line end. */
    private static void copyCanonical(InputStream in, SpillBuffer out, long maxSize)
            throws IOException, BadMessageException {
        byte[] buf = new byte[64 * 1024];
        byte[] res = new byte[buf.length * 2 + 2];
        int last = '\n';
        int n;
        while ((n = in.read(buf)) > 0) {
            int len = 0;
            for (int i = 0; i < n; i++) {
                byte b = buf[i];
                if (b == '\n' && last != '\r') {
                    res[len++] = '\r';
                }
                res[len++] = b;
                last = b;
            }
            out.write(res, 0, len);
            checkSize(out.size(), maxSize);
        }
        if (out.size() > 0 && last != '\n') {
            out.write(last == '\r' ? new byte[] {'\n'} : new byte[] {'\r', '\n'}, 0, last == '\r' ? 1 : 2);
            checkSize(out.size(), maxSize);
        }
    }

    private static void checkSize(long size, long maxSize) throws BadMessageException {
        if (size > maxSize) {
            throw new BadMessageException("message larger than " + maxSize + " octets");
        }
    }
}
