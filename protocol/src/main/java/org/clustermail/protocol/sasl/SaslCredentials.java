package org.clustermail.protocol.sasl;

/**
 * What a client proved to know at the end of a SASL exchange.
 *
 * @param authorizationId whom the client wants to act as; empty when the same as {@code username}
 * @param username the login (authentication identity)
 * @param password the password; callers should clear it after checking
 */
public record SaslCredentials(String authorizationId, String username, char[] password) {

    /** Whether the client asked to act as someone other than itself (which clustermail does not allow). */
    public boolean actsAsOther() {
        return !authorizationId.isEmpty() && !authorizationId.equals(username);
    }

    @Override
    public String toString() {
        return "SaslCredentials[" + username + "]";
    }
}
