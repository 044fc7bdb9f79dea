package org.clustermail.retrieval.imap;

import java.io.IOException;
import org.clustermail.retrieval.imap.command.ImapCommand;
import org.clustermail.store.MessageRef;
import org.clustermail.store.StoreException;

/**
 * SEARCH and UID SEARCH: evaluates the criteria over the session's view and answers {@code * SEARCH} with sequence
 * numbers or UIDs (and, when the criteria use MODSEQ, the highest mod-sequence of the hits, RFC 7162).
 */
final class SearchCommand {

    private SearchCommand() {
    }

    static Reply search(ImapSession s, ImapCommand.Search cmd) throws IOException {
        ImapState.Selected sel = (ImapState.Selected) s.state();
        SelectedFolder folder = sel.folder();
        boolean modseq = SearchEvaluator.usesModseq(cmd.key());
        if (modseq) {
            s.enableCondstore();
        }
        long maxUid = folder.size() == 0 ? 0 : folder.at(folder.size()).uid();
        SearchEvaluator eval = new SearchEvaluator(folder.size(), maxUid, folder::recent);
        ImapWriter w = s.writer();
        w.raw("* SEARCH");
        long highest = 0;
        for (int seq = 1; seq <= folder.size(); seq++) {
            MessageRef ref = folder.at(seq);
            LoadedMessage m = new LoadedMessage(sel.mailbox(), folder.name(), ref);
            boolean hit;
            try {
                hit = eval.matches(cmd.key(), seq, m);
            } catch (StoreException e) {
                if (e.reason() != StoreException.Reason.NO_SUCH_MESSAGE) {
                    throw e;
                }
                continue; // expunged meanwhile: only its content is gone, and it cannot match on content
            }
            if (hit) {
                w.sp().number(cmd.uid() ? ref.uid() : seq);
                highest = Math.max(highest, ref.modseq());
            }
        }
        if (modseq && highest > 0) {
            w.raw(" (MODSEQ ").number(highest).raw(")");
        }
        w.crlf();
        return Reply.ok(cmd.name() + " completed");
    }

}
