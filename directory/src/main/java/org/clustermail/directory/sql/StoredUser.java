package org.clustermail.directory.sql;

import java.time.Instant;
import java.util.Optional;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserRecord;
import org.clustermail.directory.UserState;

/**
 * One row of the {@code users} table: what the cache keeps of a user (location and password hash).
 *
 * @param secondary the secondary node's number, or -1 when there is none
 * @param passwordHash the Argon2id hash in PHC string form
 */
public record StoredUser(long serial, String address, String passwordHash, int primary, int secondary,
                         UserState state, long createdMs) {

    public UserLocation location() {
        return new UserLocation(MailAddress.parse(address), serial, NodeId.of(primary),
                secondary < 0 ? Optional.empty() : Optional.of(NodeId.of(secondary)), state);
    }

    public UserRecord record() {
        return new UserRecord(location(), Instant.ofEpochMilli(createdMs));
    }
}
