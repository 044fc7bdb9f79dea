package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a session is told about changes others make: EXISTS for a delivery (at once under IDLE), EXPUNGE from another
 * session only when sequence numbers may change, FETCH FLAGS for flags set elsewhere.
 */
class UntaggedUpdatesTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static ImapTestClient login(String user) {
        ImapTestClient c = new ImapTestClient(node.imapPort());
        assertThat(c.status("LOGIN " + TestServers.address(user) + " " + TestServers.PASSWORD)).startsWith("OK");
        return c;
    }

    @Test
    void deliveryShowsUpAtOnceUnderIdle() {
        node.addUser("idler");
        node.deliver("idler", TestServers.message("before", 200));
        try (ImapTestClient c = login("idler")) {
            assertThat(c.command("SELECT INBOX")).contains("* 1 EXISTS");
            c.send("i1 IDLE");
            assertThat(c.readLine()).isEqualTo("+ idling");
            c.setTimeout(3000); // no NOOP, no polling: the server must push it
            node.deliver("idler", TestServers.message("during idle", 200));
            assertThat(c.readLine()).isEqualTo("* 2 EXISTS");
            assertThat(c.readLine()).isEqualTo("* 2 RECENT");
            c.send("DONE");
            assertThat(c.readLine()).isEqualTo("i1 OK IDLE terminated");
        }
    }

    @Test
    void expungeFromAnotherSessionKeepsSequenceNumbersUntilAllowed() {
        node.addUser("twosessions");
        for (int i = 1; i <= 4; i++) {
            node.deliver("twosessions", TestServers.message("m" + i, 200));
        }
        try (ImapTestClient a = login("twosessions"); ImapTestClient b = login("twosessions")) {
            a.command("SELECT INBOX");
            b.command("SELECT INBOX");
            assertThat(b.status("STORE 2 +FLAGS.SILENT (\\Deleted)")).startsWith("OK");
            List<String> expunged = b.command("EXPUNGE");
            assertThat(expunged).contains("* 2 EXPUNGE");

            // A's FETCH by sequence number must not see an EXPUNGE, and message 3 is still the one A knows as 3.
            List<String> fetch = a.command("FETCH 3 (UID)");
            assertThat(fetch).noneMatch(l -> l.contains("EXPUNGE"));
            assertThat(fetch).contains("* 3 FETCH (UID 3)");
            List<String> search = a.command("SEARCH ALL");
            assertThat(search).contains("* SEARCH 1 2 3 4").noneMatch(l -> l.contains("EXPUNGE"));
            // The flag change that preceded the expunge is not reported for a message that is gone.
            List<String> noop = a.command("NOOP");
            assertThat(noop).containsExactly("* 2 EXPUNGE", noop.get(noop.size() - 1));
            assertThat(a.command("FETCH 2:* (UID)")).contains("* 2 FETCH (UID 3)", "* 3 FETCH (UID 4)");

            b.command("STORE 1 +FLAGS (\\Flagged)");
            // A selected first, so the four messages are \\Recent in A's session (and in no other).
            assertThat(a.command("NOOP")).contains("* 1 FETCH (FLAGS (\\Flagged \\Recent) UID 1)");
            node.deliver("twosessions", TestServers.message("m5", 200));
            assertThat(a.command("NOOP")).contains("* 4 EXISTS");
            assertThat(a.command("UID FETCH 5 (FLAGS)")).contains("* 4 FETCH (UID 5 FLAGS (\\Recent))");
        }
    }

    @Test
    void appendThenExpungeBeforeAnnouncedIsNeverShown() {
        node.addUser("ghost");
        node.deliver("ghost", TestServers.message("stays", 200));
        try (ImapTestClient a = login("ghost"); ImapTestClient b = login("ghost")) {
            a.command("SELECT INBOX");
            b.command("SELECT INBOX");
            b.command("APPEND INBOX (\\Deleted) {13+}\r\nSubject: x\r\n\r\n");
            b.command("EXPUNGE");
            List<String> noop = a.command("NOOP");
            assertThat(noop).hasSize(1).allMatch(l -> l.contains("OK NOOP"));
        }
    }
}
