package org.clustermail.store.mbox;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.store.Flags;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageContent;
import org.clustermail.store.engine.FolderFormat;
import org.clustermail.store.engine.FolderNames;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.fs.NumberFile;
import org.clustermail.store.index.StoredMessage;

/**
 * The paper's mbox: one mboxrd file per folder, {@code <userDir>/mbox} for INBOX and
 * {@code <userDir>/folders/<name>} for the others. Messages are appended under the user's lock, each as
 * {@code From <uid>.<length>@clustermail.invalid <date>\n}, the quoted bytes, and a blank line. The {@code From }
 * line carries the UID and the quoted length, so the file describes itself: a torn append at the tail (a crash) is
 * recognised and cut off, and a rebuild recovers UIDs. Expunge rewrites the file (to a temporary file, fsync,
 * rename): readers holding the old file keep reading it.
 *
 * <p>Flags are kept in the index only (no {@code Status:} headers), so the message bytes are never rewritten.
 *
 * <p>A folder's files are made when the user creates it, or, for the default folders of a new mailbox (which exist
 * in the index only), by their first message ({@link #ensureFolder}).
 */
public final class MboxFormat implements FolderFormat {

    private static final Pattern FROM_LINE = Pattern.compile("From (\\d+)\\.(\\d+)@clustermail\\.invalid .*");
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private final Path userDir;

    public MboxFormat(Path userDir) {
        this.userDir = userDir;
    }

    Path file(FolderRef f) {
        return f.name().equals(Mailbox.INBOX) ? userDir.resolve("mbox")
                : userDir.resolve("folders").resolve(FolderNames.encode(f.name(), '.'));
    }

    private Path validityFile(FolderRef f) {
        return f.name().equals(Mailbox.INBOX) ? userDir.resolve("mbox%uidvalidity")
                : userDir.resolve("folders").resolve(FolderNames.encode(f.name(), '.') + "%uidvalidity");
    }

    @Override
    public void createFolder(FolderRef folder) throws IOException {
        ensureFolder(folder, true);
    }

    /**
     * Makes what is missing of the folder (the {@code folders} directory, the mbox file, its UIDVALIDITY file) and,
     * if {@code durable}, fsyncs each changed directory once. Not durable (group commit): the next checkpoint's
     * file-system flush covers it, and a journal replay writes it again.
     */
    private void ensureFolder(FolderRef folder, boolean durable) throws IOException {
        Path f = file(folder);
        Path parent = f.getParent();
        boolean newParent = false;
        if (Files.notExists(parent)) { // folders/; the user's lock keeps others from making it meanwhile
            Files.createDirectory(parent);
            newParent = true;
        }
        boolean changed = newParent;
        if (Files.notExists(f)) {
            Files.write(f, new byte[0], StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            changed = true;
        }
        Path validity = validityFile(folder);
        changed |= NumberFile.update(validity, folder.uidValidity(), durable);
        if (durable && changed) {
            DurableFiles.syncDirectory(parent);
            if (newParent) {
                DurableFiles.syncDirectory(userDir);
            }
        }
    }

    @Override
    public void deleteFolder(FolderRef folder) throws IOException {
        Files.deleteIfExists(file(folder));
        Files.deleteIfExists(validityFile(folder));
        if (Files.isDirectory(file(folder).getParent())) {
            DurableFiles.syncDirectory(file(folder).getParent());
        }
    }

    @Override
    public void renameFolder(FolderRef from, String to) throws IOException {
        if (Files.notExists(file(from))) {
            return; // never written to: nothing on disk yet
        }
        FolderRef target = new FolderRef(to, from.uidValidity());
        DurableFiles.createDirectories(file(target).getParent());
        Files.move(file(from), file(target), StandardCopyOption.ATOMIC_MOVE);
        Files.move(validityFile(from), validityFile(target), StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.syncDirectory(file(target).getParent());
    }

    @Override
    public long write(FolderRef folder, StoredMessage m, MessageContent content, boolean durable)
            throws IOException {
        if (Files.notExists(file(folder))) {
            ensureFolder(folder, durable); // its first message
        }
        try (FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.WRITE, StandardOpenOption.CREATE)) {
            long start = ch.size();
            try {
                // The From line carries the quoted length, so it is counted first: a record is complete exactly
                // when the file holds all the bytes its From line announces.
                long quotedLength;
                try (InputStream in = content.openStream()) {
                    quotedLength = Mboxrd.quote(in, OutputStream.nullOutputStream());
                }
                String from = "From " + m.uid() + "." + quotedLength + "@clustermail.invalid "
                        + ASCTIME.format(m.internalDate()) + "\n";
                ch.position(start);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 16384);
                out.write(from.getBytes(StandardCharsets.US_ASCII));
                long quoted;
                int last;
                try (InputStream in = content.openStream()) {
                    LastByte tracker = new LastByte(in);
                    quoted = Mboxrd.quote(tracker, out);
                    last = tracker.last;
                }
                if (quoted != quotedLength) {
                    throw new IOException("message content changed while being stored");
                }
                out.write(last == '\n' || quoted == 0 ? new byte[] {'\n'} : new byte[] {'\n', '\n'});
                out.flush();
                if (durable) {
                    ch.force(false);
                }
            } catch (IOException e) {
                ch.truncate(start); // leave no partial message behind (disk full)
                throw e;
            }
            return start;
        }
    }

    /** Remembers the last byte read. */
    private static final class LastByte extends java.io.FilterInputStream {
        int last = -1;

        LastByte(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                last = b[off + n - 1];
            }
            return n;
        }
    }

    /** The From line at {@code pos}: UID, quoted length, and the line's own length; null if there is none. */
    private record Header(long uid, long quotedLength, int lineLength) {
        long end(FileChannel ch, long pos) throws IOException {
            long bodyEnd = pos + lineLength + quotedLength;
            ByteBuffer b = ByteBuffer.allocate(1);
            boolean endsInNewline = quotedLength == 0;
            if (quotedLength > 0 && ch.read(b, bodyEnd - 1) == 1) {
                endsInNewline = b.get(0) == '\n';
            }
            return bodyEnd + (endsInNewline ? 1 : 2);
        }
    }

    private static Header header(FileChannel ch, long pos) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(160);
        int n = ch.read(b, pos);
        if (n <= 0) {
            return null;
        }
        String s = new String(b.array(), 0, n, StandardCharsets.ISO_8859_1);
        int nl = s.indexOf('\n');
        if (nl < 0) {
            return null;
        }
        Matcher m = FROM_LINE.matcher(s.substring(0, nl));
        return m.matches() ? new Header(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), nl + 1) : null;
    }

    @Override
    public void undoWrite(FolderRef folder, StoredMessage m) {
        try (FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.WRITE)) {
            if (ch.size() > m.location()) {
                ch.truncate(m.location()); // it was the last record: appends happen under the user's lock
            }
        } catch (IOException e) {
            // a record the index does not know is cut off by the next load's tail check
        }
    }

    @Override
    public boolean isComplete(FolderRef folder, StoredMessage m) {
        try (FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.READ)) {
            Header h = header(ch, m.location());
            return h != null && h.uid() == m.uid() && h.end(ch, m.location()) <= ch.size();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public InputStream open(FolderRef folder, StoredMessage m) throws IOException {
        FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.READ);
        try {
            Header h = header(ch, m.location());
            if (h == null || h.uid() != m.uid()) {
                throw new NoSuchFileException(file(folder) + ": no message with UID " + m.uid() + " at "
                        + m.location() + " (the folder was rewritten; look it up again)");
            }
            ch.position(m.location() + h.lineLength());
            InputStream region = new BoundedInputStream(Channels.newInputStream(ch), h.quotedLength());
            return Mboxrd.unquote(region);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public void flagsChanged(FolderRef folder, StoredMessage before, StoredMessage after) {
        // Flags live in the index only.
    }

    @Override
    public long copy(FolderRef from, StoredMessage m, FolderRef to, StoredMessage copy, boolean durable)
            throws IOException {
        long size = m.size();
        return write(to, copy, new MessageContent() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public InputStream openStream() throws IOException {
                return open(from, m);
            }
        }, durable);
    }

    @Override
    public void sync(FolderRef folder) throws IOException {
        if (Files.notExists(file(folder))) {
            return; // never written to
        }
        try (FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.WRITE)) {
            ch.force(false);
        }
    }

    @Override
    public Map<Long, Long> expunge(FolderRef folder, List<StoredMessage> removed, List<StoredMessage> kept,
                                   boolean durable) throws IOException {
        Path f = file(folder);
        Path tmp = f.resolveSibling(f.getFileName() + "%compact");
        Map<Long, Long> moved = new HashMap<>();
        try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING)) {
            for (StoredMessage m : kept) {
                Header h = header(in, m.location());
                if (h == null || h.uid() != m.uid()) {
                    throw new IOException(f + ": index and file disagree about UID " + m.uid());
                }
                long end = h.end(in, m.location());
                long newPos = out.size();
                in.transferTo(m.location(), end - m.location(), out);
                if (newPos != m.location()) {
                    moved.put(m.uid(), newPos);
                }
            }
            out.force(false);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.syncDirectory(f.getParent());
        return moved;
    }

    @Override
    public List<FolderRef> scanFolders() throws IOException {
        List<FolderRef> out = new ArrayList<>();
        if (Files.exists(userDir.resolve("mbox"))) {
            out.add(new FolderRef(Mailbox.INBOX, NumberFile.read(userDir.resolve("mbox%uidvalidity"))));
        }
        Path dir = userDir.resolve("folders");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    String folder = n.contains("%uidvalidity") || n.contains("%compact") ? null
                            : FolderNames.decode(n, '.');
                    if (folder != null) {
                        out.add(new FolderRef(folder, NumberFile.read(dir.resolve(n + "%uidvalidity"))));
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void cleanTemporary(FolderRef folder) throws IOException {
        Path f = file(folder);
        Files.deleteIfExists(f.resolveSibling(f.getFileName() + "%compact"));
    }

    @Override
    public List<Found> scan(FolderRef folder) throws IOException {
        return scanFrom(folder, 0);
    }

    /**
     * The messages from byte {@code pos} on; a torn or foreign tail is cut off (only this store writes the file,
     * so anything it cannot read is the remains of an interrupted append).
     */
    public List<Found> scanFrom(FolderRef folder, long pos) throws IOException {
        Path f = file(folder);
        Files.deleteIfExists(f.resolveSibling(f.getFileName() + "%compact"));
        List<Found> found = new ArrayList<>();
        if (!Files.exists(f)) {
            return found;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            while (pos < size) {
                Header h = header(ch, pos);
                long end = h == null ? Long.MAX_VALUE : h.end(ch, pos);
                if (end > size) {
                    ch.truncate(pos);
                    ch.force(false);
                    break;
                }
                long at = pos;
                long original = originalSize(folder, h.uid(), at);
                found.add(new Found(h.uid(), Flags.NONE, original, at, Long.toString(at),
                        () -> open(folder, new StoredMessage(h.uid(), original, java.time.Instant.EPOCH, Flags.NONE,
                                0, at, null))));
                pos = end;
            }
        }
        return found;
    }

    /** The position just after the record of {@code last} (where later records would start). */
    public long endOf(FolderRef folder, StoredMessage last) throws IOException {
        try (FileChannel ch = FileChannel.open(file(folder), StandardOpenOption.READ)) {
            Header h = header(ch, last.location());
            return h == null || h.uid() != last.uid() ? -1 : h.end(ch, last.location());
        }
    }

    private long originalSize(FolderRef folder, long uid, long at) throws IOException {
        try (InputStream in = open(folder, new StoredMessage(uid, 0, java.time.Instant.EPOCH, Flags.NONE, 0, at,
                null))) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    @Override
    public long adopt(FolderRef folder, Found found, StoredMessage as) throws IOException {
        throw new IOException("mbox folders hold only messages this store wrote");
    }

    @Override
    public void discard(FolderRef folder, Found found) {
        // Records are removed by compaction (expunge); a stray record is simply never indexed.
    }
}
