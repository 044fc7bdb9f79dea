package org.clustermail.webmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableOutputStream;
import org.clustermail.directory.MailAddress;

/**
 * Turns what a user wrote in the browser into an RFC 5322 message: a trace header, Date, From (the logged-in user,
 * never what the form says), To, Subject (RFC 2047 where it is not ASCII), Message-ID, the reply's In-Reply-To and
 * References, and a UTF-8 text body in quoted-printable (any line length, any character). Header values lose
 * control characters, so a form field cannot add a header. Pure functions.
 */
final class Composer {

    /** The most recipients one message from the browser may have, as for SMTP. */
    static final int MAX_RECIPIENTS = 100;

    private Composer() {
    }

    /** The recipients the user typed, separated by commas, semicolons or spaces; each a plain address. */
    static List<MailAddress> recipients(String typed) throws IllegalArgumentException {
        List<MailAddress> out = new ArrayList<>();
        for (String part : typed.split("[,;\\s]+")) {
            String a = part.strip();
            if (a.startsWith("<") && a.endsWith(">")) {
                a = a.substring(1, a.length() - 1);
            }
            if (!a.isEmpty()) {
                out.add(MailAddress.parse(a));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no recipient");
        }
        if (out.size() > MAX_RECIPIENTS) {
            throw new IllegalArgumentException("more than " + MAX_RECIPIENTS + " recipients");
        }
        return out;
    }

    /**
     * @param traceId   the message's id in this node's logs and its Received header
     * @param inReplyTo the Message-ID of the message answered, if any
     */
    static byte[] message(MailAddress from, List<MailAddress> to, String subject, String body, String hostname,
                          String clientAddress, String traceId, String messageId, Optional<String> inReplyTo,
                          ZonedDateTime now) {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(now);
        StringBuilder h = new StringBuilder();
        h.append("Received: from [").append(clientAddress).append("] by ").append(hostname)
                .append(" with HTTPS (clustermail web-mail) id ").append(traceId).append(";\r\n\t").append(date)
                .append("\r\n");
        h.append("Date: ").append(date).append("\r\n");
        h.append("From: ").append(from).append("\r\n");
        h.append("To: ").append(String.join(",\r\n ", to.stream().map(MailAddress::toString).toList()))
                .append("\r\n");
        String cleanSubject = oneLine(subject);
        h.append("Subject: ").append(EncoderUtil.encodeIfNecessary(cleanSubject, EncoderUtil.Usage.TEXT_TOKEN,
                "Subject: ".length())).append("\r\n");
        h.append("Message-ID: <").append(messageId).append(">\r\n");
        inReplyTo.map(Composer::oneLine).filter(id -> !id.isBlank()).ifPresent(id -> {
            String bracketed = id.startsWith("<") ? id : "<" + id + ">";
            h.append("In-Reply-To: ").append(bracketed).append("\r\nReferences: ").append(bracketed).append("\r\n");
        });
        h.append("MIME-Version: 1.0\r\n");
        h.append("Content-Type: text/plain; charset=utf-8\r\n");
        h.append("Content-Transfer-Encoding: quoted-printable\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream(h.length() + body.length() * 2);
        try {
            out.write(h.toString().getBytes(StandardCharsets.UTF_8));
            String text = body.replace("\r\n", "\n").replace('\r', '\n');
            if (!text.endsWith("\n")) {
                text += "\n";
            }
            try (OutputStream qp = new QuotedPrintableOutputStream(out, false)) {
                qp.write(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return out.toByteArray();
    }

    /** Each run of control characters (CR, LF, TAB, ...) becomes one space: one header line, whatever was sent. */
    static String oneLine(String s) {
        return CONTROLS.matcher(s).replaceAll(" ").strip();
    }

    private static final Pattern CONTROLS = Pattern.compile("\\p{Cntrl}+");
}
