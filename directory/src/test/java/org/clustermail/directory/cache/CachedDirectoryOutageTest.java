package org.clustermail.directory.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.TestDatabase;
import org.clustermail.directory.UserState;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQL server goes away under a running node and comes back: a dedicated H2 server in TCP mode, reached by the
 * node through a proxy the test cuts, and by the administrator directly (so changes can be made during the outage).
 */
class CachedDirectoryOutageTest {

    private static final char[] PW = "s3cret".toCharArray();
    private static final LogonContext CTX = new LogonContext("imap", "198.51.100.1");

    @TempDir
    Path dir;
    private Server h2;
    private TcpProxy proxy;
    private DirectoryService admin;
    private DirectoryService node;

    @BeforeEach
    void up() throws Exception {
        h2 = Server.createTcpServer("-tcpPort", "0", "-baseDir", dir.toString(), "-ifNotExists").start();
        proxy = new TcpProxy(h2.getPort());
        admin = DirectoryService.open(config(h2.getPort()), TestDatabase.CLUSTER);
        node = DirectoryService.open(config(proxy.port()), TestDatabase.CLUSTER);
        admin.admin().addDomain("example.org");
        admin.admin().addUser(MailAddress.parse("ann@example.org"), PW.clone());
        admin.admin().addUser(MailAddress.parse("bob@example.org"), PW.clone());
        node.start();
    }

    @AfterEach
    void down() throws Exception {
        node.close();
        admin.close();
        proxy.close();
        h2.stop();
    }

    private static DirectoryConfig config(int port) {
        return DirectoryConfig.of("jdbc:h2:tcp://127.0.0.1:" + port + "/directory").withRefreshInterval(Duration.ofMillis(200));
    }

    @Test
    void withoutSqlTheNodeGoesOnServingAndCatchesUpWhenSqlReturns() throws Exception {
        CachedDirectory cache = node.directory();
        MailAddress ann = MailAddress.parse("ann@example.org");
        MailAddress bob = MailAddress.parse("bob@example.org");
        MailAddress cid = MailAddress.parse("cid@example.org");
        assertThat(cache.authenticate("ann@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Success.class);

        proxy.cut();
        await().atMost(Duration.ofSeconds(15)).until(() -> !node.sqlAvailable());

        // Lookups and logons go on from memory: a remembered password, a first logon (full Argon2 on the cached
        // hash), a wrong password.
        assertThat(cache.locate(ann)).hasValueSatisfying(l -> assertThat(l.active()).isTrue());
        assertThat(cache.isLocalDomain("example.org")).isTrue();
        assertThat(cache.authenticate("ann@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Success.class);
        assertThat(cache.authenticate("bob@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Success.class);
        assertThat(cache.authenticate("bob@example.org", "wrong".toCharArray(), CTX))
                .isInstanceOf(AuthResult.Failure.class);

        // Meanwhile the administrator changes things on the SQL server the node cannot see.
        admin.admin().setState(ann, UserState.DISABLED);
        admin.admin().addUser(cid, PW.clone());
        assertThat(cache.locate(cid)).isEmpty();

        proxy.restore();
        await().atMost(Duration.ofSeconds(15)).until(() -> node.sqlAvailable() && cache.locate(cid).isPresent());
        assertThat(cache.locate(ann)).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(UserState.DISABLED));
        assertThat(cache.authenticate("ann@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Failure.class);
        assertThat(cache.authenticate("cid@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Success.class);

        // The logons made during the outage reach SQL once it is back.
        await().atMost(Duration.ofSeconds(15)).until(() -> node.logonRecorder().pending() == 0);
        assertThat(admin.admin().recentFailures(bob, 5)).extracting(LogonAttempt::reason).contains("wrong password");
        assertThat(admin.admin().lastSuccessfulLogon(bob)).isPresent();
    }

    @Test
    void aRememberedPasswordSkipsArgon2UntilItsHashChanges() {
        CachedDirectory cache = node.directory();
        MailAddress ann = MailAddress.parse("ann@example.org");
        long before = hasherCount();
        for (int i = 0; i < 5; i++) { // a client polling every minute
            assertThat(cache.authenticate("ann@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Success.class);
        }
        assertThat(hasherCount() - before).isEqualTo(1);
        cache.authenticate("ann@example.org", "wrong".toCharArray(), CTX);
        assertThat(hasherCount() - before).isEqualTo(2); // a wrong password always costs a full check

        admin.admin().setPassword(ann, "new".toCharArray());
        cache.refreshNow();
        assertThat(cache.authenticate("ann@example.org", PW.clone(), CTX)).isInstanceOf(AuthResult.Failure.class);
        assertThat(cache.authenticate("ann@example.org", "new".toCharArray(), CTX)).isInstanceOf(AuthResult.Success.class);
    }

    private long hasherCount() {
        return node.directory().hasher().verifications();
    }
}
