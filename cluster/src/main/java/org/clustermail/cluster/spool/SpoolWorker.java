package org.clustermail.cluster.spool;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.clustermail.cluster.Sweeper;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.Recipient;
import org.clustermail.directory.Directory;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the {@link Spool}: each entry is retried with exponential back-off (from {@code minBackoff}, doubling, up
 * to {@code maxBackoff}), and at once when a node comes back ({@link #wake()}). A retry looks each recipient up
 * again and routes it like a new message, minus the spool: primary, else secondary; the transfer id in the spooled
 * bytes lets the receiver drop a copy it has already. Recipients delivered or refused for good leave the entry;
 * the entry goes when none are left. Each entry is tried on its own virtual thread, never two attempts at once, so
 * a hanging node delays only its own entries.
 *
 * <p>Lifecycle: {@link #start()}, {@link #close()}. Thread-safe.
 */
public final class SpoolWorker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SpoolWorker.class);

    private final Spool spool;
    private final Directory directory;
    private final MailDelivery retries;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Clock clock;
    private final Sweeper sweeper;
    private final Map<String, Backoff> backoff = new ConcurrentHashMap<>();
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();

    private record Backoff(int failures, Instant next) {
    }

    /** @param retries routes like the front node but without the spool (primary, then secondary) */
    public SpoolWorker(Spool spool, Directory directory, MailDelivery retries, Duration minBackoff,
                       Duration maxBackoff, Clock clock) {
        this.spool = spool;
        this.directory = directory;
        this.retries = retries;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.clock = clock;
        Duration tick = minBackoff.compareTo(Duration.ofSeconds(1)) < 0 ? minBackoff : Duration.ofSeconds(1);
        this.sweeper = new Sweeper("spool-worker", tick, this::sweep);
    }

    public void start() {
        sweeper.start();
        sweeper.wake();
    }

    /** Retries every entry now, e.g. because a node came back. */
    public void wake() {
        backoff.clear();
        sweeper.wake();
    }

    private void sweep() {
        Instant now = clock.instant();
        for (Spool.Entry e : spool.entries()) {
            Backoff b = backoff.get(e.name());
            if ((b == null || !b.next().isAfter(now)) && inFlight.putIfAbsent(e.name(), Boolean.TRUE) == null) {
                Thread.ofVirtual().name("spool-" + e.name()).start(() -> {
                    try {
                        attempt(e);
                    } finally {
                        inFlight.remove(e.name());
                    }
                });
            }
        }
    }

    private void attempt(Spool.Entry entry) {
        try {
            IdentifiedContent content = entry.content();
            List<Recipient> recipients = new ArrayList<>();
            List<String> remaining = new ArrayList<>();
            for (String address : entry.recipients()) {
                Optional<UserLocation> where = locate(address);
                if (where.isEmpty()) {
                    log.error("spool {}: recipient {} no longer exists; its copy is dropped", entry.name(), address);
                } else {
                    recipients.add(new Recipient(where.get().address(), where.get(), 0));
                }
            }
            if (!recipients.isEmpty()) {
                Envelope envelope = new Envelope("spool." + entry.name(), entry.sender(), recipients,
                        entry.received(), Duration.ZERO);
                for (DeliveryOutcome o : retries.deliver(envelope, content)) {
                    if (o instanceof DeliveryOutcome.Failed f) {
                        if (f.failure() == DeliveryOutcome.Failure.PERMANENT) {
                            log.error("spool {}: {} refused for good ({}); its copy is dropped", entry.name(),
                                    o.recipient(), f.reason());
                        } else {
                            remaining.add(o.recipient().toString());
                        }
                    }
                }
            }
            finish(entry, remaining);
        } catch (IOException | RuntimeException e) {
            log.warn("spool {}: retry failed: {}", entry.name(), e.toString());
            failed(entry);
        }
    }

    private Optional<UserLocation> locate(String address) {
        try {
            return directory.locate(MailAddress.parse(address));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void finish(Spool.Entry entry, List<String> remaining) throws IOException {
        if (remaining.size() != entry.recipients().size() || remaining.isEmpty()) {
            spool.update(entry, remaining);
        }
        if (remaining.isEmpty()) {
            backoff.remove(entry.name());
            log.info("spool {}: delivered", entry.name());
        } else {
            failed(entry);
        }
    }

    private void failed(Spool.Entry entry) {
        backoff.compute(entry.name(), (k, old) -> {
            int failures = old == null ? 1 : old.failures() + 1;
            long factor = 1L << Math.min(failures - 1, 20);
            Duration wait = minBackoff.multipliedBy(factor);
            wait = wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
            return new Backoff(failures, clock.instant().plus(wait));
        });
    }

    @Override
    public void close() {
        sweeper.close();
    }
}
