package org.clustermail.cluster.channel;

import java.util.List;

/**
 * One reply of an LMTP/SMTP server: the three-digit code, the enhanced status code when the server sent one
 * (RFC 3463, e.g. {@code 2.1.5}), and the text of every line.
 */
public record LmtpReply(int code, String enhancedCode, List<String> lines) {

    public LmtpReply {
        lines = List.copyOf(lines);
    }

    public boolean positive() {
        return code >= 200 && code < 300;
    }

    public boolean intermediate() {
        return code >= 300 && code < 400;
    }

    public boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean permanentFailure() {
        return code >= 500;
    }

    /** The reply as one line, e.g. {@code 550 5.1.1 no such user}, for logs and for relaying to a client. */
    public String summary() {
        String text = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        return code + (text.isEmpty() ? "" : " " + text);
    }
}
