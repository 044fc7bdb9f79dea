package org.clustermail.retrieval.mime;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.field.ContentDispositionField;
import org.apache.james.mime4j.dom.field.ContentTypeField;
import org.apache.james.mime4j.field.ContentDispositionFieldLenientImpl;
import org.apache.james.mime4j.field.ContentTypeFieldLenientImpl;
import org.apache.james.mime4j.stream.RawField;

/** Parses Content-Type and Content-Disposition values with mime4j's lenient parsers. Pure functions. */
public final class ContentTypes {

    private ContentTypes() {
    }

    /** The parsed Content-Type, or {@code fallback} when absent or unparseable (RFC 2045 section 5.2). */
    public static MimePart.ContentType of(String value, MimePart.ContentType fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        ContentTypeField f = ContentTypeFieldLenientImpl.PARSER.parse(new RawField("Content-Type", oneLine(value)),
                DecodeMonitor.SILENT);
        String type = f.getMediaType();
        String sub = f.getSubType();
        if (type == null || sub == null || type.isEmpty() || sub.isEmpty()) {
            return fallback;
        }
        return new MimePart.ContentType(type.toLowerCase(Locale.ROOT), sub.toLowerCase(Locale.ROOT),
                params(f.getParameters()));
    }

    /** A parsed Content-Disposition: type (lower case) and parameters. */
    public record Disposition(String type, Map<String, String> parameters) {
    }

    /** The parsed disposition, or null when absent. */
    public static Disposition disposition(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        ContentDispositionField f = ContentDispositionFieldLenientImpl.PARSER.parse(
                new RawField("Content-Disposition", oneLine(value)), DecodeMonitor.SILENT);
        String type = f.getDispositionType();
        if (type == null || type.isEmpty()) {
            return null;
        }
        return new Disposition(type.toLowerCase(Locale.ROOT), params(f.getParameters()));
    }

    /** A value with stray CR/LF (broken mail) made one line, as mime4j's field classes require. */
    static String oneLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value : value.replace('\r', ' ').replace('\n', ' ');
    }

    private static Map<String, String> params(Map<String, String> in) {
        Map<String, String> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.toLowerCase(Locale.ROOT), v));
        return out;
    }
}
