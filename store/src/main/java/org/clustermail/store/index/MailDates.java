package org.clustermail.store.index;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Lenient parsing of RFC 5322 {@code Date:} values. Pure; returns empty for anything it cannot read. */
final class MailDates {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("d MMM yyyy H:mm[:ss] Z", Locale.ROOT);

    private MailDates() {
    }

    static Optional<Instant> parse(String raw) {
        // Comments, the optional day name and obsolete zone names are dropped; a named zone counts as UTC.
        String s = raw.replaceAll("\\([^)]*\\)", " ").replaceAll("\\s+", " ").strip()
                .replaceFirst("^[A-Za-z]{3},? ?", "")
                .replaceAll(" (UT|UTC|GMT|Z|[ECMP][SD]T)$", " +0000");
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
