package org.clustermail.directory.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.DirectoryConfig.LockoutConfig;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.MutableClock;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserState;
import org.junit.jupiter.api.Test;

/** The lockout rule in time, with a hand-moved clock and a real Argon2 hash. */
class LogonGuardTest {

    private static final PasswordHasher HASHER = new PasswordHasher();
    private static final String HASH = HASHER.hash("right".toCharArray());
    private static final MailAddress ANN = MailAddress.parse("ann@example.org");

    private final MutableClock clock = new MutableClock();
    private final List<LogonAttempt> recorded = new ArrayList<>();
    private final LogonGuard guard = new LogonGuard(new LockoutConfig(3, Duration.ofMinutes(5), Duration.ofMinutes(10)),
            HASHER, recorded::add, clock);

    private AuthResult logon(String password, String ip) {
        UserLocation loc = new UserLocation(ANN, 7, NodeId.of(1), Optional.empty(), UserState.ACTIVE);
        return guard.authenticate("ann@example.org", password.toCharArray(), new LogonContext("pop3", ip),
                a -> a.equals(ANN) ? Optional.of(new HashCredentials(loc, HASH, HASHER)) : Optional.empty());
    }

    @Test
    void failuresSpreadWiderThanTheWindowDoNotLock() {
        for (int i = 0; i < 6; i++) {
            assertThat(logon("wrong", "10.0.0." + i)).isInstanceOf(AuthResult.Failure.class);
            clock.advance(Duration.ofMinutes(3)); // never 3 failures within 5 minutes
        }
        assertThat(logon("right", "10.0.1.1")).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void theLockEndsAfterTheCoolDown() {
        for (int i = 0; i < 3; i++) {
            logon("wrong", "10.0.0." + i);
        }
        assertThat(logon("right", "10.0.1.1")).isEqualTo(new AuthResult.LockedOut(Duration.ofMinutes(10)));
        clock.advance(Duration.ofMinutes(9));
        assertThat(logon("right", "10.0.1.1")).isEqualTo(new AuthResult.LockedOut(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(1));
        assertThat(logon("right", "10.0.1.1")).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void aSuccessClearsTheAccountsFailures() {
        logon("wrong", "10.0.0.1");
        logon("wrong", "10.0.0.2");
        assertThat(logon("right", "10.0.0.3")).isInstanceOf(AuthResult.Success.class);
        logon("wrong", "10.0.0.4");
        assertThat(logon("right", "10.0.0.5")).isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void everyAttemptIsRecordedWithItsOutcomeAndReason() {
        logon("wrong", "10.0.0.1");
        logon("right", "10.0.0.1");
        guard.authenticate("x@example.org", "a".toCharArray(), new LogonContext("imap", "10.0.0.9"), a -> Optional.empty());
        assertThat(recorded).extracting(LogonAttempt::outcome, LogonAttempt::reason, LogonAttempt::protocol)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(LogonAttempt.Outcome.FAILURE, "wrong password", "pop3"),
                        org.assertj.core.groups.Tuple.tuple(LogonAttempt.Outcome.SUCCESS, "", "pop3"),
                        org.assertj.core.groups.Tuple.tuple(LogonAttempt.Outcome.FAILURE, "no such user", "imap"));
        assertThat(recorded.get(0).at()).isEqualTo(clock.instant());
    }
}
