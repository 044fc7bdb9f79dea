package org.clustermail.store.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clustermail.store.Flags;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal acknowledges no faster than its lanes apply: with every lane stuck, deliveries are acknowledged until
 * the backlog is full, then the next one waits for room instead of growing the backlog (which held a mailbox and its
 * index file descriptor per waiting copy).
 */
class JournalBackpressureTest {

    private static final MessageContent MESSAGE =
            MessageContent.ofBytes("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void aFullBacklogHoldsBackTheNextDeliveryUntilTheLanesApply(@TempDir Path dir) throws Exception {
        CountDownLatch lanesStuck = new CountDownLatch(1);
        AtomicInteger applied = new AtomicInteger();
        Journal journal = new Journal(dir.resolve("journal"), dir, Duration.ofHours(1), (entry, target, c, env) -> {
            awaitQuietly(lanesStuck);
            applied.incrementAndGet();
        });
        journal.recover((entry, target, content, env) -> { });
        journal.start();
        try {
            List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
            for (int i = 0; i < Journal.MAX_UNAPPLIED_COPIES; i++) {
                acknowledged.add(journal.submit(journal.reserve(1), entry("user" + i), MESSAGE, null));
            }
            CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(journal.stats().unapplied()).isEqualTo(Journal.MAX_UNAPPLIED_COPIES);

            CompletableFuture<Void> next = CompletableFuture.runAsync(() -> {
                try (Journal.Room room = journal.reserve(1)) {
                    journal.submit(room, entry("one-more"), MESSAGE, null).join();
                }
            });
            Thread.sleep(300);
            assertThat(next).as("a delivery beyond the backlog's bound waits for room").isNotDone();

            lanesStuck.countDown();
            next.get(30, TimeUnit.SECONDS);
            waitUntil(() -> applied.get() == Journal.MAX_UNAPPLIED_COPIES + 1);
            waitUntil(() -> journal.stats().unapplied() == 0);
        } finally {
            lanesStuck.countDown();
            journal.close();
        }
    }

    @Test
    void aDeliveryThatFindsNoRoomInTimeFailsAsUnavailable(@TempDir Path dir) throws Exception {
        CountDownLatch lanesStuck = new CountDownLatch(1);
        Journal journal = new Journal(dir.resolve("journal"), dir, Duration.ofHours(1),
                (entry, target, c, env) -> awaitQuietly(lanesStuck), Duration.ofMillis(200));
        journal.recover((entry, target, content, env) -> { });
        journal.start();
        try {
            Journal.Room all = journal.reserve(Journal.MAX_UNAPPLIED_COPIES);
            journal.submit(all, new JournalEntry(Instant.now(), Flags.NONE, List.of(target("many"))), MESSAGE, null)
                    .get(30, TimeUnit.SECONDS);

            assertThatThrownBy(() -> journal.reserve(1))
                    .isInstanceOf(StoreException.class)
                    .satisfies(e -> assertThat(((StoreException) e).reason())
                            .isEqualTo(StoreException.Reason.UNAVAILABLE))
                    .hasMessageContaining("try again later");
        } finally {
            lanesStuck.countDown();
            journal.close();
        }
    }

    @Test
    void roomNotSubmittedGoesBack(@TempDir Path dir) throws Exception {
        Journal journal = new Journal(dir.resolve("journal"), dir, Duration.ofHours(1), (e, t, c, env) -> { });
        journal.recover((e, t, c, env) -> { });
        journal.start();
        try {
            Journal.Room room = journal.reserve(3);
            assertThat(journal.stats().unapplied()).isEqualTo(3);
            room.close();
            room.close(); // twice gives back once
            assertThat(journal.stats().unapplied()).isZero();
        } finally {
            journal.close();
        }
    }

    private static JournalEntry entry(String user) {
        return new JournalEntry(Instant.now(), Flags.NONE, List.of(target(user)));
    }

    private static JournalEntry.Target target(String user) {
        return new JournalEntry.Target(new MailboxOwner(user + "@example.org", 1), "INBOX", 1, 1, 1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
