package org.clustermail.store;

/** A message's flags and modification sequence after a change. */
public record FlagUpdate(long uid, Flags flags, long modseq) {
}
