package org.clustermail.directory.sql;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.clustermail.directory.LogonAttempt;
import org.clustermail.directory.LogonAttempt.Outcome;

/** The {@code logon_attempts} table: batched inserts and the two queries the web-mail shows. Thread-safe. */
public final class LogonLog {

    private static final String COLUMNS = "attempted_ms, login, protocol, remote_address, outcome, reason";

    private final Database db;

    public LogonLog(Database db) {
        this.db = db;
    }

    /** Inserts {@code attempts} in one transaction. */
    public void insert(List<LogonAttempt> attempts) {
        if (attempts.isEmpty()) {
            return;
        }
        db.transaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO logon_attempts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
                for (LogonAttempt a : attempts) {
                    ps.setLong(1, a.at().toEpochMilli());
                    ps.setString(2, a.login());
                    ps.setString(3, a.protocol());
                    ps.setString(4, a.remoteAddress());
                    ps.setString(5, a.outcome().name());
                    ps.setString(6, a.reason());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    public Optional<LogonAttempt> lastSuccess(String login) {
        List<LogonAttempt> l = query("outcome = 'SUCCESS'", login, 1);
        return l.isEmpty() ? Optional.empty() : Optional.of(l.get(0));
    }

    public List<LogonAttempt> recentFailures(String login, int limit) {
        return query("outcome <> 'SUCCESS'", login, limit);
    }

    private List<LogonAttempt> query(String condition, String login, int limit) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM logon_attempts WHERE login = ? AND "
                    + condition + " ORDER BY attempted_ms DESC, id DESC")) {
                ps.setString(1, login);
                ps.setMaxRows(Math.max(1, limit));
                List<LogonAttempt> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(row(rs));
                    }
                }
                return out;
            }
        });
    }

    private static LogonAttempt row(ResultSet rs) throws SQLException {
        return new LogonAttempt(Instant.ofEpochMilli(rs.getLong(1)), rs.getString(2), rs.getString(3), rs.getString(4),
                Outcome.valueOf(rs.getString(5)), rs.getString(6));
    }
}
