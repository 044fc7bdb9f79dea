package org.clustermail.delivery;

import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;

/**
 * A recipient accepted at RCPT time, with the answer to the paper's location query.
 *
 * @param location    the owner (primary) node, secondary node and state, as the directory knew them at RCPT time
 * @param lookupNanos how long the location query took: the paper's "setup" stage
 */
public record Recipient(MailAddress address, UserLocation location, long lookupNanos) {
}
