package org.clustermail.node;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The composition root: a whole node from its configuration, its metrics, and a graceful stop that loses nothing. */
class MailNodeTest {

    @TempDir
    Path dir;

    private NodeConfig config() {
        return ConfigLoader.parse("dataDir: " + dir.resolve("data") + "\nsmtp: {hostname: mx.example.test}\n", "test");
    }

    @Test
    void aFreshNodeAcceptsMailForItsDemoUserAndCountsTheStagesInMetrics() throws Exception {
        try (MailNode node = MailNode.start(config(), true)) {
            assertThat(DemoSetup.ensure(node.directory())).isPresent();
            assertThat(DemoSetup.ensure(node.directory())).as("only into an empty directory").isEmpty();
            try (Line c = new Line(node.port("smtp"))) {
                c.expect("220 mx.example.test ESMTP");
                c.send("EHLO me\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<demo@example.test>\r\nDATA\r\n");
                c.skipTo("354");
                c.send("Subject: hi\r\n\r\nhello\r\n.\r\n");
                c.expect("250 2.0.0");
            }
            assertThat(inbox(node, DemoSetup.USER)).hasSize(1);
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + node.port("metrics") + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (String stage : List.of("mta", "setup", "store", "transfer")) {
                assertThat(metrics).contains("clustermail_delivery_stage_seconds_count{stage=\"" + stage + "\"} 1");
            }
            assertThat(metrics).contains("clustermail_connections_active{listener=\"submission\"}");
        }
    }

    @Test
    void gracefulStopLetsAMessageInFlightFinishAndItSurvivesARestart() throws Exception {
        MailNode node = MailNode.start(config(), true);
        DemoSetup.ensure(node.directory());
        int port = node.port("smtp");
        try (Line c = new Line(port)) {
            c.expect("220");
            c.send("EHLO me\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<demo@example.test>\r\nDATA\r\n");
            c.skipTo("354");
            c.send("Subject: in flight\r\n\r\nfirst half\r\n");
            Thread stopper = Thread.ofVirtual().start(() -> node.stop(Duration.ofSeconds(10)));
            Thread.sleep(300);
            c.send("second half\r\n.\r\n");
            c.expect("250 2.0.0");
            c.expect("421 4.3.2"); // then told to go away, since the node is stopping
            stopper.join();
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("still accepting connections");
        } catch (ConnectException expected) {
            // stopped
        }
        try (MailNode again = MailNode.start(config(), true)) {
            assertThat(inbox(again, DemoSetup.USER)).singleElement()
                    .satisfies(m -> assertThat(m).contains("first half\r\nsecond half\r\n"));
        }
    }

    private static List<String> inbox(MailNode node, String address) throws IOException {
        UserLocation where = node.directory().directory().locate(MailAddress.parse(address)).orElseThrow();
        try (Mailbox mb = node.store().open(new MailboxOwner(address, where.serial()))) {
            List<String> out = new ArrayList<>();
            for (var m : mb.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mb.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    /** A minimal line client. */
    private static final class Line implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;

        Line(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
            out = socket.getOutputStream();
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(US_ASCII));
            out.flush();
        }

        void expect(String prefix) throws IOException {
            String line;
            do {
                line = in.readLine();
            } while (line != null && line.length() > 3 && line.charAt(3) == '-');
            assertThat(line).startsWith(prefix);
        }

        /** Reads replies until one starts with {@code prefix}. */
        void skipTo(String prefix) throws IOException {
            String line;
            do {
                line = in.readLine();
            } while (line != null && !line.startsWith(prefix));
            assertThat(line).startsWith(prefix);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
