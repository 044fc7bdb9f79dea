package org.clustermail.store;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.clustermail.store.engine.LocalMailStore;

/**
 * The process {@link CrashContract} kills: delivers messages with unique ids from several threads, as fast as it
 * can, some to users whose mailbox it creates on the way, and prints {@code ACK <id>} for each delivery only after
 * {@code deliver} returned. Runs until killed.
 * Arguments: data dir, format, durability, first id number.
 */
public final class CrashChild {

    static final List<MailboxOwner> USERS = List.of(new MailboxOwner("u0@example.test", 0),
            new MailboxOwner("u1@example.test", 1), new MailboxOwner("u2@example.test", 301));

    /** Who gets message {@code n}: every seventh a user who has no mailbox yet (so kills hit mailbox creation). */
    static List<MailboxOwner> recipients(long n) {
        if (n % 7 == 3) {
            return List.of(new MailboxOwner("f" + n + "@example.test", n));
        }
        return n % 5 == 0 ? USERS : List.of(USERS.get((int) (n % USERS.size())));
    }

    public static void main(String[] args) throws Exception {
        StoreConfig config = new StoreConfig(Path.of(args[0]), "node01", StoreConfig.Format.valueOf(args[1]),
                StoreConfig.Durability.valueOf(args[2]), Duration.ofMillis(200), 100);
        AtomicLong next = new AtomicLong(Long.parseLong(args[3]));
        PrintStream out = System.out;
        LocalMailStore store = new LocalMailStore(config);
        store.start();
        out.println("READY");
        out.flush();
        for (int t = 0; t < 4; t++) {
            Thread.ofPlatform().start(() -> {
                while (true) {
                    long n = next.getAndIncrement();
                    String id = "k" + n;
                    store.deliver(recipients(n), MessageContent.ofBytes(TestMessages.message(id)), Instant.now());
                    synchronized (out) {
                        out.println("ACK " + id + " " + n);
                        out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
