package org.clustermail.retrieval.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ProtocolInput;
import org.clustermail.protocol.ReadTimeoutException;
import org.clustermail.protocol.ServerStoppingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rest of a proxied session after login: octets from the client go to the serving node and back, unchanged,
 * until either side ends. The serving node runs the protocol (literals, IDLE, LOGOUT, its autologout); this node
 * only carries bytes, which is why it waits a minute longer than the session's idle timeout before it gives up on
 * a silent client: the serving node says BYE first.
 *
 * <p>The session's thread carries client to node; a second (virtual) thread carries node to client. When the node
 * ends the session (LOGOUT, QUIT, its BYE), the client connection is closed at once. When the client goes, the
 * node is told by a half-close and finishes as after a client's own close. When this node stops, the node is told
 * the same way, and once it has finished its last reply the client gets {@code farewell}.
 */
public final class Relay {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);
    private static final Duration SLACK = Duration.ofMinutes(1);
    private static final Duration DRAIN = Duration.ofSeconds(10);

    private final Connection client;
    private final BackendConnection backend;
    private final String farewell;
    private volatile boolean clientEnding;
    private volatile boolean backendEnded;

    /** @param farewell the line the client gets when this node stops during the session, e.g. {@code * BYE ...} */
    public Relay(Connection client, BackendConnection backend, String farewell) {
        this.client = client;
        this.backend = backend;
        this.farewell = farewell;
    }

    /** Relays until the session ends; the backend connection is closed on return. Pending output is flushed first. */
    public void run() throws IOException {
        ProtocolInput in = client.input();
        Duration idle = in.idleTimeout();
        in.setIdleTimeout(idle.plus(SLACK));
        backend.readTimeout(idle.plus(SLACK).plus(SLACK));
        client.output().flush();
        Thread toClient = Thread.ofVirtual().name("proxy-" + backend.node()).start(this::carryToClient);
        boolean stopping = false;
        try {
            carryToBackend(in);
        } catch (ServerStoppingException e) {
            stopping = true;
        } catch (ReadTimeoutException e) {
            log.debug("{}: client silent for too long", client);
        } catch (IOException e) {
            if (!backendEnded) {
                log.debug("{}: client connection ended: {}", client, e.toString());
            }
        } finally {
            clientEnding = true;
            backend.shutdownOutput();
            join(toClient);
            backend.close();
        }
        if (stopping) {
            client.output().write((farewell + "\r\n").getBytes(StandardCharsets.UTF_8));
            client.output().flush();
        }
    }

    /** Client to node, as the octets come (a command, a literal, DONE). Ends at the client's EOF. */
    private void carryToBackend(ProtocolInput in) throws IOException {
        while (!backendEnded) {
            in.awaitCommand();
            in.readExact(in.buffered(), backend.output());
            backend.output().flush();
        }
    }

    private void carryToClient() {
        byte[] buf = new byte[16 * 1024];
        InputStream in = backend.input();
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                client.output().write(buf, 0, n);
                if (in.available() == 0) {
                    client.output().flush();
                }
            }
            client.output().flush();
        } catch (SocketTimeoutException e) {
            log.warn("{}: {} silent for too long; ending the session", client, backend);
        } catch (IOException e) {
            log.debug("{}: {} ended: {}", client, backend, e.toString());
        } finally {
            backendEnded = true;
            if (!clientEnding) {
                client.close(); // wakes the session's thread, blocked reading the client
            }
        }
    }

    private void join(Thread toClient) {
        try {
            if (!toClient.join(DRAIN)) {
                backend.close();
                toClient.join(DRAIN);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            backend.close();
        }
    }
}
