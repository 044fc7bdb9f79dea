package org.clustermail.postfix.deliver;

/**
 * The exit statuses of {@code <sysexits.h>} that a local delivery agent uses; Postfix's {@code pipe(8)} and
 * {@code local(8)} (for {@code mailbox_command}) read them: {@link #TEMPFAIL} defers the message and retries it
 * later, the other failures bounce it.
 */
public enum SysExit {
    /** Delivered: the node stored the message durably. */
    OK(0),
    /** The command line is wrong. */
    USAGE(64),
    /** The message on stdin is not usable (empty, too large, unreadable). */
    DATAERR(65),
    /** No such recipient (or the mailbox is disabled). */
    NOUSER(67),
    /** The node refused the message for good for another reason. */
    UNAVAILABLE(69),
    /** Try again later: the node is unreachable, busy, or answered 4xx. */
    TEMPFAIL(75);

    private final int code;

    SysExit(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
