package org.clustermail.store.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.clustermail.store.FolderChange;
import org.clustermail.store.Mailbox;
import org.clustermail.store.StoreException;
import org.clustermail.store.StoreException.Reason;
import org.clustermail.store.engine.FolderFormat.FolderRef;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.index.FolderState;
import org.clustermail.store.index.IndexRecord;

/** Folder management of a mailbox: create, delete, rename, subscribe. Each runs under the user's mutex. Stateless. */
final class FolderOps {

    private static final Set<String> PERMANENT = Set.of(Mailbox.INBOX, "Sent", "Drafts", "Trash");

    private FolderOps() {
    }

    static void create(UserMailbox mb, String name) {
        String folder = FolderNames.canonical(name);
        mb.mutex.lock();
        try {
            if (mb.index.folder(folder) != null) {
                throw new StoreException(Reason.FOLDER_EXISTS, "folder " + folder + " exists already");
            }
            // IMAP CREATE makes any missing superior levels too.
            String[] parts = folder.split("/");
            StringBuilder path = new StringBuilder();
            for (String part : parts) {
                path.append(path.length() == 0 ? "" : "/").append(part);
                String level = path.toString();
                if (mb.index.folder(level) == null) {
                    long validity = mb.newUidValidity();
                    mb.format.createFolder(new FolderRef(level, validity));
                    mb.commit(List.of(new IndexRecord.FolderCreated(level, validity, Set.of())), true);
                }
            }
        } catch (IOException e) {
            throw DurableFiles.failure("cannot create folder " + folder, e);
        } finally {
            mb.mutex.unlock();
        }
    }

    static void delete(UserMailbox mb, String name) {
        String folder = FolderNames.canonical(name);
        if (PERMANENT.contains(folder)) {
            throw new StoreException(Reason.NOT_ALLOWED, folder + " cannot be deleted");
        }
        mb.mutex.lock();
        try {
            FolderState f = mb.folder(folder);
            mb.commit(List.of(new IndexRecord.FolderDeleted(folder)), true);
            mb.format.deleteFolder(UserMailbox.ref(f));
            mb.announce(new FolderChange.Gone(folder));
        } catch (IOException e) {
            throw DurableFiles.failure("folder " + folder + " deleted from the index, but its files remain", e);
        } finally {
            mb.mutex.unlock();
        }
    }

    static void rename(UserMailbox mb, String fromName, String toName) {
        String from = FolderNames.canonical(fromName);
        String to = FolderNames.canonical(toName);
        if (PERMANENT.contains(from)) {
            throw new StoreException(Reason.NOT_ALLOWED, from + " cannot be renamed");
        }
        if (to.equals(Mailbox.INBOX) || to.startsWith(from + "/")) {
            throw new StoreException(Reason.NOT_ALLOWED, "cannot rename " + from + " to " + to);
        }
        mb.mutex.lock();
        try {
            mb.folder(from);
            if (mb.index.folder(to) != null) {
                throw new StoreException(Reason.FOLDER_EXISTS, "folder " + to + " exists already");
            }
            List<String> moving = new ArrayList<>();
            for (String n : mb.folderNamesUnderLock()) {
                if (n.equals(from) || n.startsWith(from + "/")) {
                    moving.add(n);
                }
            }
            moving.sort(Comparator.comparingInt(String::length));
            for (String old : moving) {
                String now = to + old.substring(from.length());
                mb.format.renameFolder(UserMailbox.ref(mb.index.folder(old)), now);
                mb.commit(List.of(new IndexRecord.FolderRenamed(old, now)), true);
                mb.announce(new FolderChange.Gone(old)); // sessions on the old name leave it
            }
        } catch (IOException e) {
            throw DurableFiles.failure("cannot rename folder " + from, e);
        } finally {
            mb.mutex.unlock();
        }
    }

    static void subscribe(UserMailbox mb, String name, boolean subscribed) {
        String folder = FolderNames.canonical(name);
        mb.mutex.lock();
        try {
            mb.commit(List.of(new IndexRecord.Subscribed(folder, subscribed)), true);
        } finally {
            mb.mutex.unlock();
        }
    }
}
