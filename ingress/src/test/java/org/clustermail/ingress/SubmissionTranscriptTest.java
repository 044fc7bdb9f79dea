package org.clustermail.ingress;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submission: AUTH only after STARTTLS, MAIL only after AUTH, failures and lockout through the directory. */
class SubmissionTranscriptTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static SSLContext clientTls;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        server.addUsers("sam", "locked");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", server.tls.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, tmf.getTrustManagers(), null);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String plain(String user, String password) {
        return Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(UTF_8));
    }

    /** Connects to submission, checks the plain-text rules, upgrades with STARTTLS and says EHLO again. */
    private static RawClient secured() throws IOException {
        RawClient c = RawClient.connect(server.submission.port());
        c.expect("220");
        c.send("EHLO me\r\n");
        assertThat(c.replyLines()).contains("250-STARTTLS").noneMatch(l -> l.contains("AUTH"));
        c.command("AUTH PLAIN " + plain("sam@example.test", "x"), "538 5.7.11");
        c.command("MAIL FROM:<sam@example.test>", "530 5.7.0");
        c.command("STARTTLS", "220 2.0.0");
        SSLSocket ssl = (SSLSocket) clientTls.getSocketFactory().createSocket(c.socket(), "localhost",
                c.socket().getPort(), true);
        ssl.startHandshake();
        RawClient secure = new RawClient(ssl);
        secure.send("EHLO me\r\n");
        assertThat(secure.replyLines()).contains("250-AUTH PLAIN LOGIN").noneMatch(l -> l.contains("STARTTLS"));
        return secure;
    }

    @Test
    void authThenMailOverTls() throws IOException {
        try (RawClient c = secured()) {
            c.command("MAIL FROM:<sam@example.test>", "530 5.7.0");
            c.command("AUTH PLAIN " + plain("sam@example.test", "wrong"), "535 5.7.8");
            c.command("AUTH LOGIN", "334 VXNlcm5hbWU6");
            c.command(Base64.getEncoder().encodeToString("sam@example.test".getBytes(UTF_8)), "334 UGFzc3dvcmQ6");
            c.command(Base64.getEncoder().encodeToString(new String(TestServer.PASSWORD).getBytes(UTF_8)),
                    "235 2.7.0");
            c.command("AUTH PLAIN " + plain("sam@example.test", "again"), "503 5.5.1");
            c.command("MAIL FROM:<sam@example.test>", "250");
            c.command("RCPT TO:<sam@example.test>", "250");
            c.command("RCPT TO:<friend@elsewhere.example>", "550 5.7.1");
            c.command("DATA", "354");
            c.send("Subject: note to self\r\n\r\nhi\r\n.\r\n");
            c.expect("250 2.0.0");
            c.command("RSET", "250");
            c.command("MAIL FROM:<sam@example.test>", "250"); // still authenticated after RSET
        }
        assertThat(server.inbox("sam")).singleElement().satisfies(m -> assertThat(m).contains("with ESMTPSA")
                .contains("(using TLSv1.3 with cipher "));
    }

    @Test
    void cancelledAndMalformedExchanges() throws IOException {
        try (RawClient c = secured()) {
            c.command("AUTH PLAIN", "334 ");
            c.command("*", "501 5.0.0");
            c.command("AUTH PLAIN !!!", "501 5.5.2");
            c.command("AUTH CRAM-MD5", "504 5.5.4");
        }
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() throws IOException {
        try (RawClient c = secured()) {
            String reply = "";
            for (int i = 0; i < 30 && !reply.startsWith("421"); i++) {
                c.send("AUTH PLAIN " + plain("locked@example.test", "guess" + i) + "\r\n");
                reply = c.reply();
            }
            assertThat(reply).as("the session is closed after too many errors").startsWith("421 4.7.0");
        }
        try (RawClient c = secured()) {
            c.command("AUTH PLAIN " + plain("locked@example.test", new String(TestServer.PASSWORD)), "535 5.7.8");
        }
    }
}
