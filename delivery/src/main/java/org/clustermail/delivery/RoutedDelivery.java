package org.clustermail.delivery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.directory.Directory;
import org.clustermail.directory.InvalidAddressException;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MailDelivery} of a node: RCPT checks against the {@link Directory}; at delivery, each recipient is
 * routed by the {@link Router}, recipients with the same target go to it together (one hand-over per target, as
 * the paper's version 2 sends a message to each owner node once), different targets work in parallel, and a
 * recipient whose target failed without storing anything moves on to its next target.
 *
 * <p>Records the paper's stages per message in {@link DeliveryMetrics} and one debug log line per message.
 * Stateless apart from its collaborators; thread-safe.
 */
public final class RoutedDelivery implements MailDelivery {

    private static final Logger log = LoggerFactory.getLogger(RoutedDelivery.class);

    private final Directory directory;
    private final Router router;
    private final DeliveryMetrics metrics;

    public RoutedDelivery(Directory directory, Router router, DeliveryMetrics metrics) {
        this.directory = directory;
        this.router = router;
        this.metrics = metrics;
    }

    @Override
    public RecipientCheck check(String forwardPath) {
        long start = System.nanoTime();
        try {
            int at = forwardPath.lastIndexOf('@');
            if (at < 0) {
                return new RecipientCheck.UnknownUser();
            }
            if (!directory.isLocalDomain(forwardPath.substring(at + 1).toLowerCase(Locale.ROOT))) {
                return new RecipientCheck.NotLocal();
            }
            MailAddress address;
            try {
                address = MailAddress.parse(forwardPath);
            } catch (InvalidAddressException e) {
                return new RecipientCheck.UnknownUser(); // no user of ours can have such a name
            }
            Optional<UserLocation> location = directory.locate(address);
            if (location.isEmpty()) {
                return new RecipientCheck.UnknownUser();
            }
            if (!location.get().active()) {
                return new RecipientCheck.Disabled();
            }
            return new RecipientCheck.Accepted(new Recipient(address, location.get(), System.nanoTime() - start));
        } catch (RuntimeException e) {
            log.warn("directory lookup for RCPT failed: {}", e.toString());
            return new RecipientCheck.Unavailable("directory unavailable");
        }
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, MessageContent content) {
        StageTimes times = new StageTimes();
        times.add(Stage.MTA, envelope.receiving().toNanos());
        long routeStart = System.nanoTime();
        Map<MailAddress, Recipient> distinct = new LinkedHashMap<>();
        envelope.recipients().forEach(r -> distinct.putIfAbsent(r.address(), r));
        Map<MailAddress, List<DeliveryTarget>> routes = new HashMap<>();
        long lookups = 0;
        for (Recipient r : distinct.values()) {
            routes.put(r.address(), router.route(r));
            lookups += r.lookupNanos();
        }
        times.add(Stage.SETUP, lookups + System.nanoTime() - routeStart);

        Map<MailAddress, DeliveryOutcome> outcomes = deliverAll(envelope, content, distinct, routes, times);
        List<DeliveryOutcome> result = envelope.recipients().stream().map(r -> outcomes.get(r.address())).toList();
        int failed = (int) outcomes.values().stream().filter(o -> o instanceof Failed).count();
        metrics.record(times, outcomes.size() - failed, failed);
        if (log.isDebugEnabled()) {
            log.debug("message {} from=<{}> rcpts={} size={} {} delivered={} failed={}", envelope.id(),
                    envelope.sender(), outcomes.size(), content.size(), times, outcomes.size() - failed, failed);
        }
        return result;
    }

    /** Tries each recipient's targets in order until one stores it or fails for good. */
    private Map<MailAddress, DeliveryOutcome> deliverAll(Envelope envelope, MessageContent content,
                                                         Map<MailAddress, Recipient> distinct,
                                                         Map<MailAddress, List<DeliveryTarget>> routes,
                                                         StageTimes times) {
        Map<MailAddress, DeliveryOutcome> outcomes = new HashMap<>();
        Map<MailAddress, Integer> attempt = new HashMap<>();
        List<Recipient> pending = new ArrayList<>(distinct.values());
        while (!pending.isEmpty()) {
            Map<DeliveryTarget, List<Recipient>> groups = new LinkedHashMap<>();
            for (Recipient r : pending) {
                DeliveryTarget t = routes.get(r.address()).get(attempt.getOrDefault(r.address(), 0));
                groups.computeIfAbsent(t, k -> new ArrayList<>()).add(r);
            }
            pending = new ArrayList<>();
            for (DeliveryOutcome o : runGroups(envelope, content, groups, times)) {
                MailAddress a = o.recipient();
                int next = attempt.getOrDefault(a, 0) + 1;
                if (o instanceof Failed f && f.failure() == Failure.TEMPORARY && next < routes.get(a).size()) {
                    log.info("message {}: {} failed on {} ({}); trying its next target", envelope.id(), a,
                            routes.get(a).get(next - 1).name(), f.reason());
                    attempt.put(a, next);
                    pending.add(distinct.get(a));
                } else {
                    outcomes.put(a, o);
                }
            }
        }
        return outcomes;
    }

    /** Hands each group to its target; several targets work in parallel on virtual threads. */
    private List<DeliveryOutcome> runGroups(Envelope envelope, MessageContent content,
                                            Map<DeliveryTarget, List<Recipient>> groups, StageTimes times) {
        if (groups.size() == 1) {
            Map.Entry<DeliveryTarget, List<Recipient>> only = groups.entrySet().iterator().next();
            return handOver(only.getKey(), envelope, only.getValue(), content, times);
        }
        List<DeliveryOutcome> all = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<DeliveryOutcome>>> futures = new ArrayList<>();
            groups.forEach((target, rcpts) ->
                    futures.add(executor.submit(() -> handOver(target, envelope, rcpts, content, times))));
            for (Future<List<DeliveryOutcome>> f : futures) {
                all.addAll(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while delivering " + envelope.id(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("delivery task failed for " + envelope.id(), e.getCause());
        }
        return all;
    }

    private static List<DeliveryOutcome> handOver(DeliveryTarget target, Envelope envelope, List<Recipient> rcpts,
                                                  MessageContent content, StageTimes times) {
        long start = System.nanoTime();
        List<DeliveryOutcome> outcomes;
        try {
            outcomes = target.deliver(envelope, rcpts, content);
            if (outcomes.size() != rcpts.size()) {
                throw new IllegalStateException(target.name() + " returned " + outcomes.size() + " outcomes for "
                        + rcpts.size() + " recipients");
            }
        } catch (RuntimeException e) {
            // A target broke its contract; we cannot know what it stored, so nothing is retried elsewhere.
            log.error("message {}: target {} failed", envelope.id(), target.name(), e);
            outcomes = rcpts.stream().<DeliveryOutcome>map(r -> new Failed(r.address(), Failure.UNKNOWN,
                    "internal error")).toList();
        }
        times.add(target.stage(), System.nanoTime() - start);
        return outcomes;
    }
}
