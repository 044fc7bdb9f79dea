package org.clustermail.store.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MboxrdTest {

    private static String quote(String s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long n = Mboxrd.quote(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)), out);
        assertThat(n).isEqualTo(out.size());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String unquote(String s) throws IOException {
        return new String(Mboxrd.unquote(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)))
                .readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void quotesFromLinesAtAnyDepth() throws IOException {
        assertThat(quote("From a\nx From b\n>From c\n>>From d\nFrom\n>From\nFro\n"))
                .isEqualTo(">From a\nx From b\n>>From c\n>>>From d\nFrom\n>From\nFro\n");
    }

    @Test
    void roundTripsAwkwardInput() throws IOException {
        for (String s : new String[] {"", "From ", ">From ", "From x\r\n>>From y\r\n", "a\nFrom", "\0From \n\r>From \n",
                ">>>\n>>From\n", "From From From \nFrom "}) {
            assertThat(unquote(quote(s))).as(s).isEqualTo(s);
        }
    }

    @Test
    void quotesLikeTheLineByLineRuleAcrossBufferBoundaries() throws IOException {
        java.util.Random r = new java.util.Random(5);
        String[] starts = {"From ", ">From ", ">>From x", "From", "Fro", ">", "x From ", "", ">>>"};
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        while (in.length() < 100_000) {
            String line = starts[r.nextInt(starts.length)] + "y".repeat(r.nextInt(3000))
                    + (r.nextBoolean() ? "\r\n" : "\n");
            in.append(line);
            expected.append(line.matches("(?s)>*From .*") ? ">" + line : line);
        }
        assertThat(quote(in.toString())).isEqualTo(expected.toString());
        assertThat(unquote(quote(in.toString()))).isEqualTo(in.toString());
    }
}
