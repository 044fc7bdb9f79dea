package org.clustermail.store.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.fs.DurableFiles;
import org.clustermail.store.maildir.MaildirFormat;

/**
 * Writes straight into another node's mailbox directory on a shared file system: the EarthLink baseline's
 * delivery, shared-store mode (ADR 0010). Every node's store lives under one {@code sharedRoot}
 * ({@code sharedRoot/node02/<serial mod 300>/<user>/Maildir}); a copy is written the Maildir way — a temporary file,
 * fsync'd, renamed into the INBOX's {@code new/} under a name no other writer can make, that directory fsync'd —
 * so it is durable where its owner reads it when {@link #deliver} returns, without the owner taking part. The owner
 * indexes such files when the mailbox is opened ({@code MailStore.indexExternalDeliveries}).
 *
 * <p>Temporary files go to this writer's own directory {@code sharedRoot/writers/<nodeDir>/} rather than the
 * Maildir's {@code tmp/}, which the owner's store empties when it loads a mailbox. {@code sharedRoot} must be one
 * file system, so that the rename is atomic. Thread-safe.
 */
public final class SharedStoreWriter {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final Path sharedRoot;
    private final String writerNode;
    private final Path tmp;

    /** @param writerNode this node's directory name, e.g. {@code node01}; part of every file name it makes */
    public SharedStoreWriter(Path sharedRoot, String writerNode) {
        this.sharedRoot = sharedRoot.toAbsolutePath().normalize();
        this.writerNode = writerNode;
        this.tmp = this.sharedRoot.resolve("writers").resolve(writerNode);
        StoreConfig.defaults(this.sharedRoot, writerNode); // the same rules for the name as a store's
    }

    /** Creates this writer's temporary directory and removes what a crash of this node left in it. */
    public void start() throws IOException {
        DurableFiles.createDirectories(tmp);
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(tmp)) {
            for (Path p : leftovers) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Delivers one copy into the INBOX of {@code owner}, whose store is node directory {@code ownerNode}. Durable on
     * return. Returns the file's path (for {@link #withdraw}).
     */
    public Path deliver(String ownerNode, MailboxOwner owner, MessageContent content) throws IOException {
        Path userDir = MailboxLoader.userDir(StoreConfig.defaults(sharedRoot, ownerNode), owner);
        Path inbox = MaildirFormat.inbox(userDir);
        Path newDir = inbox.resolve("new");
        if (!Files.isDirectory(newDir)) {
            for (String sub : new String[] {"tmp", "cur", "new"}) { // a whole Maildir, as any delivery agent makes
                DurableFiles.createDirectories(inbox.resolve(sub));
            }
        }
        String name = uniqueName();
        Path temporary = tmp.resolve(name);
        try {
            try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch);
                 InputStream in = content.openStream()) {
                in.transferTo(out);
                ch.force(true);
            }
            Path delivered = newDir.resolve(name);
            Files.move(temporary, delivered, StandardCopyOption.ATOMIC_MOVE);
            DurableFiles.syncDirectory(newDir);
            return delivered;
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    /**
     * Takes back a delivered copy (another copy of the same message failed, so the client will send it again).
     * Best effort: if the owner has indexed the copy meanwhile it stays.
     */
    public boolean withdraw(Path delivered) {
        try {
            boolean gone = Files.deleteIfExists(delivered);
            DurableFiles.syncDirectory(delivered.getParent());
            return gone;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code <seconds>.M<micros>P<pid>Q<n>.<node>}: unique per writer process, never one of the store's own names. */
    private String uniqueName() {
        Instant now = Instant.now();
        return now.getEpochSecond() + ".M" + now.getNano() / 1000 + "P" + ProcessHandle.current().pid() + "Q"
                + SEQUENCE.incrementAndGet() + "." + writerNode;
    }
}
