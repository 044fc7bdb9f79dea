package org.clustermail.directory.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clustermail.directory.UserInfo;

/** Reads and writes a user's profile ({@code user_info} and {@code user_fields}) within a caller's connection. */
final class UserInfoRows {

    private UserInfoRows() {
    }

    static UserInfo read(Connection c, long serial) throws SQLException {
        String name = "";
        String postal = "";
        String phone = "";
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT display_name, postal_address, phone FROM user_info WHERE serial = ?")) {
            ps.setLong(1, serial);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    name = rs.getString(1);
                    postal = rs.getString(2);
                    phone = rs.getString(3);
                }
            }
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT field_name, field_value FROM user_fields WHERE serial = ?")) {
            ps.setLong(1, serial);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fields.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new UserInfo(name, postal, phone, fields);
    }

    /** Replaces the profile of {@code serial} with {@code info}. */
    static void write(Connection c, long serial, UserInfo info) throws SQLException {
        SqlDirectory.update(c, "DELETE FROM user_fields WHERE serial = ?", serial);
        SqlDirectory.update(c, "DELETE FROM user_info WHERE serial = ?", serial);
        SqlDirectory.update(c, "INSERT INTO user_info (serial, display_name, postal_address, phone) VALUES (?, ?, ?, ?)",
                serial, info.displayName(), info.postalAddress(), info.phone());
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO user_fields (serial, field_name, field_value) VALUES (?, ?, ?)")) {
            for (Map.Entry<String, String> e : info.fields().entrySet()) {
                ps.setLong(1, serial);
                ps.setString(2, e.getKey());
                ps.setString(3, e.getValue());
                ps.addBatch();
            }
            if (!info.fields().isEmpty()) {
                ps.executeBatch();
            }
        }
    }
}
