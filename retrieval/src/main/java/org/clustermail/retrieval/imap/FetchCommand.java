package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clustermail.retrieval.imap.command.FetchAttribute;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.retrieval.imap.command.ImapDates;
import org.clustermail.retrieval.imap.command.Section;
import org.clustermail.store.FlagOp;
import org.clustermail.store.FlagUpdate;
import org.clustermail.store.Flags;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreException;
import org.clustermail.store.SystemFlag;

/**
 * FETCH and UID FETCH: one untagged FETCH response per message, items in the order asked. Whole-message bodies are
 * copied from the store to the socket as they are; structure is scanned only when an item needs it. Fetching a body
 * without PEEK sets \Seen first (in one store call for all messages) and reports the new FLAGS.
 */
final class FetchCommand {

    private FetchCommand() {
    }

    static Reply fetch(ImapSession s, ImapCommand.Fetch cmd) throws IOException {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        SelectedFolder folder = sel.folder();
        if (cmd.changedSince().isPresent() || cmd.attributes().contains(FetchAttribute.Simple.MODSEQ)) {
            s.enableCondstore();
        }
        int[] seqs = folder.resolve(cmd.set(), cmd.uid());
        Set<Long> seenNow = markSeen(sel, seqs, cmd.attributes());
        boolean needsContent = cmd.attributes().stream().anyMatch(FetchCommand::needsContent);
        boolean streamOnce = cmd.attributes().stream().filter(FetchCommand::needsContent).count() == 1
                && cmd.attributes().stream().allMatch(a -> !needsContent(a) || wholeMessage(a));
        boolean expunged = false;
        ImapWriter w = s.writer();
        for (int seq : seqs) {
            MessageRef ref = folder.at(seq);
            if (cmd.changedSince().isPresent() && ref.modseq() <= cmd.changedSince().getAsLong()) {
                continue;
            }
            LoadedMessage m = new LoadedMessage(sel.mailbox(), folder.name(), ref);
            if (needsContent) {
                try {
                    m.load(streamOnce);
                } catch (StoreException e) {
                    if (e.reason() != StoreException.Reason.NO_SUCH_MESSAGE) {
                        throw e;
                    }
                    expunged = true;
                    continue;
                }
            }
            try {
                writeMessage(w, seq, m, cmd.attributes(), seenNow.contains(ref.uid()), folder.recent(ref.uid()));
            } finally {
                m.release();
            }
        }
        return expunged ? Reply.no("[EXPUNGEISSUED] some messages were expunged meanwhile")
                : Reply.ok(cmd.name() + " completed");
    }

    private static boolean needsContent(FetchAttribute a) {
        return switch (a) {
            case FetchAttribute.Body b -> true;
            case FetchAttribute.Simple s -> switch (s) {
                case ENVELOPE, BODY, BODYSTRUCTURE, RFC822, RFC822_HEADER, RFC822_TEXT -> true;
                default -> false;
            };
        };
    }

    /** The whole message, no partial: served by one copy from the store's stream. */
    private static boolean wholeMessage(FetchAttribute a) {
        return a == FetchAttribute.Simple.RFC822 || (a instanceof FetchAttribute.Body b
                && b.section().equals(Section.WHOLE) && b.partial().isEmpty());
    }

    private static boolean setsSeen(FetchAttribute a) {
        return switch (a) {
            case FetchAttribute.Body b -> !b.peek();
            case FetchAttribute.Simple s -> s == FetchAttribute.Simple.RFC822 || s == FetchAttribute.Simple.RFC822_TEXT;
        };
    }

    /** Sets \Seen on the messages about to be read without PEEK; returns the UIDs whose flags changed. */
    private static Set<Long> markSeen(ImapState.Selected sel, int[] seqs, List<FetchAttribute> attributes) {
        SelectedFolder folder = sel.folder();
        if (folder.readOnly() || attributes.stream().noneMatch(FetchCommand::setsSeen)) {
            return Set.of();
        }
        List<Long> unseen = new ArrayList<>();
        for (int seq : seqs) {
            MessageRef ref = folder.at(seq);
            if (!ref.flags().has(SystemFlag.SEEN)) {
                unseen.add(ref.uid());
            }
        }
        if (unseen.isEmpty()) {
            return Set.of();
        }
        Set<Long> changed = new HashSet<>();
        for (FlagUpdate u : sel.mailbox().storeFlags(folder.name(), unseen, FlagOp.ADD, Flags.of(SystemFlag.SEEN),
                java.util.OptionalLong.empty()).updated()) {
            folder.applyOwn(u);
            changed.add(u.uid());
        }
        return changed;
    }

    private static void writeMessage(ImapWriter w, int seq, LoadedMessage m, List<FetchAttribute> items,
                                     boolean flagsChanged, boolean recent) throws IOException {
        w.raw("* ").number(seq).raw(" FETCH (");
        boolean first = true;
        for (FetchAttribute item : items) {
            if (!first) {
                w.sp();
            }
            first = false;
            item(w, m, item, recent);
        }
        if (flagsChanged && !items.contains(FetchAttribute.Simple.FLAGS)) {
            w.raw(" FLAGS ");
            FlagWriter.flags(w, m.ref().flags(), recent);
        }
        w.raw(")").crlf();
    }

    private static void item(ImapWriter w, LoadedMessage m, FetchAttribute item, boolean recent) throws IOException {
        MessageRef ref = m.ref();
        switch (item) {
            case FetchAttribute.Body b -> {
                w.raw(b.responseName());
                if (b.partial().isPresent()) {
                    w.raw("<").number(b.partial().get().offset()).raw(">");
                }
                w.sp();
                SectionReader.write(w, m, b.section(), b.partial());
            }
            case FetchAttribute.Simple s -> simple(w, m, ref, s, recent);
        }
    }

    private static void simple(ImapWriter w, LoadedMessage m, MessageRef ref, FetchAttribute.Simple s,
                               boolean recent) throws IOException {
        w.raw(s.wireName()).sp();
        switch (s) {
            case UID -> w.number(ref.uid());
            case FLAGS -> FlagWriter.flags(w, ref.flags(), recent);
            case INTERNALDATE -> w.raw("\"").raw(ImapDates.format(ref.internalDate().atZone(ZoneOffset.UTC)))
                    .raw("\"");
            case RFC822_SIZE -> w.number(ref.size());
            case MODSEQ -> w.raw("(").number(ref.modseq()).raw(")");
            case ENVELOPE -> StructureWriter.envelope(w, m.structure().header());
            case BODY -> StructureWriter.body(w, m.structure(), false);
            case BODYSTRUCTURE -> StructureWriter.body(w, m.structure(), true);
            case RFC822 -> SectionReader.write(w, m, Section.WHOLE, java.util.Optional.empty());
            case RFC822_HEADER -> SectionReader.write(w, m, new Section(List.of(), Section.Text.HEADER, List.of()),
                    java.util.Optional.empty());
            case RFC822_TEXT -> SectionReader.write(w, m, new Section(List.of(), Section.Text.TEXT, List.of()),
                    java.util.Optional.empty());
        }
    }
}
