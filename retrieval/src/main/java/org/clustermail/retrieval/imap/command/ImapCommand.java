package org.clustermail.retrieval.imap.command;

import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One parsed IMAP command (RFC 3501 and the extensions clustermail announces), without its tag.
 *
 * <p>Records hold exactly what the client sent, decoded: mailbox names are Java strings (modified UTF-7 undone,
 * {@code INBOX} in any case normalised to {@code INBOX}); sequence sets keep {@code *} unresolved. The {@code uid}
 * flag marks the {@code UID} variant of a command.
 */
public sealed interface ImapCommand {

    /** The command name as it appears in responses ({@code "UID FETCH"}, {@code "SELECT"}...). */
    String name();

    record Capability() implements ImapCommand {
        public String name() { return "CAPABILITY"; }
    }

    record Noop() implements ImapCommand {
        public String name() { return "NOOP"; }
    }

    record Logout() implements ImapCommand {
        public String name() { return "LOGOUT"; }
    }

    record StartTls() implements ImapCommand {
        public String name() { return "STARTTLS"; }
    }

    record Login(String user, byte[] password) implements ImapCommand {
        public String name() { return "LOGIN"; }
    }

    /** {@code AUTHENTICATE mech [initial-response]} (SASL-IR); the response is still base64. */
    record Authenticate(String mechanism, Optional<String> initialResponse) implements ImapCommand {
        public String name() { return "AUTHENTICATE"; }
    }

    /** SELECT ({@code readOnly} false) or EXAMINE; {@code condstore} for the {@code (CONDSTORE)} parameter. */
    record Select(String mailbox, boolean readOnly, boolean condstore) implements ImapCommand {
        public String name() { return readOnly ? "EXAMINE" : "SELECT"; }
    }

    record Create(String mailbox) implements ImapCommand {
        public String name() { return "CREATE"; }
    }

    record Delete(String mailbox) implements ImapCommand {
        public String name() { return "DELETE"; }
    }

    record Rename(String from, String to) implements ImapCommand {
        public String name() { return "RENAME"; }
    }

    record Subscribe(String mailbox, boolean subscribe) implements ImapCommand {
        public String name() { return subscribe ? "SUBSCRIBE" : "UNSUBSCRIBE"; }
    }

    /** LIST ({@code lsub} false) or LSUB; the pattern uses {@code *} and {@code %}. */
    record ListMailboxes(String reference, String pattern, boolean lsub) implements ImapCommand {
        public String name() { return lsub ? "LSUB" : "LIST"; }
    }

    record Status(String mailbox, List<StatusItem> items) implements ImapCommand {
        public Status {
            items = List.copyOf(items);
        }

        public String name() { return "STATUS"; }
    }

    /** APPEND; {@code message} spans {@code length} bytes of {@code source} from {@code offset} (no copy). */
    record Append(String mailbox, List<String> flags, Optional<ZonedDateTime> internalDate, byte[] source, int offset,
                  int length) implements ImapCommand {
        public Append {
            flags = List.copyOf(flags);
        }

        public String name() { return "APPEND"; }
    }

    record Check() implements ImapCommand {
        public String name() { return "CHECK"; }
    }

    /** CLOSE (expunges) or UNSELECT (does not). */
    record Close(boolean expunge) implements ImapCommand {
        public String name() { return expunge ? "CLOSE" : "UNSELECT"; }
    }

    /** EXPUNGE, or UID EXPUNGE (UIDPLUS) limited to {@code uids}. */
    record Expunge(Optional<SequenceSet> uids) implements ImapCommand {
        public String name() { return uids.isPresent() ? "UID EXPUNGE" : "EXPUNGE"; }
    }

    record Search(boolean uid, SearchKey key) implements ImapCommand {
        public String name() { return uid ? "UID SEARCH" : "SEARCH"; }
    }

    /** FETCH; {@code changedSince} is the CONDSTORE {@code CHANGEDSINCE} modifier. */
    record Fetch(boolean uid, SequenceSet set, List<FetchAttribute> attributes, OptionalLong changedSince)
            implements ImapCommand {
        public Fetch {
            attributes = List.copyOf(attributes);
        }

        public String name() { return uid ? "UID FETCH" : "FETCH"; }
    }

    /** STORE; {@code unchangedSince} is the CONDSTORE {@code UNCHANGEDSINCE} modifier. */
    record Store(boolean uid, SequenceSet set, StoreMode mode, boolean silent, List<String> flags,
                 OptionalLong unchangedSince) implements ImapCommand {
        public Store {
            flags = List.copyOf(flags);
        }

        public String name() { return uid ? "UID STORE" : "STORE"; }
    }

    /** How STORE changes flags: {@code FLAGS}, {@code +FLAGS}, {@code -FLAGS}. */
    enum StoreMode { REPLACE, ADD, REMOVE }

    /** COPY ({@code move} false) or MOVE (RFC 6851). */
    record Copy(boolean uid, SequenceSet set, String mailbox, boolean move) implements ImapCommand {
        public String name() { return (uid ? "UID " : "") + (move ? "MOVE" : "COPY"); }
    }

    record Idle() implements ImapCommand {
        public String name() { return "IDLE"; }
    }

    record Namespace() implements ImapCommand {
        public String name() { return "NAMESPACE"; }
    }

    /** ID (RFC 2971); {@code fields} is empty for {@code ID NIL}. */
    record Id(Map<String, String> fields) implements ImapCommand {
        public String name() { return "ID"; }
    }

    record Enable(List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }

        public String name() { return "ENABLE"; }
    }
}
