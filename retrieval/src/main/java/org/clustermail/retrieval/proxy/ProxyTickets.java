package org.clustermail.retrieval.proxy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.clustermail.directory.NodeId;

/**
 * One-time tickets with which a front node logs a user in on the node that serves the mailbox, without the user's
 * password (ADR 0013). A ticket is {@code v1.<issued epoch second>.<nonce>.<mac>}, the MAC an HMAC-SHA256 under
 * the cluster's shared proxy secret over the protocol, the front node, the serving node, the user, the time and the
 * nonce. So a ticket opens one session, for one user, on one node, in one protocol, within {@link #MAX_AGE} of its
 * issue (either way, for clock skew), once: the nonces seen are remembered until their tickets expire.
 *
 * <p>Thread-safe.
 */
public final class ProxyTickets {

    /** How far a ticket's time may be from the checking node's clock (NTP keeps nodes well within it). */
    public static final Duration MAX_AGE = Duration.ofSeconds(60);
    /** The shortest secret accepted: 32 characters, about the strength of the 256-bit MAC. */
    public static final int MIN_SECRET_LENGTH = 32;

    private static final Pattern TICKET = Pattern.compile("v1\\.(\\d{1,12})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");
    private static final Pattern IDENTITY = Pattern.compile("node(\\d{2,3})");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int PRUNE_EVERY = 256;

    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Long> usedNonces = new ConcurrentHashMap<>();
    private final AtomicInteger sincePrune = new AtomicInteger();

    public ProxyTickets(String secret, Clock clock) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the proxy secret must have at least " + MIN_SECRET_LENGTH
                    + " characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        this.clock = clock;
    }

    /** The SASL authentication identity a node proxies under, e.g. {@code node02}. */
    public static String identity(NodeId node) {
        return node.directoryName();
    }

    /** The node an authentication identity names, if it is one. */
    public static Optional<NodeId> node(String identity) {
        Matcher m = IDENTITY.matcher(identity);
        return m.matches() ? Optional.of(NodeId.of(Integer.parseInt(m.group(1)))) : Optional.empty();
    }

    /** A fresh ticket for {@code user}'s session on {@code backend}, issued by {@code front}. */
    public String issue(AccessProtocol protocol, NodeId front, NodeId backend, String user) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        long issued = clock.instant().getEpochSecond();
        String nonceText = B64.encodeToString(nonce);
        return "v1." + issued + "." + nonceText + "." + mac(protocol, front, backend, user, issued, nonceText);
    }

    /**
     * Whether {@code ticket} was issued by {@code front} for this user's session on {@code backend} (this node), is
     * fresh and was not used before. A ticket accepted once is refused from then on.
     */
    public boolean accept(AccessProtocol protocol, NodeId front, NodeId backend, String user, String ticket) {
        Matcher m = TICKET.matcher(ticket);
        if (!m.matches()) {
            return false;
        }
        long issued = Long.parseLong(m.group(1));
        long now = clock.instant().getEpochSecond();
        if (Math.abs(now - issued) > MAX_AGE.toSeconds()) {
            return false;
        }
        byte[] expected = mac(protocol, front, backend, user, issued, m.group(2)).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, m.group(3).getBytes(StandardCharsets.US_ASCII))) {
            return false;
        }
        pruneNowAndThen(now);
        return usedNonces.putIfAbsent(m.group(2), issued + MAX_AGE.toSeconds()) == null;
    }

    private String mac(AccessProtocol protocol, NodeId front, NodeId backend, String user, long issued, String nonce) {
        String message = String.join("\n", "clustermail-proxy-v1", protocol.id(), identity(front), identity(backend),
                user, Long.toString(issued), nonce);
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(key);
            return B64.encodeToString(hmac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Forgets the nonces of expired tickets (they would be refused for their age anyway). */
    private void pruneNowAndThen(long now) {
        if (sincePrune.incrementAndGet() >= PRUNE_EVERY) {
            sincePrune.set(0);
            usedNonces.values().removeIf(expiry -> expiry < now);
        }
    }
}
