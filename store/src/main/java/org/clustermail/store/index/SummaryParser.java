package org.clustermail.store.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Builds an {@link Envelope} from a message with mime4j's streaming parser: headers and the first text part are
 * read, every other body is skipped as it streams by, so a 50 MB message never sits in memory.
 *
 * <p>Pure and total: any input, however malformed (no headers, NUL bytes, bare CR or LF, 8-bit or broken
 * encoded-words, megabyte header lines, wrong boundaries), yields an envelope with whatever could be understood;
 * it throws only {@link IOException} from the stream itself. Thread-safe (no state).
 */
public final class SummaryParser {

    private static final MimeConfig CONFIG = new MimeConfig.Builder()
            .setStrictParsing(false)
            .setMaxLineLen(-1)
            .setMaxHeaderCount(-1)
            .setMaxHeaderLen(-1)
            .setMaxContentLen(-1)
            .setMalformedHeaderStartsBody(true)
            .build();
    // Compiled once: String.matches/replaceAll compile their pattern on every call, and this runs for every message.
    private static final Pattern NAME_PARAMETER = Pattern.compile(";\\s*name\\*?=");
    private static final Pattern HTML_MARKUP = Pattern.compile("(?is)<(style|script)\\b.*?</\\1\\s*>|<[^>]*>?");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private SummaryParser() {
    }

    /** Parses the message the stream yields (the stream is read to its end, not closed). */
    public static Envelope parse(InputStream in) throws IOException {
        Collector c = new Collector();
        MimeStreamParser parser = new MimeStreamParser(CONFIG);
        parser.setContentDecoding(true);
        parser.setContentHandler(c);
        try {
            parser.parse(in);
        } catch (org.apache.james.mime4j.MimeException | RuntimeException e) {
            // Lenient mode rarely throws; whatever was collected so far is still the best summary we can give.
            in.transferTo(OutputStreamSink.INSTANCE);
        }
        return c.envelope();
    }

    /** Collects the top-level headers, the first text part, and whether anything looks like an attachment. */
    private static final class Collector extends AbstractContentHandler {
        private int depth;
        private boolean topHeaderDone;
        private String from = "", to = "", cc = "", subject = "", messageId = "", inReplyTo = "", references = "";
        private Optional<Instant> date = Optional.empty();
        private boolean attachment;
        private String preview;
        private String disposition = "";
        private String contentType = "";

        @Override
        public void startHeader() {
            disposition = "";
            contentType = "";
        }

        @Override
        public void field(Field field) {
            String name = field.getNameLowerCase();
            if (name.equals("content-disposition")) {
                disposition = field.getBody().toLowerCase(Locale.ROOT);
            } else if (name.equals("content-type")) {
                contentType = field.getBody().toLowerCase(Locale.ROOT);
            }
            if (topHeaderDone) {
                return;
            }
            switch (name) {
                case "from" -> from = decode(field.getBody());
                case "to" -> to = decode(field.getBody());
                case "cc" -> cc = decode(field.getBody());
                case "subject" -> subject = decode(field.getBody());
                case "date" -> date = MailDates.parse(unfold(field.getBody()));
                case "message-id" -> messageId = unfold(field.getBody()).strip();
                case "in-reply-to" -> inReplyTo = unfold(field.getBody()).strip();
                case "references" -> references = unfold(field.getBody()).strip();
                default -> { }
            }
        }

        @Override
        public void endHeader() {
            topHeaderDone = true;
        }

        @Override
        public void startMultipart(BodyDescriptor bd) {
            depth++;
        }

        @Override
        public void body(BodyDescriptor bd, InputStream is) throws IOException {
            String mime = bd.getMimeType() == null ? "text/plain" : bd.getMimeType().toLowerCase(Locale.ROOT);
            boolean named = NAME_PARAMETER.matcher(contentType).find() || disposition.contains("filename");
            if (disposition.startsWith("attachment") || named
                    || (depth > 0 && !mime.startsWith("text/") && !mime.startsWith("message/"))) {
                attachment = true;
            } else if (preview == null && mime.startsWith("text/")) {
                preview = readPreview(is, bd.getCharset(), mime.equals("text/html"));
            }
        }

        Envelope envelope() {
            return new Envelope(from, to, cc, subject, date, messageId, inReplyTo, references, attachment,
                    preview == null ? "" : preview);
        }
    }

    /** Unfolds and decodes RFC 2047 encoded-words; undecodable words stay as they are, raw 8-bit is read as UTF-8. */
    static String decode(String raw) {
        String s = unfold(raw);
        try {
            return clean(DecoderUtil.decodeEncodedWords(s, DecodeMonitor.SILENT));
        } catch (RuntimeException e) {
            return clean(s);
        }
    }

    private static String unfold(String s) {
        String u = s.length() > 4 * Envelope.MAX_FIELD ? s.substring(0, 4 * Envelope.MAX_FIELD) : s;
        return u.replace("\r\n", "").replace("\n", "").replace("\r", "");
    }

    /** Drops control characters (a summary is shown to people) and trims. */
    private static String clean(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(cp < 0x20 || cp == 0x7f ? ' ' : cp));
        return b.toString().strip();
    }

    private static String readPreview(InputStream is, String charset, boolean html) throws IOException {
        Charset cs = charsetOrUtf8(charset);
        Reader r = new InputStreamReader(is, cs.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
        char[] buf = new char[html ? 4 * Envelope.MAX_PREVIEW : 2 * Envelope.MAX_PREVIEW];
        int n = r.read(buf, 0, buf.length);
        if (n <= 0) {
            return "";
        }
        String text = new String(buf, 0, n);
        if (html) {
            text = HTML_MARKUP.matcher(text).replaceAll(" ");
        }
        return clean(WHITESPACE.matcher(text).replaceAll(" "));
    }

    private static Charset charsetOrUtf8(String name) {
        if (name == null || name.isBlank() || name.equalsIgnoreCase("us-ascii")) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(name.strip());
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** Discards bytes. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
