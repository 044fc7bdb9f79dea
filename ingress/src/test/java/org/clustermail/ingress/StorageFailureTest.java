package org.clustermail.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.store.MailboxOwner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When the store fails, the client gets 451 4.3.0 and nothing is left behind, not even the copies that worked. */
class StorageFailureTest {

    @TempDir
    Path dir;

    private static void send(TestServer server, String... rcpts) throws IOException {
        try (RawClient c = RawClient.connect(server.smtp.port())) {
            c.expect("220");
            c.command("EHLO me", "250");
            c.command("MAIL FROM:<a@b.example>", "250");
            for (String r : rcpts) {
                c.command("RCPT TO:<" + r + "@example.test>", "250");
            }
            c.command("DATA", "354");
            c.send("Subject: doomed\r\n\r\nx\r\n.\r\n");
            c.expect("451 4.3.0");
            c.command("QUIT", "221");
        }
    }

    @Test
    void oneRecipientsMailboxFailsSoTheOthersCopyIsRemovedAgain() throws IOException {
        try (TestServer server = new TestServer(dir)) {
            server.addUsers("good", "broken");
            UserLocation broken = server.directory.directory().locate(MailAddress.parse("broken@example.test"))
                    .orElseThrow();
            Path mailbox = dir.resolve("mail/node01").resolve(new MailboxOwner(broken.address().toString(),
                    broken.serial()).hashDirectory()).resolve(broken.address().toString());
            Files.createDirectories(mailbox.getParent());
            Files.writeString(mailbox, "a file where the mailbox directory should be");

            send(server, "good", "broken");
            assertThat(server.inbox("good")).isEmpty();
        }
    }

    @Test
    void storeDownMeansTemporaryFailure() throws IOException {
        try (TestServer server = new TestServer(dir)) {
            server.addUsers("solo");
            server.store.close();
            send(server, "solo");
        }
    }
}
