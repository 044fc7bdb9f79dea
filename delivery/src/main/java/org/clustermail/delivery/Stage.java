package org.clustermail.delivery;

/** The paper's latency sections of one delivery (Figs. 8 and 9). */
public enum Stage {
    /** Receiving the message from the client: MAIL FROM to the end of the data. */
    MTA,
    /** Finding the recipients' locations (the location query). */
    SETUP,
    /** Writing the copies durably into a store. */
    STORE,
    /** Handing the message to another node. */
    TRANSFER;

    /** The metric tag value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
