package org.clustermail.retrieval.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.dom.field.DateTimeField;
import org.apache.james.mime4j.field.DateTimeFieldLenientImpl;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.RawField;

/**
 * The searchable text of a message (IMAP SEARCH BODY/TEXT): the decoded text parts (transfer encoding and charset
 * undone by mime4j's streaming parser) and, optionally, the decoded header values; lower-cased for case-insensitive
 * matching. Bounded: at most {@value #MAX_CHARS} characters are kept. Pure functions.
 */
public final class MessageText {

    static final int MAX_CHARS = 8 << 20;

    private MessageText() {
    }

    /** The text of {@code in}, lower-cased; with {@code headers}, every header value is included too. */
    public static String of(InputStream in, boolean headers) throws IOException {
        StringBuilder out = new StringBuilder();
        MimeStreamParser parser = new MimeStreamParser(MimeConfig.PERMISSIVE);
        parser.setContentDecoding(true);
        parser.setContentHandler(new AbstractContentHandler() {
            @Override
            public void field(Field field) {
                if (headers && out.length() < MAX_CHARS) {
                    out.append(decode(field.getBody())).append('\n');
                }
            }

            @Override
            public void body(BodyDescriptor bd, InputStream body) throws IOException {
                if (!bd.getMimeType().startsWith("text/") || out.length() >= MAX_CHARS) {
                    return;
                }
                Reader r = new InputStreamReader(body, charset(bd.getCharset()));
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0 && out.length() < MAX_CHARS) {
                    out.append(buf, 0, n);
                }
                out.append('\n');
            }
        });
        try {
            parser.parse(in);
        } catch (MimeException e) {
            // Permissive mode rarely throws; what was read so far is still searchable.
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }

    /** A header value with RFC 2047 encoded words decoded. */
    public static String decode(String raw) {
        return DecoderUtil.decodeEncodedWords(raw, DecodeMonitor.SILENT);
    }

    /** The instant of a Date: header value, or null if it cannot be parsed. */
    public static Instant date(String raw) {
        if (raw == null) {
            return null;
        }
        RawField field = new RawField("Date", ContentTypes.oneLine(raw));
        DateTimeField f = DateTimeFieldLenientImpl.PARSER.parse(field, DecodeMonitor.SILENT);
        Date d = f.getDate();
        return d == null ? null : d.toInstant();
    }

    private static Charset charset(String name) {
        try {
            return name == null ? StandardCharsets.US_ASCII : Charset.forName(name);
        } catch (IllegalArgumentException e) {
            return StandardCharsets.ISO_8859_1;
        }
    }
}
