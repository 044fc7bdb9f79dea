package org.clustermail.webmail;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.store.MailboxOwner;

/**
 * The logged-in browsers of this node: a random 256-bit token (the cookie) per session, with the user's mailbox and
 * a second random token that every form must carry back (against cross-site request forgery). Sessions live in
 * memory only: a restarted or failed node logs its web users out, and they log in again on whichever node serves
 * their mailbox now. A session unused for longer than the idle timeout is gone.
 *
 * <p>Thread-safe.
 */
final class WebSessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** One logged-in browser. */
    record Session(String token, String user, MailboxOwner owner, String csrf) {

        /** Whether a form's token is this session's, compared in constant time. */
        boolean csrfMatches(String candidate) {
            return candidate != null && MessageDigest.isEqual(csrf.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    candidate.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
    }

    private record Entry(Session session, long lastUsedMillis) {
    }

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final Clock clock;

    WebSessions(Duration idleTimeout, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    Session create(String user, MailboxOwner owner) {
        dropIdle();
        Session s = new Session(randomToken(), user, owner, randomToken());
        sessions.put(s.token(), new Entry(s, clock.millis()));
        return s;
    }

    /** The session of a cookie value, if it exists and was used within the idle timeout; touching it. */
    Optional<Session> find(String token) {
        if (token == null) {
            return Optional.empty();
        }
        long now = clock.millis();
        Entry e = sessions.get(token);
        if (e == null) {
            return Optional.empty();
        }
        if (now - e.lastUsedMillis() > idleTimeout.toMillis()) {
            sessions.remove(token, e);
            return Optional.empty();
        }
        sessions.replace(token, e, new Entry(e.session(), now));
        return Optional.of(e.session());
    }

    void remove(String token) {
        sessions.remove(token);
    }

    private void dropIdle() {
        long now = clock.millis();
        sessions.values().removeIf(e -> now - e.lastUsedMillis() > idleTimeout.toMillis());
    }

    /** 256 random bits, URL-safe Base64. */
    static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
