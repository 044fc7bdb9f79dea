package org.clustermail.directory;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the directory: where its SQL database is, how often the in-memory cache polls the change log, and the
 * illegal-logon (lockout) rule. Immutable; validated on construction (bad values throw
 * {@link IllegalArgumentException} with a one-line reason). Absent values (null, as a YAML binder passes them) take
 * the defaults, except {@code jdbcUrl}, which the node configuration fills in from its data directory.
 *
 * @param jdbcUrl        JDBC URL of the directory database (H2, PostgreSQL or MariaDB)
 * @param user           database user, may be empty
 * @param password       database password, may be empty
 * @param refreshInterval how often each node polls the change log; bounds how stale a node's cache can be while SQL
 *                        is reachable
 * @param poolSize       most JDBC connections per process
 * @param migrate        whether opening the directory applies pending schema migrations first
 * @param lockout        the illegal-logon rule
 * @param passwordCacheTtl how long a verified password is remembered (as a keyed MAC, never in plain) so that a
 *                         client polling every minute does not cost a full Argon2 verification each time
 */
public record DirectoryConfig(String jdbcUrl, String user, String password, Duration refreshInterval, Integer poolSize,
                              Boolean migrate, LockoutConfig lockout, Duration passwordCacheTtl) {

    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(2);

    public DirectoryConfig {
        user = user == null ? "" : user;
        password = password == null ? "" : password;
        refreshInterval = refreshInterval == null ? DEFAULT_REFRESH : refreshInterval;
        poolSize = poolSize == null ? 4 : poolSize;
        migrate = migrate == null ? Boolean.TRUE : migrate;
        lockout = lockout == null ? LockoutConfig.defaults() : lockout;
        passwordCacheTtl = passwordCacheTtl == null ? Duration.ofHours(1) : passwordCacheTtl;
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("directory.jdbcUrl must start with jdbc:, got " + jdbcUrl);
        }
        requirePositive("directory.refreshInterval", refreshInterval);
        if (refreshInterval.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new IllegalArgumentException("directory.refreshInterval must be at most 10m, got " + refreshInterval);
        }
        if (poolSize < 1 || poolSize > 64) {
            throw new IllegalArgumentException("directory.poolSize must be 1..64, got " + poolSize);
        }
        if (passwordCacheTtl.isNegative()) {
            throw new IllegalArgumentException("directory.passwordCacheTtl must not be negative");
        }
    }

    /** Defaults with the given JDBC URL. */
    public static DirectoryConfig of(String jdbcUrl) {
        return new DirectoryConfig(Objects.requireNonNull(jdbcUrl), null, null, null, null, null, null, null);
    }

    /** The embedded H2 database file under {@code dataDir}, shared by processes on this machine (AUTO_SERVER). */
    public static String embeddedH2Url(java.nio.file.Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("directory").resolve("directory")
                + ";AUTO_SERVER=TRUE";
    }

    public DirectoryConfig withJdbcUrl(String url) {
        return new DirectoryConfig(url, user, password, refreshInterval, poolSize, migrate, lockout, passwordCacheTtl);
    }

    public DirectoryConfig withLockout(LockoutConfig newLockout) {
        return new DirectoryConfig(jdbcUrl, user, password, refreshInterval, poolSize, migrate, newLockout,
                passwordCacheTtl);
    }

    public DirectoryConfig withRefreshInterval(Duration interval) {
        return new DirectoryConfig(jdbcUrl, user, password, interval, poolSize, migrate, lockout, passwordCacheTtl);
    }

    static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    /**
     * The illegal-logon rule: after {@code maxFailures} failed logons within {@code window}, for one account or from
     * one remote address, further logons are refused for {@code coolDown}.
     */
    public record LockoutConfig(Integer maxFailures, Duration window, Duration coolDown) {
        public LockoutConfig {
            maxFailures = maxFailures == null ? 5 : maxFailures;
            window = window == null ? Duration.ofMinutes(10) : window;
            coolDown = coolDown == null ? Duration.ofMinutes(15) : coolDown;
            if (maxFailures < 1) {
                throw new IllegalArgumentException("directory.lockout.maxFailures must be at least 1, got " + maxFailures);
            }
            requirePositive("directory.lockout.window", window);
            requirePositive("directory.lockout.coolDown", coolDown);
        }

        public static LockoutConfig defaults() {
            return new LockoutConfig(null, null, null);
        }
    }
}
