package org.clustermail.directory;

/**
 * Where a logon attempt comes from, as recorded by the logon-info subsystem.
 *
 * @param protocol e.g. {@code smtp-submission}, {@code imap}, {@code pop3}, {@code web}
 * @param remoteAddress the client's IP address as text
 */
public record LogonContext(String protocol, String remoteAddress) {
}
