package org.clustermail.bench.directory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.NodeId;

/**
 * Heap bytes per cached user: fills an embedded H2 database with N users (default 1,000,000), measures the used heap
 * after full GCs, loads the cache, measures again, and prints the difference divided by N. Target: at most 400.
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
        try (DirectoryService s = DirectoryService.open(DirectoryConfig.of(url), List.of(NodeId.of(0), NodeId.of(1)))) {
            s.directory().hasher(); // touch every class the load uses before the baseline
            long before = usedHeapAfterGc();
            long start = System.nanoTime();
            s.directory().reload();
            long loadMs = (System.nanoTime() - start) / 1_000_000;
            long after = usedHeapAfterGc();
            System.out.printf("users=%d loaded_in_ms=%d heap_before=%d heap_after=%d bytes_per_user=%.1f%n",
                    s.directory().size(), loadMs, before, after, (after - before) / (double) s.directory().size());
        }
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
