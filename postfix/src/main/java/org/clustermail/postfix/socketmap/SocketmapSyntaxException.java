package org.clustermail.postfix.socketmap;

/** A socketmap request that is not a well-formed netstring, or whose payload is not {@code name SPACE key}. */
public final class SocketmapSyntaxException extends Exception {

    private final boolean fatal;

    SocketmapSyntaxException(String message) {
        this(message, false);
    }

    SocketmapSyntaxException(String message, boolean fatal) {
        super(message);
        this.fatal = fatal;
    }

    /** Whether the framing itself broke, so the next request cannot be found and the connection must end. */
    public boolean fatal() {
        return fatal;
    }
}
