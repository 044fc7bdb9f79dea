package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.MailboxStress;
import org.clustermail.retrieval.TestServers;
import org.clustermail.store.Mailbox;
import org.junit.jupiter.api.Test;

/** {@link MailboxStress} on one node: four sessions on the same mailbox at once, zero inconsistencies. */
class ConcurrentMailboxStressTest {

    @Test
    void sessionsAgreeWithTheServerAndEachOther() throws Exception {
        try (TestServers node = new TestServers()) {
            for (int i = 0; i < 20; i++) {
                node.deliver("fred", TestServers.message("seed " + i, 200));
            }
            List<ImapTestClient> clients = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                ImapTestClient c = new ImapTestClient(node.imapPort());
                assertThat(c.status("LOGIN fred@example.test secret")).startsWith("OK");
                clients.add(c);
            }
            MailboxStress.run(clients, 150, () -> {
                try (Mailbox mailbox = node.open("fred")) {
                    return mailbox.snapshot("INBOX").messages();
                }
            });
        }
    }
}
