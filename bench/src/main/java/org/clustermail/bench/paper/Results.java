package org.clustermail.bench.paper;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure of one benchmark run, as written to {@code results.json}. Mutable while the run fills it in. */
final class Results {

    /** One constant-rate window: what was sent, accepted, stored, and how long storing all of it took. */
    record Trial(double rate, double windowSeconds, int sent, int accepted, int failed, long stored,
                 double elapsedSeconds, double messagesPerSecond, boolean keptUp, double clientP50Ms,
                 double clientP99Ms, double lateStartP99Ms, String loadAverage) {
    }

    /** The rate search of one system and the repetitions at the lowest rate within 3% of the most messages/second. */
    record Throughput(String config, int nodes, double bestRate, double mean, double stddev, double min, double max,
                      List<Trial> search, List<Trial> repetitions, Verification verification) {
    }

    /** Whether every accepted message of a system's runs is in a mailbox (counted by the nodes' own status). */
    record Verification(long accepted, long stored, boolean allStored, String how) {
        /** {@code stored} when the nodes did not answer their count. */
        static final long UNKNOWN = -1;
    }

    /** The trimmed mean (top and bottom 10% dropped) of each stage, in milliseconds, for one kind of delivery. */
    record Stages(int samples, double mta, double setup, double store, double transfer, double mtaQueue,
                  double total, double clientTotal) {
    }

    /** Latency by stage of one system: local (owner is the receiving node) and remote deliveries. */
    record Latency(String config, int nodes, Stages local, Stages remote) {
    }

    /** Accepted and failed messages in one second, by the node the connection went to. */
    record Second(int second, int[] accepted, int[] failed) {
    }

    /** A node killed under load: the timeline, and whether everything accepted was stored in the end. */
    record Availability(String config, int nodes, double rate, int killedNode, double killAtSecond,
                        List<Second> timeline, int acceptedBeforeKill, int acceptedAfterKill, int failedAfterKill,
                        int failedAfterKillOnSurvivors, Verification verification) {
    }

    /** Throughput and latency for one message size. */
    record SizeCost(int size, Throughput throughput, double megabytesPerSecond, Latency latency) {
    }

    /** What a number of users costs a node: creating them, starting with them, the lookup, the throughput. */
    record UserCost(int users, double createSeconds, double startSeconds, double heapMiB, Latency latency,
                    Throughput throughput) {
    }

    /** IMAP SELECT and a listing (FETCH of summaries) of an INBOX with this many messages. */
    record MailboxCost(int messages, double fillSeconds, double selectColdMs, double selectMs, double listingMs) {
    }

    record Phase(String name, String started, String loadBefore, String loadAfter, double seconds) {
    }

    final Map<String, Object> run = new LinkedHashMap<>();
    final List<Phase> phases = new ArrayList<>();
    final List<Throughput> throughput = new ArrayList<>();
    final List<Latency> latency = new ArrayList<>();
    final List<Availability> availability = new ArrayList<>();
    final List<SizeCost> messageSize = new ArrayList<>();
    final List<UserCost> users = new ArrayList<>();
    final List<MailboxCost> mailboxSize = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    /**
     * Reads a {@code results.json} back: a run stopped before its end (Ctrl-C, session time) has every finished row
     * there, and {@code --summarize} turns it into the charts and summary the run would have written.
     */
    static Results read(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        JsonNode d = json.readTree(file.toFile());
        Results r = new Results();
        r.run.putAll(json.convertValue(d.path("run"), new TypeReference<Map<String, Object>>() { }));
        r.phases.addAll(list(json, d.path("phases"), Phase.class));
        r.throughput.addAll(list(json, d.path("throughput"), Throughput.class));
        r.latency.addAll(list(json, d.path("latency"), Latency.class));
        r.availability.addAll(list(json, d.path("availability"), Availability.class));
        r.messageSize.addAll(list(json, d.path("cost").path("messageSize"), SizeCost.class));
        r.users.addAll(list(json, d.path("cost").path("users"), UserCost.class));
        r.mailboxSize.addAll(list(json, d.path("cost").path("mailboxSize"), MailboxCost.class));
        r.skipped.addAll(list(json, d.path("skipped"), String.class));
        return r;
    }

    private static <T> List<T> list(ObjectMapper json, JsonNode node, Class<T> type) {
        if (!node.isArray()) {
            return List.of();
        }
        return json.convertValue(node, json.getTypeFactory().constructCollectionType(List.class, type));
    }

    /** The document written to results.json. */
    Map<String, Object> document() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("run", run);
        d.put("phases", phases);
        d.put("throughput", throughput);
        d.put("latency", latency);
        d.put("availability", availability);
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("messageSize", messageSize);
        cost.put("users", users);
        cost.put("mailboxSize", mailboxSize);
        d.put("cost", cost);
        d.put("skipped", skipped);
        return d;
    }
}
