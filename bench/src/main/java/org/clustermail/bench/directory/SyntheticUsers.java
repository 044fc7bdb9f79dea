package org.clustermail.bench.directory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.SplittableRandom;
import java.util.UUID;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.sql.Database;

/**
 * Fills a directory database with many users fast, by plain JDBC batches instead of the admin API (which would spend
 * an Argon2 hash per user: days for a million). Each user gets its own hash string of the real Argon2id PHC length
 * (random salt and digest), so the cache holds what it would hold in production.
 */
final class SyntheticUsers {

    static final String DOMAIN = "bench.example";
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test";

    private SyntheticUsers() {
    }

    static MailAddress address(int i) {
        return MailAddress.parse("user" + i + "@" + DOMAIN);
    }

    /** A distinct Argon2id PHC string of the length psw4j.properties produces (16-byte salt, 32-byte digest). */
    static String fakeHash(SplittableRandom random) {
        byte[] salt = new byte[16];
        byte[] digest = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(digest);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);
    }

    /** Opens (and migrates) the database of {@code url} and inserts {@code count} users in one domain. */
    static void populate(String url, String user, int count) throws SQLException {
        try (Database db = Database.open(new DirectoryConfig(url, user, "", null, 2, true, null, null));
             Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO domains (name, created_ms) VALUES ('" + DOMAIN + "', 0)");
            }
            SplittableRandom random = new SplittableRandom(7);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (address, domain_name, password_hash,"
                    + " primary_node, secondary_node, state, created_ms) VALUES (?, ?, ?, ?, ?, 'ACTIVE', 0)")) {
                for (int i = 0; i < count; i++) {
                    int primary = random.nextInt(4);
                    ps.setString(1, address(i).toString());
                    ps.setString(2, DOMAIN);
                    ps.setString(3, fakeHash(random));
                    ps.setInt(4, primary);
                    ps.setInt(5, (primary + 1 + random.nextInt(3)) % 4);
                    ps.addBatch();
                    if (i % 5_000 == 4_999) {
                        ps.executeBatch();
                        c.commit();
                    }
                }
                ps.executeBatch();
                c.commit();
            }
        }
    }

    /** Creates a fresh PostgreSQL database; returns its JDBC URL. */
    static String createPostgresDatabase() throws SQLException {
        String name = "cm_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name + "?reWriteBatchedInserts=true";
    }

    static void dropPostgresDatabase(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Connection c = DriverManager.getConnection(PG_ADMIN, "postgres", ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }
}
