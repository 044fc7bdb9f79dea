package org.clustermail.protocol;

import java.io.IOException;

/**
 * A line exceeded the limit the caller gave. The whole line, up to and including its LF, has been read and thrown
 * away (in bounded chunks), so the connection is positioned at the next line and the session may go on.
 */
public final class LineTooLongException extends IOException {
    private final int limit;

    public LineTooLongException(int limit) {
        super("line longer than " + limit + " octets");
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
