package org.clustermail.bench.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntConsumer;
import java.util.stream.Stream;
import org.clustermail.store.MailStore;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;

/** Test data and helpers for the store benchmarks. */
final class BenchData {

    private BenchData() {
    }

    /** A plausible message of about {@code size} bytes; {@code seed} varies sender, subject and date. */
    static byte[] message(int size, int seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder(size + 200);
        b.append("From: Sender ").append(r.nextInt(500)).append(" <s").append(r.nextInt(500))
                .append("@example.test>\r\n");
        b.append("To: someone@example.test\r\nSubject: benchmark message ").append(seed).append("\r\n");
        b.append("Date: ").append(1 + r.nextInt(28)).append(" Nov 2026 ").append(10 + r.nextInt(10)).append(':')
                .append(10 + r.nextInt(50)).append(":00 +0000\r\n");
        b.append("Message-ID: <").append(seed).append('.').append(r.nextLong()).append("@example.test>\r\n\r\n");
        while (b.length() < size - 2) {
            b.append("The quick brown fox jumps over the lazy dog ").append(r.nextInt(1000)).append("\r\n");
        }
        return b.substring(0, size - 2).concat("\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** Where benchmark data goes: {@code -Dbench.dir}, else the temporary directory (on this machine, the same disk). */
    static Path benchDir() {
        return Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
    }

    /** Runs {@code task(i)} for i in [0, n) on virtual threads and waits. */
    static void parallel(int n, IntConsumer task) {
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                int k = i;
                ex.submit(() -> task.accept(k));
            }
        }
    }

    /**
     * Delivers {@code count} messages of about {@code size} bytes (varied senders, subjects and dates) to one user
     * through the store's delivery path, 512 at a time, so group commit batches them.
     */
    static void fill(MailStore store, MailboxOwner owner, int count, int size) {
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int from = 0; from < count; from += 512) {
            int base = from;
            parallel(Math.min(512, count - from), i -> store.deliver(List.of(owner),
                    MessageContent.ofBytes(message(size, base + i)), start.plusSeconds(base + i)));
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
