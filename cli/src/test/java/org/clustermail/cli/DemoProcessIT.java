package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.clustermail.node.local.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clustermail demo --nodes 2} as a user runs it: separate node processes come up, the printed curl command
 * delivers to a user on another node, {@code cluster status --json} reports both nodes and the stored message, and
 * SIGTERM (Ctrl-C) stops every node process it started.
 */
class DemoProcessIT {

    private static final Path JAR = Path.of("target", "clustermail.jar").toAbsolutePath();

    @TempDir
    Path dir;

    /** The demo's node logs, for the message of a demo that did not start. */
    private String nodeLogs() {
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files = Files.list(dir.resolve("demo-cluster"))) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                logs.append("\n--- ").append(log.getFileName()).append(":\n").append(Files.readString(log));
            }
        } catch (java.io.IOException e) {
            logs.append("\n(no node logs: ").append(e.getMessage()).append(')');
        }
        return logs.toString();
    }

    @Test
    void aTwoNodeDemoDeliversAcrossNodesReportsStatusAndStopsEverything() throws Exception {
        int base = LocalCluster.freeBasePort(20000 + (int) (ProcessHandle.current().pid() % 20000), 2);
        Process demo = new ProcessBuilder(java(), "-jar", JAR.toString(), "demo", "--nodes", "2", "--base-port",
                Integer.toString(base)).directory(dir.toFile()).redirectErrorStream(true).start();
        List<String> banner = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("Stop with Ctrl-C")) {
                banner.add(line);
                Matcher m = Pattern.compile("pid (\\d+)").matcher(line);
                if (m.find()) {
                    pids.add(Long.parseLong(m.group(1)));
                }
            }
            assertThat(line).as(() -> String.join("\n", banner) + nodeLogs()).isNotNull();
            assertThat(pids).hasSize(2);

            String curl = banner.stream().filter(l -> l.contains("curl -sS smtp://")).findFirst().orElseThrow();
            assertThat(run(curl.strip())).isEmpty();
            String rcpt = curl.replaceAll(".*--mail-rcpt (\\S+).*", "$1");

            // A node recounts its mailboxes at most every 2 s (countedAt), and the demo asked every node for its
            // status at start-up: ask again until a count taken after the 250 shows the message.
            long stored = -1;
            for (int attempt = 0; attempt < 20 && stored != 1; attempt++) {
                if (attempt > 0) {
                    Thread.sleep(500);
                }
                JsonNode status = new ObjectMapper().readTree(run(java() + " -jar " + JAR
                        + " cluster status --json"));
                assertThat(status.get("nodes")).hasSize(2)
                        .allSatisfy(n -> assertThat(n.get("up").asBoolean()).isTrue());
                stored = 0;
                for (JsonNode n : status.get("nodes")) {
                    stored += n.get("status").get("messagesStored").asLong();
                    assertThat(n.get("status").get("usersOwned").asLong()).isGreaterThanOrEqualTo(2);
                    assertThat(n.get("status").get("countedAt").asText()).isNotEmpty();
                }
            }
            assertThat(stored).isEqualTo(1);
            try (Stream<Path> files = Files.walk(dir.resolve("demo-cluster"))) {
                assertThat(files.filter(f -> f.toString().contains("/" + rcpt + "/Maildir/new/"))).hasSize(1);
            }
        } finally {
            demo.destroy();
            assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("demo stopped").isTrue();
        }
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("node " + pid + " gone")
                    .isFalse();
        }
    }

    private String run(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
