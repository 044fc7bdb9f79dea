package org.clustermail.directory.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.Directory;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryException;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.auth.Credentials;
import org.clustermail.directory.auth.LogonGuard;
import org.clustermail.directory.auth.PasswordHasher;
import org.clustermail.directory.sql.Change;
import org.clustermail.directory.sql.StoredUser;
import org.clustermail.directory.sql.UserQueries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory every mail path uses: a decorator over the SQL directory that answers {@link #locate},
 * {@link #isLocalDomain} and {@link #authenticate} from memory, never waiting on SQL.
 *
 * <p>{@link #start()} loads every user; then a background thread polls the SQL change log every
 * {@code refreshInterval} and re-reads the users it names. So a change made on any node is seen here within about
 * one refresh interval while SQL is reachable. If SQL goes away, lookups and logons go on from memory (the data
 * frozen at the last refresh), the loss is logged once and shown by {@link #sqlAvailable()}; when SQL returns the
 * poller catches up from where it stopped. A miss is answered from memory too: an address unknown here is unknown
 * (or at most one refresh interval old).
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. Thread-safe; reads are lock-free.
 */
public final class CachedDirectory implements Directory, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CachedDirectory.class);
    private static final int CHANGE_BATCH = 10_000;

    private final UserQueries sql;
    private final LogonGuard guard;
    private final PasswordHasher hasher;
    private final PasswordMemo memos = new PasswordMemo();
    private final DirectoryConfig config;
    private final Clock clock;
    private final UserTable table = new UserTable();
    private final Object refreshLock = new Object();
    private ScheduledExecutorService poller;
    private long appliedChange; // guarded by refreshLock
    private volatile boolean sqlAvailable = true;
    private volatile Instant lastRefresh = Instant.EPOCH;

    public CachedDirectory(UserQueries sql, LogonGuard guard, PasswordHasher hasher, DirectoryConfig config,
                           Clock clock) {
        this.sql = sql;
        this.guard = guard;
        this.hasher = hasher;
        this.config = config;
        this.clock = clock;
    }

    /** Loads every user and domain (throws {@link DirectoryException.Unavailable} if SQL is unreachable), then polls. */
    public synchronized void start() {
        reload();
        if (poller == null) {
            poller = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("directory-refresh")
                    .factory());
            long ms = config.refreshInterval().toMillis();
            poller.scheduleWithFixedDelay(this::refreshQuietly, ms, ms, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }

    @Override
    public Optional<UserLocation> locate(MailAddress address) {
        CachedUser u = table.get(address);
        return u == null ? Optional.empty() : Optional.of(u.location(address));
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return table.isLocalDomain(domain);
    }

    @Override
    public AuthResult authenticate(String login, char[] password, LogonContext context) {
        return guard.authenticate(login, password, context, this::credentials);
    }

    /** Whether the last refresh reached SQL; false while this node serves from memory alone. */
    public boolean sqlAvailable() {
        return sqlAvailable;
    }

    /** When the cache last caught up with SQL (for a staleness gauge). */
    public Instant lastRefresh() {
        return lastRefresh;
    }

    /** The password hasher, whose verification count shows how often the memo saved an Argon2 run. */
    public PasswordHasher hasher() {
        return hasher;
    }

    /** Users in memory. */
    public int size() {
        return table.size();
    }

    /**
     * Calls {@code sink} with every user in memory, in no particular order (e.g. to count the mailboxes a node owns,
     * which must work while SQL is down).
     */
    public void forEachLocation(java.util.function.Consumer<UserLocation> sink) {
        table.forEach((address, u) -> sink.accept(u.location(MailAddress.parse(address))));
    }

    /** Polls the change log once, now, in the caller's thread; throws if SQL is unreachable. */
    public void refreshNow() {
        synchronized (refreshLock) {
            int applied = 0;
            List<Change> changes;
            do {
                changes = sql.changesSince(appliedChange, CHANGE_BATCH);
                apply(changes);
                applied += changes.size();
            } while (changes.size() == CHANGE_BATCH);
            lastRefresh = clock.instant();
            if (!sqlAvailable) {
                sqlAvailable = true;
                LOG.info("directory SQL reachable again; caught up {} change(s)", applied);
            }
        }
    }

    /** Replaces the whole table with a fresh load from SQL. */
    public void reload() {
        synchronized (refreshLock) {
            long from = sql.latestChange(); // before the load: changes during it are polled again (idempotent)
            UserTable.Builder fresh = new UserTable.Builder(sql.countUsers());
            sql.forEachUser(Optional.empty(), fresh::put);
            table.swap(fresh, sql.domains());
            appliedChange = from;
            lastRefresh = clock.instant();
            LOG.info("directory cache loaded {} users", fresh.size());
        }
    }

    private void refreshQuietly() {
        try {
            refreshNow();
        } catch (DirectoryException e) {
            if (sqlAvailable) {
                sqlAvailable = false;
                LOG.warn("directory SQL unreachable, serving users from memory (as of {}): {}", lastRefresh,
                        e.getMessage());
            }
        } catch (RuntimeException e) {
            LOG.error("directory refresh failed", e); // keep polling: a bad row must not stop the cache for good
        }
    }

    private void apply(List<Change> changes) {
        Set<String> users = new LinkedHashSet<>();
        boolean domains = false;
        for (Change c : changes) {
            if (Change.DOMAIN.equals(c.kind())) {
                domains = true;
            } else {
                users.add(c.subject());
            }
        }
        List<StoredUser> upserts = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        for (String address : users) {
            Optional<StoredUser> u = sql.user(address);
            if (u.isPresent()) {
                upserts.add(u.get());
            } else {
                removals.add(address);
            }
        }
        if (!upserts.isEmpty() || !removals.isEmpty()) {
            table.apply(upserts, removals);
        }
        if (domains) {
            table.setDomains(sql.domains());
        }
        if (!changes.isEmpty()) {
            appliedChange = changes.get(changes.size() - 1).id();
        }
    }

    private Optional<Credentials> credentials(MailAddress address) {
        CachedUser u = table.get(address);
        return u == null ? Optional.empty() : Optional.of(new MemoCredentials(u, address));
    }

    /** Checks a password against a cached user, remembering a success as a keyed MAC (ADR 0003). */
    private final class MemoCredentials implements Credentials {
        private final CachedUser user;
        private final MailAddress address;

        MemoCredentials(CachedUser user, MailAddress address) {
            this.user = user;
            this.address = address;
        }

        @Override
        public UserLocation location() {
            return user.location(address);
        }

        @Override
        public boolean matches(char[] password) {
            long now = clock.millis();
            byte[] mac = memos.mac(user.passwordHash, password);
            if (user.memoMatches(mac, now)) {
                return true;
            }
            boolean ok = hasher.verify(password, user.passwordHashText());
            Duration ttl = config.passwordCacheTtl();
            if (ok && !ttl.isZero()) {
                user.memo = new PasswordMemo.Entry(mac, now + ttl.toMillis());
            }
            return ok;
        }
    }
}
