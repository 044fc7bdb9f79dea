package org.clustermail.retrieval.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.clustermail.retrieval.ImapTestClient;
import org.clustermail.retrieval.TestServers;
import org.clustermail.store.Flags;
import org.clustermail.store.MessageRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * \Recent as RFC 3501 (section 2.3.2) has it: a new message is recent in the first session told of it and in no
 * later read-write session; a read-only session sees it recent without taking it; APPEND and COPY make recent
 * messages too; mail from before the node started is not recent.
 */
class RecentFlagTest {

    private static TestServers node;

    @BeforeAll
    static void start() {
        node = new TestServers();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static ImapTestClient login(String user) {
        ImapTestClient c = new ImapTestClient(node.imapPort());
        assertThat(c.status("LOGIN " + TestServers.address(user) + " " + TestServers.PASSWORD)).startsWith("OK");
        return c;
    }

    @Test
    void aNewMessageIsRecentInExactlyOneReadWriteSession() {
        node.addUser("recent");
        node.deliver("recent", TestServers.message("one", 200));
        node.deliver("recent", TestServers.message("two", 200));
        try (ImapTestClient a = login("recent"); ImapTestClient b = login("recent");
             ImapTestClient reader = login("recent")) {
            assertThat(reader.command("EXAMINE INBOX")).contains("* 2 RECENT");
            assertThat(a.command("SELECT INBOX")).contains("* 2 RECENT");
            assertThat(b.command("SELECT INBOX")).contains("* 0 RECENT");
            assertThat(a.command("FETCH 1 FLAGS")).contains("* 1 FETCH (FLAGS (\\Recent))");
            assertThat(b.command("FETCH 1 FLAGS")).contains("* 1 FETCH (FLAGS ())");
            assertThat(reader.command("FETCH 2 FLAGS")).as("still recent for the read-only session")
                    .contains("* 2 FETCH (FLAGS (\\Recent))");

            node.deliver("recent", TestServers.message("three", 200));
            // STATUS counts it before B is told of it; then, as after any command, B is told and takes it.
            assertThat(b.command("STATUS INBOX (RECENT)"))
                    .containsSubsequence("* STATUS \"INBOX\" (RECENT 1)", "* 3 EXISTS", "* 1 RECENT");
            assertThat(a.command("NOOP")).containsSubsequence("* 3 EXISTS", "* 2 RECENT");
            assertThat(b.command("UID SEARCH RECENT")).contains("* SEARCH 3");
            assertThat(a.command("SEARCH NEW")).contains("* SEARCH 1 2");
            assertThat(a.command("SEARCH OLD")).contains("* SEARCH 3");
            assertThat(reader.command("NOOP")).containsSubsequence("* 3 EXISTS", "* 2 RECENT");

            assertThat(b.command("APPEND INBOX {21+}\r\nSubject: appended\r\n\r\n"))
                    .containsSubsequence("* 4 EXISTS", "* 2 RECENT").last().asString().contains("OK [APPENDUID");
            assertThat(a.command("NOOP")).containsSubsequence("* 4 EXISTS", "* 2 RECENT");
            assertThat(a.status("CREATE Kept")).startsWith("OK");
            assertThat(a.status("COPY 1 Kept")).startsWith("OK [COPYUID");
            assertThat(b.command("STATUS Kept (MESSAGES RECENT)")).contains("* STATUS \"Kept\" (MESSAGES 1 RECENT 1)");
        }
        try (ImapTestClient later = login("recent")) {
            assertThat(later.command("SELECT INBOX")).contains("* 0 RECENT");
            assertThat(later.command("SELECT Kept")).contains("* 1 RECENT");
        }
    }

    @Test
    void mailFromBeforeTheNodeStartedIsNotRecentAndMailSinceIs() {
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        RecentMessages marks = new RecentMessages(start.plusMillis(700));
        List<MessageRef> folder = List.of(ref(1, start.minusSeconds(60)), ref(2, start.minusSeconds(1)),
                ref(3, start.plusSeconds(1)), ref(4, start.plusSeconds(2)));
        assertThat(marks.peek("u@example.test", "INBOX", 7, folder)).isEqualTo(2);
        assertThat(marks.claim("u@example.test", "inbox", 7, folder, 4)).as("INBOX in any case").isEqualTo(2);
        assertThat(marks.claim("u@example.test", "INBOX", 7, folder, 4)).isEqualTo(4);
        assertThat(marks.peek("u@example.test", "INBOX", 8, folder)).as("a new folder of the same name").isEqualTo(2);
        assertThat(marks.peek("u@example.test", "Other", 7, List.of(ref(1, start.minusSeconds(5)))))
                .as("nothing since the start").isEqualTo(1);
    }

    private static MessageRef ref(long uid, Instant internalDate) {
        return new MessageRef(uid, Flags.of(), uid, 100, internalDate);
    }
}
