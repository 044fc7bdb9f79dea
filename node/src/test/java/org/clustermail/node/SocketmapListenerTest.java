package org.clustermail.node;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import org.clustermail.directory.MailAddress;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.postfix.socketmap.Netstrings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node serves its recipient tables for a front MTA on loopback, from its own directory, unless turned off. */
class SocketmapListenerTest {

    @TempDir
    Path dir;

    @Test
    void aNodeAnswersMailboxLookupsForItsUsersOnLoopback() throws Exception {
        try (MailNode node = MailNode.start(ConfigLoader.parse("dataDir: " + dir.resolve("data") + "\n", "test"),
                true)) {
            node.directory().admin().addDomain("example.org");
            node.directory().admin().addUser(MailAddress.parse("alice@example.org"), "pw".toCharArray());
            node.directory().directory().refreshNow();
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", node.port("socketmap")), 2000);
                s.setSoTimeout(5000);
                s.getOutputStream().write(Netstrings.encode("mailbox alice@example.org"));
                s.getOutputStream().write(Netstrings.encode("mailbox eve@example.org"));
                String expected = new String(Netstrings.encode("OK node01"), US_ASCII)
                        + new String(Netstrings.encode("NOTFOUND "), US_ASCII);
                assertThat(new String(s.getInputStream().readNBytes(expected.length()), US_ASCII))
                        .isEqualTo(expected);
                assertThat(((InetSocketAddress) s.getRemoteSocketAddress()).getAddress().isLoopbackAddress())
                        .isTrue();
            }
        }
    }

    @Test
    void theTablesCanBeTurnedOff() {
        String yaml = "dataDir: " + dir.resolve("data") + "\nsocketmap: {enabled: false}\n";
        try (MailNode node = MailNode.start(ConfigLoader.parse(yaml, "test"), true)) {
            assertThatThrownBy(() -> node.port("socketmap")).hasMessageContaining("no listener socketmap");
        }
    }
}
