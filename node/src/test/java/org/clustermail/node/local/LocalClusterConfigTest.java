package org.clustermail.node.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node configurations a {@link LocalCluster} writes: one proxy secret for all, kept with extra YAML. */
class LocalClusterConfigTest {

    @TempDir
    Path dir;

    @Test
    void everyNodeGetsTheSameProxySecretAlongsideTheCallersRetrievalSettings() {
        LocalClusterSpec spec = LocalClusterSpec.of(2, dir, 30000, dir.resolve("none.jar"))
                .withExtraYaml("retrieval:\n  plaintextOnLoopback: true\n");
        try (LocalCluster cluster = new LocalCluster(spec)) {
            cluster.prepare();
            NodeConfig one = ConfigLoader.load(cluster.plan(1).configFile());
            NodeConfig two = ConfigLoader.load(cluster.plan(2).configFile());
            assertThat(one.retrieval().plaintextOnLoopback()).isTrue();
            assertThat(one.retrieval().proxy().configuredSecret()).isPresent()
                    .isEqualTo(two.retrieval().proxy().configuredSecret());
            assertThat(two.cluster().get(1).ports().imaps()).isEqualTo(cluster.plan(2).imaps());
        }
        try (LocalCluster plain = new LocalCluster(LocalClusterSpec.of(1, dir.resolve("plain"), 30000,
                dir.resolve("none.jar")))) {
            plain.prepare();
            assertThat(ConfigLoader.load(plain.plan(1).configFile()).retrieval().proxy().configuredSecret())
                    .isPresent();
        }
    }
}
