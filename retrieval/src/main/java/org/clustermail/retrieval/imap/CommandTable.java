package org.clustermail.retrieval.imap;

import java.util.Map;
import java.util.Set;
import org.clustermail.retrieval.imap.command.ImapCommand;

/**
 * Which IMAP command is valid in which session state (RFC 3501 section 6): declared once here, checked by the
 * session before any handler runs, so handlers never repeat state checks.
 */
final class CommandTable {

    enum Where { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED }

    private static final Set<Where> ANY = Set.of(Where.values());
    private static final Set<Where> BEFORE_LOGIN = Set.of(Where.NOT_AUTHENTICATED);
    private static final Set<Where> LOGGED_IN = Set.of(Where.AUTHENTICATED, Where.SELECTED);
    private static final Set<Where> SELECTED = Set.of(Where.SELECTED);

    private static final Map<Class<? extends ImapCommand>, Set<Where>> ALLOWED = Map.ofEntries(
            Map.entry(ImapCommand.Capability.class, ANY),
            Map.entry(ImapCommand.Noop.class, ANY),
            Map.entry(ImapCommand.Logout.class, ANY),
            Map.entry(ImapCommand.Id.class, ANY),
            Map.entry(ImapCommand.StartTls.class, BEFORE_LOGIN),
            Map.entry(ImapCommand.Login.class, BEFORE_LOGIN),
            Map.entry(ImapCommand.Authenticate.class, BEFORE_LOGIN),
            Map.entry(ImapCommand.Select.class, LOGGED_IN),
            Map.entry(ImapCommand.Create.class, LOGGED_IN),
            Map.entry(ImapCommand.Delete.class, LOGGED_IN),
            Map.entry(ImapCommand.Rename.class, LOGGED_IN),
            Map.entry(ImapCommand.Subscribe.class, LOGGED_IN),
            Map.entry(ImapCommand.ListMailboxes.class, LOGGED_IN),
            Map.entry(ImapCommand.Status.class, LOGGED_IN),
            Map.entry(ImapCommand.Append.class, LOGGED_IN),
            Map.entry(ImapCommand.Namespace.class, LOGGED_IN),
            Map.entry(ImapCommand.Enable.class, LOGGED_IN),
            Map.entry(ImapCommand.Idle.class, LOGGED_IN),
            Map.entry(ImapCommand.Check.class, SELECTED),
            Map.entry(ImapCommand.Close.class, SELECTED),
            Map.entry(ImapCommand.Expunge.class, SELECTED),
            Map.entry(ImapCommand.Search.class, SELECTED),
            Map.entry(ImapCommand.Fetch.class, SELECTED),
            Map.entry(ImapCommand.Store.class, SELECTED),
            Map.entry(ImapCommand.Copy.class, SELECTED));

    private CommandTable() {
    }

    static boolean allowed(ImapCommand command, ImapState state) {
        Where where = switch (state) {
            case ImapState.NotAuthenticated n -> Where.NOT_AUTHENTICATED;
            case ImapState.Authenticated a -> Where.AUTHENTICATED;
            case ImapState.Selected s -> Where.SELECTED;
            case ImapState.Proxied p -> null;
            case ImapState.Logout l -> null;
        };
        return where != null && ALLOWED.get(command.getClass()).contains(where);
    }

    /**
     * Whether untagged EXPUNGE may be sent at the end of {@code command}: not while answering FETCH, STORE or
     * SEARCH by sequence number (RFC 3501 section 7.4.1), since the client could not map the numbers.
     */
    static boolean expungeAllowed(ImapCommand command) {
        return switch (command) {
            case ImapCommand.Fetch f -> f.uid();
            case ImapCommand.Store s -> s.uid();
            case ImapCommand.Search s -> s.uid();
            default -> true;
        };
    }
}
