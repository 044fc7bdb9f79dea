package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.clustermail.retrieval.imap.command.ImapParser;
import org.clustermail.retrieval.imap.command.ParsedLine;
import org.clustermail.retrieval.mime.MimePart;
import org.clustermail.retrieval.mime.MimeScanner;
import org.clustermail.retrieval.pop3.Pop3Command;
import org.clustermail.retrieval.pop3.Pop3Parser;
import org.clustermail.retrieval.pop3.Pop3SyntaxException;

/**
 * Jazzer fuzz tests of everything that reads client or message bytes. In the normal test run they replay the
 * corpus under {@code src/test/resources/.../ParserFuzzTestInputs/} (regression mode, a second or so); with
 * {@code JAZZER_FUZZ=1} they fuzz for {@code maxDuration}. Properties: the IMAP parser never throws and always names
 * a tag; the POP3 parser throws nothing but its syntax exception; the MIME scanner never throws and keeps every
 * offset inside the message.
 */
class ParserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void imapParser(byte[] input) {
        ParsedLine line = ImapParser.parse(input);
        assertThat(line.tag()).isNotEmpty();
    }

    @FuzzTest(maxDuration = "10s")
    void pop3Parser(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            Pop3Command cmd = Pop3Parser.parse(text);
            assertThat(cmd).isNotNull();
        } catch (Pop3SyntaxException e) {
            assertThat(e.getMessage()).doesNotContain("\n");
        }
    }

    @FuzzTest(maxDuration = "20s")
    void mimeScanner(byte[] input) throws IOException {
        MimePart root = MimeScanner.scan(new ByteArrayInputStream(input));
        check(root, input.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StructureWriter.body(new ImapWriter(out), root, true);
        StructureWriter.envelope(new ImapWriter(out), root.header());
        assertThat(out.size()).isPositive();
    }

    private static void check(MimePart p, int size) {
        assertThat(p.headerStart()).isBetween(0L, (long) size);
        assertThat(p.bodyStart()).isBetween(p.headerStart(), (long) size);
        assertThat(p.bodyEnd()).isBetween(p.bodyStart(), (long) size);
        p.children().forEach(c -> check(c, size));
        p.message().ifPresent(m -> check(m, size));
    }
}
