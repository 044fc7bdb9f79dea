package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clustermail.store.engine.LocalMailStore;
import org.clustermail.store.engine.SharedStoreWriter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Shared-store mode (ADR 0010): another process's writer puts Maildir files into the owner's INBOX, and the owner's
 * store indexes each exactly once — also while writers go on, after a restart, and after a pick-up cut short between
 * the rename and the index.
 */
class SharedStoreWriterTest {

    private static final MailboxOwner BOB = new MailboxOwner("bob@example.test", 1234);

    @TempDir
    Path shared;

    private LocalMailStore owner(StoreConfig.Durability durability) {
        LocalMailStore store = new LocalMailStore(new StoreConfig(shared, "node02", StoreConfig.Format.MAILDIR,
                durability, Duration.ofMillis(200), 100));
        store.start();
        return store;
    }

    private SharedStoreWriter writer() throws Exception {
        SharedStoreWriter w = new SharedStoreWriter(shared, "node01");
        w.start();
        return w;
    }

    @ParameterizedTest
    @EnumSource(StoreConfig.Durability.class)
    void aCopyWrittenByAnotherNodeIsIndexedOnceAndSurvivesARestart(StoreConfig.Durability durability)
            throws Exception {
        SharedStoreWriter writer = writer();
        Path file = writer.deliver("node02", BOB, MessageContent.ofBytes(TestMessages.message("s1")));
        assertThat(file).startsWith(shared.resolve("node02").resolve("34").resolve("bob@example.test"));
        try (LocalMailStore store = owner(durability)) {
            store.indexExternalDeliveries(BOB); // a mailbox loaded for the first time indexes its files on loading
            assertThat(store.indexExternalDeliveries(BOB)).as("nothing new").isZero();
            assertThat(bodies(store)).containsExactly(new String(TestMessages.message("s1")));
            writer.deliver("node02", BOB, MessageContent.ofBytes(TestMessages.message("s2")));
            assertThat(store.indexExternalDeliveries(BOB)).isEqualTo(1);
        }
        try (LocalMailStore store = owner(durability)) {
            assertThat(store.indexExternalDeliveries(BOB)).isZero();
            assertThat(bodies(store)).containsExactly(new String(TestMessages.message("s1")),
                    new String(TestMessages.message("s2")));
        }
    }

    @ParameterizedTest
    @EnumSource(StoreConfig.Durability.class)
    void writersGoingOnWhileTheOwnerIndexesAndDeliversItselfLoseAndDuplicateNothing(
            StoreConfig.Durability durability) throws Exception {
        SharedStoreWriter writer = writer();
        Set<String> expected = new HashSet<>();
        try (LocalMailStore store = owner(durability)) {
            AtomicBoolean writing = new AtomicBoolean(true);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                int thread = t;
                threads.add(Thread.ofVirtual().start(() -> {
                    for (int i = 0; i < 40; i++) {
                        String id = "w" + thread + "-" + i;
                        try {
                            if (thread == 0) { // the owner's own deliveries to the same INBOX, through its store
                                store.deliver(List.of(BOB), MessageContent.ofBytes(TestMessages.message(id)),
                                        Instant.now());
                            } else {
                                writer.deliver("node02", BOB, MessageContent.ofBytes(TestMessages.message(id)));
                            }
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }));
                for (int i = 0; i < 40; i++) {
                    expected.add(new String(TestMessages.message("w" + t + "-" + i)));
                }
            }
            Thread indexer = Thread.ofVirtual().start(() -> {
                while (writing.get()) {
                    store.indexExternalDeliveries(BOB);
                }
            });
            for (Thread t : threads) {
                t.join();
            }
            writing.set(false);
            indexer.join();
            store.indexExternalDeliveries(BOB);
            List<String> bodies = bodies(store);
            assertThat(bodies).hasSize(120);
            assertThat(new HashSet<>(bodies)).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(StoreConfig.Durability.class)
    void aFileRenamedForItsUidButNotYetIndexedIsPickedUpUnderThatUid(StoreConfig.Durability durability)
            throws Exception {
        long validity;
        long next;
        try (LocalMailStore store = owner(durability)) {
            store.deliver(List.of(BOB), MessageContent.ofBytes(TestMessages.message("first")), Instant.now());
            try (Mailbox mb = store.open(BOB)) {
                FolderStatus s = mb.status(Mailbox.INBOX);
                validity = s.uidValidity();
                next = s.uidNext();
            }
        }
        // What a crash between adopt's rename and the forced index record leaves behind.
        byte[] bytes = TestMessages.message("orphan");
        Path inboxNew = shared.resolve("node02/34/bob@example.test/Maildir/new");
        Files.write(inboxNew.resolve(next + ".V" + validity + ".cm,S=" + bytes.length), bytes);
        try (LocalMailStore store = owner(durability)) {
            assertThat(store.indexExternalDeliveries(BOB)).isEqualTo(1);
            try (Mailbox mb = store.open(BOB)) {
                assertThat(mb.snapshot(Mailbox.INBOX).messages()).extracting(MessageRef::uid)
                        .containsExactly(next - 1, next);
            }
            assertThat(bodies(store)).containsExactly(new String(TestMessages.message("first")), new String(bytes));
        }
    }

    private static List<String> bodies(MailStore store) throws Exception {
        List<String> out = new ArrayList<>();
        try (Mailbox mb = store.open(BOB)) {
            for (MessageRef m : mb.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mb.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes()));
                }
            }
        }
        return out;
    }
}
