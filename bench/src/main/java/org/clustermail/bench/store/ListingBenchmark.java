package org.clustermail.bench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.clustermail.store.FlagOp;
import org.clustermail.store.Flags;
import org.clustermail.store.MailStore;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.SortKey;
import org.clustermail.store.SummaryPage;
import org.clustermail.store.SystemFlag;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3's listing figures, answered from the index alone: the first page (50 summaries) of a 100,000-message
 * INBOX newest first (by arrival, and sorted by Date, sender, subject), and the unread counts of a mailbox with 20
 * folders. The mailbox is filled through the delivery path (group commit), a third of the messages marked
 * \Seen, 16 user folders created and 200 messages copied into each; then the store is restarted, so the figures
 * are for a mailbox loaded from its index file (the load time is printed once per trial). Each benchmark method
 * runs in its own fork; the filled mailbox is made once per format and reused by the later forks
 * ({@code <bench.dir>/listing-<format>-<messages>/}, left there: {@code bench/store/run-store.sh} removes it).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class ListingBenchmark {

    private static final MailboxOwner OWNER = new MailboxOwner("lister@example.test", 7);

    @Param({"MAILDIR", "MBOX"})
    public String format;

    @Param("100000")
    public int messages;

    private Path dir;
    private MailStore store;
    private Mailbox mailbox;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = BenchData.benchDir().resolve("listing-" + format + "-" + messages);
        StoreConfig config = new StoreConfig(dir, "node01", StoreConfig.Format.valueOf(format),
                StoreConfig.Durability.GROUP_COMMIT, Duration.ofSeconds(5), 100);
        if (!Files.exists(dir.resolve("complete"))) {
            if (Files.exists(dir)) {
                BenchData.deleteTree(dir);
            }
            fill(config);
            Files.createFile(dir.resolve("complete"));
        }
        store = new LocalMailStore(config);
        store.start();
        long t0 = System.nanoTime();
        mailbox = store.open(OWNER);
        System.out.printf("%n[%s] mailbox of %d messages in %d folders loaded from its index in %.1f ms%n", format,
                mailbox.status(Mailbox.INBOX).messages(), mailbox.folders().size(),
                (System.nanoTime() - t0) / 1e6);
    }

    private void fill(StoreConfig config) {
        try (MailStore filling = new LocalMailStore(config)) {
            filling.start();
            BenchData.fill(filling, OWNER, messages, 2048);
            try (Mailbox mb = filling.open(OWNER)) {
                List<Long> seen = new ArrayList<>();
                for (long uid = 1; uid <= messages; uid += 3) {
                    seen.add(uid);
                }
                mb.storeFlags(Mailbox.INBOX, seen, FlagOp.ADD, Flags.of(SystemFlag.SEEN), OptionalLong.empty());
                for (int f = 0; f < 16; f++) {
                    String folder = "Projects/p" + f;
                    mb.createFolder(folder);
                    List<Long> uids = new ArrayList<>();
                    for (long uid = 1 + f; uid <= Math.min(messages, 200L * 16); uid += 16) {
                        uids.add(uid);
                    }
                    mb.copy(Mailbox.INBOX, uids, folder);
                }
            }
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        mailbox.close();
        store.close();
    }

    @Benchmark
    public SummaryPage firstPageNewestArrivalFirst() {
        return mailbox.list(Mailbox.INBOX, SortKey.ARRIVAL, true, 0, 50);
    }

    @Benchmark
    public SummaryPage firstPageNewestDateFirst() {
        return mailbox.list(Mailbox.INBOX, SortKey.DATE, true, 0, 50);
    }

    @Benchmark
    public SummaryPage firstPageBySender() {
        return mailbox.list(Mailbox.INBOX, SortKey.SENDER, false, 0, 50);
    }

    @Benchmark
    public SummaryPage firstPageBySubject() {
        return mailbox.list(Mailbox.INBOX, SortKey.SUBJECT, false, 0, 50);
    }

    @Benchmark
    public Map<String, Integer> unreadCountsOf20Folders() {
        return mailbox.unreadCounts();
    }
}
