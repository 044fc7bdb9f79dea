package org.clustermail.bench.paper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pinning for a machine with cores to spare ({@code --cores N}): the load generators (and this process) get the
 * last {@code generatorCores} of cores {@code 0..N-1}, the nodes share the others in equal contiguous slices, so
 * nodes and generators never compete for a core. With {@code N = 0} nothing is pinned (a 2-core machine, where
 * everything shares both cores). Pinning uses {@code taskset -a -p}: every thread of a running process, and the
 * threads it starts later inherit it.
 */
record Cores(int cores, int generatorCores) {

    static Cores none() {
        return new Cores(0, 0);
    }

    boolean pinning() {
        return cores > 0;
    }

    /** The cores of the load generators, e.g. "12-15", or empty when not pinning. */
    String generatorList() {
        return pinning() ? range(cores - generatorCores, cores - 1) : "";
    }

    /** The cores of node {@code k} (1-based) of {@code nodes}, e.g. "0-2". */
    String nodeList(int k, int nodes) {
        int available = cores - generatorCores;
        if (nodes >= available) {
            return Integer.toString((k - 1) % available);
        }
        int per = available / nodes;
        return range((k - 1) * per, k * per - 1);
    }

    /** The command prefix that runs a new process on the generators' cores. */
    List<String> generatorPrefix() {
        return pinning() ? List.of("taskset", "-c", generatorList()) : List.of();
    }

    /** Pins a running process and all its threads. */
    static void pin(long pid, String cpuList) {
        if (cpuList.isEmpty()) {
            return;
        }
        try {
            Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpuList, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("taskset could not pin process " + pid + " to " + cpuList);
            }
        } catch (IOException e) {
            throw new IllegalStateException("taskset is needed for --cores: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A description for the report. */
    String describe(List<Integer> nodeCounts) {
        if (!pinning()) {
            return "not pinned (nodes, generators and the orchestrator share every core)";
        }
        List<String> parts = new ArrayList<>();
        for (int n : nodeCounts) {
            List<String> nodes = new ArrayList<>();
            for (int k = 1; k <= n; k++) {
                nodes.add(nodeList(k, n));
            }
            parts.add(n + " nodes on " + String.join(" / ", nodes));
        }
        return "generators on cores " + generatorList() + "; " + String.join("; ", parts);
    }

    private static String range(int from, int to) {
        return from == to ? Integer.toString(from) : from + "-" + to;
    }
}
