package org.clustermail.cluster.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.clustermail.cluster.transfer.TransferHeader;
import org.clustermail.cluster.transfer.TransferId;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The duplicate check's memory stays bounded, and an id it has forgotten is still answered correctly, from the
 * stored messages' transfer headers.
 */
class TransferLedgerTest {

    private static final MailboxOwner ALICE = new MailboxOwner("alice@example.test", 7);

    @TempDir
    Path dir;
    private LocalMailStore store;
    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-06T08:00:00Z"));
    private int made;

    @BeforeEach
    void start() {
        store = new LocalMailStore(StoreConfig.defaults(dir, "node01"));
        store.start();
    }

    @AfterEach
    void stop() {
        store.close();
    }

    @Test
    void atMostTheBoundIsRememberedAndAForgottenIdIsFoundInTheStore() {
        TransferLedger ledger = new TransferLedger(store, clock, Duration.ofHours(1), 3);
        clock.advance(Duration.ofMinutes(2)); // ids made now are younger than the start plus the skew allowance
        TransferId delivered = id();
        store.deliver(List.of(ALICE), TransferHeader.prepend(delivered, message()), clock.instant());
        ledger.record(ALICE, delivered);
        TransferId neverStored = id();

        assertThat(ledger.stored(ALICE, delivered)).isTrue();
        assertThat(ledger.stored(ALICE, neverStored)).isFalse();
        assertThat(ledger.mailboxScans()).isZero(); // memory is the whole truth so far

        clock.advance(Duration.ofSeconds(1));
        for (int i = 0; i < 10; i++) {
            ledger.record(new MailboxOwner("user" + i + "@example.test", i), id());
        }

        assertThat(ledger.remembered()).isEqualTo(3);
        assertThat(ledger.stored(ALICE, delivered)).isTrue();
        assertThat(ledger.stored(ALICE, neverStored)).isFalse();
        assertThat(ledger.mailboxScans()).isEqualTo(2);
        // An id made after the forgotten ones (beyond the skew allowance) is known to memory alone again.
        clock.advance(Duration.ofMinutes(2));
        assertThat(ledger.stored(ALICE, id())).isFalse();
        assertThat(ledger.mailboxScans()).isEqualTo(2);
    }

    @Test
    void idsOlderThanTheRetentionLeaveAsNewOnesArrive() {
        TransferLedger ledger = new TransferLedger(store, clock, Duration.ofMinutes(10), 1000);
        for (int i = 0; i < 5; i++) {
            ledger.record(ALICE, id());
        }
        assertThat(ledger.remembered()).isEqualTo(5);
        clock.advance(Duration.ofMinutes(11));
        ledger.record(ALICE, id());
        assertThat(ledger.remembered()).isEqualTo(1);
    }

    private TransferId id() {
        made++;
        return new TransferId("node02." + Long.toString(clock.millis(), 36) + ".test." + made, clock.instant());
    }

    private static MessageContent message() {
        return MessageContent.ofBytes("Subject: once\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
    }

    /** A clock the test moves by hand. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
