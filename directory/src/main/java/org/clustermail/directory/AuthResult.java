package org.clustermail.directory;

/** The outcome of {@link Directory#authenticate}. */
public sealed interface AuthResult {

    /** The password matched an active user. */
    record Success(UserLocation user) implements AuthResult {
    }

    /** Unknown user, wrong password or disabled account; {@code reason} is for logs only, never for the client. */
    record Failure(String reason) implements AuthResult {
    }

    /** Too many recent failures for this account or address; refused without checking the password. */
    record LockedOut(java.time.Duration retryAfter) implements AuthResult {
    }
}
