package org.clustermail.directory;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.clustermail.directory.auth.LogonGuard;
import org.clustermail.directory.auth.LogonRecorder;
import org.clustermail.directory.auth.PasswordHasher;
import org.clustermail.directory.cache.CachedDirectory;
import org.clustermail.directory.sql.Database;
import org.clustermail.directory.sql.NodeAssigner;
import org.clustermail.directory.sql.SqlDirectory;

/**
 * The directory's parts wired together, with one lifecycle: the SQL database (migrated on open, if configured), the
 * SQL directory (the write side, {@link #admin()}), the in-memory cache in front of it ({@link #directory()}), and
 * the logon recorder that writes logon history to SQL in the background.
 *
 * <p>A node does {@code open}, {@link #start()} (loads the cache, starts polling and recording), uses
 * {@link #directory()}, then {@link #close()}. A command-line tool may skip {@code start()} and use only
 * {@link #admin()}. Thread-safe.
 */
public final class DirectoryService implements AutoCloseable {

    private final Database db;
    private final SqlDirectory sql;
    private final CachedDirectory cache;
    private final LogonRecorder recorder;

    private DirectoryService(Database db, DirectoryConfig config, List<NodeId> clusterNodes, Clock clock) {
        this.db = db;
        PasswordHasher hasher = new PasswordHasher();
        this.recorder = new LogonRecorder(attempts -> sqlLogons().insert(attempts));
        LogonGuard guard = new LogonGuard(config.lockout(), hasher, recorder, clock);
        this.sql = new SqlDirectory(db, hasher, new NodeAssigner(clusterNodes, new SecureRandom()), guard, clock);
        this.cache = new CachedDirectory(sql.queries(), guard, hasher, config, clock);
    }

    /**
     * Connects to the database of {@code config} (throwing {@link DirectoryException.Unavailable} with a one-line
     * message if it cannot) and migrates it if {@code config.migrate()}.
     *
     * @param clusterNodes the nodes new users' primary and secondary nodes are drawn from
     */
    public static DirectoryService open(DirectoryConfig config, List<NodeId> clusterNodes) {
        return open(config, clusterNodes, Clock.systemUTC());
    }

    public static DirectoryService open(DirectoryConfig config, List<NodeId> clusterNodes, Clock clock) {
        if (config.jdbcUrl() == null) {
            throw new IllegalArgumentException("directory.jdbcUrl is not set");
        }
        return new DirectoryService(Database.open(config), config, clusterNodes, clock);
    }

    /** Loads the cache and starts the refresh poller and the logon recorder. */
    public void start() {
        recorder.start();
        cache.start();
    }

    /** The read side for mail paths: answers from memory (valid after {@link #start()}). */
    public CachedDirectory directory() {
        return cache;
    }

    /** The write and query side (always SQL). */
    public SqlDirectory admin() {
        return sql;
    }

    /** Logon attempts not yet in SQL; written by the background recorder, or now by {@link #flushLogons()}. */
    public LogonRecorder logonRecorder() {
        return recorder;
    }

    /** Writes queued logon attempts now (e.g. before showing a user's logon history). */
    public void flushLogons() {
        recorder.flush();
    }

    /** False while the cache serves from memory because SQL is unreachable (for the node's metrics). */
    public boolean sqlAvailable() {
        return cache.sqlAvailable();
    }

    public Database database() {
        return db;
    }

    @Override
    public void close() {
        cache.close();
        recorder.close();
        db.close();
    }

    private org.clustermail.directory.sql.LogonLog sqlLogons() {
        return sql.logons();
    }
}
