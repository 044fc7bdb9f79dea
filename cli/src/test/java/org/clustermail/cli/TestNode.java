package org.clustermail.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserState;
import org.clustermail.node.MailNode;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;

/** A real node on free loopback ports for command tests, with the domain {@value #DOMAIN} and users on demand. */
final class TestNode implements AutoCloseable {

    static final String DOMAIN = "example.org";

    final MailNode node;

    TestNode(Path dir) {
        node = MailNode.start(ConfigLoader.parse("dataDir: " + dir.resolve("node") + "\n"
                + "smtp: {hostname: node1.example.test}\n", "test"), true);
        node.directory().admin().addDomain(DOMAIN);
        node.directory().directory().refreshNow();
    }

    String addUser(String localPart) {
        String address = localPart + "@" + DOMAIN;
        node.directory().admin().addUser(MailAddress.parse(address), "pw".toCharArray());
        node.directory().directory().refreshNow();
        return address;
    }

    void disable(String address) {
        node.directory().admin().setState(MailAddress.parse(address), UserState.DISABLED);
        node.directory().directory().refreshNow();
    }

    String lmtp() {
        return "127.0.0.1:" + node.port("lmtp");
    }

    /** The messages in a user's INBOX as stored, oldest first. */
    List<String> inbox(String address) {
        UserLocation where = node.directory().directory().locate(MailAddress.parse(address)).orElseThrow();
        try (Mailbox mb = node.store().open(new MailboxOwner(address, where.serial()))) {
            List<String> out = new ArrayList<>();
            for (var m : mb.snapshot(Mailbox.INBOX).messages()) {
                try (InputStream in = mb.openMessage(Mailbox.INBOX, m.uid())) {
                    out.add(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        node.close();
    }
}
