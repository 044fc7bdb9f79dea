package org.clustermail.directory.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserState;
import org.clustermail.directory.sql.StoredUser;

/**
 * One user's auth and location record in the cache, kept compact because a node holds every user: primitive fields,
 * the password hash as ASCII bytes, no copy of the address (it is the table's key). A changed user is replaced by a
 * new object, never mutated, except for {@link #memo}, the remembered verification (which a replacement drops).
 * Thread-safe.
 */
final class CachedUser {

    private static final NodeId[] NODES = new NodeId[1000];
    @SuppressWarnings("unchecked")
    private static final Optional<NodeId>[] SOME_NODE = new Optional[1000];

    static {
        for (int i = 0; i < NODES.length; i++) {
            NODES[i] = NodeId.of(i);
            SOME_NODE[i] = Optional.of(NODES[i]);
        }
    }

    final long serial;
    private final short primary;
    private final short secondary; // -1: none
    private final UserState state;
    final byte[] passwordHash; // PHC string, ASCII
    volatile PasswordMemo.Entry memo;

    CachedUser(StoredUser u) {
        serial = u.serial();
        primary = (short) u.primary();
        secondary = (short) u.secondary();
        state = u.state();
        passwordHash = u.passwordHash().getBytes(StandardCharsets.US_ASCII);
    }

    UserLocation location(MailAddress address) {
        return new UserLocation(address, serial, NODES[primary],
                secondary < 0 ? Optional.empty() : SOME_NODE[secondary], state);
    }

    /** Whether {@code mac} matches the remembered one, still valid at {@code nowMs}. Constant time. */
    boolean memoMatches(byte[] mac, long nowMs) {
        PasswordMemo.Entry m = memo;
        return m != null && m.expiresMs() > nowMs && MessageDigest.isEqual(m.mac(), mac);
    }

    String passwordHashText() {
        return new String(passwordHash, StandardCharsets.US_ASCII);
    }
}
