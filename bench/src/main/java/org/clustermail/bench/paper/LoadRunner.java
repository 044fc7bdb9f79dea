package org.clustermail.bench.paper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/**
 * Runs the load generators ({@link RateLoad}), each its own JVM from the benchmark jar (on the generators' cores when
 * pinning), for one constant-rate window, and collects their per-message records. The rate is split evenly over
 * the generators; each starts its round-robin at a different node. The raw CSV files are kept gzipped.
 */
final class LoadRunner {

    /** One message as a generator saw it; times in microseconds from the common start. */
    record Record(long seq, int target, int rcpt, long schedUs, long startUs, long endUs, int code) {

        boolean accepted() {
            return code == 250;
        }
    }

    /** Everything one window sent. */
    record Window(long startAtMillis, double rate, double seconds, List<Record> records) {

        int accepted() {
            return (int) records.stream().filter(Record::accepted).count();
        }

        /** When the last message was scheduled, in seconds from the start. */
        double lastScheduledSeconds() {
            return records.stream().mapToLong(Record::schedUs).max().orElse(0) / 1e6;
        }
    }

    private final Path benchJar;
    private final Path java;
    private final Cores cores;
    private final Path rawDir;
    private final int generators;
    private final int maxInFlight;

    LoadRunner(Path benchJar, Path java, Cores cores, Path rawDir, int generators, int maxInFlight) {
        this.benchJar = benchJar;
        this.java = java;
        this.cores = cores;
        this.rawDir = rawDir;
        this.generators = generators;
        this.maxInFlight = maxInFlight;
    }

    /** Sends {@code rate × seconds} messages of {@code size} octets to users 1..users, starting 3 s from now. */
    Window run(SystemUnderTest system, double rate, double seconds, int users, int size, String label) {
        return run(system, rate, seconds, users, size, label, System.currentTimeMillis() + 3000);
    }

    Window run(SystemUnderTest system, double rate, double seconds, int users, int size, String label,
               long startAtMillis) {
        return run(system, rate, seconds, users, size, label, startAtMillis, false);
    }

    /**
     * One message to each of users 1..users, at {@code rate}, starting 3 s from now: the generators take the users
     * in turn (generator k of g: users k+1, k+1+g, ...), so every mailbox exists before anything is measured.
     */
    Window eachUserOnce(SystemUnderTest system, double rate, int users, int size, String label) {
        return run(system, rate, users / rate, users, size, label, System.currentTimeMillis() + 3000, true);
    }

    private Window run(SystemUnderTest system, double rate, double seconds, int users, int size, String label,
                       long startAtMillis, boolean eachUserOnce) {
        try {
            Files.createDirectories(rawDir);
            String targets = system.smtpTargets().stream().map(a -> a.getHostString() + ":" + a.getPort())
                    .collect(Collectors.joining(","));
            int g = Math.max(1, Math.min(generators, (int) Math.ceil(rate)));
            int open = Math.min(maxInFlight, system.maxOpenTransactions());
            List<Process> processes = new ArrayList<>();
            List<Path> outputs = new ArrayList<>();
            for (int k = 0; k < g; k++) {
                Path out = rawDir.resolve(label + "-g" + (k + 1) + ".csv");
                outputs.add(out);
                List<String> cmd = new ArrayList<>(cores.generatorPrefix());
                cmd.addAll(List.of(java.toString(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", benchJar.toString(),
                        RateLoad.class.getName(), "--targets", targets, "--rate", Double.toString(rate / g),
                        "--seconds", Double.toString(seconds), "--users", Integer.toString(users),
                        "--size", Integer.toString(size), "--domain", ClusterSystem.DOMAIN,
                        "--seed", Long.toString(label.hashCode() * 31L + k), "--first-seq", Integer.toString(k),
                        "--start-at", Long.toString(startAtMillis), "--out", out.toString(),
                        "--max-in-flight", Integer.toString(Math.max(1, open / g))));
                if (eachUserOnce) {
                    cmd.addAll(List.of("--each-user-once", "true", "--first-user", Integer.toString(k + 1),
                            "--stride", Integer.toString(g)));
                }
                processes.add(new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(rawDir.resolve("generators.log").toFile()))
                        .start());
            }
            long limit = (long) (seconds + 3 + 900);
            for (Process p : processes) {
                if (!p.waitFor(limit, TimeUnit.SECONDS)) {
                    processes.forEach(Process::destroyForcibly);
                    throw new IllegalStateException("a load generator did not finish within " + limit + " s");
                }
                if (p.exitValue() != 0) {
                    throw new IllegalStateException("a load generator failed (status " + p.exitValue() + "); see "
                            + rawDir.resolve("generators.log"));
                }
            }
            List<Record> records = new ArrayList<>();
            for (Path out : outputs) {
                records.addAll(read(out));
                gzip(out);
            }
            return new Window(startAtMillis, rate, seconds, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static List<Record> read(Path csv) throws IOException {
        List<Record> records = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(csv, StandardCharsets.US_ASCII)) {
            r.readLine();
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",");
                records.add(new Record(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Long.parseLong(f[3]), Long.parseLong(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6])));
            }
        }
        return records;
    }

    private static void gzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file);
             OutputStream out = new GZIPOutputStream(Files.newOutputStream(file.resolveSibling(file.getFileName()
                     + ".gz")))) {
            in.transferTo(out);
        }
        Files.delete(file);
    }
}
