package org.clustermail.retrieval.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.store.Flags;
import org.clustermail.store.SystemFlag;

/** Converts between the store's {@link Flags} and IMAP flag lists. Pure functions. */
final class FlagWriter {

    static final String SYSTEM_FLAGS = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

    private FlagWriter() {
    }

    /** Writes {@code (\Seen $Junk)}, with {@code \Recent} if the message is recent in this session. */
    static void flags(ImapWriter w, Flags flags, boolean recent) throws IOException {
        w.open();
        boolean first = true;
        for (SystemFlag f : flags.system()) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.raw(f.imapName());
        }
        for (String k : flags.keywords()) {
            if (!first) {
                w.sp();
            }
            first = false;
            w.raw(k);
        }
        if (recent) {
            if (!first) {
                w.sp();
            }
            w.raw(org.clustermail.retrieval.imap.command.Flags.RECENT);
        }
        w.close();
    }

    /** The store's flags for IMAP names; {@code \Recent} is the server's and dropped. Bad keywords: IAE. */
    static Flags parse(List<String> names) {
        List<String> kept = new ArrayList<>(names.size());
        for (String n : names) {
            if (!n.equalsIgnoreCase("\\Recent")) {
                kept.add(n);
            }
        }
        return Flags.parse(kept);
    }
}
