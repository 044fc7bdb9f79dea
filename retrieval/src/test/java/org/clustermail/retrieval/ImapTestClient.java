package org.clustermail.retrieval;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A minimal raw IMAP client for tests: sends tagged commands and collects the response lines up to the tagged
 * completion; literals in responses are read by their length and kept inline. Can upgrade to TLS (trusting any
 * certificate: the test server's is self-signed). Not thread-safe.
 */
public final class ImapTestClient implements AutoCloseable {

    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private final AtomicInteger tags = new AtomicInteger();
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String greeting;

    public ImapTestClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(10_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            greeting = readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String greeting() {
        return greeting;
    }

    /** Sends {@code command} with a fresh tag; returns all lines up to and including the tagged one. */
    public List<String> command(String command) {
        String tag = "t" + tags.incrementAndGet();
        send(tag + " " + command);
        return readUntilTagged(tag);
    }

    /** Like {@link #command} but returns only the tagged line, with the tag stripped ("OK ..."). */
    public String status(String command) {
        List<String> lines = command(command);
        String last = lines.get(lines.size() - 1);
        return last.substring(last.indexOf(' ') + 1);
    }

    public void send(String line) {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> readUntilTagged(String tag) {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            lines.add(line);
            if (line.startsWith(tag + " ")) {
                return lines;
            }
        }
    }

    /** Reads one response line (a literal's bytes are appended to it, with what follows the literal). */
    public String readLine() {
        try {
            StringBuilder b = new StringBuilder(raw());
            Matcher m = LITERAL.matcher(b);
            while (m.find()) {
                byte[] data = in.readNBytes(Integer.parseInt(m.group(1)));
                b.append("\r\n").append(new String(data, StandardCharsets.UTF_8)).append(raw());
                m = LITERAL.matcher(b);
            }
            return b.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String raw() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            throw new IOException("connection closed by server");
        }
        String s = b.toString(StandardCharsets.UTF_8);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    public void setTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Upgrades the connection to TLS after a successful STARTTLS. */
    public void startTls() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new TrustAll()}, null);
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", socket.getPort(), true);
            ssl.startHandshake();
            socket = ssl;
            in = new BufferedInputStream(ssl.getInputStream());
            out = ssl.getOutputStream();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test socket
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
        }

        @Override
        public java.security.cert.X509Certificate[] getAcceptedIssuers() {
            return new java.security.cert.X509Certificate[0];
        }
    }
}
