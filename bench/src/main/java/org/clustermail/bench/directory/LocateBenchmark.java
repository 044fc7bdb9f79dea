package org.clustermail.bench.directory;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.NodeId;
import org.clustermail.directory.UserLocation;
import org.clustermail.directory.cache.CachedDirectory;
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
 * The paper's location query against the in-memory cache holding {@code users} users (loaded from an embedded H2
 * database): a random known address per call, as SMTP RCPT checks do. Target: median at most 1 µs with 1,000,000.
 * {@code bareMapGet} is the reference: a plain {@code ConcurrentHashMap<String, Long>} of the same addresses, looked
 * up the same way, in the same JVM; it shows what the hardware (and the machine's load) allows.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.SampleTime, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class LocateBenchmark {

    @Param("1000000")
    int users;

    private DirectoryService service;
    private CachedDirectory cache;
    private MailAddress[] probes;
    private java.util.concurrent.ConcurrentHashMap<String, Long> bareMap;

    @Setup(Level.Trial)
    public void load() throws Exception {
        String url = "jdbc:h2:mem:locate" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        SyntheticUsers.populate(url, "", users);
        service = DirectoryService.open(DirectoryConfig.of(url), List.of(NodeId.of(0), NodeId.of(1)));
        service.start();
        cache = service.directory();
        if (cache.size() != users) {
            throw new IllegalStateException("cache holds " + cache.size() + " users, expected " + users);
        }
        bareMap = new java.util.concurrent.ConcurrentHashMap<>(users * 4 / 3 + 16);
        for (int i = 0; i < users; i++) {
            bareMap.put(SyntheticUsers.address(i).toString(), (long) i);
        }
        SplittableRandom r = new SplittableRandom(3);
        probes = new MailAddress[1 << 16];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = SyntheticUsers.address(r.nextInt(users));
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        service.close();
    }

    /** Walks the probe array so each call looks up a different user. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public Optional<UserLocation> locate(Cursor c) {
        MailAddress a = probes[c.next++ & (probes.length - 1)];
        return cache.locate(a);
    }

    @Benchmark
    public Long bareMapGet(Cursor c) {
        MailAddress a = probes[c.next++ & (probes.length - 1)];
        return bareMap.get(a.toString());
    }
}
