package org.clustermail.store;

/**
 * Told of every change to one folder, on the thread that made it, after the change is visible and in the order the
 * changes happened. Must return quickly and must not block (queue the change and wake the session, e.g. an IMAP
 * IDLE); it may read the mailbox. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface FolderListener {

    void changed(FolderChange change);
}
