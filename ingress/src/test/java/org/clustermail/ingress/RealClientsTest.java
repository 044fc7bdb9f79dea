package org.clustermail.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real mail clients against real listeners: Angus Mail (STARTTLS + AUTH on submission, implicit TLS), curl, Python
 * smtplib and smtplib.LMTP. Every test reads the store afterwards: a 250 means the message is there.
 */
class RealClientsTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static SSLContext clientTls;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(dir);
        server.addUsers("ann", "ben", "cat", "dan", "eve", "fay", "gus", "liz", "max");
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

    private static String password() {
        return new String(TestServer.PASSWORD);
    }

    private static MimeMessage message(Session session, String to, String subject) throws MessagingException {
        MimeMessage m = new MimeMessage(session);
        m.setFrom(new InternetAddress("ann@example.test"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject);
        m.setText("Hello from Angus Mail.\n.dotted line\n");
        return m;
    }

    @Test
    void angusMailSubmissionWithStartTlsAndAuth() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(server.submission.port()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.smtp.starttls.enable", "true");
        p.put("mail.smtp.starttls.required", "true");
        p.put("mail.smtp.ssl.socketFactory", clientTls.getSocketFactory());
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        Session session = Session.getInstance(p);
        Transport.send(message(session, "ben@example.test", "via submission"), "ann@example.test", password());
        assertThat(server.inbox("ben")).singleElement().satisfies(m -> {
            assertThat(m).contains("Subject: via submission").contains(" with ESMTPSA id ")
                    .contains("\r\n..dotted line\r\n".substring(2 + 1)); // stored un-stuffed: ".dotted line"
        });
        assertThatThrownBy(() -> Transport.send(message(session, "ben@example.test", "x"), "ann@example.test",
                "wrong")).isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void angusMailOverImplicitTls() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtps.auth", "true");
        p.put("mail.smtps.ssl.socketFactory", clientTls.getSocketFactory());
        p.put("mail.smtps.ssl.checkserveridentity", "true");
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtps")) {
            t.connect("127.0.0.1", server.smtps.port(), "ann@example.test", password());
            MimeMessage m = message(session, "cat@example.test", "via smtps");
            t.sendMessage(m, m.getAllRecipients());
        }
        assertThat(server.inbox("cat")).singleElement().satisfies(m -> assertThat(m).contains("Subject: via smtps"));
    }

    @Test
    void angusMailToAForeignDomainIsRefusedClearlyEvenWhenAuthenticated() throws Exception {
        Properties p = new Properties();
        p.put("mail.smtps.auth", "true");
        p.put("mail.smtps.ssl.socketFactory", clientTls.getSocketFactory());
        Session session = Session.getInstance(p);
        try (Transport t = session.getTransport("smtps")) {
            t.connect("127.0.0.1", server.smtps.port(), "ann@example.test", password());
            MimeMessage m = message(session, "someone@elsewhere.example", "outbound");
            assertThatThrownBy(() -> t.sendMessage(m, m.getAllRecipients())).isInstanceOf(MessagingException.class)
                    .hasStackTraceContaining("550 5.7.1 <someone@elsewhere.example> Delivery to other domains is not "
                            + "available yet");
        }
    }

    @Test
    void curlInboundAndSubmission() throws Exception {
        Path msg = dir.resolve("curl-msg.txt");
        Files.writeString(msg, "From: curl@client.example\r\nTo: dan@example.test\r\nSubject: via curl\r\n\r\nhi\r\n");
        Processes.run(List.of("curl", "-sS", "--url", "smtp://127.0.0.1:" + server.smtp.port(),
                "--mail-from", "curl@client.example", "--mail-rcpt", "dan@example.test", "--upload-file",
                msg.toString()));
        Processes.run(List.of("curl", "-sS", "--url", "smtp://127.0.0.1:" + server.submission.port(), "--ssl-reqd",
                "--cacert", server.certificate().toString(), "--user", "ann@example.test:" + password(),
                "--mail-from", "ann@example.test", "--mail-rcpt", "dan@example.test", "--upload-file",
                msg.toString()));
        assertThat(server.inbox("dan")).hasSize(2).allSatisfy(m -> assertThat(m).contains("Subject: via curl"));
        assertThat(server.inbox("dan").get(1)).contains("with ESMTPSA");
    }

    @Test
    void pythonSmtplibInboundAndSubmission() throws Exception {
        Path script = Processes.script(dir, "smtplib_send.py");
        String cert = server.certificate().toString();
        assertThat(Processes.run(List.of("python3", script.toString(), "plain", "" + server.smtp.port(), cert,
                "py@client.example", "eve@example.test,nobody@example.test")))
                .isEqualTo("sent refused=nobody@example.test");
        assertThat(Processes.run(List.of("python3", script.toString(), "starttls", "" + server.submission.port(), cert,
                "ann@example.test", "eve@example.test", "ann@example.test", password()))).isEqualTo("sent refused=");
        assertThat(Processes.run(List.of("python3", script.toString(), "starttls", "" + server.submission.port(), cert,
                "ann@example.test", "eve@example.test", "ann@example.test", "bad-password")))
                .isEqualTo("auth-failed 535");
        assertThat(Processes.run(List.of("python3", script.toString(), "plain", "" + server.smtp.port(), cert,
                "py@client.example", "x@elsewhere.example"))).isEqualTo("recipients-refused x@elsewhere.example:550");
        assertThat(server.inbox("eve")).hasSize(2)
                .allSatisfy(m -> assertThat(m).contains("Subject: smtplib").contains("\r\n.leading dot line\r\n"));
    }

    @Test
    void pythonLmtpGetsOneReplyPerRecipient() throws Exception {
        Path script = Processes.script(dir, "smtplib_send.py");
        assertThat(Processes.run(List.of("python3", script.toString(), "lmtp", "" + server.lmtp.port(), "-",
                "mta@relay.example", "fay@example.test,ghost@example.test,gus@example.test")))
                .isEqualTo("lmtp data=250,250 refused=ghost@example.test:550");
        assertThat(server.inbox("fay")).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Return-Path: <mta@relay.example>\r\nDelivered-To: fay@example.test\r\n")
                .contains(" with LMTP id "));
        assertThat(server.inbox("gus")).singleElement().satisfies(m -> assertThat(m)
                .startsWith("Return-Path: <mta@relay.example>\r\nDelivered-To: gus@example.test\r\n"));
    }
}
