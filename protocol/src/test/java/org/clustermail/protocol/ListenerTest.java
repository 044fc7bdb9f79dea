package org.clustermail.protocol;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.clustermail.protocol.tls.ServerTls;
import org.clustermail.protocol.tls.TlsCredentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core over real loopback sockets and real JDK TLS clients. */
class ListenerTest {

    private static ServerTls tls;
    private static SSLContext clientTls;
    private Listener listener;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        tls = ServerTls.create(TlsCredentials.selfSigned(dir, "localhost"));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", tls.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.stop(Duration.ofSeconds(2));
        }
    }

    private Listener start(ListenerConfig config) throws IOException {
        listener = new Listener(config, new EchoHandler(), Optional.of(tls));
        listener.start();
        return listener;
    }

    private static ListenerConfig plain() {
        return ListenerConfig.of("echo", "127.0.0.1", 0);
    }

    @Test
    void servesConcurrentSessionsAndAnswersPipelinedLinesInOrder() throws IOException {
        start(plain());
        try (Client a = Client.plain(listener.port()); Client b = Client.plain(listener.port())) {
            assertThat(a.read()).isEqualTo("HELLO plain");
            assertThat(b.read()).isEqualTo("HELLO plain");
            a.send("one\r\ntwo\r\nthree\r\n");
            b.send("x\r\n");
            assertThat(b.read()).isEqualTo("ECHO x");
            assertThat(a.read()).isEqualTo("ECHO one");
            assertThat(a.read()).isEqualTo("ECHO two");
            assertThat(a.read()).isEqualTo("ECHO three");
            a.send("QUIT\r\n");
            assertThat(a.read()).isEqualTo("BYE");
            assertThat(a.read()).isNull();
        }
    }

    @Test
    void refusesConnectionsBeyondTheLimit() throws IOException {
        start(plain().withMaxConnections(1));
        try (Client first = Client.plain(listener.port())) {
            assertThat(first.read()).isEqualTo("HELLO plain");
            try (Client second = Client.plain(listener.port())) {
                assertThat(second.read()).isEqualTo("BUSY");
                assertThat(second.read()).isNull();
            }
            assertThat(listener.activeConnections()).isEqualTo(1);
        }
    }

    @Test
    void startTlsUpgradesInPlaceAndDropsPlainTextInjectedBeforeTheHandshake() throws IOException {
        start(plain());
        try (Client c = Client.plain(listener.port())) {
            c.read();
            c.send("STARTTLS\r\nINJECTED\r\n");
            assertThat(c.read()).isEqualTo("GO");
            try (Client secure = c.upgrade(clientTls)) {
                secure.send("PING\r\n");
                assertThat(secure.read()).isEqualTo("ECHO PING tls");
            }
        }
    }

    @Test
    void implicitTlsAndGarbageHandshakesDoNotHurtTheListener() throws IOException {
        start(plain().withImplicitTls(true));
        try (Client garbage = Client.plain(listener.port())) {
            garbage.send("EHLO this is not TLS\r\n");
            byte[] answer = garbage.socket().getInputStream().readAllBytes();
            assertThat(new String(answer, US_ASCII)).as("at most a TLS alert, then the server closes")
                    .doesNotContain("HELLO").hasSizeLessThan(10);
        }
        try (Client c = Client.tls(clientTls, listener.port())) {
            assertThat(c.read()).isEqualTo("HELLO tls");
            c.send("hi\r\n");
            assertThat(c.read()).isEqualTo("ECHO hi tls");
        }
    }

    @Test
    void idleSessionTimesOut() throws IOException {
        start(plain().withIdleTimeout(Duration.ofMillis(300)));
        try (Client c = Client.plain(listener.port())) {
            c.read();
            assertThat(c.read()).isEqualTo("TIMEOUT IDLE");
            assertThat(c.read()).isNull();
        }
    }

    @Test
    void gracefulStopLetsABusySessionFinishAndSaysGoodbyeToIdleOnes() throws Exception {
        start(plain());
        try (Client idle = Client.plain(listener.port()); Client busy = Client.plain(listener.port())) {
            idle.read();
            busy.read();
            busy.send("SLOW\r\n");
            Thread.sleep(100);
            long t0 = System.nanoTime();
            listener.stop(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(4));
            assertThat(idle.read()).isEqualTo("BYE stopping");
            assertThat(busy.read()).isEqualTo("DONE");
            assertThat(busy.read()).isEqualTo("BYE stopping");
            assertThatThrownBy(() -> Client.plain(listener.port()).read()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void stopClosesSessionsThatOutliveTheGracePeriod() throws IOException {
        start(plain());
        try (Client c = Client.plain(listener.port())) {
            c.read();
            c.send("HANG\r\n");
            long t0 = System.nanoTime();
            listener.stop(Duration.ofMillis(200));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(3));
            assertThat(c.read()).isNull();
        }
    }

    /** A line client over a plain or TLS socket. */
    private record Client(Socket socket, BufferedReader in, OutputStream out) implements AutoCloseable {
        static Client plain(int port) throws IOException {
            return over(new Socket("127.0.0.1", port));
        }

        static Client tls(SSLContext context, int port) throws IOException {
            return over(context.getSocketFactory().createSocket("127.0.0.1", port));
        }

        static Client over(Socket s) throws IOException {
            s.setSoTimeout(10_000);
            return new Client(s, new BufferedReader(new InputStreamReader(s.getInputStream(), US_ASCII)),
                    s.getOutputStream());
        }

        Client upgrade(SSLContext context) throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "localhost",
                    socket.getPort(), true);
            ssl.startHandshake();
            return over(ssl);
        }

        void send(String s) throws IOException {
            out.write(s.getBytes(US_ASCII));
            out.flush();
        }

        String read() throws IOException {
            try {
                return in.readLine();
            } catch (java.net.SocketException e) {
                return null; // reset by the server: as good as closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
