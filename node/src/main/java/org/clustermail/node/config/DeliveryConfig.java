package org.clustermail.node.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * The {@code delivery} section: how a message reaches the node that owns the recipient's mailbox. Immutable;
 * validated on construction.
 *
 * @param mode             {@code version2} (default) or {@code version1}; see {@link Mode}
 * @param operationThreads version 1: the operation threads that consume the central work list (default 8)
 */
public record DeliveryConfig(Mode mode, Integer operationThreads) {

    /** The three designs the paper compares (Table 2). */
    public enum Mode {
        /** The paper's version 2: the receiving node hands the message straight to the owner over its channel. */
        VERSION2("version2"),
        /** The paper's version 1: every message first passes through this node's work list and operation threads. */
        VERSION1("version1");

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
                            + "version2, version1; got " + text));
        }
    }

    public DeliveryConfig {
        mode = mode == null ? Mode.VERSION2 : mode;
        operationThreads = operationThreads == null ? 8 : operationThreads;
        if (operationThreads < 1 || operationThreads > 1024) {
            throw new IllegalArgumentException("delivery.operationThreads must be 1..1024, got " + operationThreads);
        }
    }

    public static DeliveryConfig defaults() {
        return new DeliveryConfig(null, null);
    }
}
