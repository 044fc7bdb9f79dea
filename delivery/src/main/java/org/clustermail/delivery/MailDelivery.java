package org.clustermail.delivery;

import java.util.List;
import org.clustermail.store.MessageContent;

/**
 * The stage between ingress (SMTP, LMTP) and the mailboxes: the paper's interface module, here as a library call.
 *
 * <p>Call order per message: {@link #check} once per RCPT (the location query), then {@link #deliver} once, after
 * the whole message has been received, with the recipients that were accepted. Implementations are shared by all
 * sessions and thread-safe; {@code deliver} blocks its caller (a virtual thread) until every outcome is final.
 */
public interface MailDelivery {

    /**
     * Decides whether mail for {@code forwardPath} (as the client wrote it, without brackets) is accepted. Never
     * throws: a directory failure is {@link RecipientCheck.Unavailable}.
     */
    RecipientCheck check(String forwardPath);

    /**
     * Delivers one message to the envelope's recipients and returns one outcome per envelope recipient, in the same
     * order. A {@link DeliveryOutcome.Delivered} outcome means that copy is durable (fsync'd) where its owner reads
     * it. {@code content} must stay readable until this returns. Never throws for a delivery failure; those are
     * {@link DeliveryOutcome.Failed} outcomes.
     */
    List<DeliveryOutcome> deliver(Envelope envelope, MessageContent content);
}
