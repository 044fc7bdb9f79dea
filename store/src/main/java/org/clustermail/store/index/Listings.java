package org.clustermail.store.index;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.clustermail.store.MessageSummary;
import org.clustermail.store.SortKey;
import org.clustermail.store.SummaryPage;

/**
 * Web-mail listings from the index alone: one page of a folder in the asked order. A page near the top costs one
 * pass with a bounded heap (O(n log k) for k = offset + limit), with no full sort and no file access. Pure.
 */
public final class Listings {

    private Listings() {
    }

    public static SummaryPage page(FolderState folder, SortKey key, boolean descending, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        List<StoredMessage> all = folder.messages();
        int total = all.size();
        long wanted = Math.min((long) offset + limit, total);
        if (offset >= total || limit == 0) {
            return new SummaryPage(List.of(), total, offset);
        }
        Comparator<StoredMessage> order = comparator(key);
        if (descending) {
            order = order.reversed();
        }
        // Keep the best 'wanted' messages in a heap whose head is the worst of them.
        PriorityQueue<StoredMessage> heap = new PriorityQueue<>((int) wanted + 1, order.reversed());
        for (StoredMessage m : all) {
            if (heap.size() < wanted) {
                heap.add(m);
            } else if (order.compare(m, heap.peek()) < 0) {
                heap.poll();
                heap.add(m);
            }
        }
        List<StoredMessage> best = new ArrayList<>(heap);
        best.sort(order);
        List<MessageSummary> page = new ArrayList<>(limit);
        for (int i = offset; i < best.size(); i++) {
            page.add(best.get(i).summary(folder.name()));
        }
        return new SummaryPage(page, total, offset);
    }

    static Comparator<StoredMessage> comparator(SortKey key) {
        Comparator<StoredMessage> c = switch (key) {
            case ARRIVAL -> Comparator.comparing(StoredMessage::internalDate);
            case DATE -> Comparator.comparing(m -> m.envelope().date().orElse(m.internalDate()));
            case SENDER -> Comparator.comparing(m -> m.envelope().from(), String.CASE_INSENSITIVE_ORDER);
            case SUBJECT -> Comparator.comparing(m -> baseSubject(m.envelope().subject()),
                    String.CASE_INSENSITIVE_ORDER);
            case SIZE -> Comparator.comparingLong(StoredMessage::size);
        };
        return c.thenComparingLong(StoredMessage::uid);
    }

    /** The subject without leading reply/forward markers, for sorting threads together. */
    static String baseSubject(String subject) {
        String s = subject.strip();
        String prev;
        do {
            prev = s;
            s = s.replaceFirst("(?i)^(re|fw|fwd|aw|wg)(\\[\\d+])?:\\s*", "").strip();
        } while (!s.equals(prev));
        return s;
    }
}
