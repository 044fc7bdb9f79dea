package org.clustermail.node.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web-mail through a real HTTPS client (the JDK's, with a cookie jar, following redirects as a browser does) against
 * real nodes: logging in on any node lands on the node that holds the mailbox, HTML mail is sanitised, forms need
 * the session's token, and bad requests get clear HTTP errors. The browser itself is driven in the cli module's
 * {@code WebmailBrowserIT}.
 */
class WebmailTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static InProcessCluster cluster;

    @BeforeAll
    static void start() {
        cluster = new InProcessCluster(dir, 3, Duration.ofMillis(500));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void aUserLoggingInOnAnyNodeIsSentToTheOwnerWithAOneTimeTicketAndReadsTheMailThere() throws Exception {
        String user = cluster.user(1, 2);
        SmtpDrop.send(cluster.port(3, "smtp"), user, "web one");
        Browser b = new Browser();
        HttpResponse<String> inbox = b.login(2, user, InProcessCluster.PASSWORD);
        assertThat(inbox.statusCode()).isEqualTo(200);
        assertThat(inbox.uri().getPort()).as("served by the owner, node 1").isEqualTo(cluster.port(1, "http"));
        assertThat(inbox.body()).contains("web one", "class=\"unseen\"", user);

        HttpResponse<String> message = b.get(1, "/message?folder=INBOX&uid=1");
        assertThat(message.statusCode()).isEqualTo(200);
        assertThat(message.body()).contains("body of web one", "<pre class=\"plain\">");
        assertThat(b.get(1, "/mail").body()).contains("class=\"seen\"").doesNotContain("class=\"unseen\"");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.node(1).directory().admin()
                .lastSuccessfulLogon(MailAddress.parse(user))).get().extracting(LogonAttempt::protocol)
                .isEqualTo("web"));

        // The ticket in the redirect opens one session, once.
        HttpClient noRedirects = Browser.client(new CookieManager(), HttpClient.Redirect.NEVER);
        HttpResponse<String> toOwner = noRedirects.send(Browser.form(uri(2, "/login"), Map.of("user", user,
                "password", InProcessCluster.PASSWORD)), HttpResponse.BodyHandlers.ofString());
        assertThat(toOwner.statusCode()).isEqualTo(303);
        URI ticket = URI.create(toOwner.headers().firstValue("Location").orElseThrow());
        assertThat(ticket.getPort()).isEqualTo(cluster.port(1, "http"));
        HttpResponse<String> first = noRedirects.send(HttpRequest.newBuilder(ticket).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Set-Cookie").orElseThrow())
                .contains("HttpOnly", "Secure", "SameSite=Strict");
        HttpResponse<String> replay = new Browser().client.send(HttpRequest.newBuilder(ticket).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(replay.statusCode()).isEqualTo(403);
        assertThat(replay.body()).contains("not valid");
    }

    @Test
    void htmlMailIsSanitisedBeforeDisplayAndAttachmentsAreOnlyDownloads() throws Exception {
        String user = cluster.user(2, 3);
        SmtpDrop.sendRaw(cluster.port(1, "smtp"), user, """
                From: Mallory <mallory@elsewhere.test>\r
                Subject: rich\r
                MIME-Version: 1.0\r
                Content-Type: multipart/mixed; boundary=b1\r
                \r
                --b1\r
                Content-Type: multipart/alternative; boundary=b2\r
                \r
                --b2\r
                Content-Type: text/plain; charset=utf-8\r
                \r
                plain twin\r
                --b2\r
                Content-Type: text/html; charset=utf-8\r
                \r
                <html><body onload="steal()"><p style="color: red" onclick="steal()">Hi <b>there</b></p>\r
                <script>steal()</script><iframe src="https://evil.test/"></iframe>\r
                <a href="javascript:steal()">bad link</a> <a href="https://example.org/page">good link</a>\r
                <img src="https://tracker.test/pixel.gif"><form action="https://evil.test/"><input name="pw"></form>\r
                </body></html>\r
                --b2--\r
                --b1\r
                Content-Type: text/html; name="page.html"\r
                Content-Disposition: attachment; filename="../../page.html"\r
                Content-Transfer-Encoding: base64\r
                \r
                PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\r
                --b1--\r
                """);
        Browser b = new Browser();
        assertThat(b.login(3, user, InProcessCluster.PASSWORD).uri().getPort()).isEqualTo(cluster.port(2, "http"));
        HttpResponse<String> page = b.get(2, "/message?folder=INBOX&uid=1");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).startsWith("default-src 'none'");
        String body = page.body().substring(page.body().indexOf("id=\"body\""));
        body = body.substring(0, body.indexOf("</div>"));
        assertThat(body).contains("Hi <b>there</b>", "color:red", "good link",
                "href=\"https://example.org/page\" rel=\"noopener noreferrer nofollow\"")
                .doesNotContain("<script", "steal()", "onclick", "onload", "javascript:", "<iframe", "<img", "<form",
                        "<input", "plain twin");
        assertThat(page.body()).contains("page.html").doesNotContain("../");

        HttpResponse<byte[]> download = b.client.send(HttpRequest.newBuilder(uri(2,
                "/attachment?folder=INBOX&uid=1&n=0")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/octet-stream");
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
                .startsWith("attachment; filename=\"page.html\"");
        assertThat(new String(download.body(), StandardCharsets.UTF_8)).isEqualTo("<script>alert(1)</script>");
        assertThat(b.get(2, "/attachment?folder=INBOX&uid=1&n=1").statusCode()).isEqualTo(404);
    }

    @Test
    void formsNeedTheSessionsTokenAndDeletingMovesToTrashThenRemovesForGood() throws Exception {
        String user = cluster.user(3, 1);
        SmtpDrop.send(cluster.port(3, "smtp"), user, "to be deleted");
        Browser b = new Browser();
        String page = b.login(3, user, InProcessCluster.PASSWORD).body();
        String csrf = token(page);

        HttpResponse<String> forged = b.post(3, "/delete", Map.of("folder", "INBOX", "uid", "1"));
        assertThat(forged.statusCode()).isEqualTo(403);
        HttpResponse<String> wrong = b.post(3, "/delete", Map.of("folder", "INBOX", "uid", "1", "csrf", csrf + "x"));
        assertThat(wrong.statusCode()).isEqualTo(403);
        assertThat(b.get(3, "/mail").body()).contains("to be deleted");

        HttpResponse<String> moved = b.post(3, "/delete", Map.of("folder", "INBOX", "uid", "1", "csrf", csrf));
        assertThat(moved.statusCode()).isEqualTo(200);
        assertThat(moved.uri().getPath()).isEqualTo("/mail");
        assertThat(moved.body()).contains("No messages.");
        String trash = b.get(3, "/mail?folder=Trash").body();
        assertThat(trash).contains("to be deleted");
        Matcher uid = Pattern.compile("/message\\?folder=Trash&amp;uid=(\\d+)").matcher(trash);
        assertThat(uid.find()).isTrue();
        assertThat(b.post(3, "/delete", Map.of("folder", "Trash", "uid", uid.group(1), "csrf", csrf)).body())
                .contains("No messages.");
        assertThat(b.get(3, "/message?folder=Trash&uid=" + uid.group(1)).statusCode()).isEqualTo(404);

        HttpResponse<String> out = b.post(3, "/logout", Map.of("csrf", csrf));
        assertThat(out.uri().getPath()).isEqualTo("/");
        assertThat(out.body()).contains("Log in to your mail");
        HttpResponse<String> after = b.get(3, "/mail");
        assertThat(after.uri().getPath()).as("logged out: back to the login page").isEqualTo("/");
    }

    @Test
    void aMessageWrittenInTheBrowserReachesAUserOfAnotherNodeAndACopyStaysInSent() throws Exception {
        String sender = cluster.user(1, 2);
        String recipient = cluster.user(3, 1);
        Browser b = new Browser();
        String csrf = token(b.login(1, sender, InProcessCluster.PASSWORD).body());

        HttpResponse<String> relay = b.post(1, "/send", Map.of("csrf", csrf, "to", "someone@elsewhere.test",
                "subject", "x", "body", "y"));
        assertThat(relay.statusCode()).isEqualTo(400);
        assertThat(relay.body()).contains("Not sent.", "cannot be sent from here");
        HttpResponse<String> unknown = b.post(1, "/send", Map.of("csrf", csrf, "to", recipient
                + ", nobody@example.test", "subject", "x", "body", "y"));
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("nobody@example.test: no such user");
        assertThat(b.post(1, "/send", Map.of("csrf", csrf, "to", "not an address", "subject", "x", "body", "y"))
                .statusCode()).isEqualTo(400);
        assertThat(b.post(1, "/send", Map.of("to", recipient, "subject", "x", "body", "y")).statusCode())
                .isEqualTo(403);
        assertThat(cluster.inbox(3, recipient)).as("nothing sent by a refused form").isEmpty();

        String longLine = "x".repeat(2000);
        HttpResponse<String> sent = b.post(1, "/send", Map.of("csrf", csrf, "to", recipient, "subject",
                "Grüße\r\nBcc: victim@example.test", "body", "line one\r\n.\r\nFrom the web\r\n" + longLine));
        assertThat(sent.statusCode()).isEqualTo(200);
        assertThat(sent.uri().getQuery()).isEqualTo("folder=Sent");
        assertThat(sent.body()).contains("Grüße Bcc: victim@example.test");
        String stored = cluster.inbox(3, recipient).getFirst();
        assertThat(stored).startsWith("Return-Path: <" + sender + ">").contains("From: " + sender + "\r\n",
                "To: " + recipient + "\r\n", "Received: from [127.0.0.1] by node1.example.test with HTTPS",
                "Subject: =?", "Content-Transfer-Encoding: quoted-printable").doesNotContain("\r\nBcc:");
        assertThat(stored.lines().mapToInt(String::length).max().orElseThrow()).isLessThanOrEqualTo(998);

        Browser reader = new Browser();
        assertThat(reader.login(2, recipient, InProcessCluster.PASSWORD).uri().getPort())
                .isEqualTo(cluster.port(3, "http"));
        String shown = reader.get(3, "/message?folder=INBOX&uid=1").body();
        assertThat(shown).contains("Grüße Bcc: victim@example.test", "line one\r\n.\r\nFrom the web\r\n" + longLine);
        String reply = reader.get(3, "/compose?folder=INBOX&uid=1").body();
        assertThat(reply).contains("value=\"" + sender + "\"", "value=\"Re: Grüße Bcc: victim@example.test\"");
    }

    @Test
    void aFolderIsPagedFiftyAtATimeNewestFirstAndSearchedBySenderSubjectAndText() throws Exception {
        String user = cluster.user(2, 1);
        for (int i = 1; i <= 54; i++) {
            SmtpDrop.send(cluster.port(1, "smtp"), user, "bulk " + i);
        }
        SmtpDrop.sendRaw(cluster.port(3, "smtp"), user, "From: Needle Finder <finder@elsewhere.test>\r\n"
                + "Subject: the haystack\r\n\r\nsomewhere in here\r\n");
        Browser b = new Browser();
        String first = b.login(2, user, InProcessCluster.PASSWORD).body();
        assertThat(first).contains("1–50 of 55", "the haystack", "bulk 6<").doesNotContain("bulk 5<", "id=\"newer\"")
                .contains("href=\"/mail?folder=INBOX&amp;page=1\" id=\"older\"");
        String second = b.get(2, "/mail?folder=INBOX&page=1").body();
        assertThat(second).contains("51–55 of 55", "bulk 1<", "bulk 5<", "id=\"newer\"").doesNotContain("id=\"older\"");

        assertThat(b.get(2, "/mail?folder=INBOX&q=NEEDLE").body()).contains("1–1 of 1 matching “NEEDLE”",
                "the haystack").doesNotContain("bulk");
        assertThat(b.get(2, "/mail?folder=INBOX&q=somewhere+in").body()).contains("the haystack");
        String bulk = b.get(2, "/mail?folder=INBOX&q=bulk&page=1").body();
        assertThat(bulk).contains("51–54 of 54 matching “bulk”", "bulk 1<");
        assertThat(b.get(2, "/mail?folder=INBOX&q=nothing-like-it").body()).contains("No messages.");
        assertThat(b.get(2, "/mail?folder=INBOX&page=9").body()).contains("No messages.");
    }

    @Test
    void wrongPasswordsAreRefusedAndRecordedAndBadRequestsGetClearErrors() throws Exception {
        String user = cluster.user(1, 3);
        Browser b = new Browser();
        HttpResponse<String> wrong = b.post(1, "/login", Map.of("user", user, "password", "not-it"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong address or password.").doesNotContain("Exception");
        HttpResponse<String> nobody = b.post(1, "/login", Map.of("user", "nobody@example.test", "password", "x"));
        assertThat(nobody.statusCode()).isEqualTo(401);
        assertThat(nobody.body()).contains("Wrong address or password.");
        assertThat(b.post(1, "/login", Map.of("user", "", "password", "")).statusCode()).isEqualTo(400);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.node(1).directory().admin()
                .recentFailures(MailAddress.parse(user), 5)).anySatisfy(a -> assertThat(a.protocol())
                .isEqualTo("web")));

        HttpResponse<String> noSession = b.get(1, "/mail");
        assertThat(noSession.uri().getPath()).isEqualTo("/");
        b.login(1, user, InProcessCluster.PASSWORD);
        assertThat(b.get(1, "/message?folder=INBOX&uid=abc").statusCode()).isEqualTo(400);
        assertThat(b.get(1, "/message?folder=INBOX&uid=7").statusCode()).isEqualTo(404);
        assertThat(b.get(1, "/mail?folder=NoSuchFolder").statusCode()).isEqualTo(404);
        HttpResponse<String> badEscape = b.client.send(HttpRequest.newBuilder(uri(1, "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("user=%zz&password=x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(badEscape.statusCode()).isEqualTo(400);
        assertThat(b.get(1, "/no/such/page").statusCode()).isEqualTo(404);
        HttpResponse<String> put = b.client.send(HttpRequest.newBuilder(uri(1, "/mail"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(405);
        assertThat(put.headers().firstValue("Allow")).hasValue("GET");
        HttpResponse<String> json = b.client.send(HttpRequest.newBuilder(uri(1, "/login"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(json.statusCode()).isEqualTo(415);
        HttpResponse<String> crossSite = b.client.send(HttpRequest.newBuilder(uri(1, "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "https://evil.test")
                .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + InProcessCluster.PASSWORD))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(crossSite.statusCode()).as("a form posted from another site").isEqualTo(403);
        HttpResponse<String> huge = b.post(1, "/login", Map.of("user", "x".repeat(20_000), "password", "y"));
        assertThat(huge.statusCode()).isEqualTo(413);
    }

    @Test
    void whenTheOwnerIsDownTheLoginIsServedByTheSecondaryWithTheMailHeldThere(@TempDir Path own) throws Exception {
        try (InProcessCluster c = new InProcessCluster(own, 3, Duration.ofHours(1))) {
            String user = c.user(1, 2);
            c.stop(1); // no probe will notice for an hour: the front's own connect must
            SmtpDrop.send(c.port(3, "smtp"), user, "held while the owner is down");
            Browser b = new Browser(c);
            HttpResponse<String> inbox = b.login(3, user, InProcessCluster.PASSWORD);
            assertThat(inbox.uri().getPort()).as("the secondary, node 2").isEqualTo(c.port(2, "http"));
            assertThat(inbox.body()).contains("held while the owner is down");
            assertThat(c.node(3).cluster().health().isUp(NodeId.of(1))).isFalse();
        }
    }

    // ---- a small browser -----------------------------------------------------------------------------------------

    private static String token(String page) {
        Matcher m = CSRF.matcher(page);
        assertThat(m.find()).as("a form with the CSRF token").isTrue();
        return m.group(1);
    }

    private static URI uri(int node, String path) {
        return uri(cluster, node, path);
    }

    private static URI uri(InProcessCluster c, int node, String path) {
        return URI.create("https://127.0.0.1:" + c.port(node, "http") + path);
    }

    /** A cookie jar and an HTTPS client that follows redirects, trusting the nodes' self-signed certificates. */
    private static final class Browser {
        final HttpClient client;
        final InProcessCluster c;

        Browser() {
            this(cluster);
        }

        Browser(InProcessCluster c) {
            this.c = c;
            CookieManager jar = new CookieManager();
            jar.setCookiePolicy(CookiePolicy.ACCEPT_ALL);
            this.client = client(jar, HttpClient.Redirect.NORMAL);
        }

        HttpResponse<String> login(int node, String user, String password) throws Exception {
            return post(node, "/login", Map.of("user", user, "password", password));
        }

        HttpResponse<String> get(int node, String path) throws Exception {
            return client.send(HttpRequest.newBuilder(uri(c, node, path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> post(int node, String path, Map<String, String> form) throws Exception {
            return client.send(form(uri(c, node, path), form), HttpResponse.BodyHandlers.ofString());
        }

        static HttpRequest form(URI uri, Map<String, String> form) {
            String body = new LinkedHashMap<>(form).entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        }

        static HttpClient client(CookieManager jar, HttpClient.Redirect redirects) {
            try {
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
                return HttpClient.newBuilder().sslContext(tls).cookieHandler(jar).followRedirects(redirects)
                        .connectTimeout(Duration.ofSeconds(5)).build();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Test-only: the nodes' certificates are self-signed and name their host names, not 127.0.0.1. */
    private static final class TrustingManager extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
