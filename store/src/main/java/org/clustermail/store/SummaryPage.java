package org.clustermail.store;

import java.util.List;

/** One page of a message-info listing, and the folder's total so the caller can page. */
public record SummaryPage(List<MessageSummary> summaries, int total, int offset) {

    public SummaryPage {
        summaries = List.copyOf(summaries);
    }
}
