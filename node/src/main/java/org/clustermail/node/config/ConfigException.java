package org.clustermail.node.config;

/** A configuration file that cannot be read or is invalid; the message is one line, naming the file and the fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
