package org.clustermail.bench.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.clustermail.store.Flags;
import org.clustermail.store.index.Envelope;
import org.clustermail.store.index.IndexFile;
import org.clustermail.store.index.IndexRecord;
import org.clustermail.store.index.StoredMessage;
import org.clustermail.store.index.UserIndex;
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
 * What loading a user's index costs a delivery: reading the index file of a mailbox with {@code messages} messages
 * (8 KB bench-like messages: sender, recipient, subject, message-id and a 200-character preview) and applying its
 * records, with the envelopes decoded (a session's load) or skipped (a load for deliveries, which keeps counters
 * only). The file stays in the page cache, so this is the CPU part of the load.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class IndexLoadBenchmark {

    @Param({"30", "1000"})
    public int messages;

    @Param({"true", "false"})
    public boolean envelopes;

    private Path dir;
    private Path indexPath;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("index-load-");
        indexPath = dir.resolve("clustermail.index");
        List<IndexRecord> records = new ArrayList<>();
        records.add(new IndexRecord.FolderCreated("INBOX", 1, Set.of()));
        Instant now = Instant.now();
        for (int i = 1; i <= messages; i++) {
            Envelope e = new Envelope("Sender " + i + " <sender" + i + "@example.org>",
                    "user" + i + "@example.test", "", "bench message " + i + " of the paper's workload",
                    Optional.of(now), "<" + i + ".bench@example.org>", "", "", false,
                    "x".repeat(Envelope.MAX_PREVIEW));
            records.add(new IndexRecord.MessageAdded("INBOX",
                    new StoredMessage(i, 8192, now, Flags.NONE, i, 0, e)));
        }
        try (IndexFile file = IndexFile.open(indexPath, true).file()) {
            file.append(records);
            file.force();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        BenchData.deleteTree(dir);
    }

    @Benchmark
    public UserIndex load() throws Exception {
        IndexFile.Loaded loaded = IndexFile.open(indexPath, envelopes);
        UserIndex index = envelopes ? new UserIndex() : UserIndex.withoutEnvelopes();
        loaded.records().forEach(index::apply);
        loaded.file().close();
        return index;
    }
}
