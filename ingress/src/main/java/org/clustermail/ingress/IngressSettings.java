package org.clustermail.ingress;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Limits and names for SMTP and LMTP sessions. Immutable; validated on construction.
 *
 * @param hostname        the name in the greeting, EHLO reply and Received headers
 * @param maxMessageSize  largest message accepted, in octets (SIZE; 552 5.3.4 beyond)
 * @param maxRecipients   recipients per message (452 4.5.3 beyond; RFC 5321 asks for at least 100)
 * @param maxCommandLine  longest command line, without CRLF (500 5.5.2 beyond; RFC 5321 minimum 510)
 * @param maxDataLine     longest line inside DATA, without CRLF (RFC 5322 says 998; real mail is sloppier)
 * @param maxErrors       errors in one session before it is closed with 421
 * @param dataTimeout     how long a whole DATA or BDAT transfer may take
 * @param memoryThreshold messages larger than this are spooled to a file while being received
 * @param spoolDirectory  where those files go (deleted after delivery)
 */
public record IngressSettings(String hostname, long maxMessageSize, int maxRecipients, int maxCommandLine,
                              int maxDataLine, int maxErrors, Duration dataTimeout, int memoryThreshold,
                              Path spoolDirectory) {

    public IngressSettings {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(spoolDirectory, "spoolDirectory");
        if (maxMessageSize < 1024) {
            throw new IllegalArgumentException("maxMessageSize must be at least 1024 octets");
        }
        if (maxRecipients < 1) {
            throw new IllegalArgumentException("maxRecipients must be at least 1");
        }
        if (maxCommandLine < 510) {
            throw new IllegalArgumentException("maxCommandLine must be at least 510 (RFC 5321)");
        }
        if (maxDataLine < 998) {
            throw new IllegalArgumentException("maxDataLine must be at least 998 (RFC 5322)");
        }
        if (maxErrors < 1) {
            throw new IllegalArgumentException("maxErrors must be at least 1");
        }
        if (dataTimeout.isNegative() || dataTimeout.isZero()) {
            throw new IllegalArgumentException("dataTimeout must be positive");
        }
        if (memoryThreshold < 0) {
            throw new IllegalArgumentException("memoryThreshold must not be negative");
        }
    }

    /**
     * The defaults: 25 MiB messages, 100 recipients, 2048-octet commands (Postfix's line limit), 64 KiB data lines,
     * 20 errors, 10 minutes per DATA (RFC 5321 4.5.3.2.6), messages over 256 KiB spooled to disk.
     */
    public static IngressSettings defaults(String hostname, Path spoolDirectory) {
        return new IngressSettings(hostname, 25L * 1024 * 1024, 100, 2048, 64 * 1024, 20, Duration.ofMinutes(10),
                256 * 1024, spoolDirectory);
    }

    public IngressSettings withMaxMessageSize(long size) {
        return new IngressSettings(hostname, size, maxRecipients, maxCommandLine, maxDataLine, maxErrors,
                dataTimeout, memoryThreshold, spoolDirectory);
    }

    public IngressSettings withMaxRecipients(int max) {
        return new IngressSettings(hostname, maxMessageSize, max, maxCommandLine, maxDataLine, maxErrors,
                dataTimeout, memoryThreshold, spoolDirectory);
    }

    public IngressSettings withDataTimeout(Duration timeout) {
        return new IngressSettings(hostname, maxMessageSize, maxRecipients, maxCommandLine, maxDataLine, maxErrors,
                timeout, memoryThreshold, spoolDirectory);
    }

    public IngressSettings withMemoryThreshold(int threshold) {
        return new IngressSettings(hostname, maxMessageSize, maxRecipients, maxCommandLine, maxDataLine, maxErrors,
                dataTimeout, threshold, spoolDirectory);
    }

    public IngressSettings withMaxErrors(int max) {
        return new IngressSettings(hostname, maxMessageSize, maxRecipients, maxCommandLine, maxDataLine, max,
                dataTimeout, memoryThreshold, spoolDirectory);
    }
}
