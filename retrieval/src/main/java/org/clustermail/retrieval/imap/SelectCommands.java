package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.store.FlagOp;
import org.clustermail.store.FlagStoreResult;
import org.clustermail.store.FlagUpdate;
import org.clustermail.store.Flags;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreException;
import org.clustermail.store.SystemFlag;
import org.clustermail.store.UidMapping;

/** SELECT/EXAMINE, CLOSE/UNSELECT, EXPUNGE, STORE, COPY/MOVE: the commands that work on the selected folder. */
final class SelectCommands {

    private SelectCommands() {
    }

    static Reply select(ImapSession s, ImapCommand.Select cmd) throws IOException {
        Mailbox mailbox = mailbox(s);
        if (s.state() instanceof ImapState.Selected old) {
            old.folder().close();
            s.state(new ImapState.Authenticated(old.user(), mailbox));
        }
        if (cmd.condstore()) {
            s.enableCondstore();
        }
        SelectedFolder folder = SelectedFolder.open(mailbox, cmd.mailbox(), cmd.readOnly(), s.ctx().recent());
        ImapWriter w = s.writer();
        w.untagged("FLAGS " + FlagWriter.SYSTEM_FLAGS);
        w.raw("* ").number(folder.size()).raw(" EXISTS").crlf();
        w.raw("* ").number(folder.recentCount()).raw(" RECENT").crlf();
        int firstUnseen = firstUnseen(folder.messages());
        if (firstUnseen > 0) {
            w.raw("* OK [UNSEEN ").number(firstUnseen).raw("] first unseen message").crlf();
        }
        w.raw("* OK [UIDVALIDITY ").number(folder.uidValidity()).raw("] UIDs valid").crlf();
        w.raw("* OK [UIDNEXT ").number(folder.uidNext()).raw("] predicted next UID").crlf();
        w.untagged(cmd.readOnly() ? "OK [PERMANENTFLAGS ()] read-only"
                : "OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] flags permitted");
        w.raw("* OK [HIGHESTMODSEQ ").number(Math.max(1, folder.highestModseq())).raw("] highest modseq").crlf();
        s.state(new ImapState.Selected(((ImapState.Authenticated) s.state()).user(), mailbox, folder));
        return Reply.ok(cmd.readOnly() ? "[READ-ONLY] EXAMINE completed" : "[READ-WRITE] SELECT completed");
    }

    private static int firstUnseen(List<MessageRef> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).flags().has(SystemFlag.SEEN)) {
                return i + 1;
            }
        }
        return 0;
    }

    static Reply close(ImapSession s, ImapCommand.Close cmd) {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        SelectedFolder folder = sel.folder();
        folder.close();
        s.state(new ImapState.Authenticated(sel.user(), sel.mailbox()));
        if (cmd.expunge() && !folder.readOnly()) {
            sel.mailbox().expunge(folder.name(), Optional.empty());
        }
        return Reply.ok(cmd.name() + " completed");
    }

    static Reply expunge(ImapSession s, ImapCommand.Expunge cmd) {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        if (sel.folder().readOnly()) {
            return Reply.no("[READ-ONLY] mailbox is read-only");
        }
        Optional<java.util.Collection<Long>> uids =
                cmd.uids().map(set -> uids(sel.folder(), sel.folder().resolve(set, true)));
        sel.mailbox().expunge(sel.folder().name(), uids);
        return Reply.ok(cmd.name() + " completed");
    }

    static Reply store(ImapSession s, ImapCommand.Store cmd) throws IOException {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        SelectedFolder folder = sel.folder();
        if (folder.readOnly()) {
            return Reply.no("[READ-ONLY] mailbox is read-only");
        }
        if (cmd.unchangedSince().isPresent()) {
            s.enableCondstore();
        }
        int[] seqs = folder.resolve(cmd.set(), cmd.uid());
        Flags flags = FlagWriter.parse(cmd.flags());
        FlagOp op = switch (cmd.mode()) {
            case ADD -> FlagOp.ADD;
            case REMOVE -> FlagOp.REMOVE;
            case REPLACE -> FlagOp.REPLACE;
        };
        FlagStoreResult result = sel.mailbox().storeFlags(folder.name(), uids(folder, seqs), op, flags,
                cmd.unchangedSince());
        ImapWriter w = s.writer();
        for (FlagUpdate u : result.updated()) {
            folder.applyOwn(u);
            int seq = folder.seqOfUid(u.uid());
            if (seq < 0 || (cmd.silent() && !s.condstore())) {
                continue;
            }
            w.raw("* ").number(seq).raw(" FETCH (");
            if (!cmd.silent()) {
                w.raw("FLAGS ");
                FlagWriter.flags(w, u.flags(), folder.recent(u.uid()));
                if (cmd.uid() || s.condstore()) {
                    w.sp();
                }
            }
            if (cmd.uid()) {
                w.raw("UID ").number(u.uid()).sp();
            }
            if (s.condstore()) {
                w.raw("MODSEQ (").number(u.modseq()).raw(")");
            }
            w.raw(")").crlf();
        }
        if (!result.modified().isEmpty()) {
            List<Long> numbers = new ArrayList<>();
            for (long uid : result.modified()) {
                numbers.add(cmd.uid() ? uid : folder.seqOfUid(uid));
            }
            return Reply.ok("[MODIFIED " + UidSets.format(numbers) + "] conditional STORE failed");
        }
        return Reply.ok(cmd.name() + " completed");
    }

    static Reply copy(ImapSession s, ImapCommand.Copy cmd) throws IOException {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        SelectedFolder folder = sel.folder();
        if (cmd.move() && folder.readOnly()) {
            return Reply.no("[READ-ONLY] mailbox is read-only");
        }
        List<Long> uids = uids(folder, folder.resolve(cmd.set(), cmd.uid()));
        if (uids.isEmpty()) {
            return Reply.ok(cmd.name() + " completed, nothing to do");
        }
        UidMapping mapping;
        try {
            s.ctx().recent().prepare(sel.mailbox().owner().userId(), cmd.mailbox(),
                    () -> sel.mailbox().snapshot(cmd.mailbox()));
            mapping = cmd.move() ? sel.mailbox().move(folder.name(), uids, cmd.mailbox())
                    : sel.mailbox().copy(folder.name(), uids, cmd.mailbox());
        } catch (StoreException e) {
            return StoreReplies.ofTarget(e);
        }
        String code = mapping.sourceUids().isEmpty() ? "" : "[COPYUID " + mapping.targetUidValidity() + " "
                + UidSets.format(mapping.sourceUids()) + " " + UidSets.format(mapping.targetUids()) + "] ";
        if (cmd.move()) {
            // RFC 6851: COPYUID goes in an untagged OK before the EXPUNGE responses.
            if (!code.isEmpty()) {
                s.writer().untagged("OK " + code.strip());
            }
            return Reply.ok(cmd.name() + " completed");
        }
        return Reply.ok(code + cmd.name() + " completed");
    }

    static List<Long> uids(SelectedFolder folder, int[] seqs) {
        List<Long> out = new ArrayList<>(seqs.length);
        for (int seq : seqs) {
            out.add(folder.at(seq).uid());
        }
        return out;
    }

    static Mailbox mailbox(ImapSession s) {
        return switch (s.state()) {
            case ImapState.Authenticated a -> a.mailbox();
            case ImapState.Selected sel -> sel.mailbox();
            default -> throw new IllegalStateException("not logged in");
        };
    }
}
