package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.clustermail.retrieval.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the protocol transcripts in {@code src/test/resources/transcripts/} ({@code *.imap}, {@code *.pop3}) against a
 * real server: {@code C:} lines
 * are sent (with CRLF), {@code S:} lines must come back exactly, {@code S~} lines must match as a regular
 * expression, and {@code !deliver $USER subject} delivers a message as the MTA would. One node for all scripts; each script has its own user ({@code $USER}).
 */
class ImapTranscriptTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @TestFactory
    Stream<DynamicTest> transcripts() throws IOException, URISyntaxException {
        URL dir = getClass().getResource("/transcripts");
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            return files.filter(p -> p.toString().endsWith(".imap") || p.toString().endsWith(".pop3")).sorted()
                    .toList().stream()
                    .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> run(p)));
        }
    }

    static void run(Path script) throws IOException {
        List<String> lines = Files.readAllLines(script, StandardCharsets.UTF_8);
        // Each script has its own user, so scripts share one node without seeing each other's mail.
        String user = "t" + script.getFileName().toString().replaceAll("[^a-z0-9]", "").substring(0, 10);
        node.addUser(user);
        lines = lines.stream().map(l -> l.replace("$USER", TestServers.address(user))).toList();
        int port = script.toString().endsWith(".pop3") ? node.pop3Port() : node.imapPort();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            int n = 0;
            for (String line : lines) {
                n++;
                String where = script.getFileName() + ":" + n;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("C: ") || line.equals("C:")) {
                    out.write((line.substring(Math.min(3, line.length())) + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } else if (line.startsWith("S: ")) {
                    assertThat(readLine(in, where)).as(where).isEqualTo(line.substring(3));
                } else if (line.startsWith("S~ ")) {
                    assertThat(readLine(in, where)).as(where).matches(line.substring(3));
                } else if (line.startsWith("!deliver ")) {
                    String[] a = line.split(" ", 3);
                    node.deliver(user, TestServers.message(a[2], 200));
                } else {
                    fail(where + ": unknown line " + line);
                }
            }
        }
    }

    /** One line from the server, without CRLF (a literal's bytes come as the lines they contain). */
    static String readLine(InputStream in, String where) throws IOException {
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\n') {
                    break;
                }
                b.append((char) c);
            }
        } catch (SocketTimeoutException e) {
            fail(where + ": no answer from the server; got so far: " + b);
        }
        String s = b.toString();
        return new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8).replaceAll("\r$", "");
    }

}
