package org.clustermail.bench.ingress;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The SMTP ingress load generator (issue 4's figures), run in its own process against any SMTP server on loopback:
 * S sessions send M messages of exactly SIZE octets to recipients drawn uniformly (seeded) from
 * {@code user1..userU@DOMAIN}, one transaction at a time per session (no pipelining), like the peers' smtp_blast.py.
 *
 * <p>Measures: accepted messages/second; latency from the end of DATA (the final {@code .} written) to the 250
 * reply, p50/p99; and, with {@code --wait-files DIR}, the time until that many new message files exist in
 * {@code new/} or {@code cur/} directories under DIR, i.e. durably stored in the mailboxes. Prints one
 * {@code key=value} line.
 *
 * <p>usage: {@code SmtpLoad --port P [--host 127.0.0.1] [--sessions 4] [--messages 20000] [--users 50000]
 * [--size 8192] [--domain example.test] [--seed 1] [--wait-files DIR] [--label NAME]}; {@code --ports P1,P2,..}
 * instead of {@code --port} spreads the sessions round-robin over several servers (the nodes of a cluster).
 */
public final class SmtpLoad {

    private final Map<String, String> opts;
    private final List<String> recipients = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private volatile String firstError = "";

    private SmtpLoad(Map<String, String> opts) {
        this.opts = opts;
        SplittableRandom random = new SplittableRandom(Long.parseLong(opt("seed", "1")));
        int users = Integer.parseInt(opt("users", "50000"));
        for (int i = 0; i < Integer.parseInt(opt("messages", "20000")); i++) {
            recipients.add("user" + (1 + random.nextInt(users)) + "@" + opt("domain", "example.test"));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        System.out.println(new SmtpLoad(opts).run());
    }

    private String opt(String key, String dflt) {
        return opts.getOrDefault(key, dflt);
    }

    private String run() throws Exception {
        String host = opt("host", "127.0.0.1");
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            throw new IllegalArgumentException("loopback targets only, not " + host);
        }
        int sessions = Integer.parseInt(opt("sessions", "4"));
        Path waitDir = opts.containsKey("wait-files") ? Path.of(opt("wait-files", "")) : null;
        long filesBefore = waitDir == null ? 0 : countMessageFiles(waitDir);
        long cpu0 = cpuNanos();
        long wall0 = System.currentTimeMillis();
        long t0 = System.nanoTime();
        int[] ports = Arrays.stream(opt("ports", opt("port", "25")).split(",")).mapToInt(Integer::parseInt).toArray();
        List<Thread> threads = new ArrayList<>();
        List<long[][]> results = new ArrayList<>();
        for (int s = 0; s < sessions; s++) {
            long[][] out = new long[1][];
            results.add(out);
            int port = ports[s % ports.length];
            threads.add(Thread.ofPlatform().name("load-" + s).start(() -> out[0] = session(host, port)));
        }
        for (Thread t : threads) {
            t.join();
        }
        long acceptedAt = System.nanoTime();
        long[] data = results.stream().map(o -> o[0]).filter(a -> a != null).flatMapToLong(Arrays::stream)
                .toArray();
        int accepted = data.length / 2;
        long[] endOfData = new long[accepted];
        long[] txn = new long[accepted];
        for (int i = 0; i < accepted; i++) {
            endOfData[i] = data[2 * i];
            txn[i] = data[2 * i + 1];
        }
        Arrays.sort(endOfData);
        Arrays.sort(txn);
        double acceptS = (acceptedAt - t0) / 1e9;
        StringBuilder line = new StringBuilder();
        line.append("label=").append(opt("label", "smtp")).append(" sessions=").append(sessions)
                .append(" messages=").append(recipients.size()).append(" accepted=").append(accepted)
                .append(" failed=").append(failed.get())
                .append(String.format(" accept_s=%.3f accepted_msgs_per_s=%.1f", acceptS, accepted / acceptS))
                .append(String.format(" eod_p50_ms=%.2f eod_p99_ms=%.2f", ms(endOfData, 0.50), ms(endOfData, 0.99)))
                .append(String.format(" txn_p50_ms=%.2f txn_p99_ms=%.2f", ms(txn, 0.50), ms(txn, 0.99)));
        line.append(String.format(" client_cpu_s=%.2f", (cpuNanos() - cpu0) / 1e9));
        if (waitDir != null) {
            System.out.println(line + " (waiting for the stored files)");
            double storedS = Math.max(acceptS, (waitForFiles(waitDir, filesBefore + accepted) - wall0) / 1e3);
            line.append(String.format(" stored_s=%.3f stored_msgs_per_s=%.1f", storedS, accepted / storedS));
        }
        line.append(" first_error=").append(firstError.replace(' ', '_'));
        return line.toString();
    }

    /** One session: returns pairs (end-of-DATA latency, transaction latency) in nanoseconds, per accepted message. */
    private long[] session(String host, int port) {
        long[] lat = new long[2 * recipients.size()];
        int n = 0;
        try (Socket socket = new Socket(host, port)) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(300_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            OutputStream out = socket.getOutputStream();
            expect(in, 220);
            send(out, "EHLO load.client.test\r\n");
            expect(in, 250);
            int i;
            while ((i = next.getAndIncrement()) < recipients.size()) {
                String rcpt = recipients.get(i);
                long t0 = System.nanoTime();
                send(out, "MAIL FROM:<bench@client.test>\r\n");
                int c1 = reply(in);
                send(out, "RCPT TO:<" + rcpt + ">\r\n");
                int c2 = reply(in);
                if (c1 != 250 || c2 != 250) {
                    fail("MAIL/RCPT " + c1 + "/" + c2);
                    send(out, "RSET\r\n");
                    reply(in);
                    continue;
                }
                send(out, "DATA\r\n");
                if (reply(in) != 354) {
                    fail("DATA refused");
                    continue;
                }
                out.write(message(i, rcpt));
                out.flush();
                long eod = System.nanoTime();
                int c4 = reply(in);
                long end = System.nanoTime();
                if (c4 == 250) {
                    lat[n++] = end - eod;
                    lat[n++] = end - t0;
                } else {
                    fail("end of data " + c4);
                }
            }
            send(out, "QUIT\r\n");
            reply(in);
        } catch (IOException e) {
            fail(e.toString());
        }
        return Arrays.copyOf(lat, n);
    }

    private void fail(String what) {
        failed.incrementAndGet();
        if (firstError.isEmpty()) {
            firstError = what;
        }
    }

    private byte[] message(int i, String rcpt) {
        return BenchMessage.data(opt("seed", "1"), i, rcpt, Integer.parseInt(opt("size", "8192")));
    }

    /** Writes an SMTP command line (or lines), flushed. */
    public static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Reads one SMTP reply (all its lines) and returns its code. */
    public static int reply(BufferedReader in) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed");
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return Integer.parseInt(line.substring(0, 3));
            }
        }
    }

    private static void expect(BufferedReader in, int code) throws IOException {
        int got = reply(in);
        if (got != code) {
            throw new IOException("expected " + code + ", got " + got);
        }
    }

    private static double ms(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))] / 1e6;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * Polls until {@code target} message files exist under {@code dir}, then returns the newest file's change time
     * (the moment the last message was renamed into place, as the peers' e2e.py takes it), in epoch milliseconds.
     * Each scan walks the whole tree, so scans are spaced to use at most a third of the time.
     */
    private static long waitForFiles(Path dir, long target) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 900_000_000_000L;
        while (System.nanoTime() < deadline) {
            long scanStart = System.nanoTime();
            Scan scan = scan(dir);
            if (scan.files() >= target) {
                return scan.newestChangeMillis();
            }
            Thread.sleep(Math.max(200, 2 * (System.nanoTime() - scanStart) / 1_000_000));
        }
        throw new IOException("timed out waiting for " + target + " message files under " + dir);
    }

    private record Scan(long files, long newestChangeMillis) {
    }

    private static long countMessageFiles(Path dir) throws IOException {
        return scan(dir).files();
    }

    /** Regular files in directories named {@code new} or {@code cur} (Maildir) under {@code dir}, newest ctime. */
    private static Scan scan(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return new Scan(0, 0);
        }
        long[] acc = new long[2];
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a)
                    throws IOException {
                Path parent = file.getParent();
                String name = parent == null ? "" : parent.getFileName().toString();
                if (a.isRegularFile() && (name.equals("new") || name.equals("cur"))) {
                    Object ctime;
                    try {
                        ctime = Files.getAttribute(file, "unix:ctime");
                    } catch (java.nio.file.NoSuchFileException e) {
                        return java.nio.file.FileVisitResult.CONTINUE; // renamed meanwhile: the next scan counts it
                    }
                    acc[0]++;
                    acc[1] = Math.max(acc[1], ((java.nio.file.attribute.FileTime) ctime).toMillis());
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof java.nio.file.NoSuchFileException) {
                    return java.nio.file.FileVisitResult.CONTINUE; // a server's lock or temporary file, gone meanwhile
                }
                throw e;
            }
        });
        return new Scan(acc[0], acc[1]);
    }
}
