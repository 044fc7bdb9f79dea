package org.clustermail.retrieval.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.clustermail.directory.NodeId;

/**
 * A front node's connection to the listener of the node that serves a session: line reads for the greeting and
 * the login, then the raw streams for the {@link Relay}. Bytes buffered while reading lines stay in {@link #input()}.
 *
 * <p>Threading: one reader and one writer thread at a time; {@link #close()} from any thread.
 */
public final class BackendConnection implements Closeable {

    private static final int MAX_LINE = 8192;

    private final NodeId node;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private BackendConnection(NodeId node, Socket socket) throws IOException {
        this.node = node;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        this.out = socket.getOutputStream();
    }

    /** Connects within {@code connectTimeout}; replies must come within {@code replyTimeout} until changed. */
    static BackendConnection open(NodeId node, InetSocketAddress address, Duration connectTimeout,
                                  Duration replyTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.connect(address, (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) replyTimeout.toMillis());
            return new BackendConnection(node, socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    public NodeId node() {
        return node;
    }

    /** Reads one CRLF line (without it), at most {@value #MAX_LINE} octets. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException(node + " closed the connection");
            }
            if (line.size() == MAX_LINE) {
                throw new IOException(node + " sent a line longer than " + MAX_LINE + " octets");
            }
            line.write(c);
        }
        String s = line.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    void writeLine(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    /** How long a read may wait; 0 waits for ever. */
    void readTimeout(Duration timeout) throws IOException {
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** Tells the node that no more commands come (it ends the session as on a client's close). */
    void shutdownOutput() {
        try {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // Already broken: closing follows.
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do with a socket that fails to close.
        }
    }

    @Override
    public String toString() {
        return "backend " + node + " " + socket.getRemoteSocketAddress();
    }
}
