package org.clustermail.bench.directory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.NodeId;
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
 * A node's start-up load: {@code users} users (the paper's 50,000 per node) read from PostgreSQL on 127.0.0.1 into
 * the cache. Single shot, no warm-up, one shot per fork: each shot is a cold JVM, as at a real start. Includes
 * opening the pool and checking the schema ({@code startNode}); {@code loadCache} times the cache load alone (the pool
 * opened and the schema checked beforehand, untimed). Target: at most 2 s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(5)
public class StartupLoadBenchmark {

    @Param("50000")
    int users;

    private String url;
    private DirectoryService opened;

    @Setup(Level.Trial)
    public void populate() throws Exception {
        url = SyntheticUsers.createPostgresDatabase();
        SyntheticUsers.populate(url, "postgres", users);
    }

    @Setup(Level.Iteration)
    public void open() {
        opened = DirectoryService.open(config(), List.of(NodeId.of(0), NodeId.of(1)));
    }

    @TearDown(Level.Iteration)
    public void closeOpened() {
        opened.close();
    }

    @TearDown(Level.Trial)
    public void drop() throws Exception {
        SyntheticUsers.dropPostgresDatabase(url);
    }

    private DirectoryConfig config() {
        return new DirectoryConfig(url, "postgres", "", null, null, null, null, null);
    }

    @Benchmark
    public int startNode() {
        try (DirectoryService s = DirectoryService.open(config(), List.of(NodeId.of(0), NodeId.of(1)))) {
            s.start();
            return checked(s.directory().size());
        }
    }

    @Benchmark
    public int loadCache() {
        opened.directory().reload();
        return checked(opened.directory().size());
    }

    private int checked(int loaded) {
        if (loaded != users) {
            throw new IllegalStateException("loaded " + loaded + " of " + users);
        }
        return loaded;
    }
}
