package org.clustermail.ingress;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.delivery.DeliveryOutcome;
import org.clustermail.delivery.Envelope;
import org.clustermail.delivery.Recipient;
import org.clustermail.ingress.SessionState.Chunking;
import org.clustermail.ingress.SessionState.Transaction;
import org.clustermail.protocol.ProtocolInput;
import org.clustermail.store.MessageContent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiving a message (DATA, BDAT) and handing it to delivery, then the reply: for SMTP one reply, 250 only when
 * every recipient's copy is durable; for LMTP one reply per accepted recipient (RFC 2033 4.2).
 *
 * <p>Every DATA or BDAT transfer runs under the data timeout; a client that stops sending, or disconnects, leaves
 * nothing behind (the spool is closed, delivery never called). Stateless; handlers for {@link SmtpVerbs}.
 */
final class Reception {

    private static final Logger log = LoggerFactory.getLogger(Reception.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final String ID_PREFIX = Long.toString(System.currentTimeMillis(), 36);

    private Reception() {
    }

    static void data(SmtpSession s, SmtpCommand.Data command) throws IOException {
        Transaction t = (Transaction) s.state();
        if (t.recipients().isEmpty()) {
            s.error(SmtpReply.of(554, "5.5.1", "No valid recipients"));
            return;
        }
        s.reply(354, "", "End data with <CR><LF>.<CR><LF>");
        IngressSettings settings = s.settings();
        ProtocolInput in = s.connection().input();
        try (MessageSpool spool = new MessageSpool(settings.memoryThreshold(), settings.spoolDirectory())) {
            in.setDeadline(settings.dataTimeout());
            DataReader.Result result;
            try {
                result = DataReader.read(in, spool, settings.maxMessageSize(), settings.maxDataLine());
            } finally {
                in.clearDeadline();
            }
            s.setState(t.greeted());
            if (result != DataReader.Result.COMPLETE) {
                refuseMessage(s, t, result.reply(settings.maxMessageSize(), settings.maxDataLine()));
                return;
            }
            deliver(s, t, spool);
        }
    }

    static void bdat(SmtpSession s, SmtpCommand.Bdat command) throws IOException {
        Chunking chunking = switch (s.state()) {
            case Chunking c -> c;
            case Transaction t -> new Chunking(t, new MessageSpool(s.settings().memoryThreshold(),
                    s.settings().spoolDirectory()));
            default -> throw new IllegalStateException("BDAT in " + s.state());
        };
        s.setState(chunking);
        Transaction t = chunking.transaction();
        long max = s.settings().maxMessageSize();
        boolean tooBig = chunking.spool().size() + command.size() > max;
        readChunk(s, command.size(), tooBig ? OutputStream.nullOutputStream() : chunking.spool());
        if (tooBig) {
            s.discardTransaction();
            refuseMessage(s, t, SmtpReply.of(552, "5.3.4", "Message size exceeds fixed maximum of " + max
                    + " octets"));
            return;
        }
        if (!command.last()) {
            s.reply(250, "2.0.0", command.size() + " octets received");
            return;
        }
        if (t.recipients().isEmpty()) {
            s.discardTransaction();
            s.error(SmtpReply.of(554, "5.5.1", "No valid recipients"));
            return;
        }
        try (MessageSpool spool = chunking.spool()) {
            s.setState(t.greeted());
            deliver(s, t, spool);
        }
    }

    /** Reads and drops a refused BDAT chunk, so its octets are not taken for commands. */
    static void skipChunk(SmtpSession s, SmtpCommand.Bdat command) throws IOException {
        readChunk(s, command.size(), OutputStream.nullOutputStream());
    }

    private static void readChunk(SmtpSession s, long size, OutputStream sink) throws IOException {
        ProtocolInput in = s.connection().input();
        in.setDeadline(s.settings().dataTimeout());
        try {
            in.readExact(size, sink);
        } finally {
            in.clearDeadline();
        }
    }

    private static void deliver(SmtpSession s, Transaction t, MessageSpool spool) throws IOException {
        String id = ID_PREFIX + "." + Long.toString(SEQUENCE.incrementAndGet(), 36);
        Instant now = Instant.now();
        Duration receiving = Duration.ofNanos(System.nanoTime() - t.startNanos());
        List<Recipient> recipients = t.recipients();
        var c = s.connection();
        String protocol = TraceHeaders.protocol(s.dialect().lmtp(), t.greeted().extended(),
                t.parameters().smtpUtf8(), c.secure(), t.greeted().user().isPresent());
        byte[] received = TraceHeaders.received(t.greeted().clientName(),
                c.remoteAddress().getAddress().getHostAddress(), s.settings().hostname(), protocol, id,
                c.tlsSession(), recipients.size() == 1
                        ? Optional.of(recipients.get(0).address().toString()) : Optional.empty(),
                now.atZone(ZoneOffset.UTC));
        MessageContent content = spool.content(received);
        List<DeliveryOutcome> outcomes = s.delivery().deliver(
                new Envelope(id, t.sender(), recipients, now, receiving), content);
        if (s.dialect().lmtp()) {
            for (DeliveryOutcome o : outcomes) {
                s.write(lmtpReply(o, id));
            }
        } else {
            s.write(smtpReply(outcomes, id));
        }
    }

    private static void refuseMessage(SmtpSession s, Transaction t, SmtpReply reply) throws IOException {
        s.error(reply);
        int more = s.dialect().lmtp() ? t.recipients().size() - 1 : 0;
        for (int i = 0; i < more; i++) {
            s.write(reply); // LMTP: the same verdict once per recipient, counted as one error
        }
    }

    /** SMTP has one reply for all recipients: 250 only if every copy is durable. */
    static SmtpReply smtpReply(List<DeliveryOutcome> outcomes, String id) {
        long failed = outcomes.stream().filter(o -> o instanceof DeliveryOutcome.Failed).count();
        if (failed == 0) {
            return SmtpReply.of(250, "2.0.0", "Ok: stored as " + id);
        }
        boolean allPermanent = outcomes.stream().allMatch(o -> o instanceof DeliveryOutcome.Failed f
                && f.failure() == DeliveryOutcome.Failure.PERMANENT);
        if (failed < outcomes.size()) {
            // Only possible when recipients went to different targets (the cluster): the stored copies stay.
            log.warn("message {}: {} of {} copies failed; answering 451, the client's retry may duplicate the rest",
                    id, failed, outcomes.size());
        }
        return allPermanent
                ? SmtpReply.of(554, "5.0.0", "Message not stored: " + firstReason(outcomes))
                : SmtpReply.of(451, "4.3.0", "Message not stored (" + firstReason(outcomes) + "), try again later");
    }

    static SmtpReply lmtpReply(DeliveryOutcome outcome, String id) {
        String who = "<" + outcome.recipient() + "> ";
        return switch (outcome) {
            case DeliveryOutcome.Delivered d -> SmtpReply.of(250, "2.0.0", who + "Ok: stored as " + id);
            case DeliveryOutcome.Failed f when f.failure() == DeliveryOutcome.Failure.PERMANENT ->
                    SmtpReply.of(550, "5.0.0", who + "Not stored: " + SmtpReply.sanitize(f.reason()));
            case DeliveryOutcome.Failed f ->
                    SmtpReply.of(451, "4.3.0", who + "Not stored (" + SmtpReply.sanitize(f.reason()) + "), try again");
        };
    }

    private static String firstReason(List<DeliveryOutcome> outcomes) {
        return outcomes.stream().filter(o -> o instanceof DeliveryOutcome.Failed)
                .map(o -> SmtpReply.sanitize(((DeliveryOutcome.Failed) o).reason())).findFirst().orElse("");
    }
}
