package org.clustermail.store.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageContent;
import org.clustermail.store.engine.FolderFormat;
import org.clustermail.store.engine.FolderNames;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.fs.NumberFile;
import org.clustermail.store.index.StoredMessage;

/**
 * Maildir++ folders under {@code <userDir>/Maildir}: INBOX is the root, {@code Work/2026} is {@code .Work.2026}.
 * A new message is written to {@code tmp/}, (fsync'd if durable), renamed into {@code new/} (or {@code cur/} with
 * its {@code :2,} flags if it has any), and the directory fsync'd if durable: readers never see a partial file.
 * Flag changes rename the file within {@code cur/}, so mutt and other Maildir readers see them.
 *
 * <p>A folder's directories are made in one step ({@link #ensureFolder}): when it is created by the user, or for
 * the default folders of a new mailbox, which exist in the index only, when their first message is written.
 *
 * <p>Threading: writes are serialised by the user's lock; {@link #open} may run concurrently and copes with a file
 * renamed under it by looking it up again.
 */
public final class MaildirFormat implements FolderFormat {

    private static final AtomicLong TMP_COUNTER = new AtomicLong();
    private final Path root;

    public MaildirFormat(Path userDir) {
        this.root = inbox(userDir);
    }

    Path dir(FolderRef f) {
        return f.name().equals(Mailbox.INBOX) ? root : root.resolve("." + FolderNames.encode(f.name(), '.'));
    }

    @Override
    public void createFolder(FolderRef folder) throws IOException {
        ensureFolder(folder, true);
    }

    /**
     * Makes whatever of the folder's directories is missing ({@code tmp new cur}, the {@code maildirfolder}
     * marker, {@code cm-uidvalidity}) and, if {@code durable}, fsyncs each changed directory once: the folder's
     * own, the Maildir root if the folder is new in it, the user directory if the root is new. Not durable
     * (group commit): the next checkpoint's file-system flush covers it, and a journal replay writes it again.
     * A crash in between leaves directories a later call completes; a folder without its UIDVALIDITY file gets it
     * from its messages' names ({@link #scanFolders}).
     */
    private void ensureFolder(FolderRef folder, boolean durable) throws IOException {
        Path d = dir(folder);
        boolean newRoot = mkdir(root);
        boolean newFolder = !d.equals(root) && mkdir(d);
        boolean changed = newRoot || newFolder;
        for (String sub : List.of("tmp", "new", "cur")) {
            changed |= mkdir(d.resolve(sub));
        }
        if (!folder.name().equals(Mailbox.INBOX) && Files.notExists(d.resolve("maildirfolder"))) {
            Files.write(d.resolve("maildirfolder"), new byte[0]);
            changed = true;
        }
        Path validity = d.resolve("cm-uidvalidity");
        changed |= NumberFile.update(validity, folder.uidValidity(), durable);
        if (durable && changed) {
            DurableFiles.syncDirectory(d);
            if (newFolder) {
                DurableFiles.syncDirectory(root);
            }
            if (newRoot) {
                DurableFiles.syncDirectory(root.getParent());
            }
        }
    }

    /** Creates a directory whose parent exists; false if it was there already. */
    private static boolean mkdir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    @Override
    public void deleteFolder(FolderRef folder) throws IOException {
        Path d = dir(folder);
        if (!Files.exists(d)) {
            return;
        }
        // Rename away first (atomic), then delete at leisure: a crash never leaves half a folder under its name.
        Path trash = root.resolve("..deleted." + System.nanoTime());
        Files.move(d, trash, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(root);
        deleteTree(trash);
    }

    @Override
    public void renameFolder(FolderRef from, String to) throws IOException {
        Path target = dir(new FolderRef(to, from.uidValidity()));
        if (Files.notExists(dir(from))) {
            return; // never written to: nothing on disk yet
        }
        Files.move(dir(from), target, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(root);
    }

    @Override
    public long write(FolderRef folder, StoredMessage m, MessageContent content, boolean durable)
            throws IOException {
        Path d = dir(folder);
        String base = MaildirNames.base(m.uid(), folder.uidValidity(), m.size());
        Path tmp = d.resolve("tmp").resolve(base + "." + ProcessHandle.current().pid() + "_"
                + TMP_COUNTER.incrementAndGet());
        Path target = target(d, base, m);
        if (Files.notExists(tmp.getParent()) || Files.notExists(target.getParent())) {
            ensureFolder(folder, durable); // its first message, or directories a crash kept from being made
        }
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch);
                 InputStream in = content.openStream()) {
                in.transferTo(out);
                if (durable) {
                    ch.force(true);
                }
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        if (durable) {
            DurableFiles.syncDirectory(target.getParent());
        }
        return 0;
    }

    private static Path target(Path dir, String base, StoredMessage m) {
        return m.flags().system().isEmpty() ? dir.resolve("new").resolve(base)
                : dir.resolve("cur").resolve(MaildirNames.withInfo(base, m.flags()));
    }

    @Override
    public void undoWrite(FolderRef folder, StoredMessage m) {
        try {
            Path p = locate(folder, m);
            if (p != null) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the next repair; its UID is above the index's UIDNEXT only if the index said so
        }
    }

    @Override
    public boolean isComplete(FolderRef folder, StoredMessage m) {
        Path p = locate(folder, m);
        try {
            return p != null && Files.size(p) == m.size();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public InputStream open(FolderRef folder, StoredMessage m) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            Path p = locate(folder, m);
            if (p == null) {
                break;
            }
            try {
                return Files.newInputStream(p); // an open file stays readable if it is renamed or deleted later
            } catch (NoSuchFileException e) {
                // renamed between lookup and open (a flag change): look again
            }
        }
        throw new NoSuchFileException(dir(folder) + ": message file for UID " + m.uid());
    }

    /** The message's file: where our naming puts it, else found by its base name (another program renamed it). */
    Path locate(FolderRef folder, StoredMessage m) {
        Path d = dir(folder);
        Path expected = target(d, MaildirNames.base(m.uid(), folder.uidValidity(), m.size()), m);
        if (Files.exists(expected)) {
            return expected;
        }
        for (String sub : List.of("cur", "new")) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.resolve(sub),
                    MaildirNames.base(m.uid(), folder.uidValidity(), m.size()) + "*")) {
                for (Path p : ds) {
                    return p;
                }
            } catch (IOException e) {
                // folder gone: not found
            }
        }
        return null;
    }

    @Override
    public void flagsChanged(FolderRef folder, StoredMessage before, StoredMessage after) {
        Path from = locate(folder, before);
        if (from == null) {
            return;
        }
        Path to = dir(folder).resolve("cur").resolve(MaildirNames.withInfo(
                MaildirNames.base(after.uid(), folder.uidValidity(), after.size()), after.flags()));
        if (from.equals(to)) {
            return;
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // The index holds the flags; the file name is only a courtesy to other Maildir readers.
        }
    }

    @Override
    public long copy(FolderRef from, StoredMessage m, FolderRef to, StoredMessage copy, boolean durable)
            throws IOException {
        Path source = locate(from, m);
        if (source == null) {
            throw new NoSuchFileException("message file for UID " + m.uid());
        }
        Path target = target(dir(to), MaildirNames.base(copy.uid(), to.uidValidity(), copy.size()), copy);
        if (Files.notExists(target.getParent())) {
            ensureFolder(to, true); // the caller makes the copies durable with sync(to), which covers only new/cur
        }
        try {
            Files.deleteIfExists(target);
            Files.createLink(target, source); // same bytes, no second copy; messages are immutable
        } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
            write(to, copy, () -> Files.size(source), durable, source);
        }
        if (durable) {
            DurableFiles.syncDirectory(target.getParent());
        }
        return 0;
    }

    private void write(FolderRef to, StoredMessage copy, SizeSupplier size, boolean durable, Path source)
            throws IOException {
        long n = size.get();
        write(to, copy, new MessageContent() {
            @Override
            public long size() {
                return n;
            }

            @Override
            public InputStream openStream() throws IOException {
                return Files.newInputStream(source);
            }
        }, durable);
    }

    @FunctionalInterface
    private interface SizeSupplier {
        long get() throws IOException;
    }

    @Override
    public void sync(FolderRef folder) throws IOException {
        for (String sub : List.of("new", "cur")) {
            Path d = dir(folder).resolve(sub);
            if (Files.isDirectory(d)) { // a folder never written to has nothing to sync
                DurableFiles.syncDirectory(d);
            }
        }
    }

    @Override
    public Map<Long, Long> expunge(FolderRef folder, List<StoredMessage> removed, List<StoredMessage> kept,
                                   boolean durable) throws IOException {
        for (StoredMessage m : removed) {
            Path p = locate(folder, m);
            if (p != null) {
                Files.deleteIfExists(p);
            }
        }
        if (durable) {
            sync(folder);
        }
        return Map.of();
    }

    @Override
    public List<FolderRef> scanFolders() throws IOException {
        List<FolderRef> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        out.add(new FolderRef(Mailbox.INBOX, validityOf(root)));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, ".*")) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                String folder = name.startsWith("..") ? null : FolderNames.decode(name.substring(1), '.');
                if (folder != null && Files.isDirectory(p.resolve("cur"))) {
                    out.add(new FolderRef(folder, validityOf(p)));
                }
            }
        }
        return out;
    }

    /** The folder's UIDVALIDITY: its file, else the one its messages' names carry, else 0 (unknown). */
    private static long validityOf(Path folderDir) throws IOException {
        long v = NumberFile.read(folderDir.resolve("cm-uidvalidity"));
        for (String sub : List.of("cur", "new")) {
            if (v > 0 || !Files.isDirectory(folderDir.resolve(sub))) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(folderDir.resolve(sub))) {
                for (Path p : ds) {
                    MaildirNames.Parsed n = MaildirNames.parse(p.getFileName().toString());
                    if (n.uid() >= 0) {
                        v = n.uidValidity();
                        break;
                    }
                }
            }
        }
        return v;
    }

    @Override
    public void cleanTemporary(FolderRef folder) throws IOException {
        deleteChildren(dir(folder).resolve("tmp"));
    }

    @Override
    public List<Found> scan(FolderRef folder) throws IOException {
        Path d = dir(folder);
        deleteChildren(d.resolve("tmp"));
        List<Found> found = new ArrayList<>();
        for (String sub : List.of("new", "cur")) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d.resolve(sub))) {
                for (Path p : ds) {
                    MaildirNames.Parsed n = MaildirNames.parse(p.getFileName().toString());
                    long size = Files.size(p);
                    boolean ours = n.uid() >= 0 && n.uidValidity() == folder.uidValidity();
                    if (ours && n.size() != size) {
                        Files.delete(p); // torn by a machine crash before its checkpoint: the journal rewrites it
                        continue;
                    }
                    found.add(new Found(ours ? n.uid() : -1, n.flags(), size, 0, p.toString(),
                            () -> Files.newInputStream(p)));
                }
            } catch (NoSuchFileException e) {
                // a folder never written to (or a subdirectory a crash kept from being made): nothing in it
            }
        }
        found.sort(Comparator.comparingLong(Found::uid));
        return found;
    }

    /**
     * Renames the file to this store's name for the UID: a rename, not a copy, so the message has exactly one name
     * at every instant and a crash can neither lose nor duplicate it (the next repair or
     * {@link #scanNew pick-up} finds it under one name or the other). The file is fsync'd first, since another
     * program wrote it.
     */
    @Override
    public long adopt(FolderRef folder, Found found, StoredMessage as) throws IOException {
        Path from = Path.of(found.key());
        Path to = target(dir(folder), MaildirNames.base(as.uid(), folder.uidValidity(), as.size()), as);
        try (FileChannel ch = FileChannel.open(from, StandardOpenOption.READ)) {
            ch.force(true);
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(to.getParent());
        if (!from.getParent().equals(to.getParent())) {
            DurableFiles.syncDirectory(from.getParent());
        }
        return 0;
    }

    /**
     * The files in the folder's {@code new/}, for picking up messages that other processes delivered there
     * (shared-store mode, ADR 0010). Unlike {@link #scan} it removes nothing, so it is safe while they write.
     */
    public List<Found> scanNew(FolderRef folder) throws IOException {
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir(folder).resolve("new"))) {
            for (Path p : ds) {
                MaildirNames.Parsed n = MaildirNames.parse(p.getFileName().toString());
                boolean ours = n.uid() >= 0 && n.uidValidity() == folder.uidValidity();
                try {
                    found.add(new Found(ours ? n.uid() : -1, n.flags(), Files.size(p), 0, p.toString(),
                            () -> Files.newInputStream(p)));
                } catch (NoSuchFileException e) {
                    // expunged or adopted meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return found;
        }
        found.sort(Comparator.comparingLong(Found::uid));
        return found;
    }

    /** Where a user's INBOX lives, for writers in other processes (shared-store mode). */
    public static Path inbox(Path userDir) {
        return userDir.resolve("Maildir");
    }

    @Override
    public void discard(FolderRef folder, Found found) throws IOException {
        discardFile(folder, found);
    }

    private void discardFile(FolderRef folder, Found found) throws IOException {
        Path p = Path.of(found.key());
        if (p.startsWith(dir(folder))) {
            Files.deleteIfExists(p);
        }
    }

    private static void deleteChildren(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
