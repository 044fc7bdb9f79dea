package org.clustermail.node;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** SMTP and POP3 conversations the node tests have with real listeners (password {@code pw}), over {@link TextClient}. */
final class Transcripts {

    private Transcripts() {
    }

    /** Sends one message whose subject and body are {@code subject}; asserts the 250. */
    static void send(int smtpPort, List<String> to, String subject) throws IOException {
        try (TextClient smtp = new TextClient(smtpPort)) {
            smtp.skipTo("220 ");
            StringBuilder s = new StringBuilder("EHLO me\r\nMAIL FROM:<a@b.example>\r\n");
            to.forEach(r -> s.append("RCPT TO:<").append(r).append(">\r\n"));
            smtp.send(s.append("DATA\r\n").toString());
            smtp.skipTo("354");
            smtp.send("Subject: " + subject + "\r\n\r\n" + subject + "\r\n.\r\nQUIT\r\n");
            smtp.skipTo("250 2.0.0");
        }
    }

    /** Every message of the maildrop, read over POP3 (lines joined with {@code \n}). */
    static List<String> pop3(int pop3Port, String user) throws IOException {
        try (TextClient pop3 = new TextClient(pop3Port)) {
            pop3.skipTo("+OK");
            pop3.send("USER " + user + "\r\nPASS pw\r\n");
            pop3.skipTo("+OK send PASS");
            String hello = pop3.skipTo("+OK maildrop has ");
            int count = Integer.parseInt(hello.split(" ")[3]);
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                pop3.send("RETR " + i + "\r\n");
                pop3.skipTo("+OK");
                StringBuilder m = new StringBuilder();
                for (String line = pop3.line(); !line.equals("."); line = pop3.line()) {
                    m.append(line).append('\n');
                }
                out.add(m.toString());
            }
            pop3.send("QUIT\r\n");
            return out;
        }
    }

    /** The subjects of the maildrop's messages, in order. */
    static List<String> subjects(int pop3Port, String user) throws IOException {
        return pop3(pop3Port, user).stream().map(m -> m.lines().filter(l -> l.startsWith("Subject: ")).findFirst()
                .orElse("Subject: (none)").substring("Subject: ".length())).toList();
    }
}
