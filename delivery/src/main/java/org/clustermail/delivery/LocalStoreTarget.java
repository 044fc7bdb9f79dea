package org.clustermail.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clustermail.delivery.DeliveryOutcome.Delivered;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.store.DeliveryReceipt;
import org.clustermail.store.FlagOp;
import org.clustermail.store.Flags;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreException;
import org.clustermail.store.SystemFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Final delivery into this node's store: the MDA. Each copy gets its own {@code Return-Path} and
 * {@code Delivered-To} header lines in front of the message as received, so each recipient's copy is stored
 * separately; copies of one message are stored concurrently, so the store's group commit makes them durable with
 * one flush.
 *
 * <p>All or nothing: if any copy fails, the copies already stored are removed again and every recipient gets a
 * temporary failure, so the client's retry cannot duplicate anything. Thread-safe.
 */
public final class LocalStoreTarget implements DeliveryTarget {

    private static final Logger log = LoggerFactory.getLogger(LocalStoreTarget.class);

    private final MailStore store;
    private final String name;

    /** @param name how this node's store is called in outcomes and logs, e.g. {@code node01} */
    public LocalStoreTarget(MailStore store, String name) {
        this.store = store;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Stage stage() {
        return Stage.STORE;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
        List<Optional<DeliveryReceipt.Delivered>> stored = storeAll(envelope, recipients, content);
        if (stored.stream().allMatch(Optional::isPresent)) {
            return java.util.stream.IntStream.range(0, stored.size()).<DeliveryOutcome>mapToObj(i -> new Delivered(
                    recipients.get(i).address(), name + " " + stored.get(i).get().folder() + " uid "
                    + stored.get(i).get().uid())).toList();
        }
        stored.stream().flatMap(Optional::stream).forEach(d -> rollBack(envelope, d));
        return recipients.stream().<DeliveryOutcome>map(r -> new Failed(r.address(), Failure.TEMPORARY,
                "local store failed")).toList();
    }

    /** Stores each copy (concurrently when several); empty where a copy failed. */
    private List<Optional<DeliveryReceipt.Delivered>> storeAll(Envelope envelope, List<Recipient> recipients,
                                                               MessageContent content) {
        if (recipients.size() == 1) {
            return List.of(storeOne(envelope, recipients.get(0), content));
        }
        List<Optional<DeliveryReceipt.Delivered>> out = new ArrayList<>();
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Optional<DeliveryReceipt.Delivered>>> futures = recipients.stream()
                    .map(r -> executor.submit(() -> storeOne(envelope, r, content))).toList();
            for (Future<Optional<DeliveryReceipt.Delivered>> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while storing " + envelope.id(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("storing " + envelope.id() + " failed", e.getCause());
        }
        return out;
    }

    private Optional<DeliveryReceipt.Delivered> storeOne(Envelope envelope, Recipient r, MessageContent content) {
        try {
            MailboxOwner owner = owner(r);
            DeliveryReceipt receipt = store.deliver(List.of(owner),
                    withPrefix(deliveryHeaders(envelope.sender(), r), content), envelope.receivedAt());
            return Optional.of(receipt.deliveries().get(0));
        } catch (StoreException | IllegalArgumentException e) {
            log.warn("message {}: storing the copy for {} failed: {}", envelope.id(), r.address(), e.toString());
            return Optional.empty();
        }
    }

    /** Removes a copy stored for a message that then failed as a whole. */
    private void rollBack(Envelope envelope, DeliveryReceipt.Delivered d) {
        try (Mailbox mailbox = store.open(d.owner())) {
            List<Long> uid = List.of(d.uid());
            mailbox.storeFlags(d.folder(), uid, FlagOp.ADD, Flags.of(SystemFlag.DELETED), OptionalLong.empty());
            mailbox.expunge(d.folder(), Optional.of(uid));
        } catch (RuntimeException e) {
            log.error("message {}: could not remove the copy for {} after a partial failure; the client's retry "
                    + "will duplicate it", envelope.id(), d.owner().userId(), e);
        }
    }

    private static MailboxOwner owner(Recipient r) {
        return new MailboxOwner(r.address().toString(), r.location().serial());
    }

    /** {@code Return-Path} and {@code Delivered-To} (RFC 5321 4.4, RFC 9228) of one copy. */
    static byte[] deliveryHeaders(String sender, Recipient r) {
        return ("Return-Path: <" + sender + ">\r\nDelivered-To: " + r.address() + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static MessageContent withPrefix(byte[] prefix, MessageContent content) {
        return new MessageContent() {
            @Override
            public long size() {
                return prefix.length + content.size();
            }

            @Override
            public InputStream openStream() throws IOException {
                return new SequenceInputStream(new ByteArrayInputStream(prefix), content.openStream());
            }
        };
    }
}
