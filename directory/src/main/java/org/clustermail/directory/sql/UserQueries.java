package org.clustermail.directory.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.clustermail.directory.UserState;

/**
 * The read queries both the SQL directory and the in-memory cache use: users with their hashes, domains, and the
 * change log. Stateless apart from the {@link Database}; thread-safe.
 */
public final class UserQueries {

    static final String USER_COLUMNS =
            "serial, address, password_hash, primary_node, secondary_node, state, created_ms";

    private final Database db;

    public UserQueries(Database db) {
        this.db = db;
    }

    public Optional<StoredUser> user(String address) {
        return db.read(c -> user(c, address));
    }

    static Optional<StoredUser> user(Connection c, String address) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + USER_COLUMNS + " FROM users WHERE address = ?")) {
            ps.setString(1, address);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Streams every user (of {@code domain}, if given) in address order; returns how many. */
    public long forEachUser(Optional<String> domain, Consumer<StoredUser> sink) {
        return db.transaction(c -> {
            String sql = "SELECT " + USER_COLUMNS + " FROM users"
                    + (domain.isPresent() ? " WHERE domain_name = ?" : "") + " ORDER BY address";
            // A transaction and a fetch size let PostgreSQL stream with a cursor instead of buffering every row.
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(5_000);
                if (domain.isPresent()) {
                    ps.setString(1, domain.get());
                }
                long n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                        n++;
                    }
                }
                return n;
            }
        });
    }

    public long countUsers() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM users");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    public List<String> domains() {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM domains ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    /** The number of the newest change (0 when none). */
    public long latestChange() {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT last_change FROM change_counter WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** Changes after {@code afterId}, oldest first, at most {@code limit}. */
    public List<Change> changesSince(long afterId, int limit) {
        return db.read(c -> {
            List<Change> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT change_id, kind, subject FROM directory_changes WHERE change_id > ? ORDER BY change_id")) {
                ps.setLong(1, afterId);
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Change(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    static StoredUser row(ResultSet rs) throws SQLException {
        int secondary = rs.getInt(5);
        if (rs.wasNull()) {
            secondary = -1;
        }
        return new StoredUser(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), secondary,
                UserState.valueOf(rs.getString(6)), rs.getLong(7));
    }
}
