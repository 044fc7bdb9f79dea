package org.clustermail.bench.paper;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.bench.ingress.BenchMessage;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.node.local.NodePlan;
import org.clustermail.store.MailStore;
import org.clustermail.store.MailboxOwner;
import org.clustermail.store.MessageContent;
import org.clustermail.store.StoreConfig;
import org.clustermail.store.engine.LocalMailStore;

/**
 * How cost grows (the thesis's table over message sizes; the paper's 50,000 users per node scaled up; mailbox
 * size), on one version-2 node: throughput and latency per message size; user creation, node start, heap, lookup
 * (setup stage) and throughput per number of users; IMAP SELECT and a summary listing per INBOX size.
 */
final class CostGrowth {

    private static final String READER = "reader@" + ClusterSystem.DOMAIN;
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)\\}$");

    private final PaperBench options;
    private final Throughput throughput;
    private final StageLatency latency;
    private final Progress progress;
    private final Results results;
    private final Experiments experiments;

    CostGrowth(PaperBench options, Throughput throughput, StageLatency latency, Progress progress, Results results,
               Experiments experiments) {
        this.options = options;
        this.throughput = throughput;
        this.latency = latency;
        this.progress = progress;
        this.results = results;
        this.experiments = experiments;
    }

    void messageSizes() throws Exception {
        progress.step("cost: message size");
        try (ClusterSystem system = experiments.cluster("version2", 1, options.usersPerNode, options.nodeHeap, "")) {
            boolean first = true;
            for (int size : options.sizes) {
                // Only the first size warms the mailboxes up; the later ones find them in place.
                Throughput.Settings s = first ? experiments.settings(size, 1, options.usersPerNode)
                        : experiments.coldSettings(size, 1, options.usersPerNode);
                first = false;
                Results.Throughput t = throughput.search(system, s, "size" + size);
                Results.Latency l = latency.measure(system, options.latencyMessages, options.latencyRate,
                        options.usersPerNode, size, "size" + size + "-latency");
                results.messageSize.add(new Results.SizeCost(size, t, Stats.round(t.mean() * size / 1e6, 3), l));
                options.writeJson();
            }
        }
    }

    void users() throws Exception {
        for (int users : options.userCounts) {
            progress.step("cost: " + users + " users");
            String heap = users >= 500_000 ? "1g" : options.nodeHeap;
            long t0 = System.nanoTime();
            try (ClusterSystem system = experiments.cluster("version2", 1, users, heap, "")) {
                double setupSeconds = (System.nanoTime() - t0) / 1e9;
                NodePlan node = system.cluster().plan(1);
                double heapMiB = system.metric(node, "jvm_memory_used_bytes", "area=\"heap\"").orElse(0.0)
                        / (1024 * 1024);
                Results.Latency l = latency.measure(system, options.latencyMessages, options.latencyRate, users,
                        options.size, "users" + users + "-latency");
                Results.Throughput t = throughput.search(system, experiments.coldSettings(options.size, 1, users),
                        "users" + users);
                results.users.add(new Results.UserCost(users, Stats.round(system.createSeconds(), 2),
                        Stats.round(system.startSeconds(), 2), Stats.round(heapMiB, 1), l, t));
                progress.note(String.format("  %d users: created in %.1f s, node up in %.1f s (all %.1f s)", users,
                        system.createSeconds(), system.startSeconds(), setupSeconds));
            }
            options.writeJson();
        }
    }

    void mailboxes() throws Exception {
        progress.step("cost: mailbox size");
        String yaml = "retrieval:\n  plaintextOnLoopback: true\n";
        try (ClusterSystem system = experiments.cluster("version2", 1, 10, options.nodeHeap, yaml)) {
            String password = "bench-" + Long.toHexString(System.nanoTime());
            long serial;
            try (DirectoryService d = system.cluster().openDirectory()) {
                serial = d.admin().addUser(MailAddress.parse(READER), password.toCharArray()).location().serial();
            }
            NodePlan node = system.cluster().plan(1);
            MailboxOwner owner = new MailboxOwner(READER, serial);
            int have = 0;
            for (int size : options.mailboxSizes.stream().sorted().toList()) {
                progress.detail("filling the INBOX to " + size + " messages");
                system.cluster().stop(1);
                long t0 = System.nanoTime();
                fill(node, owner, have, size);
                double fillSeconds = (System.nanoTime() - t0) / 1e9;
                have = size;
                system.cluster().start(1);
                progress.detail("IMAP SELECT and listing of " + size + " messages");
                results.mailboxSize.add(measureImap(node, password, size, fillSeconds));
                options.writeJson();
            }
        }
    }

    /** Delivers messages {@code from+1..to} of 2 KB into the owner's INBOX through the store, node stopped. */
    private static void fill(NodePlan node, MailboxOwner owner, int from, int to) throws InterruptedException {
        try (MailStore store = new LocalMailStore(StoreConfig.defaults(node.dataDir(), node.id().directoryName()))) {
            store.start();
            List<Thread> batch = new ArrayList<>();
            for (int i = from + 1; i <= to; i++) {
                byte[] data = BenchMessage.data("fill", i, READER, 2048);
                byte[] message = Arrays.copyOf(data, data.length - 3); // without the SMTP end-of-data line
                batch.add(Thread.ofVirtual().start(() -> store.deliver(List.of(owner),
                        MessageContent.ofBytes(message), Instant.now())));
                if (batch.size() == 512) {
                    for (Thread t : batch) {
                        t.join();
                    }
                    batch.clear();
                }
            }
            for (Thread t : batch) {
                t.join();
            }
        }
    }

    private static Results.MailboxCost measureImap(NodePlan node, String password, int size, double fillSeconds)
            throws IOException {
        try (Socket s = new Socket(NodePlan.HOST, node.imap())) {
            s.setSoTimeout(600_000);
            InputStream in = new BufferedInputStream(s.getInputStream(), 1 << 16);
            OutputStream out = s.getOutputStream();
            readLine(in);
            command(in, out, "l", "LOGIN " + READER + " " + password);
            double cold = command(in, out, "s0", "SELECT INBOX");
            double[] select = new double[3];
            for (int i = 0; i < select.length; i++) {
                select[i] = command(in, out, "s" + (i + 1), "SELECT INBOX");
            }
            double[] listing = new double[3];
            for (int i = 0; i < listing.length; i++) {
                listing[i] = command(in, out, "f" + i, "FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)");
            }
            command(in, out, "q", "LOGOUT");
            Arrays.sort(select);
            Arrays.sort(listing);
            return new Results.MailboxCost(size, Stats.round(fillSeconds, 2), Stats.round(cold, 2),
                    Stats.round(select[1], 2), Stats.round(listing[1], 2));
        }
    }

    /** Sends one command and reads to its tagged reply (skipping literals); the time taken in ms. */
    private static double command(InputStream in, OutputStream out, String tag, String command) throws IOException {
        long t0 = System.nanoTime();
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            String line = readLine(in);
            Matcher m = LITERAL.matcher(line);
            if (m.find()) {
                in.skipNBytes(Long.parseLong(m.group(1)));
                continue;
            }
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException(command + ": " + line);
                }
                return (System.nanoTime() - t0) / 1e6;
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        if (c == -1 && b.size() == 0) {
            throw new IOException("connection closed");
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
