package org.clustermail.directory.auth;

import org.clustermail.directory.UserLocation;

/** What {@link LogonGuard} needs of a user to check a logon: where it lives and a way to check a password. */
public interface Credentials {

    UserLocation location();

    /** Whether {@code password} is this user's; may take an Argon2 verification's time. */
    boolean matches(char[] password);
}
