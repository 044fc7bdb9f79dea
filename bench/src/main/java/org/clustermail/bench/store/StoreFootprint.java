package org.clustermail.bench.store;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * Heap cost of mailboxes kept in memory, to size {@code maxOpenMailboxes} and {@code maxCachedMessages}: loads N
 * empty mailboxes (default 20,000, as many users' first deliveries leave them) and measures the used heap after full
 * GCs with them cached and after the store is closed; then one mailbox with M summaries (default 50,000, 8 KB
 * benchmark messages) the same way. Also shows that the bounds hold: the store is run with room for only a tenth of
 * the empty mailboxes, and the count it keeps is printed.
 *
 * <p>Run: {@code java -Xmx2g -cp bench/target/benchmarks.jar org.clustermail.bench.store.StoreFootprint [N] [M]}
 */
public final class StoreFootprint {

    private StoreFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int mailboxes = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int summaries = args.length > 1 ? Integer.parseInt(args[1]) : 50_000;
        Path dir = Files.createTempDirectory(BenchData.benchDir(), "footprint-");
        try {
            StoreConfig base = new StoreConfig(dir, "node01", StoreConfig.Format.MAILDIR,
                    StoreConfig.Durability.GROUP_COMMIT, Duration.ofSeconds(5), 10);

            long t0 = System.nanoTime();
            perMailbox(base.withCache(mailboxes, Long.MAX_VALUE), mailboxes, "create");
            double createSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("created %d empty mailboxes in %.1f s (%.0f/s, 16 threads)%n", mailboxes,
                    createSeconds, mailboxes / createSeconds);
            long bytes = perMailbox(base.withCache(mailboxes, Long.MAX_VALUE), mailboxes, "load");
            System.out.printf("empty mailboxes in memory: %d, heap %.0f bytes each%n", mailboxes,
                    bytes / (double) mailboxes);
            perMailbox(base.withCache(mailboxes / 10, Long.MAX_VALUE), mailboxes, "bounded");

            MailboxOwner big = new MailboxOwner("big@example.test", 1);
            try (LocalMailStore store = new LocalMailStore(base)) {
                store.start();
                BenchData.fill(store, big, summaries, 8192);
            }
            long before = usedHeapAfterGc();
            try (LocalMailStore store = new LocalMailStore(base)) {
                store.start();
                try (Mailbox mb = store.open(big)) {
                    long with = usedHeapAfterGc();
                    int n = mb.status(Mailbox.INBOX).messages();
                    System.out.printf("one mailbox of %d summaries: heap %.0f bytes per summary%n", n,
                            (with - before) / (double) n);
                }
            }
        } finally {
            BenchData.deleteTree(dir);
        }
    }

    /** Opens and closes every mailbox with 16 threads; returns the heap they hold while cached (if all are). */
    private static long perMailbox(StoreConfig config, int n, String what) throws InterruptedException {
        long before = usedHeapAfterGc();
        try (LocalMailStore store = new LocalMailStore(config)) {
            store.start();
            try (var pool = java.util.concurrent.Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < n; i++) {
                    MailboxOwner owner = new MailboxOwner("u" + i + "@example.test", i);
                    pool.submit(() -> {
                        try (Mailbox mb = store.open(owner)) {
                            mb.status(Mailbox.INBOX);
                        }
                    });
                }
            }
            long with = usedHeapAfterGc();
            LocalMailStore.CacheUse use = store.cacheUse();
            System.out.printf("%s: %d mailboxes opened, %d kept in memory (bound %d)%n", what, n, use.mailboxes(),
                    config.maxOpenMailboxes());
            return with - before;
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // several rounds: one GC may leave garbage another would collect
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
