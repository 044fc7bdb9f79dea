package org.clustermail.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.clustermail.bench.ingress.SmtpLoad;

/**
 * Sends small messages one after another over one SMTP session to a node, each to the next of the given users,
 * and records when each transaction started and ended and its reply code: the trace from which the failover time
 * is read. A session that breaks is reopened. Lifecycle: {@link #start}, {@link #stop}. Thread-safe.
 */
final class FailoverProbe {

    /** One transaction: System.nanoTime() at MAIL FROM and at the final reply, and that reply's code. */
    record Transaction(long start, long end, int code) {
    }

    private final int port;
    private final List<String> users;
    private final ConcurrentLinkedQueue<Transaction> trace = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private Thread thread;

    FailoverProbe(int port, List<String> users) {
        this.port = port;
        this.users = List.copyOf(users);
    }

    void start() {
        thread = Thread.ofPlatform().name("failover-probe").start(this::probe);
    }

    List<Transaction> stop() throws InterruptedException {
        running = false;
        thread.join();
        return List.copyOf(trace);
    }

    private void probe() {
        int n = 0;
        while (running) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(120_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                SmtpLoad.reply(in);
                SmtpLoad.send(out, "EHLO probe.test\r\n");
                SmtpLoad.reply(in);
                while (running) {
                    String rcpt = users.get(n++ % users.size());
                    long start = System.nanoTime();
                    SmtpLoad.send(out, "MAIL FROM:<probe@client.test>\r\nRCPT TO:<" + rcpt + ">\r\nDATA\r\n");
                    int mail = SmtpLoad.reply(in);
                    int rcptCode = SmtpLoad.reply(in);
                    int data = SmtpLoad.reply(in);
                    int code = data;
                    if (data == 354) {
                        SmtpLoad.send(out, "Subject: probe " + n + "\r\n\r\nprobe " + n + "\r\n.\r\n");
                        code = SmtpLoad.reply(in);
                    }
                    trace.add(new Transaction(start, System.nanoTime(), mail != 250 ? mail : rcptCode != 250
                            ? rcptCode : code));
                }
            } catch (IOException e) {
                trace.add(new Transaction(System.nanoTime(), System.nanoTime(), -1));
            }
        }
    }
}
