package org.clustermail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.clustermail.protocol.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clustermail serve} as a user runs it: a real process that prints its endpoints and the demo account, takes
 * a message sent with the exact curl command it prints, shows its web-mail's login page (curl), stops cleanly on
 * SIGTERM, and keeps the message across a restart (without making a second demo account).
 */
class ServeProcessIT {

    private static final Path JAR = Path.of("target", "clustermail.jar");

    @TempDir
    Path dir;


    private Process serve(List<String> banner) throws IOException {
        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                JAR.toAbsolutePath().toString(), "serve", "--config", "node.yaml", "--grace", "5")
                .directory(dir.toFile()).redirectError(dir.resolve("serve.err").toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            banner.add(line);
            if (line.startsWith("Stop with Ctrl-C")) {
                return p;
            }
        }
        throw new AssertionError("serve ended early: " + banner + " " + Files.readString(dir.resolve("serve.err")));
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: the shutdown hook stops the node gracefully
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
        assertThat(p.exitValue()).isIn(0, 143);
    }

    @Test
    void servesTheDemoUserAndStopsCleanly() throws Exception {
        Files.writeString(dir.resolve("node.yaml"), String.format("""
                cluster:
                  - id: 1
                    ports: {smtp: %d, submission: %d, smtps: %d, lmtp: %d, metrics: %d, channel: %d, socketmap: %d,
                            http: %d}
                """, IntStream.generate(FreePorts::pick).limit(8).boxed().toArray()));
        List<String> banner = new ArrayList<>();
        Process p = serve(banner);
        try {
            assertThat(banner).anyMatch(l -> l.startsWith("Created the demo user demo@example.test with password "));
            String curl = banner.stream().filter(l -> l.contains("curl -sS smtp://")).findFirst().orElseThrow().strip();
            Process send = new ProcessBuilder("bash", "-c", curl).directory(dir.toFile()).redirectErrorStream(true)
                    .start();
            assertThat(send.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(send.exitValue()).as(new String(send.getInputStream().readAllBytes())).isZero();
            String web = banner.stream().filter(l -> l.contains("web-mail")).findFirst().orElseThrow()
                    .replaceAll(".*(https://\\S+).*", "$1");
            Process page = new ProcessBuilder("curl", "-sk", web).redirectErrorStream(true).start();
            assertThat(new String(page.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .contains("Log in to your mail");
            assertThat(page.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            stop(p);
        }
        assertThat(Files.readString(dir.resolve("serve.err"))).doesNotContain("Exception");
        List<String> again = new ArrayList<>();
        stop(serve(again));
        assertThat(again).noneMatch(l -> l.startsWith("Created the demo user"));
        try (Stream<Path> files = Files.walk(dir.resolve("data/node01"))) {
            List<Path> stored = files.filter(f -> f.toString().contains("/demo@example.test/Maildir/new/")).toList();
            assertThat(stored).singleElement().satisfies(f -> assertThat(Files.readString(f))
                    .contains("Delivered-To: demo@example.test").contains("It works."));
        }
    }
}
