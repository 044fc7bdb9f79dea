package org.clustermail.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A minimal SMTP client for tests: one message per connection, returns the final reply line. */
final class SmtpSender {

    private SmtpSender() {
    }

    static String send(int port, String from, List<String> to, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            OutputStream out = s.getOutputStream();
            reply(in);
            command(out, in, "EHLO client.test");
            command(out, in, "MAIL FROM:<" + from + ">");
            for (String rcpt : to) {
                String r = command(out, in, "RCPT TO:<" + rcpt + ">");
                if (!r.startsWith("250")) {
                    return r;
                }
            }
            String data = command(out, in, "DATA");
            if (!data.startsWith("354")) {
                return data;
            }
            out.write((body.replace("\n.", "\n..") + "\r\n.\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            String result = reply(in);
            command(out, in, "QUIT");
            return result;
        }
    }

    static String message(String subject) {
        return "From: a@sender.test\r\nTo: someone\r\nSubject: " + subject + "\r\n\r\nbody of " + subject + "\r\n";
    }

    private static String command(OutputStream out, BufferedReader in, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return "EOF";
            }
        } while (line.length() > 3 && line.charAt(3) == '-');
        return line;
    }
}
