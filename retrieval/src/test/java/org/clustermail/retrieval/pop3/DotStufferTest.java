package org.clustermail.retrieval.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {

    static String copy(String message, int lines) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DotStuffer.copy(new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)), out, lines);
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void stuffsDotsAndTerminates() throws IOException {
        assertThat(copy("Subject: x\r\n\r\n.hidden\r\n..two\r\nend", -1))
                .isEqualTo("Subject: x\r\n\r\n..hidden\r\n...two\r\nend\r\n.\r\n");
        assertThat(copy("", -1)).isEqualTo(".\r\n");
        assertThat(copy(".\r\n", -1)).isEqualTo("..\r\n.\r\n");
    }

    @Test
    void topCopiesHeaderAndSomeLines() throws IOException {
        String m = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";
        assertThat(copy(m, 0)).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(copy(m, 2)).isEqualTo("A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
        assertThat(copy(m, 99)).isEqualTo(m.replace(".l2", "..l2") + ".\r\n");
        assertThat(copy("A: 1\n\nx\ny\n", 1)).isEqualTo("A: 1\n\nx\n.\r\n");
    }
}
