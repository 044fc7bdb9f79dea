package org.clustermail.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clustermail.directory.LogonAttempt.Outcome;
import org.clustermail.directory.cache.CachedDirectory;
import org.clustermail.directory.sql.SqlDirectory;
import org.junit.jupiter.api.Test;

/**
 * What every directory back-end must do, run unchanged on H2, PostgreSQL and MariaDB by one small class each.
 * Each test works in its own fresh domain, so tests share one database per class without seeing each other.
 * Reads are checked on both the SQL directory and the cache in front of it.
 */
public interface DirectoryContract {

    /** A started service on a fresh database with {@link TestDatabase#config()} and {@link TestDatabase#CLUSTER}. */
    DirectoryService service();

    char[] PASSWORD = "correct horse".toCharArray();

    default SqlDirectory admin() {
        return service().admin();
    }

    default CachedDirectory cache() {
        return service().directory();
    }

    default String freshDomain() {
        String d = "d" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        admin().addDomain(d);
        return d;
    }

    default MailAddress freshUser() {
        MailAddress a = MailAddress.parse("user@" + freshDomain());
        admin().addUser(a, PASSWORD.clone());
        return a;
    }

    default LogonContext from(String ip) {
        return new LogonContext("imap", ip);
    }

    @Test
    default void domainsAreAddedNormalisedListedAndUnique() {
        String d = "D" + UUID.randomUUID().toString().substring(0, 8) + ".Example";
        admin().addDomain(d);
        assertThat(admin().domains()).contains(d.toLowerCase());
        assertThat(admin().isLocalDomain(d.toLowerCase())).isTrue();
        assertThatThrownBy(() -> admin().addDomain(d)).isInstanceOf(DirectoryException.DomainExists.class);
        assertThatThrownBy(() -> admin().addDomain("bad domain")).isInstanceOf(InvalidAddressException.class);
        cache().refreshNow();
        assertThat(cache().isLocalDomain(d.toLowerCase())).isTrue();
        assertThat(cache().isLocalDomain("nowhere.example")).isFalse();
    }

    @Test
    default void aNewUserIsLocatedOnTwoDifferentClusterNodes() {
        String d = freshDomain();
        UserRecord r = admin().addUser(MailAddress.parse("Alice@" + d.toUpperCase()), PASSWORD.clone());
        MailAddress alice = MailAddress.parse("alice@" + d);
        assertThat(r.address()).isEqualTo(alice);
        UserLocation l = r.location();
        assertThat(l.serial()).isPositive();
        assertThat(l.state()).isEqualTo(UserState.ACTIVE);
        assertThat(TestDatabase.CLUSTER).contains(l.primary());
        assertThat(l.secondary()).isPresent();
        assertThat(TestDatabase.CLUSTER).contains(l.secondary().get());
        assertThat(l.secondary().get()).isNotEqualTo(l.primary());
        assertThat(admin().locate(alice)).contains(l);
        cache().refreshNow();
        assertThat(cache().locate(alice)).contains(l);
        assertThat(cache().locate(MailAddress.parse("bob@" + d))).isEmpty();
    }

    @Test
    default void serialsAreDistinctAndIncreasing() {
        String d = freshDomain();
        long a = admin().addUser(MailAddress.parse("a@" + d), PASSWORD.clone()).location().serial();
        long b = admin().addUser(MailAddress.parse("b@" + d), PASSWORD.clone()).location().serial();
        assertThat(b).isGreaterThan(a);
    }

    @Test
    default void badAdditionsAreRefusedWithClearErrors() {
        MailAddress u = freshUser();
        assertThatThrownBy(() -> admin().addUser(u, PASSWORD.clone()))
                .isInstanceOf(DirectoryException.UserExists.class).hasMessage("user exists already: " + u);
        MailAddress stranger = MailAddress.parse("x@unknown-" + UUID.randomUUID().toString().substring(0, 6) + ".org");
        assertThatThrownBy(() -> admin().addUser(stranger, PASSWORD.clone()))
                .isInstanceOf(DirectoryException.NoSuchDomain.class).hasMessageStartingWith("no such domain");
        assertThatThrownBy(() -> admin().addUser(MailAddress.parse("y@" + u.domain()), new char[0]))
                .hasMessage("the password is empty");
        MailAddress ghost = MailAddress.parse("ghost@" + u.domain());
        assertThatThrownBy(() -> admin().setPassword(ghost, PASSWORD.clone()))
                .isInstanceOf(DirectoryException.NoSuchUser.class);
        assertThatThrownBy(() -> admin().removeUser(ghost)).isInstanceOf(DirectoryException.NoSuchUser.class);
        assertThatThrownBy(() -> admin().info(ghost)).isInstanceOf(DirectoryException.NoSuchUser.class);
    }

    @Test
    default void authenticationOnSqlAndOnTheCache() {
        MailAddress u = freshUser();
        cache().refreshNow();
        for (Directory d : List.of(admin(), cache())) {
            assertThat(d.authenticate(u.toString().toUpperCase(), PASSWORD.clone(), from("10.1.0.1")))
                    .isEqualTo(new AuthResult.Success(admin().locate(u).orElseThrow()));
            assertThat(d.authenticate(u.toString(), "wrong".toCharArray(), from("10.1.0.2")))
                    .isInstanceOf(AuthResult.Failure.class);
            assertThat(d.authenticate("nobody@" + u.domain(), PASSWORD.clone(), from("10.1.0.3")))
                    .isInstanceOf(AuthResult.Failure.class);
            assertThat(d.authenticate("not an address", PASSWORD.clone(), from("10.1.0.4")))
                    .isInstanceOf(AuthResult.Failure.class);
        }
    }

    @Test
    default void aDisabledUserIsLocatedButCannotLogOn() {
        MailAddress u = freshUser();
        admin().setState(u, UserState.DISABLED);
        cache().refreshNow();
        assertThat(cache().locate(u)).hasValueSatisfying(l -> assertThat(l.state()).isEqualTo(UserState.DISABLED));
        assertThat(admin().locate(u)).hasValueSatisfying(l -> assertThat(l.active()).isFalse());
        assertThat(cache().authenticate(u.toString(), PASSWORD.clone(), from("10.2.0.1")))
                .isInstanceOf(AuthResult.Failure.class);
        admin().setState(u, UserState.ACTIVE);
        cache().refreshNow();
        assertThat(cache().authenticate(u.toString(), PASSWORD.clone(), from("10.2.0.1")))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    default void aNewPasswordReplacesTheOldOneEvenWhenTheOldWasRemembered() {
        MailAddress u = freshUser();
        cache().refreshNow();
        assertThat(cache().authenticate(u.toString(), PASSWORD.clone(), from("10.3.0.1")))
                .isInstanceOf(AuthResult.Success.class);
        admin().setPassword(u, "new secret".toCharArray());
        cache().refreshNow();
        assertThat(cache().authenticate(u.toString(), PASSWORD.clone(), from("10.3.0.1")))
                .isInstanceOf(AuthResult.Failure.class);
        assertThat(cache().authenticate(u.toString(), "new secret".toCharArray(), from("10.3.0.1")))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    default void aRemovedUserDisappearsFromTheCache() {
        MailAddress u = freshUser();
        cache().refreshNow();
        assertThat(cache().locate(u)).isPresent();
        admin().removeUser(u);
        assertThat(admin().user(u)).isEmpty();
        cache().refreshNow();
        assertThat(cache().locate(u)).isEmpty();
        assertThat(cache().authenticate(u.toString(), PASSWORD.clone(), from("10.4.0.1")))
                .isInstanceOf(AuthResult.Failure.class);
    }

    @Test
    default void theBackgroundPollerPicksUpChangesWithinItsInterval() {
        MailAddress u = freshUser();
        await().atMost(Duration.ofSeconds(5)).until(() -> cache().locate(u).isPresent());
        admin().setState(u, UserState.DISABLED);
        await().atMost(Duration.ofSeconds(5)).until(() -> !cache().locate(u).orElseThrow().active());
        assertThat(cache().sqlAvailable()).isTrue();
    }

    @Test
    default void userInfoIsStoredAndEdited() {
        MailAddress u = freshUser();
        assertThat(admin().info(u)).isEqualTo(UserInfo.EMPTY);
        UserInfo info = new UserInfo("Zoë Ångström", "1 Rue de la Paix\n75002 Paris", "+33 1 23 45 67 89",
                Map.of("title", "Dr.", "team", "Mail ✉"));
        admin().setInfo(u, info);
        assertThat(admin().info(u)).isEqualTo(info);
        admin().setInfo(u, info.withPhone("").withField("title", null).withField("room", "42"));
        UserInfo edited = admin().info(u);
        assertThat(edited.phone()).isEmpty();
        assertThat(edited.fields()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "Mail ✉", "room", "42"));
    }

    @Test
    default void usersAreListedPerDomainInAddressOrder() {
        String d = freshDomain();
        for (String local : List.of("carol", "alice", "bob")) {
            admin().addUser(MailAddress.parse(local + "@" + d), PASSWORD.clone());
        }
        List<String> seen = new ArrayList<>();
        admin().forEachUser(Optional.of(d), r -> seen.add(r.address().localPart()));
        assertThat(seen).containsExactly("alice", "bob", "carol");
    }

    @Test
    default void logonHistoryShowsTheLastSuccessAndRecentFailures() {
        MailAddress u = freshUser();
        cache().refreshNow();
        cache().authenticate(u.toString(), PASSWORD.clone(), new LogonContext("pop3", "192.0.2.7"));
        cache().authenticate(u.toString(), "nope".toCharArray(), new LogonContext("imap", "192.0.2.8"));
        service().flushLogons();
        LogonAttempt last = admin().lastSuccessfulLogon(u).orElseThrow();
        assertThat(last.protocol()).isEqualTo("pop3");
        assertThat(last.remoteAddress()).isEqualTo("192.0.2.7");
        assertThat(last.outcome()).isEqualTo(Outcome.SUCCESS);
        List<LogonAttempt> failures = admin().recentFailures(u, 10);
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.outcome()).isEqualTo(Outcome.FAILURE);
            assertThat(f.reason()).isEqualTo("wrong password");
            assertThat(f.remoteAddress()).isEqualTo("192.0.2.8");
        });
    }

    @Test
    default void repeatedFailuresLockAnAccountWithoutRevealingWhetherItExists() {
        MailAddress real = freshUser();
        String ghost = "ghost@" + real.domain();
        cache().refreshNow();
        for (int i = 0; i < 3; i++) { // the test rule: 3 failures within a minute
            assertThat(cache().authenticate(real.toString(), "bad".toCharArray(), from("10.5.0." + i)))
                    .isInstanceOf(AuthResult.Failure.class);
            assertThat(cache().authenticate(ghost, "bad".toCharArray(), from("10.6.0." + i)))
                    .isInstanceOf(AuthResult.Failure.class);
        }
        AuthResult realLocked = cache().authenticate(real.toString(), PASSWORD.clone(), from("10.5.1.1"));
        AuthResult ghostLocked = cache().authenticate(ghost, PASSWORD.clone(), from("10.6.1.1"));
        assertThat(realLocked).isInstanceOf(AuthResult.LockedOut.class);
        assertThat(ghostLocked).isInstanceOf(AuthResult.LockedOut.class);
        assertThat(((AuthResult.LockedOut) realLocked).retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        service().flushLogons();
        assertThat(admin().recentFailures(real, 1)).singleElement()
                .satisfies(f -> assertThat(f.outcome()).isEqualTo(Outcome.LOCKED_OUT));
    }

    @Test
    default void repeatedFailuresFromOneAddressLockThatAddress() {
        MailAddress a = freshUser();
        String ip = "10.7." + (int) (Math.random() * 250) + ".9";
        for (int i = 0; i < 3; i++) {
            cache().authenticate("someone" + i + "@" + a.domain(), "bad".toCharArray(), from(ip));
        }
        cache().refreshNow();
        assertThat(cache().authenticate(a.toString(), PASSWORD.clone(), from(ip)))
                .isInstanceOf(AuthResult.LockedOut.class);
        assertThat(cache().authenticate(a.toString(), PASSWORD.clone(), from("10.8.0.1")))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    default void migrationsAreIdempotent() {
        assertThat(service().database().migrate()).isZero();
    }
}
