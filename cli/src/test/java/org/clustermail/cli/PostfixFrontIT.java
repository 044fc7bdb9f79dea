package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.clustermail.directory.DirectoryService;
import org.clustermail.directory.MailAddress;
import org.clustermail.directory.UserState;
import org.clustermail.node.local.LocalCluster;
import org.clustermail.node.local.LocalClusterSpec;
import org.clustermail.node.local.NodePlan;
import org.clustermail.postfix.instance.FrontSettings;
import org.clustermail.postfix.instance.PostfixConfig;
import org.clustermail.postfix.instance.PostfixInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paper's "Version2 (Postfix)": Debian's real Postfix (installed by CI; started as root) as a private instance
 * on 127.0.0.1 in front of node 1 of a three-node cluster of real node processes. Python's smtplib sends a message
 * to users owned by every node; each arrives once, in its owner's mailbox only, with Postfix's Received header above
 * clustermail's. Unknown, disabled and foreign recipients are refused at RCPT time. One user's mail goes through
 * {@code clustermail deliver} run by Postfix's pipe(8) instead of LMTP. Postfix's log shows every delivery sent and
 * none deferred or bounced, and Postfix stops cleanly.
 */
class PostfixFrontIT {

    private static final Path JAR = Path.of("target", "clustermail.jar").toAbsolutePath();
    private static final String DOMAIN = "example.org";
    private static final String POSTFIX_HOST = "postfix.clustermail.test";

    @TempDir
    Path dir;

    @Test
    void postfixInFrontOfOneNodeDeliversToOwnersOnEveryNodeAndRefusesAtRcpt() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x")); // postfix user reaches it
        int base = LocalCluster.freeBasePort(21000 + (int) (ProcessHandle.current().pid() % 15000), 3);
        try (LocalCluster cluster = new LocalCluster(LocalClusterSpec.of(3, dir.resolve("cluster"), base, JAR))) {
            cluster.prepare();
            Map<String, Integer> owners = addUsers(cluster);
            cluster.startAll();
            NodePlan front = cluster.plan(1);
            String carol = owners.keySet().stream().filter(a -> owners.get(a) != 1).findFirst().orElseThrow();
            PostfixInstance postfix = startPostfix(front, carol);
            try {
                String transcript = python(smtpScript(postfix.smtpPort(), owners.keySet()));
                assertThat(transcript.lines()).contains(
                        "RCPT nobody@example.org 550 5.1.1 <nobody@example.org>: Recipient address rejected: "
                                + "User unknown in virtual mailbox table",
                        "RCPT dora@example.org 550 5.2.1 <dora@example.org>: Recipient address rejected: "
                                + "Mailbox disabled",
                        "RCPT someone@elsewhere.test 554 5.7.1 <someone@elsewhere.test>: Relay access denied",
                        "MULTI 250");
                assertThat(transcript.lines().filter(l -> l.startsWith("SENT "))).hasSize(owners.size())
                        .allMatch(l -> l.endsWith(" 250"));
                for (Map.Entry<String, Integer> user : owners.entrySet()) {
                    List<String> stored = awaitStored(cluster, user.getKey(), user.getValue(), 2);
                    assertThat(stored).as(user.getKey()).allSatisfy(m -> assertThat(m)
                            .containsPattern("Received: from client\\.test \\(unknown \\[127\\.0\\.0\\.1\\]\\)\r\n"
                                    + "\tby " + POSTFIX_HOST.replace(".", "\\.") + " \\(Postfix\\)")
                            .contains("(clustermail) with LMTP"));
                    assertThat(stored).anyMatch(m -> m.contains("Subject: to " + user.getKey() + "\r\n"));
                    assertThat(stored).anyMatch(m -> m.contains("Subject: to everyone\r\n"));
                }
                awaitLog(postfix, "status=sent", 2 * owners.size());
                assertThat(postfix.maillogLines()).anyMatch(l -> l.contains("to=<" + carol + ">")
                        && l.contains("relay=clustermail") && l.contains("status=sent"));
                assertThat(postfix.maillogLines()).noneMatch(l -> l.contains("status=deferred")
                        || l.contains("status=bounced") || l.contains("fatal:") || l.contains("panic:"));
            } finally {
                postfix.stop();
            }
            assertThat(postfix.running()).isFalse();
        }
    }

    /** Users until every node owns at least two; one more, disabled. Returns address → owner node. */
    private static Map<String, Integer> addUsers(LocalCluster cluster) {
        Map<String, Integer> owners = new LinkedHashMap<>();
        try (DirectoryService directory = cluster.openDirectory()) {
            directory.admin().addDomain(DOMAIN);
            for (int i = 0; i < 60 && !everyNodeOwnsTwo(owners); i++) {
                MailAddress a = MailAddress.parse("user" + i + "@" + DOMAIN);
                owners.put(a.toString(), directory.admin().addUser(a, "pw".toCharArray()).location().primary().number());
            }
            MailAddress dora = MailAddress.parse("dora@" + DOMAIN);
            directory.admin().addUser(dora, "pw".toCharArray());
            directory.admin().setState(dora, UserState.DISABLED);
        }
        assertThat(everyNodeOwnsTwo(owners)).as("users on every node: " + owners).isTrue();
        return owners;
    }

    private static boolean everyNodeOwnsTwo(Map<String, Integer> owners) {
        for (int n = 1; n <= 3; n++) {
            int node = n;
            if (owners.values().stream().filter(o -> o == node).count() < 2) {
                return false;
            }
        }
        return true;
    }

    /**
     * Postfix in front of node 1: LMTP to node 1 for everyone except {@code viaDeliver}, whose mail Postfix pipes
     * into {@code clustermail deliver} (run as nobody, from a copy of the jar nobody can read).
     */
    private PostfixInstance startPostfix(NodePlan front, String viaDeliver) throws IOException {
        Path pf = dir.resolve("postfix");
        Files.createDirectories(pf);
        Path jar = Files.copy(JAR, pf.resolve("clustermail.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> pipe = PostfixConfig.pipeTransport("clustermail", "nobody", List.of(
                ProcessHandle.current().info().command().orElseThrow(), "-Xmx64m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "deliver", "--to", "${recipient}", "--from",
                "${sender}", "--node", NodePlan.HOST + ":" + front.lmtp()));
        FrontSettings settings = new FrontSettings(NodePlan.HOST, front.lmtp(), NodePlan.HOST, front.socketmap(),
                10_000_000);
        return PostfixInstance.start(pf, LocalCluster.freeBasePort(front.smtp() + 2000, 1), POSTFIX_HOST, settings,
                pipe.get(0) + "transport_maps = inline:{" + viaDeliver + "=clustermail}\n", pipe.get(1));
    }

    /** One message per user, one to everyone, and the RCPT refusals; prints one line per outcome. */
    private static String smtpScript(int port, Iterable<String> users) {
        StringBuilder py = new StringBuilder("""
                import smtplib
                from email.message import EmailMessage
                def send(rcpts, subject):
                    m = EmailMessage()
                    m['From'] = 'sender@elsewhere.test'
                    m['To'] = ', '.join(rcpts)
                    m['Subject'] = subject
                    m.set_content('Through Postfix into clustermail.\\n' * 200)
                    s = smtplib.SMTP('127.0.0.1', %d, local_hostname='client.test', timeout=60)
                    refused = s.send_message(m, to_addrs=rcpts)
                    s.quit()
                    return 250 if not refused else refused
                s = smtplib.SMTP('127.0.0.1', %d, local_hostname='client.test', timeout=60)
                s.ehlo('client.test')
                s.mail('sender@elsewhere.test')
                for r in ['nobody@example.org', 'dora@example.org', 'someone@elsewhere.test']:
                    code, text = s.rcpt(r)
                    print('RCPT', r, code, text.decode())
                s.quit()
                users = %s
                for u in users:
                    print('SENT', u, send([u], 'to ' + u))
                print('MULTI', send(users, 'to everyone'))
                """.formatted(port, port, "%s"));
        List<String> quoted = new ArrayList<>();
        users.forEach(u -> quoted.add("'" + u + "'"));
        return py.toString().replace("users = %s", "users = [" + String.join(", ", quoted) + "]");
    }

    private String python(String script) throws Exception {
        Path file = dir.resolve("send.py");
        Files.writeString(file, script);
        Process p = new ProcessBuilder("python3", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Waits until {@code count} messages are in the user's mailbox on its owner node, and none on the others. */
    private static List<String> awaitStored(LocalCluster cluster, String address, int owner, int count)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<String> found = stored(cluster.plan(owner).dataDir(), address);
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(200);
            found = stored(cluster.plan(owner).dataDir(), address);
        }
        assertThat(found).as(address + " on node " + owner).hasSize(count);
        for (NodePlan p : cluster.plans()) {
            if (p.id().number() != owner) {
                assertThat(stored(p.dataDir(), address)).as(address + " on node " + p.id()).isEmpty();
            }
        }
        return found;
    }

    /**
     * The messages in {@code new/} of the user's Maildir. Only the user directories are searched for (depth 3:
     * {@code nodeNN/serial/user}), not the whole tree: files in {@code tmp/} are renamed away while a walk runs.
     */
    private static List<String> stored(Path dataDir, String address) throws IOException {
        if (!Files.isDirectory(dataDir)) {
            return List.of();
        }
        List<Path> userDirs;
        try (Stream<Path> dirs = Files.find(dataDir, 3, (d, attrs) -> attrs.isDirectory()
                && d.getFileName().toString().equals(address))) {
            userDirs = dirs.toList();
        }
        List<String> out = new ArrayList<>();
        for (Path user : userDirs) {
            Path fresh = user.resolve("Maildir").resolve("new");
            if (!Files.isDirectory(fresh)) {
                continue;
            }
            try (Stream<Path> files = Files.list(fresh)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.add(Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    private static void awaitLog(PostfixInstance postfix, String what, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (postfix.maillogLines().stream().filter(l -> l.contains(what)).count() < count
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(postfix.maillogLines().stream().filter(l -> l.contains(what))).hasSize(count);
    }
}
