package org.clustermail.bench.paper;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.clustermail.bench.ingress.BenchMessage;

/**
 * The paper's workload generator, one process: sends {@code rate × seconds} messages at a constant rate (open loop:
 * message {@code i} starts at {@code startAt + i/rate} whether or not earlier ones are done), each to a recipient
 * drawn uniformly from {@code user1..userU@DOMAIN} (or, with {@code --each-user-once}, the users in turn: this
 * generator's share of them, every {@code --stride}-th from {@code --first-user}), over connections spread
 * round-robin over the targets (as round-robin DNS spreads clients over nodes). Connections are reused when idle;
 * a new one is opened when none is.
 * A message that cannot start because {@code --max-in-flight} transactions are open waits (its start is late,
 * recorded), so an overloaded server sees a queue, not a slower sender.
 *
 * <p>Writes one CSV line per message to {@code --out}: {@code seq,target,rcpt,sched_us,start_us,end_us,code} (times
 * relative to {@code startAt}; code = the final SMTP reply, 0 = no connection, -1 = connection broke) and prints a
 * one-line summary.
 *
 * <p>usage: {@code RateLoad --targets 127.0.0.1:2525,127.0.0.1:2535 --rate 40 --seconds 10 --users 100000
 * --start-at EPOCH_MS --out FILE [--size 8192] [--domain example.test] [--seed 1] [--first-seq 0]
 * [--max-in-flight 400] [--each-user-once true --first-user 1 --stride 1]}
 */
public final class RateLoad {

    /** A reply code for a message whose connection could not be opened. */
    public static final int NO_CONNECTION = 0;
    /** A reply code for a message whose connection broke during the transaction. */
    public static final int BROKEN = -1;

    private final List<InetSocketAddress> targets = new ArrayList<>();
    private final List<ConcurrentLinkedDeque<Connection>> idle = new ArrayList<>();
    private final Map<String, String> opts;
    private final int size;
    private final String tag;

    private RateLoad(Map<String, String> opts) {
        this.opts = opts;
        for (String t : opts.get("targets").split(",")) {
            int colon = t.lastIndexOf(':');
            targets.add(new InetSocketAddress(t.substring(0, colon), Integer.parseInt(t.substring(colon + 1))));
            idle.add(new ConcurrentLinkedDeque<>());
        }
        this.size = Integer.parseInt(opts.getOrDefault("size", "8192"));
        this.tag = "g" + opts.getOrDefault("seed", "1");
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        for (String required : List.of("targets", "rate", "seconds", "users", "start-at", "out")) {
            if (!opts.containsKey(required)) {
                System.err.println("RateLoad: --" + required + " is required");
                System.exit(2);
            }
        }
        System.out.println(new RateLoad(opts).run());
    }

    private String run() throws Exception {
        double rate = Double.parseDouble(opts.get("rate"));
        int count = (int) Math.round(rate * Double.parseDouble(opts.get("seconds")));
        int users = Integer.parseInt(opts.get("users"));
        long firstSeq = Long.parseLong(opts.getOrDefault("first-seq", "0"));
        String domain = opts.getOrDefault("domain", "example.test");
        Semaphore inFlight = new Semaphore(Integer.parseInt(opts.getOrDefault("max-in-flight", "400")));
        SplittableRandom random = new SplittableRandom(Long.parseLong(opts.getOrDefault("seed", "1")));
        boolean inTurn = Boolean.parseBoolean(opts.getOrDefault("each-user-once", "false"));
        int firstUser = Integer.parseInt(opts.getOrDefault("first-user", "1"));
        int stride = Integer.parseInt(opts.getOrDefault("stride", "1"));
        if (inTurn) {
            count = Math.max(0, (users - firstUser) / stride + 1);
        }
        long[][] records = new long[count][];
        long startAtMillis = Long.parseLong(opts.get("start-at"));
        // One time base: the epoch start converted once to this process's monotonic clock.
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(startAtMillis - System.currentTimeMillis());
        List<Thread> threads = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long sched = t0 + (long) (i * 1e9 / rate);
            long wait = sched - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            int target = (int) ((firstSeq + i) % targets.size());
            int rcpt = inTurn ? firstUser + i * stride : 1 + random.nextInt(users);
            threads.add(Thread.ofVirtual().start(() -> {
                inFlight.acquireUninterruptibly();
                try {
                    long start = System.nanoTime();
                    int code = transaction(target, firstSeq + slot, "user" + rcpt + "@" + domain);
                    long end = System.nanoTime();
                    records[slot] = new long[] {firstSeq + slot, target, rcpt, (sched - t0) / 1000,
                        (start - t0) / 1000, (end - t0) / 1000, code};
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        for (ConcurrentLinkedDeque<Connection> pool : idle) {
            Connection c;
            while ((c = pool.poll()) != null) {
                c.quit();
            }
        }
        int accepted = 0;
        long lastEnd = 0;
        try (BufferedWriter w = Files.newBufferedWriter(Path.of(opts.get("out")), StandardCharsets.US_ASCII)) {
            w.write("seq,target,rcpt,sched_us,start_us,end_us,code\n");
            for (long[] r : records) {
                w.write(r[0] + "," + r[1] + "," + r[2] + "," + r[3] + "," + r[4] + "," + r[5] + "," + r[6] + "\n");
                accepted += r[6] == 250 ? 1 : 0;
                lastEnd = Math.max(lastEnd, r[5]);
            }
        }
        return String.format("sent=%d accepted=%d failed=%d last_end_s=%.3f", count, accepted, count - accepted,
                lastEnd / 1e6);
    }

    /** One SMTP transaction on an idle or new connection to the target; returns the final reply code. */
    private int transaction(int target, long seq, String rcpt) {
        Connection c = idle.get(target).poll();
        if (c == null) {
            try {
                c = Connection.open(targets.get(target));
            } catch (IOException e) {
                return NO_CONNECTION;
            }
        }
        try {
            int code = c.send(rcpt, BenchMessage.data(tag, seq, rcpt, size));
            if (code == 250 || code / 100 == 5 || code / 100 == 4 && c.usable()) {
                idle.get(target).push(c);
            } else {
                c.close();
            }
            return code;
        } catch (IOException e) {
            c.close();
            return BROKEN;
        }
    }

    /** One SMTP client connection (EHLO done). Used by one transaction at a time. */
    private static final class Connection {

        private final Socket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private boolean broken;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = socket.getOutputStream();
        }

        static Connection open(InetSocketAddress address) throws IOException {
            Socket s = new Socket();
            try {
                s.connect(address, 2000);
                s.setTcpNoDelay(true);
                s.setSoTimeout(180_000);
                Connection c = new Connection(s);
                c.expect(220);
                c.write("EHLO load.client.test\r\n");
                c.expect(250);
                return c;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        }

        /** MAIL, RCPT, DATA; RSET after a refusal. */
        int send(String rcpt, byte[] data) throws IOException {
            write("MAIL FROM:<bench@client.test>\r\n");
            int mail = reply();
            if (mail != 250) {
                return giveUp(mail);
            }
            write("RCPT TO:<" + rcpt + ">\r\n");
            int rcptReply = reply();
            if (rcptReply != 250) {
                return giveUp(rcptReply);
            }
            write("DATA\r\n");
            int go = reply();
            if (go != 354) {
                return giveUp(go);
            }
            out.write(data);
            out.flush();
            return reply();
        }

        private int giveUp(int code) throws IOException {
            if (code == 421) {
                broken = true;
                return code;
            }
            write("RSET\r\n");
            reply();
            return code;
        }

        boolean usable() {
            return !broken;
        }

        void quit() {
            try {
                write("QUIT\r\n");
                reply();
            } catch (IOException e) {
                // closing anyway
            }
            close();
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing to do
            }
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private void expect(int code) throws IOException {
            int got = reply();
            if (got != code) {
                throw new IOException("expected " + code + ", got " + got);
            }
        }

        private int reply() throws IOException {
            while (true) {
                String line = in.readLine();
                if (line == null) {
                    broken = true;
                    throw new IOException("connection closed");
                }
                if (line.length() < 4 || line.charAt(3) != '-') {
                    if (line.length() < 3) {
                        throw new IOException("bad reply: " + line);
                    }
                    return Integer.parseInt(line.substring(0, 3));
                }
            }
        }
    }
}
