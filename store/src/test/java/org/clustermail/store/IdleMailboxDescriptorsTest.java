package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.clustermail.store.engine.LocalMailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle mailboxes kept in memory hold no file descriptor, however many are cached: once the journal has applied every
 * copy, no index file stays open. (A mailbox with copies still waiting to be applied keeps its file open; the
 * journal bounds those, see {@code JournalBackpressureTest} and BENCHMARKS.md, "the apply backlog".)
 */
class IdleMailboxDescriptorsTest {

    @Test
    void idleCachedMailboxesHoldNoIndexFileOpen(@TempDir Path dir) throws Exception {
        StoreConfig config = new StoreConfig(dir, "node01", StoreConfig.Format.MAILDIR,
                StoreConfig.Durability.GROUP_COMMIT, Duration.ofMillis(300), 10_000, 1_000_000);
        try (MailStore store = new LocalMailStore(config)) {
            store.start();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 400; i++) {
                        int user = (i * 7 + thread * 13) % 1000;
                        store.deliver(List.of(new MailboxOwner("u" + user + "@example.test", user)),
                                MessageContent.ofBytes(TestMessages.message("m" + thread + "-" + i)), Instant.now());
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            long open = 0;
            for (int wait = 0; wait < 50; wait++) { // the journal applies the last copies shortly after their 250
                open = openIndexFiles(dir);
                if (open == 0) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(open).as("index files open after every delivery was applied").isZero();
        }
    }

    private static long openIndexFiles(Path dir) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    return "";
                }
            }).filter(target -> target.startsWith(dir.toString()) && target.endsWith("clustermail.index")).count();
        }
    }
}
