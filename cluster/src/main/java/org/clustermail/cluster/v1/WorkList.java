package org.clustermail.cluster.v1;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.MailDelivery;
import org.clustermail.delivery.RecipientCheck;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paper's version 1 interface module, kept for comparison: a delivery does not run on the session's thread but
 * is copied into an op-entry (the extra message copy the paper measures), put on a central work list, and carried
 * out by one of a fixed number of operation threads, while the session waits. Routing is the same as version 2;
 * what differs is the extra copy, the queue and the thread switch. The store's per-mailbox lock plays the paper's
 * "one active operation thread per user".
 *
 * <p>Lifecycle: construct (starts the operation threads), {@link #close()} (stops them; entries still queued fail
 * temporarily). Thread-safe.
 */
public final class WorkList implements MailDelivery, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkList.class);

    /** Tells one operation thread to end. */
    private static final OpEntry STOP = new OpEntry(null, new byte[0], new CompletableFuture<>());

    private final MailDelivery inner;
    private final BlockingQueue<OpEntry> queue = new LinkedBlockingQueue<>();
    private final List<Thread> operationThreads = new ArrayList<>();
    private volatile boolean closed;

    /** One queued delivery: the envelope, its own copy of the message, and where the outcomes go. */
    private record OpEntry(Envelope envelope, byte[] message, CompletableFuture<List<DeliveryOutcome>> done) {
    }

    /** @param inner what the operation threads run (the node's routed delivery, or the node-channel receiver) */
    public WorkList(String name, int threads, MailDelivery inner) {
        this.inner = inner;
        for (int i = 0; i < threads; i++) {
            Thread t = Thread.ofPlatform().daemon().name(name + "-" + i).start(this::operate);
            operationThreads.add(t);
        }
    }

    @Override
    public RecipientCheck check(String forwardPath) {
        return inner.check(forwardPath); // the location query is answered at once, as in the paper
    }

    @Override
    public List<DeliveryOutcome> deliver(Envelope envelope, MessageContent content) {
        byte[] copy;
        try (InputStream in = content.openStream()) {
            copy = in.readAllBytes();
        } catch (IOException e) {
            return failAll(envelope, "cannot read the message");
        }
        OpEntry entry = new OpEntry(envelope, copy, new CompletableFuture<>());
        if (closed || !queue.offer(entry)) {
            return failAll(envelope, "node stopping");
        }
        try {
            return entry.done().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failAll(envelope, "interrupted");
        } catch (ExecutionException e) {
            log.error("message {}: operation thread failed", envelope.id(), e.getCause());
            return envelope.recipients().stream().<DeliveryOutcome>map(r -> new DeliveryOutcome.Failed(
                    r.address(), DeliveryOutcome.Failure.UNKNOWN, "internal error")).toList();
        }
    }

    private void operate() {
        while (true) {
            OpEntry e;
            try {
                e = queue.take();
            } catch (InterruptedException ie) {
                return;
            }
            if (e == STOP) {
                return;
            }
            try {
                e.done().complete(inner.deliver(e.envelope(), MessageContent.ofBytes(e.message())));
            } catch (RuntimeException ex) {
                e.done().completeExceptionally(ex);
            }
        }
    }

    /** Op-entries waiting for an operation thread. */
    public int length() {
        return queue.size();
    }

    private static List<DeliveryOutcome> failAll(Envelope envelope, String reason) {
        return envelope.recipients().stream().<DeliveryOutcome>map(r -> new DeliveryOutcome.Failed(r.address(),
                DeliveryOutcome.Failure.TEMPORARY, reason)).toList();
    }

    /**
     * Stops the operation threads once they finish what they are doing (never interrupting a store write); entries
     * still queued fail temporarily.
     */
    @Override
    public void close() {
        closed = true;
        OpEntry e;
        while ((e = queue.poll()) != null) {
            e.done().complete(failAll(e.envelope(), "node stopping"));
        }
        operationThreads.forEach(t -> queue.add(STOP));
    }
}
