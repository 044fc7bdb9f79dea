package org.clustermail.cli;

/** A command that cannot go on for a reason the user can fix; the message is the one line the user sees. */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
