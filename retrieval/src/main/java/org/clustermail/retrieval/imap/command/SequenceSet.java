package org.clustermail.retrieval.imap.command;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * An IMAP sequence set ({@code 1,3:5,7:*}) of message sequence numbers or UIDs, as the client wrote it.
 *
 * <p>{@code *} is kept as {@link #STAR} and resolved against the largest number in use only when the set is applied
 * ({@link #contains(long, long)}), because its meaning changes as the mailbox changes. Immutable.
 */
public record SequenceSet(List<Range> ranges) {

    /** The value of {@code *}: the largest number in use. */
    public static final long STAR = Long.MAX_VALUE;

    public SequenceSet {
        ranges = List.copyOf(ranges);
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException("empty sequence set");
        }
    }

    /** One element {@code a}, {@code a:b} or {@code b:a}; either end may be {@link #STAR}. */
    public record Range(long from, long to) {
        /** The lower end once {@code *} is resolved to {@code max}. */
        public long low(long max) {
            return Math.min(resolve(from, max), resolve(to, max));
        }

        /** The upper end once {@code *} is resolved to {@code max}. */
        public long high(long max) {
            return Math.max(resolve(from, max), resolve(to, max));
        }

        private static long resolve(long n, long max) {
            return n == STAR ? max : n;
        }
    }

    public static SequenceSet of(long from, long to) {
        return new SequenceSet(List.of(new Range(from, to)));
    }

    /** Whether {@code n} is in the set when {@code *} means {@code max}. */
    public boolean contains(long n, long max) {
        for (Range r : ranges) {
            if (n >= r.low(max) && n <= r.high(max)) {
                return true;
            }
        }
        return false;
    }

    /** A predicate over numbers for a mailbox whose largest number is {@code max}. */
    public LongPredicate matcher(long max) {
        return n -> contains(n, max);
    }

    /** Parses {@code 1,3:5,7:*}; throws {@link ImapSyntaxException} on anything else. */
    public static SequenceSet parse(String text) {
        List<Range> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part);
                out.add(new Range(n, n));
            } else {
                out.add(new Range(number(part.substring(0, colon)), number(part.substring(colon + 1))));
            }
        }
        return new SequenceSet(out);
    }

    private static long number(String s) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9') || s.charAt(0) == '0') {
            throw new ImapSyntaxException("invalid sequence set element: " + s);
        }
        long n = Long.parseLong(s);
        if (n > 0xFFFF_FFFFL) {
            throw new ImapSyntaxException("number out of range: " + s);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Range r : ranges) {
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(r.from == STAR ? "*" : Long.toString(r.from));
            if (r.to != r.from) {
                b.append(':').append(r.to == STAR ? "*" : Long.toString(r.to));
            }
        }
        return b.toString();
    }
}
