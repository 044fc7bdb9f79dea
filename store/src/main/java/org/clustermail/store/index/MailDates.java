package org.clustermail.store.index;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Lenient parsing of RFC 5322 {@code Date:} values. Pure; returns empty for anything it cannot read. */
final class MailDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("d MMM yyyy H:mm[:ss] Z", Locale.ROOT);
    // Compiled once: String.replaceAll compiles its pattern on every call, and this runs for every stored message.
    private static final Pattern COMMENT = Pattern.compile("\\([^)]*\\)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern DAY_NAME = Pattern.compile("^[A-Za-z]{3},? ?");
    private static final Pattern NAMED_ZONE = Pattern.compile(" (UT|UTC|GMT|Z|[ECMP][SD]T)$");

    private MailDates() {
    }

    static Optional<Instant> parse(String raw) {
        // Comments, the optional day name and obsolete zone names are dropped; a named zone counts as UTC.
        String s = raw.indexOf('(') < 0 ? raw : COMMENT.matcher(raw).replaceAll(" ");
        s = WHITESPACE.matcher(s).replaceAll(" ").strip();
        s = DAY_NAME.matcher(s).replaceFirst("");
        s = NAMED_ZONE.matcher(s).replaceAll(" +0000");
        if (s.length() > 60) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(s, FORMAT).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
