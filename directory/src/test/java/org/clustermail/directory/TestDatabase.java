package org.clustermail.directory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A fresh, uniquely named database for one test class on one of the three back-ends, dropped by {@link #drop()}.
 * PostgreSQL and MariaDB are the real servers on 127.0.0.1; if one is unreachable the test fails with a message
 * that says so (never skips).
 */
public final class TestDatabase {

    public static final List<NodeId> CLUSTER = List.of(NodeId.of(1), NodeId.of(2), NodeId.of(3));
    static final String PG_ADMIN = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String MARIADB_ADMIN = "jdbc:mariadb://127.0.0.1:3306/test?sslMode=disable";

    private final String url;
    private final String user;
    private final String adminUrl;
    private final String dropSql;

    private TestDatabase(String url, String user, String adminUrl, String dropSql) {
        this.url = url;
        this.user = user;
        this.adminUrl = adminUrl;
        this.dropSql = dropSql;
    }

    public static TestDatabase h2() {
        return new TestDatabase("jdbc:h2:mem:" + uniqueName() + ";DB_CLOSE_DELAY=-1", "", null, null);
    }

    public static TestDatabase postgres() {
        String name = uniqueName();
        admin("PostgreSQL at 127.0.0.1:5432", PG_ADMIN, "postgres", "CREATE DATABASE " + name);
        return new TestDatabase("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", PG_ADMIN,
                "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static TestDatabase mariadb() {
        String name = uniqueName();
        admin("MariaDB at 127.0.0.1:3306", MARIADB_ADMIN, "root", "CREATE DATABASE " + name);
        return new TestDatabase("jdbc:mariadb://127.0.0.1:3306/" + name + "?sslMode=disable", "root", MARIADB_ADMIN,
                "DROP DATABASE IF EXISTS " + name);
    }

    /** Settings for this database with quick refreshes and a small lockout rule (3 failures in 1 min → 1 min). */
    public DirectoryConfig config() {
        return new DirectoryConfig(url, user, "", Duration.ofMillis(100), 4, true,
                new DirectoryConfig.LockoutConfig(3, Duration.ofMinutes(1), Duration.ofMinutes(1)), null);
    }

    public String url() {
        return url;
    }

    public void drop() {
        if (dropSql != null) {
            admin("the test database server", adminUrl, user, dropSql);
        }
    }

    private static String uniqueName() {
        return "cm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static void admin(String server, String adminUrl, String user, String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, "");
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new AssertionError(server + " is unreachable or refused '" + sql + "': " + e.getMessage()
                    + " -- the directory contract tests need it (CI starts it in .ci/run)", e);
        }
    }
}
