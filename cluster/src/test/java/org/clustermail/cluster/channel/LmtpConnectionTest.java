package org.clustermail.cluster.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.clustermail.store.MessageContent;
import org.junit.jupiter.api.Test;

/**
 * The client against a scripted server that answers nothing until the whole transaction (envelope, BDAT, content)
 * has arrived: a client that waited for the envelope's replies before sending the content would never get them.
 */
class LmtpConnectionTest {

    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Reads one transaction of {@code rcpts} recipients in full, then sends {@code replies}; records the commands. */
    private static CompletableFuture<List<String>> server(ServerSocket listener, int rcpts, String replies,
                                                          String afterwards) {
        CompletableFuture<List<String>> commands = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket s = listener.accept(); InputStream in = s.getInputStream();
                 OutputStream out = s.getOutputStream()) {
                out.write("220 scripted LMTP\r\n250-scripted\r\n250-PIPELINING\r\n250 CHUNKING\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                List<String> seen = new ArrayList<>();
                seen.add(line(in)); // LHLO (the greeting and its reply went out before it; the client waits for them)
                for (int i = 0; i < 2 + rcpts; i++) { // MAIL, RCPTs, BDAT
                    seen.add(line(in));
                }
                String bdat = seen.get(seen.size() - 1);
                int size = Integer.parseInt(bdat.split(" ")[1]);
                seen.add(new String(in.readNBytes(size), StandardCharsets.US_ASCII));
                out.write(replies.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (!afterwards.isEmpty()) {
                    seen.add(line(in));
                    out.write(afterwards.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
                commands.complete(seen);
            } catch (IOException | RuntimeException e) {
                commands.completeExceptionally(e);
            }
        });
        return commands;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static LmtpConnection open(ServerSocket listener) throws IOException {
        return LmtpConnection.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                "node01", Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @Test
    void aConnectionThatJustAnsweredSendsTheWholeTransactionInOneRoundTrip() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> seen = server(listener, 2,
                    "250 2.1.0 ok\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n250 2.0.0 <a@x.test> stored\r\n"
                            + "451 4.3.0 <b@x.test> not now\r\n", "");
            try (LmtpConnection c = open(listener)) {
                List<RecipientReply> replies = c.send("s@y.test", List.of("a@x.test", "b@x.test"),
                        MessageContent.ofBytes(MESSAGE));

                assertThat(replies).extracting(r -> r.reply().code()).containsExactly(250, 451);
                assertThat(c.contentStarted()).isTrue();
                assertThat(c.usable()).isTrue();
            }
            assertThat(seen.get()).containsExactly("LHLO node01", "MAIL FROM:<s@y.test>", "RCPT TO:<a@x.test>",
                    "RCPT TO:<b@x.test>", "BDAT " + MESSAGE.length + " LAST",
                    new String(MESSAGE, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void whenEveryRecipientIsRefusedTheRefusedChunkIsReadAndTheTransactionReset() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<List<String>> seen = server(listener, 1,
                    "250 2.1.0 ok\r\n550 5.1.1 no such user\r\n554 5.5.1 No valid recipients\r\n", "250 2.0.0 reset\r\n");
            try (LmtpConnection c = open(listener)) {
                List<RecipientReply> replies = c.send("s@y.test", List.of("nobody@x.test"),
                        MessageContent.ofBytes(MESSAGE));

                assertThat(replies).singleElement().satisfies(r -> assertThat(r.reply().code()).isEqualTo(550));
                assertThat(c.usable()).isTrue();
            }
            assertThat(seen.get()).last().isEqualTo("RSET");
        }
    }
}
