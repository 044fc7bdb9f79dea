package org.clustermail.store;

import java.util.List;

/**
 * The outcome of a flag store: the new state of each message it applied to, and (CONDSTORE) the UIDs it did not
 * change because their modseq was above {@code UNCHANGEDSINCE} (the {@code [MODIFIED ...]} set). UIDs that no
 * longer exist are in neither list.
 */
public record FlagStoreResult(List<FlagUpdate> updated, List<Long> modified) {

    public FlagStoreResult {
        updated = List.copyOf(updated);
        modified = List.copyOf(modified);
    }
}
