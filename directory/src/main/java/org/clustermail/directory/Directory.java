package org.clustermail.directory;

import java.util.Optional;

/**
 * The read side of the directory that every mail path uses: the paper's location query and the auth subsystem.
 *
 * <p>Implementations answer from memory in the common case (the paper keeps authentication data in a hash table,
 * after Porcupine); they never block a delivery on the SQL server. Thread-safe.
 */
public interface Directory {

    /** Where the mailbox of {@code address} lives, or empty if there is no such user (disabled users are returned). */
    Optional<UserLocation> locate(MailAddress address);

    /** Whether mail for {@code domain} (normalised, lower case) is ours to store rather than to relay. */
    boolean isLocalDomain(String domain);

    /**
     * Checks a logon and records the attempt in the logon-info subsystem. Illegal-logon detection applies: after too
     * many failures the attempt is refused with {@link AuthResult.LockedOut} whether or not the password is right.
     * Callers must answer every failure the same way to the client, so as not to reveal whether an account exists.
     *
     * @param login the address the client gave (validated here; bad syntax is a plain failure)
     */
    AuthResult authenticate(String login, char[] password, LogonContext context);
}
