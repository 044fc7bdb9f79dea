package org.clustermail.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.clustermail.delivery.DeliveryOutcome.Delivered;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserState;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The delivery stage over the real directory (H2) and the real store: RCPT verdicts, per-copy headers, routing to
 * a next target after a temporary failure (the seam the cluster's secondary node and spool use), and stage metrics.
 */
class RoutedDeliveryTest {

    @TempDir
    Path dir;
    private DirectoryService directory;
    private MailStore store;
    private SimpleMeterRegistry registry;
    private DeliveryMetrics metrics;
    private LocalStoreTarget local;

    @BeforeEach
    void start() {
        directory = DirectoryService.open(DirectoryConfig.of("jdbc:h2:file:" + dir.resolve("dir/db")),
                List.of(NodeId.of(1)));
        directory.admin().addDomain("example.test");
        for (String u : List.of("ann", "bob", "off")) {
            directory.admin().addUser(MailAddress.parse(u + "@example.test"), "pw-pw-pw".toCharArray());
        }
        directory.admin().setState(MailAddress.parse("off@example.test"), UserState.DISABLED);
        directory.start();
        store = new LocalMailStore(StoreConfig.defaults(dir.resolve("mail"), "node01"));
        store.start();
        registry = new SimpleMeterRegistry();
        metrics = new DeliveryMetrics(registry);
        local = new LocalStoreTarget(store, "node01");
    }

    @AfterEach
    void stop() {
        store.close();
        directory.close();
    }

    private Recipient accepted(RoutedDelivery d, String address) {
        RecipientCheck check = d.check(address);
        assertThat(check).isInstanceOf(RecipientCheck.Accepted.class);
        return ((RecipientCheck.Accepted) check).recipient();
    }

    private static Envelope envelope(List<Recipient> rcpts) {
        return new Envelope("t1", "sender@elsewhere.example", rcpts, Instant.now(), Duration.ofMillis(3));
    }

    private static final MessageContent BODY = MessageContent.ofBytes(
            "Subject: test\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));

    @Test
    void recipientVerdicts() {
        RoutedDelivery d = new RoutedDelivery(directory.directory(), r -> List.of(local), metrics);
        assertThat(d.check("ANN@Example.Test")).isInstanceOf(RecipientCheck.Accepted.class);
        assertThat(d.check("nobody@example.test")).isInstanceOf(RecipientCheck.UnknownUser.class);
        assertThat(d.check("we!rd@example.test")).isInstanceOf(RecipientCheck.UnknownUser.class);
        assertThat(d.check("off@example.test")).isInstanceOf(RecipientCheck.Disabled.class);
        assertThat(d.check("x@elsewhere.example")).isInstanceOf(RecipientCheck.NotLocal.class);
        assertThat(d.check("postmaster")).isInstanceOf(RecipientCheck.UnknownUser.class);
    }

    @Test
    void eachCopyGetsItsOwnHeadersAndDuplicatesGetOneCopy() throws IOException {
        RoutedDelivery d = new RoutedDelivery(directory.directory(), r -> List.of(local), metrics);
        Recipient ann = accepted(d, "ann@example.test");
        Recipient bob = accepted(d, "bob@example.test");
        List<DeliveryOutcome> out = d.deliver(envelope(List.of(ann, bob, ann)), BODY);
        assertThat(out).hasSize(3).allMatch(o -> o instanceof Delivered);
        assertThat(out.get(0)).isEqualTo(out.get(2));
        assertThat(inbox(ann)).containsExactly("Return-Path: <sender@elsewhere.example>\r\nDelivered-To: "
                + "ann@example.test\r\nSubject: test\r\n\r\nbody\r\n");
        assertThat(inbox(bob)).singleElement().satisfies(m -> assertThat(m).contains("Delivered-To: bob@example.test"));
        assertThat(metrics.timer(Stage.MTA).count()).isEqualTo(1);
        assertThat(metrics.timer(Stage.STORE).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
        assertThat(metrics.timer(Stage.TRANSFER).max(java.util.concurrent.TimeUnit.NANOSECONDS)).isZero();
        assertThat(registry.get("clustermail.delivery.copies").tag("outcome", "delivered").counter().count())
                .isEqualTo(2);
    }

    @Test
    void aTemporaryFailureMovesTheRecipientToItsNextTargetButAnUnknownOutcomeDoesNot() throws IOException {
        FailingTarget down = new FailingTarget(Failure.TEMPORARY);
        FailingTarget broke = new FailingTarget(Failure.UNKNOWN);
        RoutedDelivery d = new RoutedDelivery(directory.directory(),
                r -> r.address().localPart().equals("ann") ? List.of(down, local) : List.of(broke, local), metrics);
        Recipient ann = accepted(d, "ann@example.test");
        Recipient bob = accepted(d, "bob@example.test");
        List<DeliveryOutcome> out = d.deliver(envelope(List.of(ann, bob)), BODY);
        assertThat(out.get(0)).isInstanceOf(Delivered.class);
        assertThat(out.get(1)).isInstanceOf(Failed.class);
        assertThat(((Failed) out.get(1)).failure()).isEqualTo(Failure.UNKNOWN);
        assertThat(down.calls.get()).isEqualTo(1);
        assertThat(inbox(ann)).hasSize(1);
        assertThat(inbox(bob)).isEmpty();
        assertThat(metrics.timer(Stage.TRANSFER).totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                .as("the failing targets count as transfers").isPositive();
    }

    private List<String> inbox(Recipient r) throws IOException {
        try (Mailbox mb = store.open(new MailboxOwner(r.address().toString(), r.location().serial()))) {
            List<String> out = new ArrayList<>();
            for (var m : mb.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mb.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        }
    }

    /** A target standing for an unreachable node: stores nothing and says how it failed. */
    private static final class FailingTarget implements DeliveryTarget {
        private final Failure failure;
        final AtomicInteger calls = new AtomicInteger();

        FailingTarget(Failure failure) {
            this.failure = failure;
        }

        @Override
        public String name() {
            return "down-" + failure;
        }

        @Override
        public Stage stage() {
            return Stage.TRANSFER;
        }

        @Override
        public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
            calls.incrementAndGet();
            return recipients.stream().<DeliveryOutcome>map(r -> new Failed(r.address(), failure, "node down"))
                    .toList();
        }
    }
}
