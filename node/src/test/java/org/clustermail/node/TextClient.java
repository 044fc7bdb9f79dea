package org.clustermail.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A line-protocol client for SMTP, POP3 and IMAP transcripts in tests. */
final class TextClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    TextClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(15_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    void send(String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String line() throws IOException {
        return in.readLine();
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    String skipTo(String prefix) throws IOException {
        String line;
        do {
            line = in.readLine();
            assertThat(line).as("waiting for " + prefix).isNotNull();
        } while (!line.startsWith(prefix));
        return line;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
