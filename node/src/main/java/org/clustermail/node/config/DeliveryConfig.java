package org.clustermail.node.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code delivery} section: how a message reaches the node that owns the recipient's mailbox. Immutable;
 * validated on construction.
 *
 * @param mode             {@code version2} (default), {@code version1} or {@code shared-store}; see {@link Mode}
 * @param operationThreads version 1: the operation threads that consume the central work list (default 8)
 * @param sharedRoot       shared-store: the directory every node sees (one file system, e.g. an NFS mount); every
 *                         node's mailboxes live under {@code sharedRoot/nodeNN/}. Required in that mode, unused
 *                         otherwise
 */
public record DeliveryConfig(Mode mode, Integer operationThreads, Path sharedRoot) {

    /** The three designs the paper compares (Table 2). */
    public enum Mode {
        /** The paper's version 2: the receiving node hands the message straight to the owner over its channel. */
        VERSION2("version2"),
        /** The paper's version 1: every message first passes through this node's work list and operation threads. */
        VERSION1("version1"),
        /** The EarthLink baseline: every node writes into the owner's mailbox directory on a shared file system. */
        SHARED_STORE("shared-store");

        private final String text;

        Mode(String text) {
            this.text = text;
        }

        @JsonValue
        public String text() {
            return text;
        }

        @JsonCreator
        public static Mode parse(String text) {
            return Arrays.stream(values()).filter(m -> m.text.equals(text.strip().toLowerCase(Locale.ROOT)))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("delivery.mode must be one of "
                            + Arrays.stream(values()).map(Mode::text).collect(Collectors.joining(", ")) + "; got "
                            + text));
        }
    }

    public DeliveryConfig {
        mode = mode == null ? Mode.VERSION2 : mode;
        operationThreads = operationThreads == null ? 8 : operationThreads;
        if (operationThreads < 1 || operationThreads > 1024) {
            throw new IllegalArgumentException("delivery.operationThreads must be 1..1024, got " + operationThreads);
        }
        if (mode == Mode.SHARED_STORE && sharedRoot == null) {
            throw new IllegalArgumentException("delivery.mode shared-store needs delivery.sharedRoot (the directory "
                    + "all nodes share)");
        }
    }

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(null, null, null);
    }
}
