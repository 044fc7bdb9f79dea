package org.clustermail.directory.auth;

import org.clustermail.directory.UserLocation;

/** Credentials checked by a full Argon2 verification each time (the uncached path). Immutable. */
public record HashCredentials(UserLocation location, String passwordHash, PasswordHasher hasher)
        implements Credentials {

    @Override
    public boolean matches(char[] password) {
        return hasher.verify(password, passwordHash);
    }
}
