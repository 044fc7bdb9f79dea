package org.clustermail.retrieval.imap.command;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one complete IMAP command (bytes, literals inline) into a {@link ParsedLine}. Pure: no I/O, no state, never
 * throws on bad input (every failure is a {@link ParsedLine.Malformed} naming the tag, so the session can answer BAD
 * and go on). Thread-safe.
 */
public final class ImapParser {

    private ImapParser() {
    }

    public static ParsedLine parse(byte[] command) {
        ImapTokenizer t = new ImapTokenizer(command);
        String tag = "*";
        try {
            tag = tag(t);
            t.space();
            ImapCommand cmd = command(t);
            t.expectEnd();
            return new ParsedLine.Command(tag, cmd);
        } catch (ImapSyntaxException e) {
            return new ParsedLine.Malformed(tag, e.getMessage());
        } catch (BadCharsetException e) {
            return new ParsedLine.BadCharset(tag);
        } catch (RuntimeException e) {
            // Defensive: a parser bug must still end in BAD, never in a broken session.
            return new ParsedLine.Malformed(tag, "malformed command");
        }
    }

    private static String tag(ImapTokenizer t) {
        String tag = t.atom("]");
        if (tag.indexOf('+') >= 0) {
            throw new ImapSyntaxException("invalid tag");
        }
        return tag;
    }

    private static ImapCommand command(ImapTokenizer t) {
        String name = t.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "CAPABILITY" -> new ImapCommand.Capability();
            case "NOOP" -> new ImapCommand.Noop();
            case "LOGOUT" -> new ImapCommand.Logout();
            case "STARTTLS" -> new ImapCommand.StartTls();
            case "CHECK" -> new ImapCommand.Check();
            case "CLOSE" -> new ImapCommand.Close(true);
            case "UNSELECT" -> new ImapCommand.Close(false);
            case "EXPUNGE" -> new ImapCommand.Expunge(Optional.empty());
            case "IDLE" -> new ImapCommand.Idle();
            case "NAMESPACE" -> new ImapCommand.Namespace();
            case "LOGIN" -> login(t);
            case "AUTHENTICATE" -> authenticate(t);
            case "SELECT", "EXAMINE" -> select(t, name.equals("EXAMINE"));
            case "CREATE" -> new ImapCommand.Create(spaceMailbox(t));
            case "DELETE" -> new ImapCommand.Delete(spaceMailbox(t));
            case "RENAME" -> new ImapCommand.Rename(spaceMailbox(t), spaceMailbox(t));
            case "SUBSCRIBE", "UNSUBSCRIBE" -> new ImapCommand.Subscribe(spaceMailbox(t), name.equals("SUBSCRIBE"));
            case "LIST", "LSUB" -> list(t, name.equals("LSUB"));
            case "STATUS" -> status(t);
            case "APPEND" -> append(t);
            case "SEARCH" -> SearchParser.search(t, false);
            case "FETCH" -> FetchParser.fetch(t, false);
            case "STORE" -> store(t, false);
            case "COPY", "MOVE" -> copy(t, false, name.equals("MOVE"));
            case "UID" -> uid(t);
            case "ID" -> id(t);
            case "ENABLE" -> enable(t);
            default -> throw new ImapSyntaxException("unknown command " + printable(name));
        };
    }

    private static ImapCommand uid(ImapTokenizer t) {
        t.space();
        String name = t.atom().toUpperCase(Locale.ROOT);
        return switch (name) {
            case "FETCH" -> FetchParser.fetch(t, true);
            case "SEARCH" -> SearchParser.search(t, true);
            case "STORE" -> store(t, true);
            case "COPY", "MOVE" -> copy(t, true, name.equals("MOVE"));
            case "EXPUNGE" -> {
                t.space();
                yield new ImapCommand.Expunge(Optional.of(SequenceSet.parse(t.word())));
            }
            default -> throw new ImapSyntaxException("unknown UID command " + printable(name));
        };
    }

    private static ImapCommand login(ImapTokenizer t) {
        t.space();
        String user = t.astring();
        t.space();
        return new ImapCommand.Login(user, t.astringBytes());
    }

    private static ImapCommand authenticate(ImapTokenizer t) {
        t.space();
        String mech = t.atom().toUpperCase(Locale.ROOT);
        Optional<String> initial = Optional.empty();
        if (t.tryConsume(' ')) {
            initial = Optional.of(t.word());
        }
        return new ImapCommand.Authenticate(mech, initial);
    }

    private static ImapCommand select(ImapTokenizer t, boolean readOnly) {
        String mailbox = spaceMailbox(t);
        boolean condstore = false;
        if (t.tryConsume(' ')) {
            t.expect('(');
            do {
                String p = t.atom().toUpperCase(Locale.ROOT);
                if (!p.equals("CONDSTORE")) {
                    throw new ImapSyntaxException("unknown SELECT parameter " + printable(p));
                }
                condstore = true;
            } while (t.tryConsume(' '));
            t.expect(')');
        }
        return new ImapCommand.Select(mailbox, readOnly, condstore);
    }

    private static ImapCommand list(ImapTokenizer t, boolean lsub) {
        t.space();
        String reference = MailboxName.decode(t.astring());
        t.space();
        String pattern;
        if (t.peek() == '"' || t.peek() == '{') {
            pattern = t.astring();
        } else {
            pattern = t.atom("%*]");
        }
        return new ImapCommand.ListMailboxes(reference, MailboxName.decode(pattern), lsub);
    }

    private static ImapCommand status(ImapTokenizer t) {
        String mailbox = spaceMailbox(t);
        t.space();
        t.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            String item = t.atom().toUpperCase(Locale.ROOT);
            try {
                items.add(StatusItem.valueOf(item));
            } catch (IllegalArgumentException e) {
                throw new ImapSyntaxException("unknown STATUS item " + printable(item));
            }
        } while (t.tryConsume(' '));
        t.expect(')');
        return new ImapCommand.Status(mailbox, items);
    }

    private static ImapCommand append(ImapTokenizer t) {
        String mailbox = spaceMailbox(t);
        t.space();
        List<String> flags = List.of();
        if (t.peek() == '(') {
            flags = flagList(t);
            t.space();
        }
        Optional<ZonedDateTime> date = Optional.empty();
        if (t.peek() == '"') {
            String text = new String(t.string(), java.nio.charset.StandardCharsets.US_ASCII);
            date = Optional.of(ImapDates.parseDateTime(text));
            t.space();
        }
        if (t.peek() != '{') {
            throw new ImapSyntaxException("APPEND needs the message as a literal");
        }
        int[] span = t.literalSpan();
        return new ImapCommand.Append(mailbox, flags, date, t.source(), span[0], span[1]);
    }

    private static ImapCommand store(ImapTokenizer t, boolean uid) {
        t.space();
        SequenceSet set = SequenceSet.parse(t.word());
        t.space();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (t.peek() == '(') {
            t.expect('(');
            String mod = t.atom().toUpperCase(Locale.ROOT);
            if (!mod.equals("UNCHANGEDSINCE")) {
                throw new ImapSyntaxException("unknown STORE modifier " + printable(mod));
            }
            t.space();
            unchangedSince = OptionalLong.of(t.number());
            t.expect(')');
            t.space();
        }
        String item = t.atom().toUpperCase(Locale.ROOT);
        ImapCommand.StoreMode mode = ImapCommand.StoreMode.REPLACE;
        if (item.startsWith("+") || item.startsWith("-")) {
            mode = item.startsWith("+") ? ImapCommand.StoreMode.ADD : ImapCommand.StoreMode.REMOVE;
            item = item.substring(1);
        }
        boolean silent = item.equals("FLAGS.SILENT");
        if (!silent && !item.equals("FLAGS")) {
            throw new ImapSyntaxException("STORE item must be [+|-]FLAGS[.SILENT]");
        }
        t.space();
        List<String> flags;
        if (t.peek() == '(') {
            flags = flagList(t);
        } else {
            flags = new ArrayList<>();
            do {
                flags.add(flag(t));
            } while (t.tryConsume(' '));
        }
        return new ImapCommand.Store(uid, set, mode, silent, flags, unchangedSince);
    }

    private static ImapCommand copy(ImapTokenizer t, boolean uid, boolean move) {
        t.space();
        SequenceSet set = SequenceSet.parse(t.word());
        return new ImapCommand.Copy(uid, set, spaceMailbox(t), move);
    }

    private static ImapCommand id(ImapTokenizer t) {
        t.space();
        Map<String, String> fields = new LinkedHashMap<>();
        if (t.peek() != '(') {
            t.nstring();
            return new ImapCommand.Id(fields);
        }
        t.expect('(');
        if (t.tryConsume(')')) {
            return new ImapCommand.Id(fields);
        }
        do {
            String key = new String(t.string(), java.nio.charset.StandardCharsets.UTF_8);
            t.space();
            String value = t.nstring();
            if (fields.size() < 30) {
                fields.put(key, value == null ? "NIL" : value);
            }
        } while (t.tryConsume(' '));
        t.expect(')');
        return new ImapCommand.Id(fields);
    }

    private static ImapCommand enable(ImapTokenizer t) {
        List<String> caps = new ArrayList<>();
        while (t.tryConsume(' ')) {
            caps.add(t.atom().toUpperCase(Locale.ROOT));
        }
        if (caps.isEmpty()) {
            throw new ImapSyntaxException("ENABLE needs at least one capability");
        }
        return new ImapCommand.Enable(caps);
    }

    static String spaceMailbox(ImapTokenizer t) {
        t.space();
        return MailboxName.decode(t.astring());
    }

    /** {@code (flag flag ...)}, possibly empty. */
    static List<String> flagList(ImapTokenizer t) {
        t.expect('(');
        List<String> flags = new ArrayList<>();
        if (t.tryConsume(')')) {
            return flags;
        }
        do {
            flags.add(flag(t));
        } while (t.tryConsume(' '));
        t.expect(')');
        return flags;
    }

    /** A flag: {@code \System} (case-normalised) or a keyword atom. */
    static String flag(ImapTokenizer t) {
        if (t.tryConsume('\\')) {
            String name = t.atom();
            return Flags.normaliseSystem("\\" + name);
        }
        return t.atom();
    }

    static String printable(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
