package org.clustermail.ingress;

/** Which door a session came through; it decides the verbs, AUTH and the relay rule. */
public enum Dialect {
    /** Port-25 style: mail from anywhere for local users only; no AUTH. */
    SMTP_INBOUND("smtp"),
    /** Port-587/465 style: AUTH required before MAIL, and offered only over TLS. */
    SUBMISSION("smtp-submission"),
    /** RFC 2033: LHLO, one reply per recipient after the data; for other MTAs and other nodes. */
    LMTP("lmtp");

    private final String protocolName;

    Dialect(String protocolName) {
        this.protocolName = protocolName;
    }

    /** The name recorded with logons, e.g. {@code smtp-submission}. */
    public String protocolName() {
        return protocolName;
    }

    public boolean lmtp() {
        return this == LMTP;
    }

    /** Whether AUTH is offered (and required before MAIL). */
    public boolean submission() {
        return this == SUBMISSION;
    }
}
