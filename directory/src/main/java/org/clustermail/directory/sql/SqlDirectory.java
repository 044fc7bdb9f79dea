package org.clustermail.directory.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.clustermail.directory.AuthResult;
import org.clustermail.directory.Directory;
import org.clustermail.directory.DirectoryAdmin;
import org.clustermail.directory.DirectoryException;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.LogonContext;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserInfo;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.UserRecord;
import org.clustermail.directory.UserState;
import org.clustermail.directory.auth.HashCredentials;
import org.clustermail.directory.auth.LogonGuard;
import org.clustermail.directory.auth.PasswordHasher;

/**
 * The directory on SQL alone: every read is a query, every write a transaction that also appends to the change log
 * ({@link ChangeLog}) so that the nodes' caches pick it up. It is what the cache decorates and what the CLI uses.
 * Thread-safe.
 */
public final class SqlDirectory implements Directory, DirectoryAdmin {

    private final Database db;
    private final UserQueries queries;
    private final LogonLog logons;
    private final PasswordHasher hasher;
    private final NodeAssigner assigner;
    private final LogonGuard guard;
    private final Clock clock;

    public SqlDirectory(Database db, PasswordHasher hasher, NodeAssigner assigner, LogonGuard guard, Clock clock) {
        this.db = db;
        this.queries = new UserQueries(db);
        this.logons = new LogonLog(db);
        this.hasher = hasher;
        this.assigner = assigner;
        this.guard = guard;
        this.clock = clock;
    }

    public UserQueries queries() {
        return queries;
    }

    public LogonLog logons() {
        return logons;
    }

    @Override
    public Optional<UserLocation> locate(MailAddress address) {
        return queries.user(address.toString()).map(StoredUser::location);
    }

    @Override
    public boolean isLocalDomain(String domain) {
        return queries.domains().contains(domain);
    }

    @Override
    public AuthResult authenticate(String login, char[] password, LogonContext context) {
        return guard.authenticate(login, password, context, a -> queries.user(a.toString())
                .map(u -> new HashCredentials(u.location(), u.passwordHash(), hasher)));
    }

    @Override
    public void addDomain(String domain) {
        String name = MailAddress.normaliseDomain(domain);
        db.transaction(c -> {
            ChangeLog.append(c, Change.DOMAIN, name, clock.millis());
            if (domainExists(c, name)) {
                throw new DirectoryException.DomainExists(name);
            }
            update(c, "INSERT INTO domains (name, created_ms) VALUES (?, ?)", name, clock.millis());
            return null;
        });
    }

    @Override
    public List<String> domains() {
        return queries.domains();
    }

    @Override
    public UserRecord addUser(MailAddress address, char[] password) {
        String hash = hasher.hash(password); // slow: outside the transaction
        NodeAssigner.Assignment nodes = assigner.next();
        long now = clock.millis();
        return db.transaction(c -> {
            ChangeLog.append(c, Change.USER, address.toString(), now);
            if (!domainExists(c, address.domain())) {
                throw new DirectoryException.NoSuchDomain(address.domain());
            }
            if (UserQueries.user(c, address.toString()).isPresent()) {
                throw new DirectoryException.UserExists(address);
            }
            update(c, "INSERT INTO users (address, domain_name, password_hash, primary_node, secondary_node, state,"
                            + " created_ms) VALUES (?, ?, ?, ?, ?, ?, ?)", address.toString(), address.domain(), hash,
                    nodes.primary().number(), nodes.secondary().map(n -> n.number()).orElse(null),
                    UserState.ACTIVE.name(), now);
            return UserQueries.user(c, address.toString()).orElseThrow().record();
        });
    }

    @Override
    public void setPassword(MailAddress address, char[] password) {
        String hash = hasher.hash(password);
        changeUser(address, "UPDATE users SET password_hash = ? WHERE address = ?", hash, address.toString());
    }

    @Override
    public void setState(MailAddress address, UserState state) {
        changeUser(address, "UPDATE users SET state = ? WHERE address = ?", state.name(), address.toString());
    }

    @Override
    public void removeUser(MailAddress address) {
        changeUser(address, "DELETE FROM users WHERE address = ?", address.toString());
    }

    @Override
    public Optional<UserRecord> user(MailAddress address) {
        return queries.user(address.toString()).map(StoredUser::record);
    }

    @Override
    public void forEachUser(Optional<String> domain, Consumer<UserRecord> sink) {
        queries.forEachUser(domain, u -> sink.accept(u.record()));
    }

    @Override
    public UserInfo info(MailAddress address) {
        return db.read(c -> UserInfoRows.read(c, serialOf(c, address)));
    }

    @Override
    public void setInfo(MailAddress address, UserInfo info) {
        db.transaction(c -> {
            UserInfoRows.write(c, serialOf(c, address), info);
            return null;
        });
    }

    @Override
    public Optional<LogonAttempt> lastSuccessfulLogon(MailAddress address) {
        return logons.lastSuccess(address.toString());
    }

    @Override
    public List<LogonAttempt> recentFailures(MailAddress address, int limit) {
        return logons.recentFailures(address.toString(), limit);
    }

    private void changeUser(MailAddress address, String sql, Object... args) {
        db.transaction(c -> {
            ChangeLog.append(c, Change.USER, address.toString(), clock.millis());
            if (update(c, sql, args) == 0) {
                throw new DirectoryException.NoSuchUser(address);
            }
            return null;
        });
    }

    private static long serialOf(Connection c, MailAddress address) throws SQLException {
        return UserQueries.user(c, address.toString()).orElseThrow(() -> new DirectoryException.NoSuchUser(address))
                .serial();
    }

    private static boolean domainExists(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM domains WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                if (args[i] == null) {
                    ps.setNull(i + 1, java.sql.Types.INTEGER);
                } else {
                    ps.setObject(i + 1, args[i]);
                }
            }
            return ps.executeUpdate();
        }
    }
}
