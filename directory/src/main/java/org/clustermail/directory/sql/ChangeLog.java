package org.clustermail.directory.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Appends to the change log inside a writing transaction. The counter row is locked first (by the UPDATE), so
 * writing transactions are serialised and change ids commit in increasing order: a reader that has seen change
 * {@code n} has seen every change before it, and can poll with {@code change_id > n} without missing one.
 * Directory writes are rare administrative acts, so serialising them costs nothing that matters.
 */
final class ChangeLog {

    private ChangeLog() {
    }

    /** Records that {@code subject} changed; returns the change id. Call first in the transaction. */
    static long append(Connection c, String kind, String subject, long nowMs) throws SQLException {
        SqlDirectory.update(c, "UPDATE change_counter SET last_change = last_change + 1 WHERE id = 1");
        long id;
        try (PreparedStatement ps = c.prepareStatement("SELECT last_change FROM change_counter WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getLong(1);
        }
        SqlDirectory.update(c, "INSERT INTO directory_changes (change_id, kind, subject, changed_ms) VALUES (?, ?, ?, ?)",
                id, kind, subject, nowMs);
        return id;
    }
}
