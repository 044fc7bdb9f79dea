package org.clustermail.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy in front of a node channel that, once armed, lets the next message reach the server but drops the
 * server's replies to it and cuts the connection: the receiver has stored the message, the sender never hears so.
 * It cuts one transfer, then passes everything through.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile int cuts;

    CuttingProxy(InetSocketAddress target) throws IOException {
        this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        this.target = target;
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    void armOnce() {
        armed.set(true);
    }

    int cuts() {
        return cuts;
    }

    private void accept() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            try {
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                AtomicBoolean dataSent = new AtomicBoolean();
                Thread.ofVirtual().start(() -> pump(client, upstream, dataSent, true));
                Thread.ofVirtual().start(() -> pump(upstream, client, dataSent, false));
            } catch (IOException e) {
                try {
                    client.close(); // the node behind is down: so is the proxy, for this connection
                } catch (IOException ignored) {
                    // closing only
                }
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean dataSent, boolean clientToServer) {
        byte[] buf = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (clientToServer && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains("BDAT ")) {
                    dataSent.set(true);
                }
                if (!clientToServer && dataSent.get() && armed.compareAndSet(true, false)) {
                    cuts++;
                    from.close();
                    to.close();
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
                if (!clientToServer) {
                    dataSent.set(false);
                }
            }
        } catch (IOException e) {
            // either side closed: the other pump sees it too
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // closing only
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
