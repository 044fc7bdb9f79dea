package org.clustermail.retrieval.pop3;

import java.io.IOException;
import java.util.List;
import org.clustermail.store.MessageRef;

/**
 * The TRANSACTION-state commands of POP3 (RFC 1939 section 5): STAT, LIST, RETR, DELE, RSET, NOOP, TOP, UIDL, QUIT
 * over the message list fixed at login. Deleted messages are only marked here. Stateless.
 */
final class Pop3Transaction {

    private Pop3Transaction() {
    }

    static void handle(Pop3Session s, Pop3State.Transaction t, Pop3Command cmd) throws IOException {
        List<MessageRef> messages = t.maildrop().messages();
        switch (cmd) {
            case Pop3Command.Stat st -> {
                long count = 0;
                long size = 0;
                for (int i = 0; i < messages.size(); i++) {
                    if (!t.deleted().get(i)) {
                        count++;
                        size += messages.get(i).size();
                    }
                }
                s.reply("+OK " + count + " " + size);
            }
            case Pop3Command.ListMessages l -> {
                if (l.message().isPresent()) {
                    int i = index(s, t, l.message().getAsInt());
                    if (i >= 0) {
                        s.reply("+OK " + (i + 1) + " " + messages.get(i).size());
                    }
                    return;
                }
                StringBuilder b = new StringBuilder("+OK scan listing follows\r\n");
                for (int i = 0; i < messages.size(); i++) {
                    if (!t.deleted().get(i)) {
                        b.append(i + 1).append(' ').append(messages.get(i).size()).append("\r\n");
                    }
                }
                s.reply(b.append('.').toString());
            }
            case Pop3Command.Uidl u -> uidl(s, t, u);
            case Pop3Command.Retr r -> {
                int i = index(s, t, r.message());
                if (i >= 0) {
                    s.sendMessage(t, i, "+OK " + messages.get(i).size() + " octets", -1);
                }
            }
            case Pop3Command.Top top -> {
                int i = index(s, t, top.message());
                if (i >= 0) {
                    s.sendMessage(t, i, "+OK top of message follows", top.lines());
                }
            }
            case Pop3Command.Dele d -> {
                int i = index(s, t, d.message());
                if (i >= 0) {
                    t.deleted().set(i);
                    s.reply("+OK message " + (i + 1) + " deleted");
                }
            }
            case Pop3Command.Rset r -> {
                t.deleted().clear();
                s.reply("+OK maildrop has " + messages.size() + " messages");
            }
            case Pop3Command.Noop n -> s.reply("+OK");
            case Pop3Command.Quit q -> s.quit(t);
            case Pop3Command.Capa c -> s.reply("+OK capability list follows\r\nTOP\r\nUIDL\r\nRESP-CODES\r\n"
                    + "PIPELINING\r\nIMPLEMENTATION clustermail\r\n.");
            default -> s.reply("-ERR not allowed after login");
        }
    }

    private static void uidl(Pop3Session s, Pop3State.Transaction t, Pop3Command.Uidl u) throws IOException {
        List<MessageRef> messages = t.maildrop().messages();
        if (u.message().isPresent()) {
            int i = index(s, t, u.message().getAsInt());
            if (i >= 0) {
                s.reply("+OK " + (i + 1) + " " + t.maildrop().uniqueId(messages.get(i)));
            }
            return;
        }
        StringBuilder b = new StringBuilder("+OK unique-id listing follows\r\n");
        for (int i = 0; i < messages.size(); i++) {
            if (!t.deleted().get(i)) {
                b.append(i + 1).append(' ').append(t.maildrop().uniqueId(messages.get(i))).append("\r\n");
            }
        }
        s.reply(b.append('.').toString());
    }

    /** The 0-based index of message {@code n}, or -1 after answering {@code -ERR} (no such, or deleted). */
    private static int index(Pop3Session s, Pop3State.Transaction t, int n) throws IOException {
        if (n < 1 || n > t.maildrop().messages().size()) {
            s.reply("-ERR no such message");
            return -1;
        }
        if (t.deleted().get(n - 1)) {
            s.reply("-ERR message " + n + " is deleted");
            return -1;
        }
        return n - 1;
    }
}
