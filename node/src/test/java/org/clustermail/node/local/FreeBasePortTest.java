package org.clustermail.node.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.clustermail.protocol.FreePorts;
import org.junit.jupiter.api.Test;

/** Local clusters take their ports outside the kernel's ephemeral range, where client connections take theirs. */
class FreeBasePortTest {

    @Test
    void aSearchStartingInsideTheEphemeralRangeLandsAboveIt() {
        int[] ephemeral = FreePorts.ephemeralRange();
        int span = NodePlan.PORTS_PER_NODE * 2;

        int base = LocalCluster.freeBasePort(ephemeral[0] - span / 2, 2);

        assertThat(base).as("range %d-%d", ephemeral[0], ephemeral[1]).isGreaterThan(ephemeral[1]);
        assertThat(LocalCluster.portsFree(base, 2)).isTrue();
    }

    @Test
    void aTakenPortMovesTheRangeUp() throws Exception {
        int from = LocalCluster.freeBasePort(15000, 1);
        try (ServerSocket taken = new ServerSocket(from + 1, 1, InetAddress.getByName(NodePlan.HOST))) {
            int base = LocalCluster.freeBasePort(from, 1);
            assertThat(base).isGreaterThanOrEqualTo(from + NodePlan.PORTS_PER_NODE);
            assertThat(base + NodePlan.PORTS_PER_NODE).isLessThanOrEqualTo(FreePorts.ephemeralRange()[0]);
        }
    }
}
