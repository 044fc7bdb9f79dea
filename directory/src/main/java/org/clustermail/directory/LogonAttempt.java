package org.clustermail.directory;

import java.time.Instant;

/**
 * One logon attempt as the logon-info subsystem records it.
 *
 * @param at            when it happened
 * @param login         the normalised address the client gave (or its printable, shortened raw form if invalid)
 * @param protocol      e.g. {@code imap}, {@code pop3}, {@code smtp-submission}, {@code web}
 * @param remoteAddress the client's IP address
 * @param outcome       success, failure or refused by the lockout
 * @param reason        why it failed, for logs and the owner's own history; never sent to a client
 */
public record LogonAttempt(Instant at, String login, String protocol, String remoteAddress, Outcome outcome,
                           String reason) {

    public static final int MAX_LOGIN = 320;
    public static final int MAX_PROTOCOL = 32;
    public static final int MAX_REMOTE = 64;
    public static final int MAX_REASON = 64;

    public LogonAttempt {
        login = clip(login, MAX_LOGIN);
        protocol = clip(protocol, MAX_PROTOCOL);
        remoteAddress = clip(remoteAddress, MAX_REMOTE);
        reason = clip(reason, MAX_REASON);
    }

    /** How an attempt ended. */
    public enum Outcome {
        SUCCESS, FAILURE, LOCKED_OUT
    }

    private static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
