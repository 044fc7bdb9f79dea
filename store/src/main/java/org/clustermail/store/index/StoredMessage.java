package org.clustermail.store.index;

import java.time.Instant;
import org.clustermail.store.Flags;
import org.clustermail.store.MessageRef;
import org.clustermail.store.MessageSummary;

/**
 * What the index knows of one message in one folder. Immutable: a flag change replaces the instance.
 *
 * @param location format-specific: the byte offset of the message in an mbox file; 0 for Maildir
 */
public record StoredMessage(long uid, long size, Instant internalDate, Flags flags, long modseq, long location,
                            Envelope envelope) {

    public StoredMessage withFlags(Flags newFlags, long newModseq) {
        return new StoredMessage(uid, size, internalDate, newFlags, newModseq, location, envelope);
    }

    public StoredMessage withLocation(long newLocation) {
        return new StoredMessage(uid, size, internalDate, flags, modseq, newLocation, envelope);
    }

    public MessageRef ref() {
        return new MessageRef(uid, flags, modseq, size, internalDate);
    }

    public MessageSummary summary(String folder) {
        Envelope e = envelope;
        return new MessageSummary(uid, folder, internalDate, size, flags, modseq, e.from(), e.to(), e.cc(),
                e.subject(), e.date(), e.messageId(), e.inReplyTo(), e.references(), e.hasAttachments(), e.preview());
    }
}
