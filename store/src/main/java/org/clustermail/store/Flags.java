package org.clustermail.store;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable set of message flags: system flags and keywords (IMAP atoms such as {@code $Forwarded} or
 * {@code Junk}; case is kept, no backslash, no spaces or control characters).
 */
public record Flags(Set<SystemFlag> system, SortedSet<String> keywords) {

    public static final Flags NONE = new Flags(Set.of(), new TreeSet<>());
    /** Keywords longer than this are refused. */
    public static final int MAX_KEYWORD = 100;

    public Flags {
        system = system.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(SystemFlag.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(system));
        TreeSet<String> k = new TreeSet<>();
        for (String kw : keywords) {
            k.add(checkKeyword(kw));
        }
        keywords = Collections.unmodifiableSortedSet(k);
    }

    /** Flags with these system flags and no keywords. */
    public static Flags of(SystemFlag... flags) {
        return new Flags(flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags), new TreeSet<>());
    }

    /** Flags from IMAP names: {@code \Seen} etc. are system flags (any case), anything else a keyword. */
    public static Flags parse(Collection<String> names) {
        EnumSet<SystemFlag> sys = EnumSet.noneOf(SystemFlag.class);
        TreeSet<String> kws = new TreeSet<>();
        for (String n : names) {
            SystemFlag.ofImapName(n).ifPresentOrElse(sys::add, () -> kws.add(n));
        }
        return new Flags(sys, kws);
    }

    public boolean has(SystemFlag flag) {
        return system.contains(flag);
    }

    public Flags plus(Flags other) {
        EnumSet<SystemFlag> s = copy(system);
        s.addAll(other.system);
        TreeSet<String> k = new TreeSet<>(keywords);
        k.addAll(other.keywords);
        return new Flags(s, k);
    }

    public Flags minus(Flags other) {
        EnumSet<SystemFlag> s = copy(system);
        s.removeAll(other.system);
        TreeSet<String> k = new TreeSet<>(keywords);
        k.removeAll(other.keywords);
        return new Flags(s, k);
    }

    /** Applies a STORE operation. */
    public Flags apply(FlagOp op, Flags operand) {
        return switch (op) {
            case ADD -> plus(operand);
            case REMOVE -> minus(operand);
            case REPLACE -> operand;
        };
    }

    private static EnumSet<SystemFlag> copy(Set<SystemFlag> s) {
        return s.isEmpty() ? EnumSet.noneOf(SystemFlag.class) : EnumSet.copyOf(s);
    }

    private static String checkKeyword(String kw) {
        if (kw == null || kw.isEmpty() || kw.length() > MAX_KEYWORD || kw.startsWith("\\")) {
            throw new IllegalArgumentException("invalid keyword");
        }
        for (int i = 0; i < kw.length(); i++) {
            char c = kw.charAt(i);
            if (c <= ' ' || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("invalid keyword: keywords are IMAP atoms");
            }
        }
        return kw;
    }
}
