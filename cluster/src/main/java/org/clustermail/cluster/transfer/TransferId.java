package org.clustermail.cluster.transfer;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.directory.NodeId;

/**
 * The identity of one message's hand-over between nodes, e.g. {@code node01.m3x7k2a9.5f3a9c1e.17}: the node that
 * made it, when (epoch milliseconds, base 36), a random part (so a restarted node never repeats an id) and a
 * counter. It travels inside the message as the {@code X-Clustermail-Transfer} header, so every later hand-over of
 * the same copy (a retry from the spool, the secondary handing it back) carries the same id, and the owner can answer
 * "already stored" instead of storing it twice. The creation time bounds where the owner has to look for it.
 *
 * <p>Immutable.
 */
public record TransferId(String value, Instant created) {

    private static final Pattern FORMAT = Pattern.compile("([a-z0-9-]{1,32})\\.([0-9a-z]{1,12})\\.([0-9a-z.-]{1,64})");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PROCESS = HexFormat.of().toHexDigits(RANDOM.nextInt());
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** A new, unique id made by {@code origin} now. */
    public static TransferId next(NodeId origin) {
        long now = System.currentTimeMillis();
        return new TransferId(origin.directoryName() + "." + Long.toString(now, 36) + "." + PROCESS + "."
                + Long.toString(SEQUENCE.incrementAndGet(), 36), Instant.ofEpochMilli(now));
    }

    /**
     * A deterministic id for a copy that arrived without one (a plain LMTP client, a local delivery), derived from
     * where it is stored, so that handing the same copy back twice yields the same id.
     */
    public static TransferId derived(NodeId holder, long uidValidity, long uid, Instant internalDate) {
        return new TransferId(holder.directoryName() + "." + Long.toString(internalDate.toEpochMilli(), 36) + ".h"
                + Long.toString(uidValidity, 36) + "-" + Long.toString(uid, 36), internalDate);
    }

    /** Parses a header value; empty when it is not one of ours (a forged or mangled header is ignored). */
    public static Optional<TransferId> parse(String text) {
        Matcher m = FORMAT.matcher(text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TransferId(m.group(0), Instant.ofEpochMilli(Long.parseLong(m.group(2), 36))));
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
