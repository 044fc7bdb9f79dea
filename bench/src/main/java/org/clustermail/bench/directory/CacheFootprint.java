package org.clustermail.bench.directory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.cache.CachedDirectory;

/**
 * Heap bytes per cached user: fills an embedded H2 database with N users (default 1,000,000),
 * loads the cache, then shuts the database down (so that none of H2's objects remain) and measures the used heap after
 * full GCs with the cache alive and again after dropping it; prints the difference divided by N. Target: at most
 * 400. With {@code histogram} as second argument it also prints the largest live classes while the cache is alive.
 *
 * <p>Run: {@code java -Xmx4g -cp bench/target/benchmarks.jar org.clustermail.bench.directory.CacheFootprint [N]}
 */
public final class CacheFootprint {

    private CacheFootprint() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        String url = "jdbc:h2:mem:footprint;DB_CLOSE_DELAY=-1";
        SyntheticUsers.populate(url, "", n);
        DirectoryService s = DirectoryService.open(DirectoryConfig.of(url), List.of(NodeId.of(0), NodeId.of(1)));
        long start = System.nanoTime();
        s.directory().reload();
        long loadMs = (System.nanoTime() - start) / 1_000_000;
        CachedDirectory cache = s.directory();
        s.close(); // stops the poller and closes the pool; the table stays in memory
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN"); // the in-memory database and all of H2's caches go away
        }
        long withCache = usedHeapAfterGc();
        if (args.length > 1 && args[1].equals("histogram")) { // where the bytes are: the largest classes, live only
            System.out.println(ManagementFactory.getPlatformMBeanServer().invoke(
                    new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()}).toString()
                    .lines().limit(14).collect(java.util.stream.Collectors.joining("\n")));
        }
        int loaded = cache.size();
        cache = null;
        s = null;
        long without = usedHeapAfterGc();
        System.out.printf("users=%d loaded_in_ms=%d heap_with_cache=%d heap_without=%d bytes_per_user=%.1f%n",
                loaded, loadMs, withCache, without, (withCache - without) / (double) loaded);
    }

    static long usedHeapAfterGc() throws InterruptedException {
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // several rounds: one GC may leave garbage another would collect
            System.gc();
            Thread.sleep(200);
            used = Math.min(used, mem.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
