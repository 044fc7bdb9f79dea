package org.clustermail.cluster.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

    private static String stuff(String content, boolean byteByByte) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (byteByByte) {
            for (byte b : bytes) {
                out.write(b);
            }
        } else {
            out.write(bytes, 0, bytes.length);
        }
        out.finish();
        return sink.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doublesLeadingDotsAndTerminates() throws IOException {
        for (boolean single : new boolean[] {true, false}) {
            assertThat(stuff(".hidden\r\nmid.dle\r\n.\r\n..two\r\n", single))
                    .isEqualTo("..hidden\r\nmid.dle\r\n..\r\n...two\r\n.\r\n");
        }
    }

    @Test
    void addsTheMissingLineEndBeforeTheTerminator() throws IOException {
        assertThat(stuff("no newline", false)).isEqualTo("no newline\r\n.\r\n");
        assertThat(stuff("", false)).isEqualTo(".\r\n");
        assertThat(stuff("bare\n.lf\n", true)).isEqualTo("bare\n..lf\n\r\n.\r\n");
    }

    @Test
    void stuffsADotThatStartsAChunkAfterALineEnd() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        DotStuffingOutputStream out = new DotStuffingOutputStream(sink);
        out.write("a\r\n".getBytes(StandardCharsets.US_ASCII));
        out.write(".b\r\n".getBytes(StandardCharsets.US_ASCII));
        out.finish();
        assertThat(sink.toString(StandardCharsets.US_ASCII)).isEqualTo("a\r\n..b\r\n.\r\n");
    }
}
