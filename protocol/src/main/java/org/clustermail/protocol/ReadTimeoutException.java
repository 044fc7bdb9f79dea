package org.clustermail.protocol;

import java.io.IOException;

/**
 * The peer sent nothing for the idle timeout, or did not finish the current command (a line, a DATA body, a
 * literal) before its deadline. The connection is still open so the session can say goodbye, but the session must
 * end: part of a command may have been consumed.
 */
public final class ReadTimeoutException extends IOException {

    /** Which limit ran out. */
    public enum Kind {
        /** No byte arrived for {@link ProtocolInput#idleTimeout()}. */
        IDLE,
        /** The deadline set with {@link ProtocolInput#setDeadline} passed. */
        DEADLINE
    }

    private final Kind kind;

    public ReadTimeoutException(Kind kind) {
        super(kind == Kind.IDLE ? "idle timeout" : "command timeout");
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
