package org.clustermail.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clustermail.directory.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Version 2 delivery between real nodes (SMTP in, node channels over loopback LMTP, real stores): straight to the
 * owner, one transfer per owner node, failover to the secondary, hand-back, the spool when both are down.
 */
class ClusterDeliveryTest {

    @TempDir
    Path dir;

    @Test
    void aRemoteOwnerGetsTheMessageOverItsChannelOncePerNode() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            String local = c.user(1, 2);
            String remoteA = c.user(2, 3);
            String remoteB = c.user(2, 1);
            String third = c.user(3, 1);

            String reply = SmtpSender.send(c.node(1).smtpPort, "s@sender.test",
                    List.of(local, remoteA, remoteB, third), SmtpSender.message("hello"));

            assertThat(reply).startsWith("250");
            assertThat(c.node(1).inbox(local)).hasSize(1);
            assertThat(c.node(2).inbox(remoteA)).singleElement().asString()
                    .contains("X-Clustermail-Transfer: node01.").contains("Delivered-To: " + remoteA)
                    .contains("Subject: hello");
            assertThat(c.node(2).inbox(remoteB)).hasSize(1);
            assertThat(c.node(3).inbox(third)).hasSize(1);
            assertThat(c.node(1).inbox(remoteA)).isEmpty();
            assertThat(c.node(2).cluster.channelReceived()).as("one transfer to node 2 for its two users")
                    .isEqualTo(1);
            assertThat(c.node(3).cluster.channelReceived()).isEqualTo(1);
        }
    }

    @Test
    void whenTheOwnerIsDownTheSecondaryHoldsTheMailAndHandsItBack() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            String user = c.user(2, 3);
            c.node(2).stop();

            assertThat(SmtpSender.send(c.node(1).smtpPort, "s@sender.test", List.of(user),
                    SmtpSender.message("while down"))).startsWith("250");

            assertThat(c.node(1).cluster.health().isUp(NodeId.of(2))).as("detected at connect").isFalse();
            assertThat(c.node(3).inbox(user)).as("readable on the secondary").singleElement().asString()
                    .contains("while down");
            assertThat(c.node(3).cluster.held().users()).hasSize(1);

            c.node(2).start();
            await().atMost(Duration.ofSeconds(15)).until(() -> c.node(2).inbox(user).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node(3).cluster.held().users().isEmpty());
            assertThat(c.node(3).inbox(user)).isEmpty();
            String back = c.node(2).inbox(user).get(0);
            assertThat(back).contains("while down").startsWith("Return-Path: <s@sender.test>\r\nDelivered-To: " + user);
            assertThat(back.split("Return-Path:", -1)).as("one Return-Path only").hasSize(2);
        }
    }

    @Test
    void whenOwnerAndSecondaryAreDownTheSpoolKeepsItUntilOneReturns() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            String user = c.user(2, 3);
            c.node(2).stop();
            c.node(3).stop();

            assertThat(SmtpSender.send(c.node(1).smtpPort, "s@sender.test", List.of(user),
                    SmtpSender.message("both down"))).startsWith("250");
            assertThat(c.node(1).cluster.spool().size()).isEqualTo(1);

            c.node(1).stop(); // the spool survives a restart of the node that holds it
            c.node(1).start();
            assertThat(c.node(1).cluster.spool().size()).isEqualTo(1);

            c.node(3).start();
            await().atMost(Duration.ofSeconds(15)).until(() -> c.node(3).inbox(user).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node(1).cluster.spool().size() == 0);
            c.node(2).start();
            await().atMost(Duration.ofSeconds(15)).until(() -> c.node(2).inbox(user).size() == 1);
            await().atMost(Duration.ofSeconds(5)).until(() -> c.node(3).inbox(user).isEmpty());
            assertThat(c.node(2).inbox(user)).singleElement().asString().contains("both down");
        }
    }

    @Test
    void mailForLiveNodesFlowsWhileANodeIsDown() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            String onTwo = c.user(2, 1);
            String onThree = c.user(3, 1);
            c.node(2).stop();
            for (int i = 0; i < 5; i++) {
                assertThat(SmtpSender.send(c.node(1).smtpPort, "s@sender.test", List.of(onTwo, onThree),
                        SmtpSender.message("m" + i))).startsWith("250");
            }
            assertThat(c.node(3).inbox(onThree)).hasSize(5);
            assertThat(c.node(1).inbox(onTwo)).as("held by the secondary").hasSize(5);
        }
    }
}
