package org.clustermail.directory;

import java.time.Instant;

/** A user as the administration side sees it: where the mailbox lives, its state, and when it was created. */
public record UserRecord(UserLocation location, Instant created) {

    public MailAddress address() {
        return location.address();
    }
}
