package org.clustermail.retrieval.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The front node's half of a proxied login: read the serving node's greeting, then {@code AUTHENTICATE PLAIN}
 * (IMAP, with SASL-IR) or {@code AUTH PLAIN} (POP3) with the user as authorization identity, this node as
 * authentication identity and a {@link ProxyTickets ticket} as password. Both in one round trip.
 */
final class BackendLogin {

    private static final String TAG = "p1";

    /** What the serving node said. */
    sealed interface Answer {
        /** Logged in; {@code reply} is what to tell the client (IMAP: the text after OK; POP3: the whole line). */
        record Accepted(String reply) implements Answer {
        }

        /** The user cannot have a session there now (POP3 maildrop in use, a store error): tell the client so. */
        record Refused(String reply) implements Answer {
        }

        /** The node did not take our ticket or did not speak the protocol: a cluster fault, not the user's. */
        record Failed(String reason) implements Answer {
        }
    }

    private BackendLogin() {
    }

    static Answer login(AccessProtocol protocol, BackendConnection c, String plain) throws IOException {
        return protocol == AccessProtocol.IMAP ? imap(c, plain) : pop3(c, plain);
    }

    /** The SASL PLAIN message {@code authzid NUL authcid NUL password}, base64. */
    static String plain(String user, String identity, String ticket) {
        return Base64.getEncoder().encodeToString((user + '\0' + identity + '\0' + ticket)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Answer imap(BackendConnection c, String plain) throws IOException {
        String greeting = c.readLine();
        if (!greeting.startsWith("* OK")) {
            return new Answer.Failed("greeted with " + greeting);
        }
        c.writeLine(TAG + " AUTHENTICATE PLAIN " + plain);
        while (true) {
            String line = c.readLine();
            if (line.startsWith(TAG + " OK ")) {
                return new Answer.Accepted(line.substring(TAG.length() + 4));
            }
            if (line.startsWith(TAG + " NO ")) {
                String text = line.substring(TAG.length() + 4);
                return text.startsWith("[AUTH") ? new Answer.Failed("refused the ticket: " + line)
                        : new Answer.Refused(text);
            }
            if (!line.startsWith("* ")) {
                return new Answer.Failed("answered the ticket login with " + line);
            }
        }
    }

    private static Answer pop3(BackendConnection c, String plain) throws IOException {
        String greeting = c.readLine();
        if (!greeting.startsWith("+OK")) {
            return new Answer.Failed("greeted with " + greeting);
        }
        c.writeLine("AUTH PLAIN " + plain);
        String line = c.readLine();
        if (line.startsWith("+OK")) {
            return new Answer.Accepted(line);
        }
        if (line.startsWith("-ERR") && !line.startsWith("-ERR [AUTH]")) {
            return new Answer.Refused(line);
        }
        return new Answer.Failed("answered the ticket login with " + line);
    }
}
