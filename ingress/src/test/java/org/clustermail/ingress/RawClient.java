package org.clustermail.ingress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;

/** A raw-socket client for C:/S: transcripts: sends exactly the bytes given, reads whole (multi-line) replies. */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final BufferedReader in;
    private final OutputStream out;

    RawClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), UTF_8));
        this.out = socket.getOutputStream();
    }

    static RawClient connect(int port) throws IOException {
        return new RawClient(new Socket("127.0.0.1", port));
    }

    /** Sends raw text (put the CRLFs in yourself). */
    RawClient send(String raw) throws IOException {
        out.write(raw.getBytes(UTF_8));
        out.flush();
        return this;
    }

    void sendBytes(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** Reads one reply (all its lines) and returns its last line, e.g. {@code 250 2.0.0 Ok}; null at EOF. */
    String reply() throws IOException {
        List<String> lines = replyLines();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    List<String> replyLines() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (SocketException e) {
                line = null;
            }
            if (line == null) {
                return lines;
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return lines;
            }
        }
    }

    /** Sends a command line and checks the reply starts with {@code expected}. */
    String command(String line, String expected) throws IOException {
        send(line + "\r\n");
        String reply = reply();
        assertThat(reply).as("reply to " + line).startsWith(expected);
        return reply;
    }

    void expect(String expected) throws IOException {
        assertThat(reply()).startsWith(expected);
    }

    /** Whether the server closed the connection (EOF now). */
    boolean closedByServer() throws IOException {
        return reply() == null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    Socket socket() {
        return socket;
    }
}
