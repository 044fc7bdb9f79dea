package org.clustermail.retrieval.imap;

import java.util.List;

/** Writes number lists compactly as IMAP sets ({@code 1:3,7,9:10}), as COPYUID and MODIFIED want. */
final class UidSets {

    private UidSets() {
    }

    /** {@code numbers} in the order given; runs of consecutive ascending numbers become ranges. */
    static String format(List<Long> numbers) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < numbers.size()) {
            long start = numbers.get(i);
            int j = i;
            while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
                j++;
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(start);
            if (j > i) {
                b.append(':').append(numbers.get(j));
            }
            i = j + 1;
        }
        return b.toString();
    }
}
