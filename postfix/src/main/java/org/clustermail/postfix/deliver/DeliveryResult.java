package org.clustermail.postfix.deliver;

import org.clustermail.cluster.channel.LmtpReply;

/**
 * The outcome of one local delivery: the exit status and, on failure, the one line for stderr. The line starts
 * with an RFC 3463 enhanced status code, which Postfix prefers over the exit status when it reads the command's
 * output, so a bounce says exactly what the node said.
 *
 * @param exit    the exit status
 * @param message empty on success, else one line
 */
public record DeliveryResult(SysExit exit, String message) {

    public static final DeliveryResult DELIVERED = new DeliveryResult(SysExit.OK, "");

    public DeliveryResult {
        message = message.replaceAll("[\\r\\n]+", " ").strip();
    }

    /** A failure reported with its enhanced status code first, e.g. {@code 4.4.1 cannot reach ...}. */
    public static DeliveryResult failed(SysExit exit, String enhancedCode, String text) {
        return new DeliveryResult(exit, enhancedCode + " clustermail deliver: " + text);
    }

    /**
     * What the node's reply for the recipient means for the exit status. Pure.
     * 2xx delivered; 4xx try later; 5.1.x (no such user) and 5.2.1 (disabled) no user; 5.3.4 (too big) bad data;
     * any other 5xx unavailable.
     */
    public static DeliveryResult of(String recipient, LmtpReply reply) {
        if (reply.positive()) {
            return DELIVERED;
        }
        String enhanced = reply.enhancedCode() != null ? reply.enhancedCode()
                : reply.transientFailure() ? "4.0.0" : "5.0.0";
        String text = recipient + ": node said " + reply.code() + " " + enhanced + " "
                + (reply.lines().isEmpty() ? "" : reply.lines().get(reply.lines().size() - 1));
        if (!reply.permanentFailure()) {
            return failed(SysExit.TEMPFAIL, enhanced, text);
        }
        SysExit exit;
        if (enhanced.startsWith("5.1.") || enhanced.equals("5.2.1")) {
            exit = SysExit.NOUSER;
        } else if (enhanced.equals("5.3.4") || reply.code() == 552) {
            exit = SysExit.DATAERR;
        } else {
            exit = SysExit.UNAVAILABLE;
        }
        return failed(exit, enhanced, text);
    }
}
