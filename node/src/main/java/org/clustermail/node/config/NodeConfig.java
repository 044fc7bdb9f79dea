package org.clustermail.node.config;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.NodeId;

/**
 * The whole configuration of one node, bound from YAML by {@link ConfigLoader} (or {@link #defaults()} when there is
 * no file). Immutable and validated on construction: absent sections take defaults, bad values throw
 * {@link IllegalArgumentException} with a one-line reason. The defaults describe a one-node cluster on 127.0.0.1 with
 * its data (and the embedded H2 directory database) under {@code ./data}.
 *
 * <p>To add a section (e.g. a protocol's settings), add a record component here with a default in the compact
 * constructor; YAML keys are the component names.
 *
 * @param node      this node's number (must be one of {@code cluster})
 * @param dataDir   where this node keeps its data (mailboxes, spool, embedded database)
 * @param cluster   all nodes of the cluster, this one included
 * @param directory the user directory's settings; {@code jdbcUrl} defaults to an H2 file under {@code dataDir}
 * @param smtp      names and limits of the SMTP, submission, SMTPS and LMTP listeners
 * @param tls       the node's certificate; absent: self-signed, made at first start
 * @param retrieval limits and the plain-text login policy of the POP3 and IMAP listeners
 * @param delivery  how messages reach the owner node: version 2 (default) or version 1
 * @param channel   node channels, failure detection, spool and hand-back
 * @param socketmap the recipient tables a front MTA (Postfix) asks at RCPT time; on, on loopback, by default
 */
public record NodeConfig(Integer node, Path dataDir, List<ClusterNode> cluster, DirectoryConfig directory,
                         SmtpConfig smtp, TlsConfig tls, RetrievalSettings retrieval, DeliveryConfig delivery,
                         ChannelConfig channel, SocketmapConfig socketmap) {

    public static final Path DEFAULT_DATA_DIR = Path.of("data");

    public NodeConfig {
        node = node == null ? 1 : node;
        dataDir = dataDir == null ? DEFAULT_DATA_DIR : dataDir;
        cluster = cluster == null || cluster.isEmpty() ? List.of(ClusterNode.local(node)) : List.copyOf(cluster);
        directory = directory == null ? new DirectoryConfig(null, null, null, null, null, null, null, null) : directory;
        if (directory.jdbcUrl() == null) {
            directory = directory.withJdbcUrl(DirectoryConfig.embeddedH2Url(dataDir));
        }
        smtp = smtp == null ? SmtpConfig.defaults() : smtp;
        tls = tls == null ? TlsConfig.selfSigned() : tls;
        retrieval = retrieval == null ? RetrievalSettings.defaults() : retrieval;
        delivery = delivery == null ? DeliveryConfig.defaults() : delivery;
        channel = channel == null ? ChannelConfig.defaults() : channel;
        socketmap = socketmap == null ? SocketmapConfig.defaults() : socketmap;
        validateCluster(node, cluster);
    }

    /** The configuration used when no file is given. */
    public static NodeConfig defaults() {
        return new NodeConfig(null, null, null, null, null, null, null, null, null, null);
    }

    public NodeId nodeId() {
        return NodeId.of(node);
    }

    /** This node's entry in {@link #cluster()}. */
    public ClusterNode self() {
        return cluster.stream().filter(n -> n.id() == node).findFirst().orElseThrow();
    }

    /** The ids of all cluster nodes, in configuration order (where users' primary and secondary nodes are drawn). */
    public List<NodeId> clusterNodeIds() {
        return cluster.stream().map(ClusterNode::nodeId).toList();
    }

    private static void validateCluster(int node, List<ClusterNode> cluster) {
        Set<Integer> ids = new HashSet<>();
        for (ClusterNode n : cluster) {
            if (!ids.add(n.id())) {
                throw new IllegalArgumentException("cluster lists node " + n.id() + " twice");
            }
        }
        if (!ids.contains(node)) {
            throw new IllegalArgumentException("node " + node + " is not in the cluster list " + ids);
        }
    }
}
