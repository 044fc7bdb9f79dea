package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.clustermail.cli.RoundRobinSenders.Attempt;
import org.clustermail.cli.RoundRobinSenders.Outcome;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.local.LocalCluster;
import org.clustermail.node.local.LocalClusterSpec;
import org.clustermail.node.local.NodePlan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's availability experiment with real processes: three node processes from the shaded jar, SMTP load
 * spread round-robin over all of them to users of every node (Angus Mail), {@code kill -9} of node 2 in the middle,
 * the shared SQL server stopped for a while during the outage, node 2 restarted. Then, read over POP3 by each
 * recipient:
 * <ul>
 *   <li>no transaction with a live node failed (the dead node stalled no one; SQL down changed nothing);</li>
 *   <li>mail accepted for node 2's users during the outage is readable on their secondary node;</li>
 *   <li>after the restart every message that got a 250 is in its recipient's mailbox on the primary exactly once
 *       (hand-back included), and no node holds mail for others any more.</li>
 * </ul>
 */
class AvailabilityIT {

    private static final Path JAR = Path.of("target", "clustermail.jar").toAbsolutePath();
    private static final String DOMAIN = "example.org";
    private static final String PASSWORD = "pw";
    private static final int DEAD = 2;
    private static final Duration EVENTUALLY = Duration.ofSeconds(40);

    @TempDir
    Path dir;

    @Test
    void killNineUnderLoadLosesNothingDuplicatesNothingAndStallsNoOtherNode() throws Exception {
        int base = LocalCluster.freeBasePort(22000 + (int) (ProcessHandle.current().pid() % 15000), 3);
        LocalClusterSpec spec = LocalClusterSpec.of(3, dir.resolve("cluster"), base, JAR)
                .withExtraYaml("retrieval:\n  plaintextOnLoopback: true\n");
        // C1 only: the nodes start in half the CPU time, which on two shared cores is most of this test's time.
        spec = spec.withJvmOptions(java.util.stream.Stream.concat(spec.jvmOptions().stream(),
                java.util.stream.Stream.of("-XX:TieredStopAtLevel=1")).toList());
        try (LocalCluster cluster = new LocalCluster(spec)) {
            cluster.prepare();
            Map<String, UserLocation> users = addUsers(cluster);
            cluster.startAll();
            System.out.println("cluster up " + Instant.now());
            RoundRobinSenders load = new RoundRobinSenders(cluster.plans().stream().map(NodePlan::smtp).toList(),
                    List.copyOf(users.keySet()), 3, 15);
            Instant killed;
            Instant died; // kill -9 takes a few milliseconds: connections made meanwhile still reach the process
            Instant sqlDown;
            Instant sqlUp;
            load.start();
            try {
                awaitAccepted(load, a -> a.node() == DEAD, 20);
                killed = Instant.now();
                cluster.kill(DEAD);
                died = Instant.now();
                awaitAccepted(load, a -> a.start().isAfter(killed), 60);
                sqlDown = Instant.now();
                cluster.stopDirectory();
                awaitStatus(cluster, 1, s -> !s.get("sqlAvailable").asBoolean(), "node 1 notices SQL is down");
                Instant noticed = Instant.now();
                awaitAccepted(load, a -> a.start().isAfter(noticed), 60);
                sqlUp = Instant.now();
                cluster.startDirectory();
                List<Attempt> outage = load.attempts();
                awaitHeldOnSecondaries(cluster, users, outage, died);
                System.out.println("held on secondaries checked " + Instant.now() + "; SQL was down from " + sqlDown
                        + " to " + sqlUp);
                cluster.start(DEAD);
                System.out.println("node " + DEAD + " up again " + Instant.now());
                Thread.sleep(2000);
            } finally {
                load.close();
            }
            List<Attempt> attempts = load.attempts();
            System.out.println(summary(attempts, killed));
            assertThat(attempts).filteredOn(a -> a.node() != DEAD).as("transactions with live nodes")
                    .allSatisfy(a -> assertThat(a.outcome()).as(a.toString()).isEqualTo(Outcome.ACCEPTED));
            assertThat(attempts).filteredOn(a -> a.node() == DEAD && a.outcome() == Outcome.FAILED)
                    .as("the dead node's failures were transactions in flight at the kill")
                    .allSatisfy(a -> assertThat(a.start()).isBefore(died));
            assertThat(attempts).filteredOn(a -> a.outcome() == Outcome.ACCEPTED
                    && a.start().isAfter(sqlDown) && a.end().isBefore(sqlUp)).as("accepted while SQL was down")
                    .isNotEmpty();
            awaitEveryAcceptedMessageOnceOnItsPrimary(cluster, users, attempts);
            for (int n = 1; n <= 3; n++) {
                awaitStatus(cluster, n, s -> s.get("heldMessages").asLong() == 0 && s.get("spooled").asInt() == 0,
                        "node " + n + " holds and spools nothing after the hand-back");
            }
        }
    }

    /** Waits until the load has had {@code count} messages accepted that match. */
    private static void awaitAccepted(RoundRobinSenders load, Predicate<Attempt> which, int count)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(EVENTUALLY);
        while (load.attempts().stream().filter(a -> a.outcome() == Outcome.ACCEPTED && which.test(a)).count() < count) {
            assertThat(Instant.now()).as("load flowing").isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static String summary(List<Attempt> attempts, Instant killed) {
        Map<String, Long> byNodeAndOutcome = attempts.stream().collect(Collectors.groupingBy(
                a -> "node" + a.node() + " " + a.outcome(), TreeMap::new, Collectors.counting()));
        return "transactions " + byNodeAndOutcome + ", killed at " + killed + ", failures " + attempts.stream()
                .filter(a -> a.outcome() == Outcome.FAILED).map(Attempt::detail).toList();
    }

    /** Users drawn at random over the nodes, as in production, until every node owns three. */
    private static Map<String, UserLocation> addUsers(LocalCluster cluster) {
        Map<String, UserLocation> users = new LinkedHashMap<>();
        try (DirectoryService directory = cluster.openDirectory()) {
            directory.admin().addDomain(DOMAIN);
            for (int i = 0; i < 60 && !everyNodeOwns(users, 3); i++) {
                UserLocation l = directory.admin().addUser(MailAddress.parse("user" + i + "@" + DOMAIN),
                        PASSWORD.toCharArray()).location();
                users.put(l.address().toString(), l);
            }
        }
        assertThat(everyNodeOwns(users, 3)).as("users on every node: " + users.keySet()).isTrue();
        return users;
    }

    private static boolean everyNodeOwns(Map<String, UserLocation> users, int count) {
        Map<Integer, Long> owned = users.values().stream()
                .collect(Collectors.groupingBy(l -> l.primary().number(), Collectors.counting()));
        return owned.size() == 3 && owned.values().stream().allMatch(c -> c >= count);
    }

    /**
     * Mail accepted for the dead node's users once it had died (kill -9 returned) is readable on their secondary
     * node (POP3 there).
     */
    private static void awaitHeldOnSecondaries(LocalCluster cluster, Map<String, UserLocation> users,
                                               List<Attempt> attempts, Instant died) throws Exception {
        Map<String, Set<String>> expected = new TreeMap<>();
        for (Attempt a : attempts) {
            if (a.outcome() == Outcome.ACCEPTED && a.start().isAfter(died)) {
                a.recipients().stream().filter(r -> users.get(r).primary().number() == DEAD)
                        .forEach(r -> expected.computeIfAbsent(r, k -> new java.util.TreeSet<>()).add(a.id()));
            }
        }
        assertThat(expected).as("mail for the dead node's users during the outage").isNotEmpty();
        Instant deadline = Instant.now().plus(EVENTUALLY);
        Map<String, List<String>> missing;
        do {
            missing = new TreeMap<>();
            for (Map.Entry<String, Set<String>> e : expected.entrySet()) {
                int secondary = users.get(e.getKey()).secondary().orElseThrow().number();
                List<String> held = LoadIdReader.loadIds(cluster.plan(secondary).pop3(), e.getKey(), PASSWORD);
                List<String> absent = e.getValue().stream().filter(id -> !held.contains(id)).toList();
                if (!absent.isEmpty()) {
                    missing.put(e.getKey() + " on node " + secondary, absent);
                }
            }
        } while (!missing.isEmpty() && pauseUntil(deadline));
        assertThat(missing).as("accepted during the outage but not readable on the secondary").isEmpty();
    }

    /**
     * Every accepted message is in each recipient's mailbox on the primary exactly once; a message whose
     * transaction broke off (no reply) at most once; nothing else is there.
     */
    private static void awaitEveryAcceptedMessageOnceOnItsPrimary(LocalCluster cluster,
                                                                  Map<String, UserLocation> users,
                                                                  List<Attempt> attempts) throws Exception {
        Map<String, Map<String, Outcome>> owed = new HashMap<>();
        for (Attempt a : attempts) {
            if (a.outcome() != Outcome.REFUSED) {
                for (String r : a.recipients()) {
                    owed.computeIfAbsent(r, k -> new HashMap<>()).merge(a.id(), a.outcome(),
                            (x, y) -> x == Outcome.ACCEPTED ? x : y);
                }
            }
        }
        long accepted = attempts.stream().filter(a -> a.outcome() == Outcome.ACCEPTED).count();
        assertThat(accepted).as("messages accepted").isGreaterThan(100);
        Instant deadline = Instant.now().plus(EVENTUALLY);
        List<String> problems;
        do {
            problems = problemsOnPrimaries(cluster, users, owed);
        } while (!problems.isEmpty() && pauseUntil(deadline));
        assertThat(problems).as("lost, duplicated or stray messages on the primaries").isEmpty();
    }

    private static List<String> problemsOnPrimaries(LocalCluster cluster, Map<String, UserLocation> users,
                                                    Map<String, Map<String, Outcome>> owed) throws Exception {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, UserLocation> user : users.entrySet()) {
            int primary = user.getValue().primary().number();
            List<String> ids = LoadIdReader.loadIds(cluster.plan(primary).pop3(), user.getKey(), PASSWORD);
            Map<String, Long> copies = ids.stream().collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            Map<String, Outcome> due = owed.getOrDefault(user.getKey(), Map.of());
            for (Map.Entry<String, Outcome> m : due.entrySet()) {
                long n = copies.getOrDefault(m.getKey(), 0L);
                if (m.getValue() == Outcome.ACCEPTED ? n != 1 : n > 1) {
                    problems.add(user.getKey() + ": " + m.getKey() + " " + m.getValue() + " x" + n);
                }
            }
            copies.keySet().stream().filter(id -> !due.containsKey(id))
                    .forEach(id -> problems.add(user.getKey() + ": " + id + " was never sent to them"));
        }
        return problems;
    }

    private static void awaitStatus(LocalCluster cluster, int node, Predicate<JsonNode> condition, String what)
            throws Exception {
        Instant deadline = Instant.now().plus(EVENTUALLY);
        JsonNode last = null;
        do {
            String json = cluster.status(cluster.plan(node)).orElse(null);
            if (json != null) {
                last = new ObjectMapper().readTree(json);
                if (condition.test(last)) {
                    return;
                }
            }
        } while (pauseUntil(deadline));
        throw new AssertionError(what + "; last status: " + last);
    }

    /** Sleeps a little; false once the deadline has passed. */
    private static boolean pauseUntil(Instant deadline) throws InterruptedException {
        if (Instant.now().isAfter(deadline)) {
            return false;
        }
        Thread.sleep(500);
        return true;
    }
}
