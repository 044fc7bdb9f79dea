package org.clustermail.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserLocation;
import org.clustermail.node.local.LocalCluster;
import org.clustermail.node.local.LocalClusterSpec;
import org.clustermail.node.local.NodePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clustermail demo --nodes N}: a whole cluster on this machine — an H2 directory server and N separate node
 * processes on 127.0.0.1 — with demo users spread over the nodes; prints every endpoint and how to send and read
 * mail, and runs until Ctrl-C, which stops every node and the directory server. A second run on the same directory
 * resumes where the first stopped (mailboxes, spool, held mail, users).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run a local cluster of N node processes until Ctrl-C.")
final class DemoCommand implements Callable<Integer> {

    static final String DOMAIN = "example.test";
    private static final List<String> NAMES = List.of("alice", "bob", "carol", "dave", "erin", "frank", "grace",
            "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor",
            "walter", "yvonne");

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "number of nodes (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--dir", defaultValue = "demo-cluster",
            description = "where the nodes keep their data and logs (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--base-port", defaultValue = "12500",
            description = "first port; node K uses base+10(K-1) .. +8 (default: ${DEFAULT-VALUE})")
    int basePort;

    @Option(names = "--mode", defaultValue = "version2", description = "delivery mode: version2, version1 or shared-store")
    String mode;

    @Option(names = "--restart-after", defaultValue = "20", paramLabel = "SECONDS",
            description = "start a node that died again after this long; 0: never (default: ${DEFAULT-VALUE})")
    int restartAfter;

    @Override
    public Integer call() throws Exception {
        Path jar = ownJar();
        if (!LocalCluster.portsFree(basePort, nodes)) {
            throw new CliException("ports " + basePort + ".." + (basePort + NodePlan.PORTS_PER_NODE * nodes - 1)
                    + " are not all free; choose another --base-port");
        }
        PrintWriter out = spec.commandLine().getOut();
        LocalCluster cluster = new LocalCluster(LocalClusterSpec.of(nodes, dir, basePort, jar).withMode(mode));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("stopping the cluster...");
            out.flush();
            cluster.close();
            stopped.countDown();
        }, "demo-stop"));
        cluster.prepare();
        String password = setUpUsers(cluster, out);
        out.printf("starting %d node processes (logs: %s/nodeK.log)...%n", nodes, dir);
        out.flush();
        cluster.startAll();
        printEndpoints(out, cluster, password);
        watch(cluster, stopped, out);
        return 0;
    }

    /** Until Ctrl-C: a node that dies (say, kill -9) is reported and, if asked, started again after a while. */
    private void watch(LocalCluster cluster, CountDownLatch stopped, PrintWriter out) throws InterruptedException {
        long[] restartAt = new long[nodes + 1];
        while (!stopped.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            for (int n = 1; n <= nodes; n++) {
                if (cluster.running(n) || stopped.getCount() == 0) {
                    continue;
                }
                if (restartAt[n] == 0) {
                    restartAt[n] = System.nanoTime() + restartAfter * 1_000_000_000L;
                    out.printf("node %d exited; %s%n", n, restartAfter > 0 ? "starting it again in " + restartAfter
                            + " s (its users' mail goes to their secondaries meanwhile)" : "not restarting it");
                    out.flush();
                } else if (restartAfter > 0 && System.nanoTime() > restartAt[n]) {
                    restartAt[n] = 0;
                    try {
                        cluster.start(n);
                        out.printf("node %d is up again; held mail is handed back to it%n", n);
                    } catch (RuntimeException e) {
                        out.printf("node %d did not start again: %s%n", n, e.getMessage());
                    }
                    out.flush();
                }
            }
        }
    }

    /** Creates the demo domain and users on first run (spread at random, at least two per node); the password. */
    private String setUpUsers(LocalCluster cluster, PrintWriter out) throws Exception {
        Path secret = dir.resolve("demo-password.txt");
        try (DirectoryService d = cluster.openDirectory()) {
            if (!d.admin().domains().isEmpty()) {
                return Files.readString(secret, StandardCharsets.UTF_8).strip();
            }
            d.admin().addDomain(DOMAIN);
            String password = randomPassword();
            Files.writeString(secret, password + "\n");
            int[] owned = new int[nodes + 1];
            for (int i = 0; i < 10 * nodes && (i < NAMES.size() || min(owned) < 2); i++) {
                String name = i < NAMES.size() ? NAMES.get(i) : "user" + i;
                UserLocation l = d.admin().addUser(MailAddress.parse(name + "@" + DOMAIN),
                        password.toCharArray()).location();
                owned[l.primary().number()]++;
                if (min(owned) >= 2 && i >= 2 * nodes - 1) {
                    break;
                }
            }
            out.printf("created domain %s and demo users (password %s, also in %s)%n", DOMAIN, password, secret);
            return password;
        }
    }

    private static int min(int[] owned) {
        int m = Integer.MAX_VALUE;
        for (int i = 1; i < owned.length; i++) {
            m = Math.min(m, owned[i]);
        }
        return m;
    }

    private void printEndpoints(PrintWriter out, LocalCluster cluster, String password) {
        out.println();
        out.println("clustermail demo cluster is up: " + nodes + " nodes, directory " + cluster.jdbcUrl());
        for (NodePlan p : cluster.plans()) {
            out.printf("  %s  pid %-7d SMTP %d  submission %d  SMTPS %d  LMTP %d  IMAP %d  IMAPS %d  POP3 %d  "
                            + "POP3S %d  channel %d  web-mail https://%s:%d/  status http://%s:%d/status%n", p.id(),
                    cluster.pid(p.id().number()), p.smtp(), p.submission(), p.smtps(), p.lmtp(), p.imap(), p.imaps(),
                    p.pop3(), p.pop3s(), p.channel(), NodePlan.HOST, p.http(), NodePlan.HOST, p.metrics());
        }
        List<String> users = new ArrayList<>();
        try (DirectoryService d = cluster.openDirectory()) {
            d.admin().forEachUser(java.util.Optional.of(DOMAIN), u -> users.add(String.format("%s (node %d, then %s)",
                    u.address(), u.location().primary().number(),
                    u.location().secondary().map(s -> "node " + s.number()).orElse("none"))));
        }
        out.println("users (password " + password + "): " + String.join(", ", users));
        NodePlan first = cluster.plan(1);
        String config = first.configFile().toString();
        String someone = users.get(0).substring(0, users.get(0).indexOf(' '));
        out.println();
        out.println("Send mail through any node (each hands it to the recipient's node):");
        out.printf("  printf 'Subject: hello\\r\\n\\r\\nIt works.\\r\\n' | curl -sS smtp://%s:%d "
                + "--mail-from you@example.org --mail-rcpt %s -T -%n", NodePlan.HOST, cluster.plan(nodes).smtp(),
                someone);
        out.println("See where it went (each node, its users, messages, spool, held mail):");
        out.printf("  ./clustermail cluster status --config %s%n", config);
        out.println("Read it over IMAP from any node (sessions are relayed to the owner node):");
        out.printf("  curl -sS --ssl-reqd -k -u %s:%s 'imap://%s:%d/INBOX;UID=1'%n", someone, password, NodePlan.HOST,
                first.imap());
        out.println("Or in a browser, on any node (the certificate is the node's own, self-signed):");
        out.printf("  https://%s:%d/  (log in as %s)%n", NodePlan.HOST, first.http(), someone);
        out.println("Read it in the owner's Maildir:");
        out.printf("  cat %s/node*/node*/*/%s/Maildir/new/*%n", dir, someone);
        out.println("Manage users while the demo runs:");
        out.printf("  ./clustermail user list --config %s%n", config);
        out.printf("Try a failure: kill -9 a node's pid and send mail to its users: it goes to their secondary "
                + "node (cluster status shows it held there); the demo starts the node again after %d s and the "
                + "held mail is handed back.%n", restartAfter);
        out.println("Stop with Ctrl-C.");
        out.flush();
    }

    private static String randomPassword() {
        SecureRandom r = new SecureRandom();
        String alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    /** The shaded jar this command runs from: every node process runs the same one. */
    static Path ownJar() {
        try {
            Path p = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!p.toString().endsWith(".jar")) {
                throw new CliException("demo must run from the packaged jar (./clustermail demo), not from " + p);
            }
            return p;
        } catch (java.net.URISyntaxException e) {
            throw new CliException("cannot find the clustermail jar: " + e.getMessage());
        }
    }
}
