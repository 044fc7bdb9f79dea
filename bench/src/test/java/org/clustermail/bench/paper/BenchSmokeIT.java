package org.clustermail.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI smoke run of {@code clustermail bench}: the real command ({@code java -jar clustermail.jar bench --smoke}),
 * which starts the benchmark jar, real node processes (1, then 2) and load generator processes, for a few seconds
 * of load each. The JSON must hold sane numbers: messages/second above zero, every accepted message stored (by the
 * trial's count and by the nodes' mailboxes afterwards), the stages present for local and remote delivery; and the
 * charts must be readable PNGs. Each search is preceded by its warm-up: one accepted message to every user.
 */
class BenchSmokeIT {

    private static final Path CLI_JAR = Path.of("..", "cli", "target", "clustermail.jar").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void smokeRunMeasuresThroughputAndStagesOnOneAndTwoNodes() throws Exception {
        Path out = dir.resolve("results");
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-jar",
                CLI_JAR.toString(), "bench", "--smoke", "--out", out.toString(), "--work", dir.resolve("work")
                        .toString()));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("bench.log").toFile()).start();
        boolean finished = p.waitFor(10, TimeUnit.MINUTES);
        String log = Files.readString(dir.resolve("bench.log"), StandardCharsets.UTF_8);
        if (!finished) {
            p.destroyForcibly();
        }
        assertThat(finished).as(log).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode throughput = results.get("throughput");
        assertThat(throughput).as("throughput rows").hasSize(2);
        int expectedNodes = 1;
        for (JsonNode t : throughput) {
            assertThat(t.get("config").asText()).isEqualTo("version2");
            assertThat(t.get("nodes").asInt()).isEqualTo(expectedNodes++);
            assertThat(t.get("mean").asDouble()).as("msg/s").isPositive();
            assertThat(t.get("verification").get("allStored").asBoolean()).as(t.toString()).isTrue();
            assertThat(t.get("verification").get("stored").asLong()).isPositive();
            List<JsonNode> trials = new ArrayList<>();
            t.get("search").forEach(trials::add);
            t.get("repetitions").forEach(trials::add);
            assertThat(trials).isNotEmpty().allSatisfy(trial -> {
                assertThat(trial.get("accepted").asInt()).isEqualTo(trial.get("sent").asInt()).isPositive();
                assertThat(trial.get("stored").asLong()).isEqualTo(trial.get("accepted").asLong());
                assertThat(trial.get("messagesPerSecond").asDouble()).isPositive();
            });
        }
        JsonNode latency = results.get("latency");
        assertThat(latency).hasSize(2);
        assertStages(latency.get(0).get("local"), false);
        assertThat(latency.get(0).get("remote").isNull()).isTrue();
        assertStages(latency.get(1).get("local"), false);
        assertStages(latency.get(1).get("remote"), true);
        assertThat(results.get("run").get("machine").get("cpus").asInt()).isPositive();
        assertThat(results.get("run").get("loadAverageAtStart").asText()).matches("[\\d.]+ [\\d.]+ [\\d.]+");

        for (String chart : List.of("throughput.png", "scaling.png", "latency.png")) {
            assertThat(ImageIO.read(out.resolve("charts").resolve(chart).toFile())).as(chart).isNotNull()
                    .satisfies(img -> assertThat(img.getWidth()).isGreaterThan(500));
        }
        assertThat(Files.readString(out.resolve("summary.md"))).contains("**Throughput**", "version 2",
                "**Latency by stage**", "a warm-up of one message per user");
        for (int n = 1; n <= 2; n++) {
            assertThat(warmUpRecipients(out.resolve("raw").resolve("version2-n" + n + "-warmup-g1.csv.gz")))
                    .as("before the search of %d node(s), every user got one message, accepted", n)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, 200 * n).boxed().toList());
        }
        assertThat(Files.exists(dir.resolve("BENCHMARKS.md"))).isFalse();
        try (Stream<Path> left = Files.walk(dir.resolve("work"))) {
            assertThat(left.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .as("each cell's mail is removed as it ends, its node logs stay")
                    .isNotEmpty().allMatch(name -> name.matches("node\\d+\\.log"));
        }
        assertThat(log).as("the progress says what a cell's end is doing")
                .contains("throughput version2 x2: removing the cell's mail");
    }

    /** The recipients (user numbers) of a warm-up's accepted messages, in order. */
    private static List<Integer> warmUpRecipients(Path csvGz) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                Files.newInputStream(csvGz)), StandardCharsets.US_ASCII))) {
            return r.lines().skip(1).map(l -> l.split(",")).filter(f -> f[6].equals("250"))
                    .map(f -> Integer.parseInt(f[2])).sorted().toList();
        }
    }

    private static void assertStages(JsonNode stages, boolean remote) {
        assertThat(stages.get("samples").asInt()).as(stages.toString()).isGreaterThanOrEqualTo(10);
        assertThat(stages.get("mta").asDouble()).isPositive();
        assertThat(stages.get("setup").asDouble()).isPositive();
        if (remote) {
            assertThat(stages.get("transfer").asDouble()).isPositive();
            assertThat(stages.get("store").asDouble()).isZero();
        } else {
            assertThat(stages.get("store").asDouble()).isPositive();
            assertThat(stages.get("transfer").asDouble()).isZero();
        }
        assertThat(stages.get("total").asDouble()).isGreaterThanOrEqualTo(stages.get("mta").asDouble());
        assertThat(stages.get("clientTotal").asDouble()).isPositive();
    }
}
