package org.clustermail.cluster.transfer;

import java.io.IOException;
import java.io.InputStream;
import org.clustermail.directory.NodeId;
import org.clustermail.store.MessageContent;

/**
 * Message bytes that already start with their {@code X-Clustermail-Transfer} header, with the id at hand: what the
 * spool, the hand-back and a first hand-over pass around, so that every attempt for one copy uses the same id.
 *
 * @param id         the transfer id the header carries
 * @param withHeader the complete bytes, header first
 */
public record IdentifiedContent(TransferId id, MessageContent withHeader) implements MessageContent {

    /** Gives {@code raw} a new id (made by {@code origin}) and its header. */
    public static IdentifiedContent fresh(NodeId origin, MessageContent raw) {
        TransferId id = TransferId.next(origin);
        return new IdentifiedContent(id, TransferHeader.prepend(id, raw));
    }

    /** {@code content} as it is if it carries an id already, else with a new one. */
    public static IdentifiedContent of(NodeId origin, MessageContent content) {
        return content instanceof IdentifiedContent i ? i : fresh(origin, content);
    }

    @Override
    public long size() {
        return withHeader.size();
    }

    @Override
    public InputStream openStream() throws IOException {
        return withHeader.openStream();
    }
}
