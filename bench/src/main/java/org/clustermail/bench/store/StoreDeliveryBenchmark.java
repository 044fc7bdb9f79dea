package org.clustermail.bench.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3's delivery figure: durable delivery of 8 KB messages by 16 concurrent writers to random users, for each
 * format and durability mode. {@link RawDurableWriteBenchmark} measures the disk's per-file limit in the same run.
 * Data goes under {@code -Dbench.dir} (default: java.io.tmpdir), on the disk being measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
public class StoreDeliveryBenchmark {

    @Param({"MAILDIR", "MBOX"})
    public String format;

    @Param({"PER_FILE", "GROUP_COMMIT"})
    public String durability;

    @Param("1000")
    public int users;

    private Path dir;
    private MailStore store;
    private MailboxOwner[] owners;
    private MessageContent message;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory(BenchData.benchDir(), "store-bench-");
        store = new LocalMailStore(new StoreConfig(dir, "node01", StoreConfig.Format.valueOf(format),
                StoreConfig.Durability.valueOf(durability), Duration.ofSeconds(5), users * 2));
        store.start();
        owners = new MailboxOwner[users];
        for (int i = 0; i < users; i++) {
            owners[i] = new MailboxOwner("user" + i + "@example.test", i);
        }
        BenchData.parallel(users, i -> {
            try (Mailbox mb = store.open(owners[i])) {
                mb.status(Mailbox.INBOX); // creates the mailbox, so the measurement sees steady-state delivery
            }
        });
        message = MessageContent.ofBytes(BenchData.message(8192, 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public long deliver() {
        MailboxOwner to = owners[ThreadLocalRandom.current().nextInt(owners.length)];
        return store.deliver(List.of(to), message, Instant.now()).deliveries().get(0).uid();
    }
}
