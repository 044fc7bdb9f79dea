package org.clustermail.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clustermail.cluster.channel.LmtpConnection;
import org.clustermail.cluster.channel.RecipientReply;
import org.clustermail.cluster.receive.PeerOnly;
import org.clustermail.cluster.transfer.IdentifiedContent;
import org.clustermail.directory.NodeId;
import org.clustermail.protocol.Connection;
import org.clustermail.store.MessageContent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transfer id makes every repeated hand-over harmless: lost replies, retries across restarts, strangers. */
class NoDuplicatesTest {

    @TempDir
    Path dir;

    @Test
    void aReplyLostAfterTheOwnerStoredIsSpooledAndTheRetryStoresNothingTwice() throws Exception {
        try (TestCluster c = new TestCluster(dir, 2)) {
            TestNode two = c.node(2);
            try (CuttingProxy proxy = new CuttingProxy(new InetSocketAddress("127.0.0.1", two.channelPort))) {
                c.node(1).reachPeerAt(NodeId.of(2), new InetSocketAddress("127.0.0.1", proxy.port()));
                c.start();
                String user = c.user(2, 1);
                await().atMost(Duration.ofSeconds(10)).until(() -> c.node(1).cluster.health().isUp(NodeId.of(2)));
                proxy.armOnce();

                String reply = SmtpSender.send(c.node(1).smtpPort, "s@sender.test", List.of(user),
                        SmtpSender.message("cut"));

                assertThat(reply).as("durable in the spool").startsWith("250");
                assertThat(proxy.cuts()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(15)).until(() -> c.node(1).cluster.spool().size() == 0);
                assertThat(two.inbox(user)).singleElement().asString().contains("cut");
                assertThat(c.node(1).inbox(user)).isEmpty();
            }
        }
    }

    @Test
    void theSameTransferSentAgainAfterTheOwnerRestartedIsAcknowledgedWithoutASecondCopy() throws Exception {
        try (TestCluster c = new TestCluster(dir, 2).start()) {
            String user = c.user(2, 1);
            IdentifiedContent content = IdentifiedContent.fresh(NodeId.of(1), MessageContent.ofBytes(
                    SmtpSender.message("again").getBytes(StandardCharsets.UTF_8)));
            InetSocketAddress channel = new InetSocketAddress("127.0.0.1", c.node(2).channelPort);

            assertThat(send(channel, user, content).reply().code()).isEqualTo(250);
            c.node(2).stop();
            c.node(2).start();
            RecipientReply again = send(channel, user, content);

            assertThat(again.reply().code()).isEqualTo(250);
            assertThat(c.node(2).inbox(user)).hasSize(1);
            assertThat(send(channel, user, content).reply().code()).isEqualTo(250);
            assertThat(c.node(2).inbox(user)).hasSize(1);
        }
    }

    @Test
    void theChannelRefusesRecipientsItNeitherOwnsNorHolds() throws Exception {
        try (TestCluster c = new TestCluster(dir, 3).start()) {
            String elsewhere = c.user(1, 3);
            IdentifiedContent content = IdentifiedContent.fresh(NodeId.of(1), MessageContent.ofBytes(
                    SmtpSender.message("wrong node").getBytes(StandardCharsets.UTF_8)));

            RecipientReply r = send(new InetSocketAddress("127.0.0.1", c.node(2).channelPort), elsewhere, content);

            assertThat(r.reply().code()).isEqualTo(451);
            assertThat(c.node(2).inbox(elsewhere)).isEmpty();
        }
    }

    @Test
    void strangersAreTurnedAwayBeforeTheGreeting() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Connection stranger = Connection.overStreams(new ByteArrayInputStream(new byte[0]), out,
                new InetSocketAddress("192.0.2.7", 40000));
        boolean[] served = new boolean[1];

        new PeerOnly(java.util.Set.of(java.net.InetAddress.getLoopbackAddress()), conn -> served[0] = true)
                .serve(stranger);

        assertThat(served[0]).isFalse();
        assertThat(out.toString(StandardCharsets.US_ASCII)).startsWith("554 5.7.1 192.0.2.7 is not a node");
    }

    private static RecipientReply send(InetSocketAddress channel, String user, MessageContent content)
            throws Exception {
        try (LmtpConnection c = LmtpConnection.open(channel, "test.node", Duration.ofSeconds(2),
                Duration.ofSeconds(10))) {
            return c.send("s@sender.test", List.of(user), content).get(0);
        }
    }
}
