package org.clustermail.bench.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The physical limit the store is compared with: create a file in {@code tmp/}, write 8 KB, fsync, close, rename
 * into {@code new/}, fsync {@code new/} (the Maildir pattern; the same operation as {@code peers/fsync_bench.c}),
 * 16 writers, on the same disk and in the same run as {@link StoreDeliveryBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(16)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
public class RawDurableWriteBenchmark {

    /** The shared directory. */
    @State(Scope.Benchmark)
    public static class Dir {
        Path root;
        final AtomicInteger threads = new AtomicInteger();

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            root = Files.createTempDirectory(BenchData.benchDir(), "raw-bench-");
            Files.createDirectories(root.resolve("tmp"));
            Files.createDirectories(root.resolve("new"));
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            BenchData.deleteTree(root);
        }
    }

    /** One writer's open directory handle and file counter. */
    @State(Scope.Thread)
    public static class Writer {
        int id;
        long n;
        FileChannel newDir;
        final ByteBuffer data = ByteBuffer.wrap(BenchData.message(8192, 2));

        @Setup(Level.Trial)
        public void setUp(Dir dir) throws IOException {
            id = dir.threads.incrementAndGet();
            newDir = FileChannel.open(dir.root.resolve("new"), StandardOpenOption.READ);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws IOException {
            newDir.close();
        }
    }

    @Benchmark
    public void createWriteFsyncRenameDirFsync(Dir dir, Writer w) throws IOException {
        String name = w.id + "." + w.n++;
        Path tmp = dir.root.resolve("tmp").resolve(name);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(w.data.duplicate());
            ch.force(true);
        }
        Files.move(tmp, dir.root.resolve("new").resolve(name), StandardCopyOption.ATOMIC_MOVE);
        w.newDir.force(true);
    }
}
