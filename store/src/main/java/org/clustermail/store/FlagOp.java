package org.clustermail.store;

/** How a flag store changes a message's flags (IMAP {@code +FLAGS}, {@code -FLAGS}, {@code FLAGS}). */
public enum FlagOp { ADD, REMOVE, REPLACE }
