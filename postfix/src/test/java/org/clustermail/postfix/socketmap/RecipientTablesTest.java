package org.clustermail.postfix.socketmap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.clustermail.directory.UserLocation;
import org.clustermail.postfix.TestDirectory;
import org.clustermail.postfix.socketmap.SocketmapReply.Found;
import org.clustermail.postfix.socketmap.SocketmapReply.NotFound;
import org.clustermail.postfix.socketmap.SocketmapReply.PermFail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three maps answered from a real directory (SQL on H2, in-memory cache). */
class RecipientTablesTest {

    @TempDir
    Path dir;
    TestDirectory directory;
    RecipientTables tables;
    UserLocation alice;

    @BeforeEach
    void setUp() {
        directory = new TestDirectory(dir);
        alice = directory.addUser("alice");
        directory.addUser("bob");
        directory.disable("bob");
        tables = new RecipientTables(directory.service.directory());
    }

    @AfterEach
    void tearDown() {
        directory.close();
    }

    private SocketmapReply ask(String map, String key) {
        return tables.lookup(new SocketmapRequest(map, key));
    }

    @Test
    void domainMapKnowsOurDomainsInAnyCase() {
        assertThat(ask("domain", "example.org")).isEqualTo(new Found("example.org"));
        assertThat(ask("domain", "EXAMPLE.Org")).isEqualTo(new Found("example.org"));
        assertThat(ask("domain", "elsewhere.test")).isEqualTo(new NotFound());
        assertThat(ask("domain", "not a domain")).isEqualTo(new NotFound());
    }

    @Test
    void mailboxMapFindsOnlyActiveUsersAndNamesTheirOwner() {
        assertThat(ask("mailbox", "alice@example.org")).isEqualTo(new Found(alice.primary().directoryName()));
        assertThat(ask("mailbox", "Alice@EXAMPLE.org")).isEqualTo(new Found(alice.primary().directoryName()));
        assertThat(ask("mailbox", "bob@example.org")).as("disabled").isEqualTo(new NotFound());
        assertThat(ask("mailbox", "nobody@example.org")).isEqualTo(new NotFound());
        assertThat(ask("mailbox", "@example.org")).as("no catch-all").isEqualTo(new NotFound());
        assertThat(ask("mailbox", "../etc@example.org")).isEqualTo(new NotFound());
        assertThat(ask("mailbox", "alice@elsewhere.test")).isEqualTo(new NotFound());
    }

    @Test
    void accessMapRejectsDisabledUsersWithTheirOwnCodeAndHasNoOpinionOnOthers() {
        assertThat(ask("recipient-access", "bob@example.org")).isEqualTo(new Found("550 5.2.1 Mailbox disabled"));
        assertThat(ask("recipient-access", "alice@example.org")).isEqualTo(new NotFound());
        assertThat(ask("recipient-access", "nobody@example.org")).isEqualTo(new NotFound());
        assertThat(ask("recipient-access", "example.org")).isEqualTo(new NotFound());
    }

    @Test
    void unknownMapIsAPermanentError() {
        assertThat(ask("aliases", "alice@example.org")).isInstanceOfSatisfying(PermFail.class,
                p -> assertThat(p.text()).isEqualTo("PERM no map named aliases; maps: [domain, mailbox, recipient-access]"));
    }

    @Test
    void changesReachTheMapsWithTheCache() {
        assertThat(ask("mailbox", "carol@example.org")).isEqualTo(new NotFound());
        UserLocation carol = directory.addUser("carol");
        assertThat(ask("mailbox", "carol@example.org")).isEqualTo(new Found(carol.primary().directoryName()));
        directory.disable("carol");
        assertThat(ask("mailbox", "carol@example.org")).isEqualTo(new NotFound());
    }
}
