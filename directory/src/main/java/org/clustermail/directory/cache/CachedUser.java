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
 * the address and the password hash as ASCII bytes, the address's table hash. A changed user is replaced by a
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

    final int hash;
    private final byte[] address; // ASCII: MailAddress allows only ASCII
    final long serial;
    private final short primary;
    private final short secondary; // -1: none
    private final UserState state;
    final byte[] passwordHash; // PHC string, ASCII
    volatile PasswordMemo.Entry memo;

    CachedUser(StoredUser u) {
        address = u.address().getBytes(StandardCharsets.US_ASCII);
        hash = hash(u.address());
        serial = u.serial();
        primary = (short) u.primary();
        secondary = (short) u.secondary();
        state = u.state();
        passwordHash = u.passwordHash().getBytes(StandardCharsets.US_ASCII);
    }

    /** The table hash of {@code local@domain}, computed from the parts without building the string. */
    static int hash(MailAddress a) {
        int h = hash(0, a.localPart());
        h = 31 * h + '@';
        return spread(hash(h, a.domain()));
    }

    static int hash(String address) {
        return spread(hash(0, address));
    }

    private static int hash(int h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) ^ (h >>> 7); // mix high bits into the low bits the table mask keeps
    }

    boolean is(MailAddress a) {
        String local = a.localPart();
        String domain = a.domain();
        int n = local.length();
        if (address.length != n + 1 + domain.length() || address[n] != '@') {
            return false;
        }
        return sameChars(local, 0) && sameChars(domain, n + 1);
    }

    boolean is(String a) {
        return a.length() == address.length && sameChars(a, 0);
    }

    boolean sameAddress(CachedUser other) {
        return java.util.Arrays.equals(address, other.address);
    }

    private boolean sameChars(String s, int offset) {
        for (int i = 0; i < s.length(); i++) {
            if (address[offset + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
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

    String addressText() {
        return new String(address, StandardCharsets.US_ASCII);
    }

    String passwordHashText() {
        return new String(passwordHash, StandardCharsets.US_ASCII);
    }
}
