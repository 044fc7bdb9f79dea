package org.clustermail.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for local servers come from outside the ephemeral range, free, and never twice. */
class FreePortsTest {

    @Test
    void picksAreBindableOutsideTheEphemeralRangeAndNeverRepeat() throws Exception {
        int[] ephemeral = FreePorts.ephemeralRange();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = FreePorts.pick();
            assertThat(port).as("ephemeral %d-%d", ephemeral[0], ephemeral[1])
                    .satisfiesAnyOf(p -> assertThat(p).isLessThan(ephemeral[0]),
                            p -> assertThat(p).isGreaterThan(ephemeral[1]));
            assertThat(seen.add(port)).as("port %d handed out twice", port).isTrue();
        }
        int port = FreePorts.pick();
        try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(bound.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aListeningPortIsNotFree() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(FreePorts.free("127.0.0.1", taken.getLocalPort())).isFalse();
        }
    }
}
