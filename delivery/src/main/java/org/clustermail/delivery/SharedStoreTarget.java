package org.clustermail.delivery;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.delivery.DeliveryOutcome.Delivered;
import org.clustermail.delivery.DeliveryOutcome.Failed;
import org.clustermail.delivery.DeliveryOutcome.Failure;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.engine.SharedStoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared-store mode, the EarthLink baseline (ADR 0010): every copy is written by this node straight into its
 * owner's mailbox directory on the shared file system, whichever node owns it, with no owner involvement — no
 * channel, no secondary, no spool; the shared file system is the one thing every delivery needs. Each copy gets its
 * {@code Return-Path} and {@code Delivered-To} as in {@link LocalStoreTarget}.
 *
 * <p>All or nothing: if a copy cannot be written, the copies already written are withdrawn and every recipient
 * fails temporarily (451), so the client's retry does not duplicate them. Thread-safe.
 */
public final class SharedStoreTarget implements DeliveryTarget {

    private static final Logger log = LoggerFactory.getLogger(SharedStoreTarget.class);

    private final SharedStoreWriter writer;

    public SharedStoreTarget(SharedStoreWriter writer) {
        this.writer = writer;
    }

    @Override
    public String name() {
        return "shared-store";
    }

    @Override
    public Stage stage() {
        return Stage.STORE;
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, List<Recipient> recipients, MessageContent content) {
        List<Path> written = new ArrayList<>();
        for (Recipient r : recipients) {
            try {
                MailboxOwner owner = new MailboxOwner(r.address().toString(), r.location().serial());
                written.add(writer.deliver(r.location().primary().directoryName(), owner, LocalStoreTarget.withPrefix(
                        LocalStoreTarget.deliveryHeaders(envelope.sender(), r), content)));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("message {}: writing the copy for {} into the shared store failed: {}", envelope.id(),
                        r.address(), e.toString());
                written.forEach(writer::withdraw);
                return recipients.stream().<DeliveryOutcome>map(x -> new Failed(x.address(), Failure.TEMPORARY,
                        "shared store failed")).toList();
            }
        }
        List<DeliveryOutcome> out = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            out.add(new Delivered(recipients.get(i).address(), "shared store " + written.get(i).getFileName()));
        }
        return out;
    }
}
