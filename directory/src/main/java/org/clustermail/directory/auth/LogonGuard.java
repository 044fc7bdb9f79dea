package org.clustermail.directory.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.DirectoryConfig.LockoutConfig;
import org.clustermail.directory.InvalidAddressException;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.LogonAttempt.Outcome;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserState;

/**
 * The logon-info subsystem's gate in front of every password check: refuses locked-out accounts and addresses,
 * checks the password, counts failures, and hands every attempt to the recorder (which writes to SQL later, so a
 * logon never waits on SQL).
 *
 * <p>Invariant: the answer never tells whether an account exists. Unknown, malformed and disabled logins cost a
 * full password verification, are counted and locked like real accounts, and fail with the same
 * {@link AuthResult.Failure} (its reason is for logs only). Thread-safe.
 */
public final class LogonGuard {

    private final FailureWindows accounts;
    private final FailureWindows remotes;
    private final PasswordHasher hasher;
    private final Consumer<LogonAttempt> recorder;
    private final Clock clock;

    public LogonGuard(LockoutConfig config, PasswordHasher hasher, Consumer<LogonAttempt> recorder, Clock clock) {
        this.accounts = new FailureWindows(config);
        this.remotes = new FailureWindows(config);
        this.hasher = hasher;
        this.recorder = recorder;
        this.clock = clock;
    }

    /** Checks a logon against the user {@code lookup} finds; see {@code Directory#authenticate}. */
    public AuthResult authenticate(String login, char[] password, LogonContext context,
                                   Function<MailAddress, Optional<? extends Credentials>> lookup) {
        long now = clock.millis();
        Optional<MailAddress> address = parse(login);
        String account = address.map(MailAddress::toString).orElseGet(() -> roughKey(login));
        String remote = context.remoteAddress() == null ? "" : context.remoteAddress();

        Optional<Duration> locked = longest(accounts.lockedFor(account, now), remotes.lockedFor(remote, now));
        if (locked.isPresent()) {
            record(now, account, context, Outcome.LOCKED_OUT, "locked out");
            return new AuthResult.LockedOut(locked.get());
        }
        Optional<? extends Credentials> user = address.flatMap(lookup);
        String failure = check(address, user, password);
        if (failure == null) {
            accounts.reset(account);
            record(now, account, context, Outcome.SUCCESS, "");
            return new AuthResult.Success(user.orElseThrow().location());
        }
        boolean lockedNow = accounts.failure(account, now) | remotes.failure(remote, now);
        record(now, account, context, Outcome.FAILURE, lockedNow ? failure + "; now locked out" : failure);
        return new AuthResult.Failure(failure);
    }

    /** Null when the logon is good, else the reason it is not. Always spends one password verification. */
    private String check(Optional<MailAddress> address, Optional<? extends Credentials> user, char[] password) {
        if (user.isEmpty()) {
            hasher.verifyAgainstNobody(password);
            return address.isEmpty() ? "malformed login" : "no such user";
        }
        if (!user.get().matches(password)) {
            return "wrong password";
        }
        return user.get().location().state() == UserState.ACTIVE ? null : "account disabled";
    }

    private void record(long now, String account, LogonContext context, Outcome outcome, String reason) {
        recorder.accept(new LogonAttempt(java.time.Instant.ofEpochMilli(now), account, context.protocol(),
                context.remoteAddress(), outcome, reason));
    }

    private static Optional<MailAddress> parse(String login) {
        try {
            return Optional.of(MailAddress.parse(login == null ? "" : login.strip()));
        } catch (InvalidAddressException e) {
            return Optional.empty();
        }
    }

    /** A bounded, case-folded key for a login that is not a valid address (still counted and locked). */
    private static String roughKey(String login) {
        String s = login == null ? "" : login.strip().toLowerCase(Locale.ROOT);
        return s.length() > LogonAttempt.MAX_LOGIN ? s.substring(0, LogonAttempt.MAX_LOGIN) : s;
    }

    private static Optional<Duration> longest(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isPresent() && b.get().compareTo(a.get()) > 0 ? b : a;
    }
}
