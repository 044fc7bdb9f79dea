package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends one message over SMTP to a node and checks it was accepted (250 after DATA). */
final class SmtpDrop {

    private SmtpDrop() {
    }

    static void send(int port, String to, String subject) {
        sendRaw(port, to, "Subject: " + subject + "\r\n\r\nbody of " + subject + "\r\n");
    }

    /** Sends a whole message (header and body, CRLF line ends, no line starting with a dot). */
    static void sendRaw(int port, String to, String message) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            out.write(("EHLO test\r\nMAIL FROM:<sender@elsewhere.test>\r\nRCPT TO:<" + to + ">\r\nDATA\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            String line;
            do {
                line = in.readLine();
                assertThat(line).as("SMTP reply").isNotNull().doesNotStartWith("4").doesNotStartWith("5");
            } while (!line.startsWith("354"));
            out.write((message + ".\r\nQUIT\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(in.readLine()).startsWith("250 2.0.0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
