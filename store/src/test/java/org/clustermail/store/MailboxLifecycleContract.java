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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.clustermail.store.engine.LocalMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a mailbox comes into being and leaves memory, for every store configuration: a new mailbox is only its index
 * until a folder gets its first message; idle mailboxes are dropped beyond the memory bounds and come back intact,
 * while a mailbox in use is never dropped.
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
