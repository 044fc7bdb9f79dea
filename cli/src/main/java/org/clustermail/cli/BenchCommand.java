package org.clustermail.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code clustermail bench ...}: the paper's experiments. They live in the benchmark jar
 * ({@code bench/target/benchmarks.jar}, with JMH and the chart library), never in the node's jar, so this command
 * runs that jar's {@code PaperBench} as a child process with the same arguments, telling it which jar the nodes
 * run; its exit status is this command's. {@code ./clustermail bench} builds the benchmark jar when needed.
 */
@Command(name = "bench", description = "Run the paper's experiments (throughput, latency by stage, availability, "
        + "cost growth, peers) with charts; 'bench --help' lists the options.")
final class BenchCommand implements Callable<Integer> {

    static final String MAIN = "org.clustermail.bench.paper.PaperBench";

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path nodeJar = DemoCommand.ownJar();
        Path benchJar = nodeJar.toAbsolutePath().getParent().resolve("../../bench/target/benchmarks.jar").normalize();
        if (!Files.exists(benchJar)) {
            throw new CliException("no benchmark jar at " + benchJar + "; run ./clustermail bench (it builds it) or "
                    + "./mvnw -q -B package -DskipTests -pl bench -am");
        }
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-cp", benchJar.toString(), MAIN, "--node-jar", nodeJar.toString()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (p.isAlive()) {
                p.destroy(); // the benchmark stops its clusters on SIGTERM
            }
        }, "bench-stop"));
        return p.waitFor();
    }
}
