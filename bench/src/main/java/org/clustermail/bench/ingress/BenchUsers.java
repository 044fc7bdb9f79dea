package org.clustermail.bench.ingress;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.Base64;
import java.util.SplittableRandom;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.sql.Database;

/**
 * Creates the SMTP benchmark's users {@code user1..userN@DOMAIN} (all owned by node 1) in a directory database with
 * plain JDBC batches: the admin API would spend an Argon2 hash per user, and inbound SMTP never checks passwords.
 * Also used by the paper's experiments ({@code org.clustermail.bench.paper}) to spread users over a cluster's nodes.
 *
 * <p>usage: {@code BenchUsers JDBC_URL COUNT [DOMAIN]}
 */
public final class BenchUsers {

    private BenchUsers() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int count = Integer.parseInt(args[1]);
        String domain = args.length > 2 ? args[2] : "example.test";
        try (Database db = Database.open(new DirectoryConfig(url, "", "", null, 2, true, null, null));
             Connection c = db.dataSource().getConnection()) {
            insert(c, domain, count, 1, 11);
        }
        System.out.println("created " + count + " users @" + domain + " in " + url);
    }

    /**
     * Adds the domain and {@code user1..userCOUNT@DOMAIN} in one transaction, with JDBC batches. With one node
     * every user is node 1's, without a secondary; with more, each user's primary node is drawn uniformly (seeded)
     * and its secondary uniformly among the others, as the directory's own assignment does.
     *
     * @return each user's primary node, indexed by the user's number (index 0 unused)
     */
    public static int[] insert(Connection c, String domain, int count, int nodes, long seed) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        int[] primaries = new int[count + 1];
        try (PreparedStatement d = c.prepareStatement("INSERT INTO domains (name, created_ms) VALUES (?, 0)")) {
            d.setString(1, domain);
            d.executeUpdate();
        }
        SplittableRandom random = new SplittableRandom(seed);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO users (address, domain_name, password_hash,"
                + " primary_node, secondary_node, state, created_ms) VALUES (?, ?, ?, ?, ?, 'ACTIVE', 0)")) {
            for (int i = 1; i <= count; i++) {
                int primary = 1 + random.nextInt(nodes);
                primaries[i] = primary;
                ps.setString(1, "user" + i + "@" + domain);
                ps.setString(2, domain);
                ps.setString(3, fakeHash(random));
                ps.setInt(4, primary);
                if (nodes == 1) {
                    ps.setNull(5, Types.INTEGER);
                } else {
                    int secondary = 1 + random.nextInt(nodes - 1);
                    ps.setInt(5, secondary >= primary ? secondary + 1 : secondary);
                }
                ps.addBatch();
                if (i % 5_000 == 0) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE change_counter SET last_change = last_change + 1 WHERE id = 1");
        }
        c.commit();
        c.setAutoCommit(autoCommit);
        return primaries;
    }

    /** A random string shaped like an Argon2id PHC hash (no password matches it). */
    private static String fakeHash(SplittableRandom random) {
        byte[] salt = new byte[16];
        byte[] digest = new byte[32];
        random.nextBytes(salt);
        random.nextBytes(digest);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=19456,t=2,p=1$" + b64.encodeToString(salt) + "$" + b64.encodeToString(digest);
    }
}
