package org.clustermail.webmail;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.james.mime4j.dom.Body;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.SingleBody;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.MimeConfig;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * What the reader of a message sees: its body as safe HTML and its attachments. The body is the message's HTML
 * part where it has one (in a {@code multipart/alternative}, the richest), sanitised with an allow-list policy —
 * formatting, blocks, tables, safe CSS and {@code http}/{@code https}/{@code mailto} links that open without a
 * referrer; no scripts, event handlers, forms, frames, images or remote style sheets — else its text part, escaped.
 * Every other leaf part is an attachment, served only as a download.
 *
 * <p>Pure functions; the message is parsed with mime4j's lenient parser, so broken mail still shows what can be shown.
 */
public final class MessageView {

    /** Longest body shown, in characters; the rest is cut (with a note) so a huge text cannot stall the page. */
    static final int MAX_BODY_CHARS = 1 << 20;

    /**
     * Images are not allowed: a remote image tells the sender when and where the mail was read (the page's
     * Content-Security-Policy blocks remote loads as well).
     */
    private static final PolicyFactory POLICY = new HtmlPolicyBuilder()
            .allowCommonInlineFormattingElements()
            .allowCommonBlockElements()
            .allowElements("table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
                    "hr", "pre", "code", "blockquote", "center", "font", "dl", "dt", "dd", "br")
            .allowAttributes("colspan", "rowspan", "align", "valign", "width", "height", "bgcolor")
            .onElements("table", "tr", "td", "th", "col", "colgroup")
            .allowAttributes("border", "cellpadding", "cellspacing").onElements("table")
            .allowAttributes("color", "face", "size").onElements("font")
            .allowStyling()
            .allowElements("a")
            .allowAttributes("href").onElements("a")
            .allowUrlProtocols("http", "https", "mailto")
            .requireRelsOnLinks("noopener", "noreferrer", "nofollow")
            .toFactory();

    /** One attachment: its position among the attachments (for the download link), name, type and decoded size. */
    public record Attachment(int index, String filename, String mimeType, long size) {
    }

    /**
     * @param html        the body, safe to put into the page as it is
     * @param fromHtml    whether it came from an HTML part (sanitised) rather than a text part (escaped)
     * @param attachments the other leaf parts
     */
    public record Rendered(String html, boolean fromHtml, List<Attachment> attachments) {
    }

    private MessageView() {
    }

    /** Parses a raw message and renders its body and attachment list. */
    public static Rendered render(InputStream raw) throws IOException {
        Message message = parse(raw);
        List<Entity> leaves = new ArrayList<>();
        collectLeaves(message, leaves);
        Optional<Entity> body = chooseBody(message);
        List<Attachment> attachments = new ArrayList<>();
        for (Entity e : leaves) {
            if (body.isPresent() && e == body.get()) {
                continue;
            }
            if (isAlternativeText(e)) {
                continue; // the plain twin of the HTML body shown
            }
            attachments.add(new Attachment(attachments.size(), filename(e, attachments.size()), e.getMimeType(),
                    decodedSize(e)));
        }
        if (body.isEmpty()) {
            return new Rendered("", false, attachments);
        }
        String text = read(body.get());
        boolean html = "text/html".equalsIgnoreCase(body.get().getMimeType());
        return new Rendered(html ? sanitize(text) : plainToHtml(text), html, attachments);
    }

    /** The allow-list policy applied to an HTML body (public for tests and for anything else that shows mail). */
    public static String sanitize(String html) {
        return POLICY.sanitize(html);
    }

    /**
     * The decoded bytes of attachment {@code index} as {@link #render} numbered them, with its name and type; empty
     * when there is no such attachment.
     */
    public static Optional<Download> attachment(InputStream raw, int index) throws IOException {
        Message message = parse(raw);
        List<Entity> leaves = new ArrayList<>();
        collectLeaves(message, leaves);
        Optional<Entity> body = chooseBody(message);
        int i = 0;
        for (Entity e : leaves) {
            if ((body.isPresent() && e == body.get()) || isAlternativeText(e)) {
                continue;
            }
            if (i == index) {
                return Optional.of(new Download(filename(e, i), e.getMimeType(), bytes(e)));
            }
            i++;
        }
        return Optional.empty();
    }

    /** An attachment's content, decoded. */
    public record Download(String filename, String mimeType, byte[] content) {
    }

    private static Message parse(InputStream raw) throws IOException {
        DefaultMessageBuilder builder = new DefaultMessageBuilder();
        builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
        return builder.parseMessage(raw);
    }

    private static void collectLeaves(Entity entity, List<Entity> out) {
        Body b = entity.getBody();
        if (b instanceof Multipart mp) {
            for (Entity part : mp.getBodyParts()) {
                collectLeaves(part, out);
            }
        } else if (b instanceof Message inner && !"attachment".equalsIgnoreCase(entity.getDispositionType())) {
            collectLeaves(inner, out);
        } else {
            out.add(entity);
        }
    }

    /** The first inline text part, preferring HTML within a multipart/alternative (RFC 2046: last is richest). */
    private static Optional<Entity> chooseBody(Entity entity) {
        Body b = entity.getBody();
        if (b instanceof Multipart mp) {
            List<Entity> parts = mp.getBodyParts();
            if ("alternative".equalsIgnoreCase(mp.getSubType())) {
                for (int i = parts.size() - 1; i >= 0; i--) {
                    if (isInlineText(parts.get(i), "text/html")) {
                        return Optional.of(parts.get(i));
                    }
                }
                for (int i = parts.size() - 1; i >= 0; i--) {
                    Optional<Entity> inner = chooseBody(parts.get(i));
                    if (inner.isPresent()) {
                        return inner;
                    }
                }
                return Optional.empty();
            }
            for (Entity part : parts) {
                Optional<Entity> inner = chooseBody(part);
                if (inner.isPresent()) {
                    return inner;
                }
            }
            return Optional.empty();
        }
        if (b instanceof Message inner && !"attachment".equalsIgnoreCase(entity.getDispositionType())) {
            return chooseBody(inner);
        }
        if (isInlineText(entity, "text/plain") || isInlineText(entity, "text/html")) {
            return Optional.of(entity);
        }
        return Optional.empty();
    }

    private static boolean isInlineText(Entity e, String type) {
        return e.getBody() instanceof TextBody && type.equalsIgnoreCase(e.getMimeType())
                && !"attachment".equalsIgnoreCase(e.getDispositionType());
    }

    /** A text part inside a multipart/alternative (the plain twin of the HTML shown): not an attachment. */
    private static boolean isAlternativeText(Entity e) {
        if (!(e.getParent() != null && e.getParent().getBody() instanceof Multipart mp)
                || !"alternative".equalsIgnoreCase(mp.getSubType())) {
            return false;
        }
        return e.getBody() instanceof TextBody && !"attachment".equalsIgnoreCase(e.getDispositionType());
    }

    private static String read(Entity e) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Reader r = ((TextBody) e.getBody()).getReader()) {
            char[] buf = new char[8192];
            int n;
            while ((n = r.read(buf)) > 0) {
                int room = MAX_BODY_CHARS - sb.length();
                sb.append(buf, 0, Math.min(n, room));
                if (n > room) {
                    sb.append("\n[… cut: the message is longer than this page shows]");
                    break;
                }
            }
        }
        return sb.toString();
    }

    private static String plainToHtml(String text) {
        return "<pre class=\"plain\">" + escape(text) + "</pre>";
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String filename(Entity e, int index) {
        String name = e.getFilename();
        if (name == null || name.isBlank()) {
            String sub = e.getMimeType().contains("/") ? e.getMimeType().substring(e.getMimeType().indexOf('/') + 1)
                    : "bin";
            name = "part-" + (index + 1) + "." + sub.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        }
        // Keep only the last path element and drop control characters: the name goes into a header and a file.
        name = name.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("\\p{Cntrl}", "");
        return name.isBlank() ? "attachment" : name;
    }

    private static long decodedSize(Entity e) throws IOException {
        if (e.getBody() instanceof SingleBody sb) {
            try (InputStream in = sb.getInputStream()) {
                return in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return 0;
    }

    private static byte[] bytes(Entity e) throws IOException {
        if (e.getBody() instanceof SingleBody sb) {
            try (InputStream in = sb.getInputStream()) {
                return in.readAllBytes();
            }
        }
        return new byte[0];
    }
}
