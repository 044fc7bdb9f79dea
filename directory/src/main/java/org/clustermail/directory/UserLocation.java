package org.clustermail.directory;

import java.util.Optional;

/**
 * The answer to the paper's location query: which node owns a user's mailbox (primary) and which node takes its
 * mail while the primary is down (secondary; absent in a one-node cluster).
 *
 * @param serial the user's serial number; the mailbox lives under {@code node<NN>/<serial mod 300>/<address>/}
 */
public record UserLocation(MailAddress address, long serial, NodeId primary, Optional<NodeId> secondary,
                           UserState state) {

    /** The number of hash directories per node in the paper's mailbox layout. */
    public static final int HASH_DIRECTORIES = 300;

    public boolean active() {
        return state == UserState.ACTIVE;
    }

    /** The {@code serial mod 300} directory the mailbox sits in. */
    public int hashDirectory() {
        return (int) Math.floorMod(serial, (long) HASH_DIRECTORIES);
    }
}
