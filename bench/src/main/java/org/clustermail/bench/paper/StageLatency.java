package org.clustermail.bench.paper;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The paper's latency by stage (section 5.2, Figs. 8 and 9): at a light load, enough messages that at least
 * {@code perKind} are local deliveries (the recipient's owner is the node that received the message) and as many
 * remote ones; each node's per-message log line gives the MTA, setup, store and transfer times; the figure per stage
 * is the mean of {@code perKind} messages without the top and bottom 10%. With Postfix in front, the MTA stage adds
 * Postfix's own part (its log's {@code delays=a/b/c/d}: before the queue manager, in the queue, connection setup)
 * to the node's LMTP receiving time. The generators' view (MAIL FROM to the 250 after the data) comes alongside.
 */
final class StageLatency {

    private static final Pattern STAGE_LINE = Pattern.compile("message \\S+ from=<[^>]*> rcpts=(\\d+) size=\\d+ "
            + "mta=([\\d.,]+)ms setup=([\\d.,]+)ms store=([\\d.,]+)ms transfer=([\\d.,]+)ms delivered=(\\d+) "
            + "failed=(\\d+)");
    private static final Pattern DELAYS = Pattern.compile("delays=([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+)");

    /** One delivery's stage times in milliseconds. */
    record Sample(double mta, double setup, double store, double transfer) {

        boolean remote() {
            return transfer > 0;
        }
    }

    private final Throughput throughput;
    private final Progress progress;

    StageLatency(Throughput throughput, Progress progress) {
        this.throughput = throughput;
        this.progress = progress;
    }

    Results.Latency measure(ClusterSystem system, int perKind, double ratePerNode, int users, int size,
                            String label) {
        int n = system.nodes();
        int count = (int) Math.ceil(perKind * 1.3 * n);
        double rate = ratePerNode * n;
        progress.detail("latency: " + count + " messages at " + rate + " msg/s");
        system.markLogs();
        throughput.trial(system, rate, new Throughput.Settings(count / rate, 1, 0, 0, users, size, 0), label);
        LoadRunner.Window window = throughput.lastWindow();
        List<Sample> samples = parse(system.stageLines());
        List<Double> queue = postfixQueue(system.maillogLines());
        List<Sample> local = samples.stream().filter(s -> !s.remote()).limit(perKind).toList();
        List<Sample> remote = samples.stream().filter(Sample::remote).limit(perKind).toList();
        int[] owners = system.primaries();
        List<Double> clientLocal = new ArrayList<>();
        List<Double> clientRemote = new ArrayList<>();
        for (LoadRunner.Record r : window.records()) {
            if (r.accepted()) {
                (owners[r.rcpt()] == r.target() + 1 ? clientLocal : clientRemote).add((r.endUs() - r.startUs()) / 1e3);
            }
        }
        return new Results.Latency(system.config(), n, stages(local, queue, clientLocal),
                n > 1 ? stages(remote, queue, clientRemote) : null);
    }

    static List<Sample> parse(List<String> lines) {
        List<Sample> samples = new ArrayList<>();
        for (String line : lines) {
            Matcher m = STAGE_LINE.matcher(line);
            if (m.find() && Integer.parseInt(m.group(6)) > 0 && Integer.parseInt(m.group(7)) == 0) {
                samples.add(new Sample(ms(m.group(2)), ms(m.group(3)), ms(m.group(4)), ms(m.group(5))));
            }
        }
        return samples;
    }

    /** Postfix's part of the MTA stage per delivered message: delays a+b+c (seconds in the log), in ms. */
    static List<Double> postfixQueue(List<String> maillog) {
        List<Double> queue = new ArrayList<>();
        for (String line : maillog) {
            if (!line.contains("status=sent")) {
                continue;
            }
            Matcher m = DELAYS.matcher(line);
            if (m.find()) {
                queue.add(1000 * (Double.parseDouble(m.group(1)) + Double.parseDouble(m.group(2))
                        + Double.parseDouble(m.group(3))));
            }
        }
        return queue;
    }

    private static Results.Stages stages(List<Sample> samples, List<Double> postfixQueue, List<Double> client) {
        if (samples.isEmpty()) {
            return null;
        }
        double mta = Stats.trimmedMean(samples.stream().map(Sample::mta).toList());
        double setup = Stats.trimmedMean(samples.stream().map(Sample::setup).toList());
        double store = Stats.trimmedMean(samples.stream().map(Sample::store).toList());
        double transfer = Stats.trimmedMean(samples.stream().map(Sample::transfer).toList());
        double queue = postfixQueue.isEmpty() ? 0 : Stats.trimmedMean(postfixQueue);
        double total = Stats.trimmedMean(samples.stream().map(s -> s.mta() + s.setup() + s.store() + s.transfer())
                .toList()) + queue;
        return new Results.Stages(samples.size(), Stats.round(mta, 3), Stats.round(setup, 3), Stats.round(store, 3),
                Stats.round(transfer, 3), Stats.round(queue, 3), Stats.round(total, 3),
                client.isEmpty() ? 0 : Stats.round(Stats.trimmedMean(client), 3));
    }

    private static double ms(String text) {
        return Double.parseDouble(text.replace(',', '.'));
    }
}
