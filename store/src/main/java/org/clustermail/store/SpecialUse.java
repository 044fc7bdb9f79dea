package org.clustermail.store;

/** RFC 6154 special-use attributes of a folder. */
public enum SpecialUse {
    SENT("\\Sent"), DRAFTS("\\Drafts"), TRASH("\\Trash"), JUNK("\\Junk"), ARCHIVE("\\Archive");

    private final String imapName;

    SpecialUse(String imapName) {
        this.imapName = imapName;
    }

    public String imapName() {
        return imapName;
    }
}
