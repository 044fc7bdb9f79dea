package org.clustermail.bench.paper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmark ran on, and how busy the machine was: the figures are meaningless without it. */
record Machine(String host, int cpus, String cpuModel, long memoryMiB, String kernel, String java, String disk) {

    static Machine describe() {
        String model = lines("/proc/cpuinfo").stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        long memKb = lines("/proc/meminfo").stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).findFirst().orElse(0L);
        String kernel = lines("/proc/sys/kernel/osrelease").stream().findFirst().orElse("unknown");
        String host = lines("/etc/hostname").stream().findFirst().orElse("unknown");
        String disk = lines("/proc/mounts").stream().filter(l -> l.split(" ").length > 2
                && l.split(" ")[1].equals("/")).findFirst().map(l -> l.split(" ")[0] + " " + l.split(" ")[2])
                .orElse("unknown");
        return new Machine(host, Runtime.getRuntime().availableProcessors(), model, memKb / 1024, kernel,
                System.getProperty("java.vm.name") + " " + Runtime.version(), disk);
    }

    /** {@code /proc/loadavg}'s 1-, 5- and 15-minute figures, e.g. "1.52 1.10 0.80". */
    static String loadAverage() {
        List<String> l = lines("/proc/loadavg");
        if (l.isEmpty()) {
            return "unknown";
        }
        String[] f = l.get(0).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    /** The 1-minute load average. */
    static double load1() {
        try {
            return Double.parseDouble(loadAverage().split(" ")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    String oneLine() {
        return String.format("%d CPUs (%s), %d MiB RAM, Linux %s, %s, root file system %s", cpus, cpuModel,
                memoryMiB, kernel, java, disk);
    }

    private static List<String> lines(String file) {
        try {
            return Files.readAllLines(Path.of(file));
        } catch (IOException e) {
            return List.of();
        }
    }
}
