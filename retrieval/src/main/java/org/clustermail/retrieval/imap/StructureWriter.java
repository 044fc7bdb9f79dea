package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.clustermail.retrieval.mime.ContentTypes;
import org.clustermail.retrieval.mime.HeaderBlock;
import org.clustermail.retrieval.mime.MimePart;

/**
 * Writes ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) from a scanned {@link MimePart}. Header values
 * go out raw (encoded words kept), as clients expect; addresses are parsed with mime4j. Stateless.
 */
final class StructureWriter {

    private StructureWriter() {
    }

    static void envelope(ImapWriter w, HeaderBlock h) throws IOException {
        w.open();
        w.nstring(h.first("Date")).sp().nstring(h.first("Subject")).sp();
        String from = h.first("From");
        addresses(w, from);
        w.sp();
        addresses(w, h.first("Sender") != null ? h.first("Sender") : from);
        w.sp();
        addresses(w, h.first("Reply-To") != null ? h.first("Reply-To") : from);
        w.sp();
        addresses(w, h.first("To"));
        w.sp();
        addresses(w, h.first("Cc"));
        w.sp();
        addresses(w, h.first("Bcc"));
        w.sp().nstring(h.first("In-Reply-To")).sp().nstring(h.first("Message-ID"));
        w.close();
    }

    private static void addresses(ImapWriter w, String value) throws IOException {
        if (value == null || value.isBlank()) {
            w.nil();
            return;
        }
        AddressList list = LenientAddressParser.DEFAULT.parseAddressList(value);
        if (list == null || list.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        for (Address a : list) {
            if (a instanceof Group g) {
                w.open().nil().sp().nil().sp().nstring(g.getName()).sp().nil().close();
                for (Mailbox m : g.getMailboxes()) {
                    mailbox(w, m);
                }
                w.open().nil().sp().nil().sp().nil().sp().nil().close();
            } else if (a instanceof Mailbox m) {
                mailbox(w, m);
            }
        }
        w.close();
    }

    private static void mailbox(ImapWriter w, Mailbox m) throws IOException {
        String name = m.getName();
        if (name != null) {
            name = EncoderUtil.encodeIfNecessary(name, EncoderUtil.Usage.TEXT_TOKEN, 0);
        }
        String route = m.getRoute() == null || m.getRoute().isEmpty() ? null : m.getRoute().toRouteString();
        w.open().nstring(name).sp().nstring(route).sp().nstring(m.getLocalPart()).sp().nstring(m.getDomain()).close();
    }

    /** BODYSTRUCTURE ({@code extensible} true) or BODY of {@code part}. */
    static void body(ImapWriter w, MimePart part, boolean extensible) throws IOException {
        if (part.isMultipart()) {
            multipart(w, part, extensible);
        } else {
            single(w, part, extensible);
        }
    }

    private static void multipart(ImapWriter w, MimePart part, boolean extensible) throws IOException {
        w.open();
        for (MimePart child : part.children()) {
            body(w, child, extensible);
        }
        w.sp().string(upper(part.contentType().subtype()));
        if (extensible) {
            w.sp();
            params(w, part.contentType().parameters());
            w.sp();
            dispositionLanguageLocation(w, part.header());
        }
        w.close();
    }

    private static void single(ImapWriter w, MimePart part, boolean extensible) throws IOException {
        MimePart.ContentType type = part.contentType();
        HeaderBlock h = part.header();
        w.open().string(upper(type.type())).sp().string(upper(type.subtype())).sp();
        params(w, type.parameters());
        w.sp().nstring(h.first("Content-ID")).sp().nstring(h.first("Content-Description")).sp();
        String encoding = h.first("Content-Transfer-Encoding");
        w.string(encoding == null ? "7BIT" : upper(encoding.strip())).sp().number(part.bodySize());
        if (type.type().equals("text")) {
            w.sp().number(part.bodyLines());
        } else if (type.is("message", "rfc822") && part.message().isPresent()) {
            MimePart inner = part.message().get();
            w.sp();
            envelope(w, inner.header());
            w.sp();
            body(w, inner, extensible);
            w.sp().number(part.bodyLines());
        }
        if (extensible) {
            w.sp().nstring(h.first("Content-MD5")).sp();
            dispositionLanguageLocation(w, h);
        }
        w.close();
    }

    private static void dispositionLanguageLocation(ImapWriter w, HeaderBlock h) throws IOException {
        ContentTypes.Disposition d = ContentTypes.disposition(h.first("Content-Disposition"));
        if (d == null) {
            w.nil();
        } else {
            w.open().string(upper(d.type())).sp();
            params(w, d.parameters());
            w.close();
        }
        w.sp();
        String language = h.first("Content-Language");
        if (language == null) {
            w.nil();
        } else {
            List<String> tags = List.of(language.split("\\s*,\\s*"));
            w.open();
            for (int i = 0; i < tags.size(); i++) {
                if (i > 0) {
                    w.sp();
                }
                w.string(tags.get(i).strip());
            }
            w.close();
        }
        w.sp().nstring(h.first("Content-Location"));
    }

    private static void params(ImapWriter w, Map<String, String> params) throws IOException {
        if (params.isEmpty()) {
            w.nil();
            return;
        }
        w.open();
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.string(upper(e.getKey())).sp().string(e.getValue() == null ? "" : e.getValue());
        }
        w.close();
    }

    private static String upper(String s) {
        return s.toUpperCase(Locale.ROOT);
    }
}
