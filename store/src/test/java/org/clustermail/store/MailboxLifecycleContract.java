package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.clustermail.store.engine.LocalMailStore;
import org.clustermail.store.index.IndexFile;
import org.clustermail.store.index.IndexRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a mailbox comes into being and leaves memory, for every store configuration: a new mailbox is only its index
 * until a folder gets its first message; idle mailboxes are dropped beyond the memory bounds and come back intact,
 * while a mailbox in use is never dropped; a mailbox that only takes deliveries keeps its counters in memory, not
 * its messages' summaries.
 */
interface MailboxLifecycleContract {

    MailboxOwner CAROL = new MailboxOwner("carol@example.test", 42);

    StoreConfig config(Path dataDir);

    @Test
    default void aNewMailboxIsOnlyItsIndexUntilItsFoldersGetMessages(@TempDir Path dir) throws IOException {
        Path userDir = dir.resolve("node01/42/carol@example.test");
        Map<String, Long> validity = new HashMap<>();
        byte[] sent = TestMessages.message("sent1");
        byte[] inbox = TestMessages.message("in1");
        try (MailStore store = started(dir)) {
            try (Mailbox mb = store.open(CAROL)) {
                assertThat(mb.folders()).extracting(FolderInfo::name)
                        .containsExactly("INBOX", "Drafts", "Sent", "Trash");
                assertThat(mb.folders()).filteredOn(f -> f.name().equals("Sent")).singleElement()
                        .satisfies(f -> assertThat(f.specialUse()).containsExactly(SpecialUse.SENT));
                mb.statusAll().forEach((name, st) -> {
                    assertThat(st.messages()).as(name).isZero();
                    validity.put(name, st.uidValidity());
                });
            }
            try (Stream<Path> files = Files.list(userDir)) {
                assertThat(files.map(p -> p.getFileName().toString()).toList())
                        .as("no folder files before the first message").containsExactly("clustermail.index");
            }
            try (Mailbox mb = store.open(CAROL)) {
                assertThat(mb.append("Sent", MessageContent.ofBytes(sent), Flags.of(SystemFlag.SEEN),
                        Instant.parse("2026-11-28T10:00:00Z"))).isEqualTo(1);
                store.deliver(List.of(CAROL), MessageContent.ofBytes(inbox), Instant.now());
                mb.copy("INBOX", List.of(1L), "Trash");
                mb.move("Sent", List.of(1L), "Drafts");
            }
        }
        try (MailStore store = started(dir); Mailbox mb = store.open(CAROL)) {
            mb.statusAll().forEach((name, st) -> assertThat(st.uidValidity()).as(name).isEqualTo(validity.get(name)));
            assertThat(mb.unreadCounts()).containsExactlyInAnyOrderEntriesOf(
                    Map.of("INBOX", 1, "Sent", 0, "Drafts", 0, "Trash", 1));
            assertThat(MailStoreContract.read(mb, "Drafts", 1)).isEqualTo(sent);
            assertThat(MailStoreContract.read(mb, "Trash", 1)).isEqualTo(inbox);
            assertThat(MailStoreContract.read(mb, "INBOX", 1)).isEqualTo(inbox);
        }
        try (MailStore store = started(dir)) {
            assertThat(store.rebuildIndex(CAROL)).isEqualTo(3);
            try (Mailbox mb = store.open(CAROL)) {
                for (String folder : List.of("INBOX", "Drafts", "Trash")) {
                    assertThat(mb.status(folder).uidValidity()).as(folder).isEqualTo(validity.get(folder));
                    assertThat(mb.snapshot(folder).messages()).extracting(MessageRef::uid).containsExactly(1L);
                }
                assertThat(MailStoreContract.read(mb, "Drafts", 1)).isEqualTo(sent);
            }
        }
    }

    /**
     * Many users, memory for three idle mailboxes and 20 summaries: 16 threads deliver to 40 users (and to one
     * whose mailbox a session holds open all along) while others open and read mailboxes. Every message is there
     * exactly once afterwards; the held mailbox was never dropped (its session saw every delivery live); the idle
     * ones in memory stay within the bounds.
     */
    @Test
    default void idleMailboxesLeaveMemoryAndComeBackIntact(@TempDir Path dir) throws Exception {
        int users = 40;
        int perUser = 5;
        LocalMailStore store = new LocalMailStore(config(dir).withCache(3, 20));
        store.start();
        try (store; Mailbox held = store.open(CAROL)) {
            List<Integer> work = new ArrayList<>();
            for (int u = 0; u <= users; u++) {
                for (int i = 0; i < perUser; i++) {
                    work.add(u);
                }
            }
            Collections.shuffle(work, new java.util.Random(7));
            List<Future<?>> done = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int k = 0; k < work.size(); k++) {
                    int u = work.get(k);
                    String id = "e" + u + "-" + k;
                    done.add(pool.submit(() -> store.deliver(List.of(user(u, users)),
                            MessageContent.ofBytes(TestMessages.message(id)), Instant.now())));
                    if (k % 4 == 0) {
                        done.add(pool.submit(() -> {
                            try (Mailbox mb = store.open(user((u * 7) % users, users))) {
                                return mb.status("INBOX");
                            }
                        }));
                    }
                }
                for (Future<?> f : done) {
                    f.get();
                }
            }
            assertThat(held.status("INBOX").messages()).as("the held session saw every delivery").isEqualTo(perUser);
            for (int u = 0; u <= users; u++) {
                try (Mailbox mb = store.open(user(u, users))) {
                    List<MessageRef> refs = mb.snapshot("INBOX").messages();
                    assertThat(refs).as("messages of user %d", u).hasSize(perUser);
                    for (MessageRef r : refs) {
                        String id = mb.summary("INBOX", r.uid()).orElseThrow().messageId().replaceAll("[<>]", "")
                                .replace("@test", "");
                        assertThat(id).startsWith("e" + u + "-");
                        assertThat(MailStoreContract.read(mb, "INBOX", r.uid())).isEqualTo(TestMessages.message(id));
                    }
                }
            }
            // Every copy is applied now; the journal lets go of the last mailboxes a moment after.
            LocalMailStore.CacheUse use = store.cacheUse();
            for (long end = System.nanoTime() + 5_000_000_000L; use.mailboxes() > 3 && System.nanoTime() < end; ) {
                Thread.sleep(10);
                store.open(user(0, users)).close(); // a release evicts down to the bounds
                use = store.cacheUse();
            }
            assertThat(use.mailboxes()).isLessThanOrEqualTo(3);
            assertThat(use.summaries()).isLessThanOrEqualTo(20 + perUser);
        }
    }

    /**
     * Deliveries to users nobody reads keep no summaries in memory; a session loads them, with every message and
     * flag; beyond the summary budget the least recently used idle mailbox keeps only its counters, and comes back
     * whole when opened again, also after a restart.
     */
    @Test
    default void mailboxesThatOnlyTakeDeliveriesHoldNoSummaries(@TempDir Path dir) throws Exception {
        MailboxOwner dave = new MailboxOwner("dave@example.test", 43);
        StoreConfig config = config(dir).withCache(100, 6);
        LocalMailStore store = new LocalMailStore(config);
        store.start();
        try (store) {
            for (int i = 1; i <= 4; i++) {
                store.deliver(List.of(CAROL, dave), MessageContent.ofBytes(TestMessages.message("d" + i)),
                        Instant.now());
            }
            awaitSettled(store);
            assertThat(store.cacheUse().summaries()).as("mailboxes only delivered to").isZero();
            assertThat(store.cacheUse().mailboxes()).isEqualTo(2);
            assertThat(store.messageCount(dave)).isEqualTo(4);
            assertThat(store.cacheUse().summaries()).as("counted from the counters").isZero();
            try (Mailbox mb = store.open(CAROL)) {
                assertThat(mb.status("INBOX").messages()).isEqualTo(4);
                assertThat(mb.status("INBOX").uidNext()).isEqualTo(5);
                assertThat(mb.snapshot("INBOX").messages()).extracting(MessageRef::uid).containsExactly(1L, 2L, 3L, 4L);
                assertThat(mb.summary("INBOX", 3).orElseThrow().subject()).isEqualTo("message d3");
                mb.storeFlags("INBOX", List.of(2L, 4L), FlagOp.ADD, Flags.of(SystemFlag.SEEN), OptionalLong.empty());
                store.deliver(List.of(CAROL), MessageContent.ofBytes(TestMessages.message("d5")), Instant.now());
                assertThat(mb.snapshot("INBOX").messages()).hasSize(5);
            }
            awaitSettled(store);
            assertThat(store.cacheUse().summaries()).as("within the budget, a read mailbox stays whole").isEqualTo(5);
            try (Mailbox mb = store.open(dave)) {
                mb.storeFlags("INBOX", List.of(1L), FlagOp.ADD, Flags.of(SystemFlag.DELETED), OptionalLong.empty());
                assertThat(mb.expunge("INBOX", Optional.empty())).containsExactly(1L);
            }
            assertThat(store.cacheUse().summaries()).as("carol's 5 + dave's 3 > 6: carol keeps counters only")
                    .isEqualTo(3);
            store.deliver(List.of(CAROL), MessageContent.ofBytes(TestMessages.message("d6")), Instant.now());
            awaitSettled(store);
            assertCarol(store);
            assertThat(store.cacheUse().summaries()).as("carol's 6 + dave's 3 > 6: dave keeps counters only")
                    .isEqualTo(6);
        }
        try (LocalMailStore again = new LocalMailStore(config)) {
            again.start();
            assertCarol(again);
            try (Mailbox mb = again.open(dave)) {
                assertThat(mb.snapshot("INBOX").messages()).extracting(MessageRef::uid).containsExactly(2L, 3L, 4L);
            }
        }
    }

    /**
     * A delivery loads a mailbox without decoding its envelopes. Such an index must never be compacted, or the
     * compacted file would hold empty envelopes: here the load itself commits (Trash is missing and is created again)
     * on an index long enough to be compacted, and a session afterwards still sees every subject.
     */
    @Test
    default void aMailboxLoadedForADeliveryIsNeverCompactedWithoutItsEnvelopes(@TempDir Path dir) throws Exception {
        StoreConfig config = config(dir);
        try (LocalMailStore store = new LocalMailStore(config)) {
            store.start();
            for (int i = 1; i <= 3; i++) {
                store.deliver(List.of(CAROL), MessageContent.ofBytes(TestMessages.message("d" + i)), Instant.now());
            }
        }
        Path indexPath = config.nodePath().resolve(CAROL.hashDirectory()).resolve(CAROL.userId())
                .resolve("clustermail.index");
        List<IndexRecord> padding = new ArrayList<>(List.of(new IndexRecord.FolderDeleted("Trash")));
        padding.addAll(Collections.nCopies(1_200, new IndexRecord.Subscribed(Mailbox.INBOX, true)));
        try (IndexFile index = IndexFile.open(indexPath, true).file()) {
            index.append(padding);
            index.force();
        }

        try (LocalMailStore store = new LocalMailStore(config)) {
            store.start();
            store.deliver(List.of(CAROL), MessageContent.ofBytes(TestMessages.message("d4")), Instant.now());
            awaitSettled(store);
            try (Mailbox mb = store.open(CAROL)) {
                assertThat(mb.folders()).extracting(FolderInfo::name).contains("Trash");
                for (int uid = 1; uid <= 4; uid++) {
                    assertThat(mb.summary("INBOX", uid).orElseThrow().subject()).isEqualTo("message d" + uid);
                }
            }
        }
    }

    private static void assertCarol(MailStore store) throws IOException {
        try (Mailbox mb = store.open(CAROL)) {
            assertThat(mb.snapshot("INBOX").messages()).extracting(MessageRef::uid)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(mb.status("INBOX").unseen()).isEqualTo(4);
            assertThat(mb.summary("INBOX", 2).orElseThrow().flags().has(SystemFlag.SEEN)).isTrue();
            assertThat(MailStoreContract.read(mb, "INBOX", 6)).isEqualTo(TestMessages.message("d6"));
        }
    }

    /**
     * A session opens and closes a mailbox again and again while another thread delivers to it, with no budget for
     * summaries, so every close drops them and every open reads them back from the index file mid-stream. Each
     * session sees the messages acknowledged before it opened, in UID order without gaps; at the end, all of them.
     */
    @Test
    default void sessionsSeeEveryDeliveryWhileTheSummariesComeAndGo(@TempDir Path dir) throws Exception {
        int messages = 150;
        LocalMailStore store = new LocalMailStore(config(dir).withCache(10, 0));
        store.start();
        try (store; ExecutorService pool = Executors.newSingleThreadExecutor()) {
            AtomicLong acknowledged = new AtomicLong();
            Future<?> delivering = pool.submit(() -> {
                for (int i = 1; i <= messages; i++) {
                    store.deliver(List.of(CAROL), MessageContent.ofBytes(TestMessages.message("s" + i, 600)),
                            Instant.now());
                    acknowledged.set(i);
                }
                return null;
            });
            int sessions = 0;
            while (!delivering.isDone() || sessions == 0) {
                long before = acknowledged.get();
                try (Mailbox mb = store.open(CAROL)) {
                    List<Long> uids = mb.snapshot("INBOX").messages().stream().map(MessageRef::uid).toList();
                    assertThat(uids.size()).as("acknowledged before the session").isGreaterThanOrEqualTo((int) before);
                    for (int i = 0; i < uids.size(); i++) {
                        assertThat(uids.get(i)).isEqualTo(i + 1L);
                    }
                }
                sessions++;
            }
            delivering.get();
            try (Mailbox mb = store.open(CAROL)) {
                assertThat(mb.status("INBOX").messages()).isEqualTo(messages);
                for (long uid = 1; uid <= messages; uid++) {
                    assertThat(MailStoreContract.read(mb, "INBOX", uid))
                            .isEqualTo(TestMessages.message("s" + uid, 600));
                }
            }
            assertThat(sessions).isGreaterThan(1);
        }
    }

    /** Waits until the journal has applied every copy and let its mailboxes go (they are idle then). */
    private static void awaitSettled(LocalMailStore store) throws InterruptedException {
        for (long end = System.nanoTime() + 5_000_000_000L; System.nanoTime() < end; ) {
            if (store.journalStats().map(s -> s.unapplied() == 0).orElse(true)) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("copies still unapplied after 5 s: " + store.journalStats());
    }

    /** User {@code u} of {@code users}; {@code u == users} is CAROL. */
    private static MailboxOwner user(int u, int users) {
        return u == users ? CAROL : new MailboxOwner("e" + u + "@example.test", 1000 + u);
    }

    private MailStore started(Path dir) {
        MailStore s = new LocalMailStore(config(dir));
        s.start();
        return s;
    }
}
