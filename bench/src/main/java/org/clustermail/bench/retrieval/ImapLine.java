package org.clustermail.bench.retrieval;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bare IMAP client for the benchmarks: sends a tagged command and reads its whole reply up to the tagged OK
 * (literals are read by their length and left out of the lines). Anything but OK is an exception. Not thread-safe.
 */
final class ImapLine implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;

    private ImapLine(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
    }

    /** Connects to 127.0.0.1:{@code port} and reads the greeting. */
    static ImapLine open(int port) throws IOException {
        ImapLine c = new ImapLine(new Socket("127.0.0.1", port));
        c.line();
        return c;
    }

    /** Sends a command and reads its reply; returns the reply's lines, the tagged one last. */
    List<String> command(String command) throws IOException {
        String t = "b" + (++tag);
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            lines.add(line);
            if (line.endsWith("}")) {
                in.skipNBytes(Integer.parseInt(line.substring(line.lastIndexOf('{') + 1, line.length() - 1)));
            } else if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK")) {
                    throw new IllegalStateException(command + ": " + line);
                }
                return lines;
            }
        }
    }

    private String line() throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0) {
            throw new IOException("connection closed");
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
