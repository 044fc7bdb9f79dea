package org.clustermail.retrieval.imap.command;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** IMAP {@code date} ({@code 1-Feb-2024}) and {@code date-time} ({@code " 1-Feb-2024 10:00:00 +0100"}). Pure. */
public final class ImapDates {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy", Locale.ENGLISH);
    private static final DateTimeFormatter DATE_TIME =
            DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    private ImapDates() {
    }

    public static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(fixCase(s.strip()), DATE);
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("invalid date " + ImapParser.printable(s));
        }
    }

    public static ZonedDateTime parseDateTime(String s) {
        try {
            return ZonedDateTime.parse(fixCase(s.strip()), DATE_TIME);
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("invalid date-time " + ImapParser.printable(s));
        }
    }

    /** The INTERNALDATE form, {@code 01-Feb-2024 10:00:00 +0100}. */
    public static String format(ZonedDateTime t) {
        return OUT.format(t);
    }

    /** Month names are case-insensitive on the wire; the formatter wants {@code Feb}. */
    private static String fixCase(String s) {
        int a = s.indexOf('-');
        if (a < 0 || a + 4 > s.length()) {
            return s;
        }
        String month = s.substring(a + 1, a + 4);
        return s.substring(0, a + 1) + month.substring(0, 1).toUpperCase(Locale.ROOT)
                + month.substring(1).toLowerCase(Locale.ROOT) + s.substring(a + 4);
    }
}
