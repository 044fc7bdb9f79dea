package org.clustermail.cluster.receive;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Set;
import org.clustermail.protocol.Connection;
import org.clustermail.protocol.ConnectionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits only the configured cluster nodes to the node-channel listener: the channel stores without the relay and
 * recipient rules of the public SMTP port, so anyone else is told {@code 554 5.7.1} and disconnected before a single
 * command is read. Thread-safe.
 */
public final class PeerOnly implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(PeerOnly.class);

    private final Set<InetAddress> peers;
    private final ConnectionHandler inner;

    /** @param peers the addresses of every cluster node (resolved once, at start) */
    public PeerOnly(Set<InetAddress> peers, ConnectionHandler inner) {
        this.peers = Set.copyOf(peers);
        this.inner = inner;
    }

    @Override
    public void serve(Connection connection) throws IOException {
        InetAddress from = connection.remoteAddress().getAddress();
        if (!peers.contains(from)) {
            log.warn("node channel: refused a connection from {}, which is not a cluster node", from);
            connection.output().line("554 5.7.1 " + from.getHostAddress() + " is not a node of this cluster");
            connection.output().flush();
            return;
        }
        inner.serve(connection);
    }

    @Override
    public void refuse(Connection connection) throws IOException {
        inner.refuse(connection);
    }
}
