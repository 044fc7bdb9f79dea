package org.clustermail.webmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MessageViewTest {

    private static MessageView.Rendered render(String raw) throws IOException {
        return MessageView.render(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void plainTextIsEscapedNotInterpreted() throws IOException {
        MessageView.Rendered r = render("Subject: x\r\n\r\n<script>alert(1)</script> & \"quotes\"\r\n");
        assertThat(r.fromHtml()).isFalse();
        assertThat(r.html()).isEqualTo("<pre class=\"plain\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; "
                + "&quot;quotes&quot;\r\n</pre>");
        assertThat(r.attachments()).isEmpty();
    }

    @Test
    void theHtmlOfAnAlternativeIsShownSanitisedAndItsPlainTwinIsNoAttachment() throws IOException {
        MessageView.Rendered r = render("""
                Content-Type: multipart/alternative; boundary=a\r
                \r
                --a\r
                Content-Type: text/plain\r
                \r
                plain\r
                --a\r
                Content-Type: text/html; charset=iso-8859-1\r
                Content-Transfer-Encoding: quoted-printable\r
                \r
                <p style=3D"color:blue;background:url(https://t.test/x)" onmouseover=3D"x()">caf=E9</p>\r
                <svg onload=3D"x()"></svg><object data=3D"x.swf"></object><a href=3D"data:text/html,x">d</a>\r
                --a--\r
                """);
        assertThat(r.fromHtml()).isTrue();
        assertThat(r.html()).contains("café", "color:blue").doesNotContain("url(", "onmouseover", "<svg", "<object",
                "data:", "plain");
        assertThat(r.attachments()).isEmpty();
    }

    @Test
    void attachmentsAreListedWithSafeNamesAndDecodedContent() throws IOException {
        String raw = """
                Content-Type: multipart/mixed; boundary=m\r
                \r
                --m\r
                Content-Type: text/plain\r
                \r
                see attached\r
                --m\r
                Content-Type: application/octet-stream\r
                Content-Disposition: attachment; filename="../../evil.exe"\r
                Content-Transfer-Encoding: base64\r
                \r
                aGVsbG8=\r
                --m\r
                Content-Type: image/png\r
                Content-Transfer-Encoding: base64\r
                \r
                iVBORw0K\r
                --m--\r
                """;
        MessageView.Rendered r = render(raw);
        assertThat(r.html()).contains("see attached");
        assertThat(r.attachments()).extracting(MessageView.Attachment::filename).containsExactly("evil.exe",
                "part-2.png");
        assertThat(r.attachments().get(0).size()).isEqualTo(5);
        MessageView.Download d = MessageView.attachment(new ByteArrayInputStream(raw.getBytes(
                StandardCharsets.UTF_8)), 0).orElseThrow();
        assertThat(new String(d.content(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(MessageView.attachment(new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)), 2))
                .isEmpty();
    }

    @Test
    void aForwardedMessageShowsItsTextAndBrokenMimeStillShowsWhatItCan() throws IOException {
        MessageView.Rendered fwd = render("""
                Content-Type: message/rfc822\r
                \r
                Subject: inner\r
                \r
                the inner text\r
                """);
        assertThat(fwd.html()).contains("the inner text");
        MessageView.Rendered broken = render("Content-Type: multipart/mixed; boundary=never\r\n\r\n--never\r\n"
                + "Content-Type: text/plain\r\n\r\nunterminated part");
        assertThat(broken.html()).contains("unterminated part");
        assertThat(render("").html()).isEqualTo("<pre class=\"plain\"></pre>");
    }

    @Test
    void aHugeBodyIsCutWithANote() throws IOException {
        MessageView.Rendered r = render("Subject: big\r\n\r\n" + "x".repeat(MessageView.MAX_BODY_CHARS + 10));
        assertThat(r.html()).hasSizeLessThan(MessageView.MAX_BODY_CHARS + 200).contains("[… cut:");
    }
}
