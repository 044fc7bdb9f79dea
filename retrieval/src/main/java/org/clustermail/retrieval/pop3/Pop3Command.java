package org.clustermail.retrieval.pop3;

import java.util.Optional;
import java.util.OptionalInt;

/** One parsed POP3 command (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH). Message numbers are 1-based. */
public sealed interface Pop3Command {

    record User(String name) implements Pop3Command {
    }

    record Pass(String password) implements Pop3Command {
    }

    /** {@code AUTH mechanism [initial-response]}; {@code AUTH} alone lists the mechanisms. */
    record Auth(Optional<String> mechanism, Optional<String> initialResponse) implements Pop3Command {
    }

    record Capa() implements Pop3Command {
    }

    record Stls() implements Pop3Command {
    }

    record Stat() implements Pop3Command {
    }

    /** LIST, or LIST n. */
    record ListMessages(OptionalInt message) implements Pop3Command {
    }

    record Retr(int message) implements Pop3Command {
    }

    record Dele(int message) implements Pop3Command {
    }

    record Rset() implements Pop3Command {
    }

    record Noop() implements Pop3Command {
    }

    record Top(int message, int lines) implements Pop3Command {
    }

    /** UIDL, or UIDL n. */
    record Uidl(OptionalInt message) implements Pop3Command {
    }

    record Quit() implements Pop3Command {
    }
}
