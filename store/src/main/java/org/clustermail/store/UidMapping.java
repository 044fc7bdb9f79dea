package org.clustermail.store;

import java.util.List;

/**
 * The UIDs a copy or move gave (UIDPLUS {@code COPYUID}): {@code sourceUids.get(i)} became
 * {@code targetUids.get(i)} in the target folder, whose UIDVALIDITY is {@code targetUidValidity}. Source UIDs that
 * did not exist are left out; both lists are in increasing order.
 */
public record UidMapping(long targetUidValidity, List<Long> sourceUids, List<Long> targetUids) {

    public UidMapping {
        sourceUids = List.copyOf(sourceUids);
        targetUids = List.copyOf(targetUids);
        if (sourceUids.size() != targetUids.size()) {
            throw new IllegalArgumentException("UID lists differ in length");
        }
    }
}
