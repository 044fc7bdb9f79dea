package org.clustermail.cluster.channel;

/** The LMTP server's verdict on one recipient: at RCPT time when refused, else after the message data. */
public record RecipientReply(String recipient, LmtpReply reply) {
}
