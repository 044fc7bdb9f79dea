package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.LongPredicate;
import org.clustermail.retrieval.imap.command.SearchKey;
import org.clustermail.retrieval.mime.HeaderBlock;
import org.clustermail.retrieval.mime.MessageText;
import org.clustermail.store.MessageRef;
import org.clustermail.store.SystemFlag;

/**
 * Decides whether one message matches a SEARCH key (RFC 3501 section 6.4.4). Keys on flags, size, dates, numbers
 * and mod-sequences are answered from the session's view without touching the message; header and text keys read it
 * (headers once per message, text once). Strings match case-insensitively as substrings, after RFC 2047 decoding.
 * Dates compare by day in UTC. RECENT, OLD and NEW ask whether the message is \Recent in this session.
 *
 * <p>Not thread-safe: one per SEARCH command.
 */
final class SearchEvaluator {

    private final long lastSeq;
    private final long maxUid;
    private final LongPredicate recent;
    private LoadedMessage current;
    private HeaderBlock header;
    private String bodyText;
    private String fullText;

    /** @param recent whether the message with a UID is \Recent in this session */
    SearchEvaluator(long lastSeq, long maxUid, LongPredicate recent) {
        this.lastSeq = lastSeq;
        this.maxUid = maxUid;
        this.recent = recent;
    }

    boolean matches(SearchKey key, int seq, LoadedMessage m) throws IOException {
        if (current != m) {
            current = m;
            header = null;
            bodyText = null;
            fullText = null;
        }
        return eval(key, seq, m.ref());
    }

    private boolean eval(SearchKey key, int seq, MessageRef ref) throws IOException {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.And and -> {
                for (SearchKey k : and.keys()) {
                    if (!eval(k, seq, ref)) {
                        yield false;
                    }
                }
                yield true;
            }
            case SearchKey.Or or -> eval(or.left(), seq, ref) || eval(or.right(), seq, ref);
            case SearchKey.Not not -> !eval(not.key(), seq, ref);
            case SearchKey.Flag f -> hasFlag(ref, f.flag()) == f.set();
            case SearchKey.Recent r -> recent.test(ref.uid()) == r.recent();
            case SearchKey.Size sz -> sz.larger() ? ref.size() > sz.size() : ref.size() < sz.size();
            case SearchKey.Numbers n -> n.uid() ? n.set().contains(ref.uid(), maxUid) : n.set().contains(seq, lastSeq);
            case SearchKey.ModSeq ms -> ref.modseq() >= ms.modSeq();
            case SearchKey.Date d -> date(d, ref);
            case SearchKey.Header h -> header(h);
            case SearchKey.Text t -> text(t);
        };
    }

    private static boolean hasFlag(MessageRef ref, String flag) {
        return SystemFlag.ofImapName(flag).map(f -> ref.flags().has(f))
                .orElseGet(() -> ref.flags().keywords().stream().anyMatch(k -> k.equalsIgnoreCase(flag)));
    }

    private boolean date(SearchKey.Date d, MessageRef ref) throws IOException {
        Instant when = d.field() == SearchKey.DateField.INTERNAL ? ref.internalDate()
                : MessageText.date(header().first("Date"));
        if (when == null) {
            return false;
        }
        LocalDate day = when.atZone(ZoneOffset.UTC).toLocalDate();
        return switch (d.comparison()) {
            case BEFORE -> day.isBefore(d.date());
            case ON -> day.isEqual(d.date());
            case SINCE -> !day.isBefore(d.date());
        };
    }

    private boolean header(SearchKey.Header h) throws IOException {
        String needle = h.value().toLowerCase(Locale.ROOT);
        for (String value : header().all(h.name())) {
            if (needle.isEmpty() || MessageText.decode(value).toLowerCase(Locale.ROOT).contains(needle)) {
                return true;
            }
        }
        return false;
    }

    private boolean text(SearchKey.Text t) throws IOException {
        String needle = t.value().toLowerCase(Locale.ROOT);
        if (t.includeHeaders()) {
            if (fullText == null) {
                try (InputStream in = current.open()) {
                    fullText = MessageText.of(in, true);
                }
            }
            return fullText.contains(needle);
        }
        if (bodyText == null) {
            try (InputStream in = current.open()) {
                bodyText = MessageText.of(in, false);
            }
        }
        return bodyText.contains(needle);
    }

    private HeaderBlock header() throws IOException {
        if (header == null) {
            header = current.structure().header();
        }
        return header;
    }

    /** Whether the key uses MODSEQ (then the response carries the highest mod-sequence, RFC 7162). */
    static boolean usesModseq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchEvaluator::usesModseq);
            case SearchKey.Or o -> usesModseq(o.left()) || usesModseq(o.right());
            case SearchKey.Not n -> usesModseq(n.key());
            default -> false;
        };
    }
}
