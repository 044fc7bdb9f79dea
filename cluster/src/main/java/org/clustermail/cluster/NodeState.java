package org.clustermail.cluster;

import java.time.Instant;
import org.clustermail.directory.NodeId;

/** What this node believes about another node, and since when. */
public record NodeState(NodeId node, boolean up, Instant since, String reason) {
}
