package org.clustermail.store.maildir;

import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.store.Flags;
import org.clustermail.store.SystemFlag;

/**
 * File names of messages this store writes: {@code <uid>.V<uidvalidity>.cm,S=<size>} plus the Maildir info suffix
 * {@code :2,<flags>} in {@code cur/}. Deterministic, so a journal replay writes the same name again, and
 * self-describing, so a rebuild recovers UIDs and flags from the names alone. Pure.
 */
final class MaildirNames {

    private static final Pattern OURS = Pattern.compile("(\\d+)\\.V(\\d+)\\.cm,S=(\\d+)(?::2,([A-Za-z]*))?");
    private static final Pattern INFO = Pattern.compile(".*:2,([A-Za-z]*)");

    private MaildirNames() {
    }

    static String base(long uid, long uidValidity, long size) {
        return uid + ".V" + uidValidity + ".cm,S=" + size;
    }

    /** The name in {@code cur/} for these flags. */
    static String withInfo(String base, Flags flags) {
        StringBuilder b = new StringBuilder(base).append(":2,");
        for (SystemFlag f : SystemFlag.values()) { // enum order is the alphabetical order Maildir wants
            if (flags.has(f)) {
                b.append(f.maildirLetter());
            }
        }
        return b.toString();
    }

    /** What a name says: UID (-1 if not ours), UIDVALIDITY, size (-1 if unknown) and flags. */
    record Parsed(long uid, long uidValidity, long size, Flags flags) {
    }

    static Parsed parse(String fileName) {
        Matcher m = OURS.matcher(fileName);
        if (m.matches()) {
            return new Parsed(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    flags(m.group(4)));
        }
        Matcher i = INFO.matcher(fileName);
        return new Parsed(-1, 0, -1, i.matches() ? flags(i.group(1)) : Flags.NONE);
    }

    private static Flags flags(String letters) {
        EnumSet<SystemFlag> s = EnumSet.noneOf(SystemFlag.class);
        if (letters != null) {
            for (SystemFlag f : SystemFlag.values()) {
                if (letters.indexOf(f.maildirLetter()) >= 0) {
                    s.add(f);
                }
            }
        }
        return new Flags(s, new TreeSet<>());
    }

    static boolean isOurs(String fileName, long uid, long uidValidity) {
        return fileName.startsWith(uid + ".V" + uidValidity + ".cm,");
    }

    static Set<String> subdirs() {
        return Set.of("cur", "new", "tmp");
    }
}
