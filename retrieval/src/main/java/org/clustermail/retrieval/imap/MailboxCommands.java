package org.clustermail.retrieval.imap;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.retrieval.imap.command.MailboxName;
import org.clustermail.retrieval.imap.command.StatusItem;
import org.clustermail.store.FolderInfo;
import org.clustermail.store.FolderSnapshot;
import org.clustermail.store.FolderStatus;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageContent;
import org.clustermail.store.SpecialUse;
import org.clustermail.store.StoreException;

/** CREATE, DELETE, RENAME, (UN)SUBSCRIBE, LIST, LSUB, STATUS, APPEND: the commands on folders by name. */
final class MailboxCommands {

    private MailboxCommands() {
    }

    static Reply create(ImapSession s, ImapCommand.Create c) {
        String name = stripTrailingSeparator(c.mailbox());
        if (name.equals(MailboxName.INBOX)) {
            return Reply.no("[ALREADYEXISTS] INBOX always exists");
        }
        SelectCommands.mailbox(s).createFolder(name);
        return Reply.ok("CREATE completed");
    }

    static Reply delete(ImapSession s, ImapCommand.Delete d) {
        SelectCommands.mailbox(s).deleteFolder(d.mailbox());
        return Reply.ok("DELETE completed");
    }

    static Reply rename(ImapSession s, ImapCommand.Rename r) {
        SelectCommands.mailbox(s).renameFolder(r.from(), stripTrailingSeparator(r.to()));
        return Reply.ok("RENAME completed");
    }

    static Reply subscribe(ImapSession s, ImapCommand.Subscribe c) {
        SelectCommands.mailbox(s).subscribe(c.mailbox(), c.subscribe());
        return Reply.ok(c.name() + " completed");
    }

    static Reply list(ImapSession s, ImapCommand.ListMailboxes l) throws IOException {
        ImapWriter w = s.writer();
        String verb = l.lsub() ? "LSUB" : "LIST";
        if (l.pattern().isEmpty()) {
            w.untagged(verb + " (\\Noselect) \"/\" \"\"");
            return Reply.ok(verb + " completed");
        }
        Pattern p = pattern(l.reference() + l.pattern());
        Mailbox mailbox = SelectCommands.mailbox(s);
        if (l.lsub()) {
            for (String name : mailbox.subscriptions()) {
                if (p.matcher(name).matches()) {
                    w.raw("* LSUB () \"/\" ").string(MailboxName.encode(name)).crlf();
                }
            }
            return Reply.ok("LSUB completed");
        }
        for (FolderInfo f : mailbox.folders()) {
            if (!p.matcher(f.name()).matches()) {
                continue;
            }
            List<String> attrs = new ArrayList<>();
            attrs.add(f.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
            for (SpecialUse u : f.specialUse()) {
                attrs.add(u.imapName());
            }
            w.raw("* LIST (").raw(String.join(" ", attrs)).raw(") \"/\" ").string(MailboxName.encode(f.name())).crlf();
        }
        return Reply.ok("LIST completed");
    }

    /** A LIST pattern as a regex: {@code *} matches anything, {@code %} anything but the separator. */
    static Pattern pattern(String listPattern) {
        // INBOX is case-insensitive; the rest of a name is not.
        boolean inbox = listPattern.regionMatches(true, 0, MailboxName.INBOX, 0, 5);
        StringBuilder re = new StringBuilder(inbox ? "(?i:INBOX)" : "");
        for (char ch : (inbox ? listPattern.substring(5) : listPattern).toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^/]*");
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }

    static Reply status(ImapSession s, ImapCommand.Status c) throws IOException {
        FolderStatus st = SelectCommands.mailbox(s).status(c.mailbox());
        ImapWriter w = s.writer();
        w.raw("* STATUS ").string(MailboxName.encode(c.mailbox())).raw(" (");
        boolean first = true;
        for (StatusItem item : c.items()) {
            if (!first) {
                w.sp();
            }
            first = false;
            long value = switch (item) {
                case MESSAGES -> st.messages();
                case RECENT -> recentCount(s, c.mailbox());
                case UIDNEXT -> st.uidNext();
                case UIDVALIDITY -> st.uidValidity();
                case UNSEEN -> st.unseen();
                case HIGHESTMODSEQ -> Math.max(1, st.highestModseq());
            };
            w.raw(item.name()).sp().number(value);
        }
        w.raw(")").crlf();
        return Reply.ok("STATUS completed");
    }

    /** Messages no read-write session has been told of yet: those a SELECT now would see as \Recent. */
    private static long recentCount(ImapSession s, String folder) {
        FolderSnapshot snapshot = SelectCommands.mailbox(s).snapshot(folder);
        long mark = s.ctx().recent().peek(SelectCommands.mailbox(s).owner().userId(), folder, snapshot.uidValidity(),
                snapshot.messages());
        return snapshot.messages().stream().filter(m -> m.uid() > mark).count();
    }

    static Reply append(ImapSession s, ImapCommand.Append a) {
        Mailbox mailbox = SelectCommands.mailbox(s);
        Instant date = a.internalDate().map(d -> d.toInstant()).orElseGet(Instant::now);
        long uid;
        long uidValidity;
        try {
            s.ctx().recent().prepare(mailbox.owner().userId(), a.mailbox(), () -> mailbox.snapshot(a.mailbox()));
            uid = mailbox.append(a.mailbox(), slice(a.source(), a.offset(), a.length()),
                    FlagWriter.parse(a.flags()), date);
            uidValidity = mailbox.status(a.mailbox()).uidValidity();
        } catch (StoreException e) {
            return StoreReplies.ofTarget(e);
        }
        return Reply.ok("[APPENDUID " + uidValidity + " " + uid + "] APPEND completed");
    }

    /** The literal's bytes as message content, without copying them out of the command buffer. */
    private static MessageContent slice(byte[] source, int offset, int length) {
        return new MessageContent() {
            @Override
            public long size() {
                return length;
            }

            @Override
            public InputStream openStream() {
                return new ByteArrayInputStream(source, offset, length);
            }
        };
    }

    private static String stripTrailingSeparator(String name) {
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }
}
