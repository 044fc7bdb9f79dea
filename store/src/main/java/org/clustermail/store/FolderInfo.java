package org.clustermail.store;

import java.util.Set;

/**
 * One folder of a mailbox, for IMAP LIST/LSUB. Names are Unicode strings with {@code /} as the hierarchy separator
 * ({@code INBOX}, {@code Sent}, {@code Work/2026}); the IMAP layer does the modified UTF-7 encoding.
 */
public record FolderInfo(String name, Set<SpecialUse> specialUse, boolean subscribed, boolean hasChildren) {

    public FolderInfo {
        specialUse = Set.copyOf(specialUse);
    }
}
