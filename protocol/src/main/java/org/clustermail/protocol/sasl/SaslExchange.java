package org.clustermail.protocol.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The server side of one SASL exchange (RFC 4422) for the mechanisms clustermail offers: PLAIN (RFC 4616) and
 * LOGIN (the old de-facto mechanism Outlook and others still use). Pure decoding, no I/O: the protocol sends the
 * challenges in its own framing (SMTP {@code 334}, IMAP {@code +}, POP3 {@code +}) and checks the credentials.
 *
 * <p>Use: {@link #start} with the mechanism name, then {@link #begin} with the initial response if the command
 * carried one, then {@link #respond} with each client line while the step is a {@link SaslStep.Challenge}.
 * Threading: one exchange per attempt, used by one thread.
 */
public abstract sealed class SaslExchange {

    /** The mechanism names to advertise, in order of preference. */
    public static final String MECHANISMS = "PLAIN LOGIN";

    private SaslExchange() {
    }

    /** A new exchange for {@code mechanism} (case-insensitive), or empty if it is not supported. */
    public static Optional<SaslExchange> start(String mechanism) {
        return switch (mechanism.toUpperCase(Locale.ROOT)) {
            case "PLAIN" -> Optional.of(new Plain());
            case "LOGIN" -> Optional.of(new Login());
            default -> Optional.empty();
        };
    }

    /**
     * The first step.
     *
     * @param initialResponse the base64 initial response from the command line ({@code "="} means an empty one),
     *                        or null if there was none
     */
    public abstract SaslStep begin(String initialResponse);

    /** The next step, given the client's answer to the last challenge. */
    public abstract SaslStep respond(String clientLine);

    /** Decodes a PLAIN message: {@code [authzid] NUL authcid NUL passwd}, UTF-8. */
    public static SaslStep decodePlain(byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (first < 0 || second < 0 || indexOf(message, second + 1) >= 0) {
            return new SaslStep.Malformed("PLAIN needs exactly authzid NUL authcid NUL password");
        }
        String authzid = utf8(message, 0, first);
        String authcid = utf8(message, first + 1, second);
        String password = utf8(message, second + 1, message.length);
        if (authcid.isEmpty() || password.isEmpty()) {
            return new SaslStep.Malformed("PLAIN needs a user name and a password");
        }
        return new SaslStep.Complete(new SaslCredentials(authzid, authcid, password.toCharArray()));
    }

    /** Decodes one base64 client message; null if it is not base64. {@code "="} is the empty message. */
    static byte[] decodeBase64(String line) {
        String s = line.strip();
        if (s.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String encode(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] bytes, int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.UTF_8);
    }

    private static boolean cancelled(String line) {
        return line.strip().equals("*");
    }

    /** PLAIN: one message, sent as initial response or after an empty challenge. */
    private static final class Plain extends SaslExchange {
        @Override
        public SaslStep begin(String initialResponse) {
            return initialResponse == null ? new SaslStep.Challenge("") : respond(initialResponse);
        }

        @Override
        public SaslStep respond(String clientLine) {
            if (cancelled(clientLine)) {
                return new SaslStep.Cancelled();
            }
            byte[] message = decodeBase64(clientLine);
            return message == null ? new SaslStep.Malformed("not base64") : decodePlain(message);
        }
    }

    /** LOGIN: the server asks "Username:" then "Password:"; the user name may come as initial response. */
    private static final class Login extends SaslExchange {
        private static final String USERNAME = encode("Username:");
        private static final String PASSWORD = encode("Password:");
        private String username;

        @Override
        public SaslStep begin(String initialResponse) {
            return initialResponse == null ? new SaslStep.Challenge(USERNAME) : respond(initialResponse);
        }

        @Override
        public SaslStep respond(String clientLine) {
            if (cancelled(clientLine)) {
                return new SaslStep.Cancelled();
            }
            byte[] message = decodeBase64(clientLine);
            if (message == null) {
                return new SaslStep.Malformed("not base64");
            }
            String text = new String(message, StandardCharsets.UTF_8);
            if (username == null) {
                if (text.isEmpty() || text.indexOf('\0') >= 0) {
                    return new SaslStep.Malformed("LOGIN needs a user name");
                }
                username = text;
                return new SaslStep.Challenge(PASSWORD);
            }
            if (text.isEmpty()) {
                return new SaslStep.Malformed("LOGIN needs a password");
            }
            return new SaslStep.Complete(new SaslCredentials("", username, text.toCharArray()));
        }
    }
}
