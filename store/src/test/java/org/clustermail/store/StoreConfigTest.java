package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The idle-mailbox cache fits the heap it runs in. */
class StoreConfigTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void aSmallHeapGetsASmallCacheThatFitsInIt() {
        long heap = 384 * MIB;
        long[] budget = StoreConfig.cacheBudget(heap);
        long cacheBytes = budget[0] * StoreConfig.BYTES_PER_MAILBOX + budget[1] * StoreConfig.BYTES_PER_SUMMARY;
        assertThat(cacheBytes).isLessThanOrEqualTo(heap * 4 / 10);
        assertThat(budget[0]).isBetween(10_000L, 20_000L);
        assertThat(budget[1]).isBetween(100_000L, 150_000L);
    }

    @Test
    void aLargeHeapStopsAtTheFixedBounds() {
        assertThat(StoreConfig.cacheBudget(8192 * MIB)).containsExactly(50_000L, StoreConfig.DEFAULT_MAX_CACHED_MESSAGES);
    }

    @Test
    void aTinyHeapStillKeepsAFloor() {
        assertThat(StoreConfig.cacheBudget(16 * MIB)).containsExactly(1_000L, 10_000L);
    }

    @Test
    void theDefaultsFollowThisJvmsHeap() {
        StoreConfig c = StoreConfig.defaults(Path.of("/tmp/x"), "node01");
        long[] expected = StoreConfig.cacheBudget(Runtime.getRuntime().maxMemory());
        assertThat(c.maxOpenMailboxes()).isEqualTo((int) expected[0]);
        assertThat(c.maxCachedMessages()).isEqualTo(expected[1]);
    }
}
