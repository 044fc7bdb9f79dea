package org.clustermail.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clustermail.directory.NodeId;
import org.clustermail.protocol.FreePorts;
import org.junit.jupiter.api.Test;

/**
 * A peer whose process is gone is down at the first probe; a peer that accepts connections but answers too late
 * (a long collection, a saturated CPU) only after three late probes in a row, and an answer in between starts the
 * count again.
 */
class HealthMonitorTest {

    private static final NodeId PEER = new NodeId(2);
    private static final Duration TIMEOUT = Duration.ofMillis(200);

    private final ClusterHealth health = new ClusterHealth(new NodeId(1), List.of(PEER), Clock.systemUTC());

    @Test
    void aRefusedConnectionIsDownAtOnce() {
        InetSocketAddress nobody = new InetSocketAddress("127.0.0.1", FreePorts.pick());
        try (HealthMonitor monitor = monitor(nobody)) {
            assertThat(monitor.probe(PEER, nobody)).isFalse();
            assertThat(health.isUp(PEER)).isFalse();
        }
    }

    @Test
    void aPeerThatAnswersLateIsDownOnlyAfterThreeLateProbesInARow() throws Exception {
        try (LmtpPeer peer = new LmtpPeer(); HealthMonitor monitor = monitor(peer.address())) {
            peer.answering.set(false);
            assertThat(monitor.probe(PEER, peer.address())).isFalse();
            assertThat(monitor.probe(PEER, peer.address())).isFalse();
            assertThat(health.isUp(PEER)).as("two late answers").isTrue();

            peer.answering.set(true);
            assertThat(monitor.probe(PEER, peer.address())).isTrue();
            peer.answering.set(false);
            assertThat(monitor.probe(PEER, peer.address())).isFalse();
            assertThat(monitor.probe(PEER, peer.address())).isFalse();
            assertThat(health.isUp(PEER)).as("an answer started the count again").isTrue();
            assertThat(monitor.probe(PEER, peer.address())).isFalse();
            assertThat(health.isUp(PEER)).as("three late answers in a row").isFalse();
            assertThat(health.state(PEER).reason()).contains("timed out 3 times in a row");

            peer.answering.set(true);
            assertThat(monitor.probe(PEER, peer.address())).isTrue();
            assertThat(health.isUp(PEER)).isTrue();
        }
    }

    private HealthMonitor monitor(InetSocketAddress peer) {
        return new HealthMonitor(health, Map.of(PEER, peer), Duration.ofHours(1), TIMEOUT, "node01.test");
    }

    /** A peer's channel listener that either answers LHLO at once or says nothing (a node too busy to answer). */
    private static final class LmtpPeer implements AutoCloseable {

        final AtomicBoolean answering = new AtomicBoolean(true);
        private final ServerSocket server;
        private final Thread acceptor;

        LmtpPeer() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(this::acceptAll);
        }

        InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
        }

        private void acceptAll() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    boolean answer = answering.get();
                    Thread.ofVirtual().start(() -> serve(s, answer));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private static void serve(Socket s, boolean answer) {
            try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)); OutputStream out = s.getOutputStream()) {
                if (!answer) {
                    while (in.readLine() != null) {
                        // silent until the prober gives up and closes
                    }
                    return;
                }
                out.write("220 node02.test LMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                for (String line; (line = in.readLine()) != null; ) {
                    String reply = line.startsWith("LHLO") ? "250-node02.test\r\n250 PIPELINING\r\n"
                            : line.equals("QUIT") ? "221 bye\r\n" : "500 what\r\n";
                    out.write(reply.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the prober closed first
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
            acceptor.interrupt();
        }
    }
}
