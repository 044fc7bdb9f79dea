package org.clustermail.cluster.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReplyReaderTest {

    private static ReplyReader reader(String text) {
        return new ReplyReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsMultilineReplyWithExtensions() throws Exception {
        LmtpReply r = reader("250-node2 hello\r\n250-PIPELINING\r\n250 CHUNKING\r\n").read();
        assertThat(r.code()).isEqualTo(250);
        assertThat(r.lines()).containsExactly("node2 hello", "PIPELINING", "CHUNKING");
        assertThat(r.positive()).isTrue();
    }

    @Test
    void splitsEnhancedStatusCodeOnlyWhenItsClassMatches() throws Exception {
        LmtpReply r = reader("550 5.1.1 no such user\r\n").read();
        assertThat(r.enhancedCode()).isEqualTo("5.1.1");
        assertThat(r.lines()).containsExactly("no such user");
        assertThat(r.summary()).isEqualTo("550 no such user");
        assertThat(reader("250 5.1.1 odd\r\n").read().enhancedCode()).isNull();
    }

    @Test
    void readsConsecutiveRepliesAndBareCodes() throws Exception {
        ReplyReader rr = reader("250\r\n451 4.3.0 try later\n");
        assertThat(rr.read().code()).isEqualTo(250);
        LmtpReply second = rr.read();
        assertThat(second.transientFailure()).isTrue();
        assertThat(second.enhancedCode()).isEqualTo("4.3.0");
    }

    @Test
    void rejectsGarbageOverlongLinesAndChangingCodes() {
        assertThatThrownBy(() -> reader("hello\r\n").read()).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("250-a\r\n251 b\r\n").read()).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("250" + "x".repeat(ReplyReader.MAX_LINE) + "\r\n").read())
                .isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> reader("250-a\r\n".repeat(ReplyReader.MAX_LINES + 1)).read())
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void endOfStreamInsideAReplyIsAnError() {
        assertThatThrownBy(() -> reader("250-a\r\n").read()).isInstanceOf(EOFException.class);
    }
}
