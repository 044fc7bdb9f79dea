package org.clustermail.bench.ingress;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * Creates the (empty) mailbox of every user of a directory database in a node's store, before a measured run, as
 * the peers' e2e.py creates every user's empty Maildir before it measures Dovecot: both stacks then start from
 * empty, existing mailboxes.
 *
 * <p>usage: {@code BenchMailboxes JDBC_URL DATA_DIR [NODE_DIR=node01]}
 */
public final class BenchMailboxes {

    private BenchMailboxes() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        int n = 0;
        try (MailStore store = new LocalMailStore(StoreConfig.defaults(Path.of(args[1]),
                args.length > 2 ? args[2] : "node01"));
             Connection c = DriverManager.getConnection(args[0], "", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT address, serial FROM users ORDER BY serial")) {
            store.start();
            while (rs.next()) {
                try (Mailbox mailbox = store.open(new MailboxOwner(rs.getString(1), rs.getLong(2)))) {
                    mailbox.status(Mailbox.INBOX);
                }
                n++;
            }
        }
        System.out.printf("created %d mailboxes in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
}
