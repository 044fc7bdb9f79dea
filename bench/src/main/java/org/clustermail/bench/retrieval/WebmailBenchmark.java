package org.clustermail.bench.retrieval;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.clustermail.node.MailNode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Web-mail pages of a {@code messages}-message INBOX over a real HTTPS connection (kept alive) to a real node, each
 * timed from sending the request to reading the whole page: the first page of the folder (50 newest, from the
 * message-info summaries), a search of the folder and a random message (parsed, sanitised). Beside them, in the
 * same run on the same node, what an IMAP-based web-mail needs for the same first page: {@code SELECT INBOX} and the
 * newest 50 messages' {@code UID FETCH (FLAGS ENVELOPE RFC822.SIZE)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g", "-Djdk.internal.httpclient.disableHostnameVerification=true"})
public class WebmailBenchmark {

    @Param("100000")
    int messages;

    private FilledNode filled;
    private HttpClient web;
    private URI base;
    private ImapLine imap;

    @Setup(Level.Trial)
    public void start() throws Exception {
        filled = FilledNode.start(messages, 8192);
        MailNode node = filled.node();

        // Trust exactly this node's (self-signed) certificate.
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("node", node.tls().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        web = HttpClient.newBuilder().sslContext(tls).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        base = URI.create("https://127.0.0.1:" + node.port("web"));
        HttpResponse<String> login = web.send(HttpRequest.newBuilder(base.resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + URLEncoder.encode(RetrievalNode.USER,
                        StandardCharsets.UTF_8) + "&password=" + RetrievalNode.PASSWORD)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (login.statusCode() != 200 || !login.body().contains("of " + messages)) {
            throw new IllegalStateException("login or listing failed: " + login.statusCode());
        }
        imap = ImapLine.open(node.port("imap"));
        imap.command("LOGIN " + RetrievalNode.USER + " " + RetrievalNode.PASSWORD);
    }

    @Benchmark
    public String folderPage() throws Exception {
        return page("/mail?folder=INBOX");
    }

    @Benchmark
    public String messagePage() throws Exception {
        return page("/message?folder=INBOX&uid=" + ThreadLocalRandom.current().nextInt(1, messages + 1));
    }

    /** A search of the whole folder's summaries: "message 4242" matches 11 of the 100,000 subjects. */
    @Benchmark
    public String searchPage() throws Exception {
        return page("/mail?folder=INBOX&q=message+4242");
    }

    @Benchmark
    public List<String> imapSelectAndNewest50() throws IOException {
        imap.command("SELECT INBOX");
        return imap.command("UID FETCH " + (messages - 49) + ":" + messages + " (FLAGS ENVELOPE RFC822.SIZE)");
    }

    private String page(String path) throws Exception {
        HttpResponse<String> r = web.send(HttpRequest.newBuilder(base.resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(path + ": " + r.statusCode());
        }
        return r.body();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        imap.close();
        filled.close();
    }
}
