package org.clustermail.node.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link LocalCluster} runs: how many nodes, where, from which port, with which jar and JVM, in which
 * delivery mode, plus YAML appended to every node's configuration. Immutable.
 *
 * @param jvmOptions   options for each node JVM, e.g. {@code -Xmx256m}
 * @param mode         {@code version2}, {@code version1} or {@code shared-store} (mailboxes under
 *                     {@code baseDir/shared})
 * @param extraYaml    more configuration for every node (top-level sections not written by the launcher; a
 *                     block-style {@code retrieval:} section gets the launcher's proxy secret added)
 * @param startTimeout how long a node may take to answer its status endpoint
 */
public record LocalClusterSpec(int nodes, Path baseDir, int basePort, Path jar, Path java, List<String> jvmOptions,
                               String mode, String extraYaml, Duration startTimeout) {

    public LocalClusterSpec {
        if (nodes < 1 || nodes > 50) {
            throw new IllegalArgumentException("a local cluster has 1 to 50 nodes, not " + nodes);
        }
        if (basePort < 1024 || basePort + NodePlan.PORTS_PER_NODE * nodes > 65535) {
            throw new IllegalArgumentException("base port must leave room for " + NodePlan.PORTS_PER_NODE * nodes
                    + " ports above 1024");
        }
        jvmOptions = List.copyOf(jvmOptions);
        baseDir = baseDir.toAbsolutePath().normalize();
        jar = jar.toAbsolutePath().normalize();
    }

    /** The JVM running this code, with small heaps so that several nodes fit a small machine. */
    public static LocalClusterSpec of(int nodes, Path baseDir, int basePort, Path jar) {
        return new LocalClusterSpec(nodes, baseDir, basePort, jar,
                Path.of(ProcessHandle.current().info().command().orElse("java")),
                List.of("-Xmx384m", "-XX:+UseSerialGC", "-Xss512k"), "version2", "", Duration.ofSeconds(90));
    }

    public LocalClusterSpec withMode(String m) {
        return new LocalClusterSpec(nodes, baseDir, basePort, jar, java, jvmOptions, m, extraYaml, startTimeout);
    }

    public LocalClusterSpec withJvmOptions(List<String> options) {
        return new LocalClusterSpec(nodes, baseDir, basePort, jar, java, options, mode, extraYaml, startTimeout);
    }

    public LocalClusterSpec withExtraYaml(String yaml) {
        return new LocalClusterSpec(nodes, baseDir, basePort, jar, java, jvmOptions, mode, yaml, startTimeout);
    }
}
