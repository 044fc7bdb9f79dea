package org.clustermail.store.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.clustermail.store.Flags;
import org.clustermail.store.MessageSummary;
import org.clustermail.store.SortKey;
import org.junit.jupiter.api.Test;

/** Listings against the obvious implementation (sort everything, cut the page) on random folders. */
class ListingsTest {

    private static final String[] SUBJECTS = {"Hello", "re: hello", "RE: Re: hello", "Fwd: report", "fw: Report",
        "AW[2]: Angebot", "Wg: angebot", "  Re:   spaced  ", "Re", "re hello", "Fwdx: odd", "Re[x]: odd", "zebra", ""};
    private static final String[] SENDERS = {"alice <a@x>", "Bob <b@x>", "bob <b@y>", "carol <c@x>", ""};

    @Test
    void everyOrderAndPageMatchesAFullSort() {
        Random r = new Random(3);
        for (Arrivals arrivals : Arrivals.values()) {
            FolderState f = folder(r, 500, arrivals);
            assertThat(f.arrivalLatenessNanos() == 0).isEqualTo(arrivals == Arrivals.IN_UID_ORDER);
            for (SortKey key : SortKey.values()) {
                for (boolean descending : new boolean[] {true, false}) {
                    for (int[] page : new int[][] {{0, 50}, {0, 1}, {37, 50}, {480, 50}, {0, 500}, {499, 10}}) {
                        List<Long> expected = fullSort(f, key, descending).stream().skip(page[0]).limit(page[1])
                                .map(StoredMessage::uid).toList();
                        assertThat(Listings.page(f, key, descending, page[0], page[1]).summaries())
                                .extracting(MessageSummary::uid)
                                .as("%s %s %s, arrivals %s", key, descending ? "desc" : "asc",
                                        List.of(page[0], page[1]), arrivals)
                                .isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void removingTheMessagesThatArrivedLateRestoresArrivalOrder() {
        FolderState f = new FolderState("INBOX", 1, Set.of());
        f.add(message(1, Instant.parse("2026-01-02T00:00:00Z"), "a", "x"));
        f.add(message(2, Instant.parse("2026-01-01T00:00:00Z"), "b", "x")); // an APPEND with an older date
        f.add(message(3, Instant.parse("2026-01-03T00:00:00Z"), "c", "x"));
        assertThat(f.arrivalLatenessNanos()).isEqualTo(86_400_000_000_000L);
        f.remove(List.of(2L), 9);
        assertThat(f.arrivalLatenessNanos()).isZero();
    }

    @Test
    void baseSubjectDropsReplyAndForwardMarkers() {
        assertThat(Listings.baseSubject("Re: RE: Fwd: Hello ")).isEqualTo("Hello");
        assertThat(Listings.baseSubject("AW[3]: Wg: Angebot")).isEqualTo("Angebot");
        assertThat(Listings.baseSubject("Re[x]: odd")).isEqualTo("Re[x]: odd");
        assertThat(Listings.baseSubject("Fwdx: odd")).isEqualTo("Fwdx: odd");
        assertThat(Listings.baseSubject("Re")).isEqualTo("Re");
        assertThat(Listings.baseSubject("   ")).isEmpty();
    }

    private static List<StoredMessage> fullSort(FolderState f, SortKey key, boolean descending) {
        Comparator<StoredMessage> c = switch (key) {
            case ARRIVAL -> Comparator.comparing(StoredMessage::internalDate);
            case DATE -> Comparator.comparing(m -> m.envelope().date().orElse(m.internalDate()));
            case SENDER -> Comparator.comparing(m -> m.envelope().from(), String.CASE_INSENSITIVE_ORDER);
            case SUBJECT -> Comparator.comparing(m -> m.envelope().subject().strip()
                    .replaceAll("(?i)^((re|fw|fwd|aw|wg)(\\[\\d+])?:\\s*)+", "").strip(),
                    String.CASE_INSENSITIVE_ORDER);
            case SIZE -> Comparator.comparingLong(StoredMessage::size);
        };
        c = c.thenComparingLong(StoredMessage::uid);
        List<StoredMessage> all = new ArrayList<>(f.messages());
        all.sort(descending ? c.reversed() : c);
        return all;
    }

    /** How internal dates relate to UID order. */
    private enum Arrivals {
        IN_UID_ORDER,
        /** Concurrent deliveries: dates taken a little before the UIDs, in another order. */
        JITTERED,
        /** Every 50th message an APPEND of old mail. */
        SOME_OLD
    }

    private static FolderState folder(Random r, int n, Arrivals arrivals) {
        FolderState f = new FolderState("INBOX", 1, Set.of());
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (int uid = 1; uid <= n; uid++) {
            t = t.plusMillis(r.nextInt(3) * 500L); // equal dates too, so UIDs break ties
            Instant arrival = switch (arrivals) {
                case IN_UID_ORDER -> t;
                case JITTERED -> t.minusMillis(r.nextInt(1200));
                case SOME_OLD -> uid % 50 == 0 ? t.minusSeconds(3600) : t;
            };
            f.add(message(uid, arrival, SENDERS[r.nextInt(SENDERS.length)], SUBJECTS[r.nextInt(SUBJECTS.length)]));
        }
        return f;
    }

    private static StoredMessage message(long uid, Instant arrival, String from, String subject) {
        Optional<Instant> date = uid % 7 == 0 ? Optional.empty() : Optional.of(arrival.minusSeconds(uid % 13));
        Envelope e = new Envelope(from, "to@x", "", subject, date, "<" + uid + "@x>", "", "", false, "");
        return new StoredMessage(uid, 1000 + (uid * 37) % 500, arrival, Flags.NONE, uid, 0, e);
    }
}
