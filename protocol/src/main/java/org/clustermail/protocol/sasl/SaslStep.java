package org.clustermail.protocol.sasl;

/** What a {@link SaslExchange} says after each client message. */
public sealed interface SaslStep {

    /** Send this challenge (already base64) to the client and pass its answer to {@link SaslExchange#respond}. */
    record Challenge(String base64) implements SaslStep {
    }

    /** The exchange is over: check these credentials. */
    record Complete(SaslCredentials credentials) implements SaslStep {
    }

    /** The client's message was malformed (bad base64, missing fields): a syntax error, not a failed login. */
    record Malformed(String reason) implements SaslStep {
    }

    /** The client sent {@code *} to cancel the exchange. */
    record Cancelled() implements SaslStep {
    }
}
