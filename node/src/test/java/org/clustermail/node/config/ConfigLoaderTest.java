package org.clustermail.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.clustermail.directory.NodeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void noFileGivesAOneNodeClusterWithEmbeddedH2UnderData() {
        NodeConfig c = ConfigLoader.load(null);
        assertThat(c.node()).isEqualTo(1);
        assertThat(c.dataDir()).isEqualTo(Path.of("data"));
        assertThat(c.clusterNodeIds()).containsExactly(NodeId.of(1));
        assertThat(c.self().host()).isEqualTo("127.0.0.1");
        assertThat(c.self().ports().smtp()).isEqualTo(2525);
        assertThat(c.directory().jdbcUrl()).startsWith("jdbc:h2:file:").contains("data/directory/directory")
                .endsWith(";AUTO_SERVER=TRUE");
        assertThat(c.directory().refreshInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.directory().lockout().maxFailures()).isEqualTo(5);
    }

    @Test
    void bindsAFullFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("node.yaml");
        Files.writeString(f, """
                node: 2
                dataDir: /var/lib/clustermail
                cluster:
                  - id: 1
                    host: 10.0.0.1
                  - id: 2
                    host: 10.0.0.2
                    ports: {smtp: 25, imap: 143}
                directory:
                  jdbcUrl: jdbc:postgresql://db/mail
                  user: mail
                  password: secret
                  refreshInterval: 500ms
                  lockout: {maxFailures: 3, window: 5m, coolDown: PT1H}
                """);
        NodeConfig c = ConfigLoader.load(f);
        assertThat(c.nodeId()).isEqualTo(NodeId.of(2));
        assertThat(c.self().host()).isEqualTo("10.0.0.2");
        assertThat(c.self().ports().smtp()).isEqualTo(25);
        assertThat(c.self().ports().imap()).isEqualTo(143);
        assertThat(c.self().ports().pop3()).isEqualTo(2110);
        assertThat(c.clusterNodeIds()).containsExactly(NodeId.of(1), NodeId.of(2));
        assertThat(c.directory().jdbcUrl()).isEqualTo("jdbc:postgresql://db/mail");
        assertThat(c.directory().refreshInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.directory().lockout().window()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.directory().lockout().coolDown()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void jdbcUrlDefaultsUnderTheConfiguredDataDir() {
        NodeConfig c = ConfigLoader.parse("dataDir: /srv/cm\n", "t");
        assertThat(c.directory().jdbcUrl()).isEqualTo("jdbc:h2:file:/srv/cm/directory/directory;AUTO_SERVER=TRUE");
    }

    @Test
    void errorsAreOneLineAndNameTheFault() {
        assertOneLineError("nod: 1\n", "unknown key 'nod'");
        assertOneLineError("directory: {lockout: {max: 1}}\n", "unknown key 'max' under directory.lockout");
        assertOneLineError("node: 3\ncluster: [{id: 1}]\n", "node 3 is not in the cluster");
        assertOneLineError("cluster: [{id: 1}, {id: 1}]\n", "twice");
        assertOneLineError("cluster: [{id: 1, ports: {smtp: 70000}}]\n", "port smtp must be 1..65535");
        assertOneLineError("directory: {refreshInterval: soon}\n", "not a duration");
        assertOneLineError("directory: {lockout: {maxFailures: 0}}\n", "maxFailures must be at least 1");
        assertOneLineError("directory: {jdbcUrl: postgres://x}\n", "must start with jdbc:");
        assertOneLineError("node: [1\n", "Cannot deserialize");
        assertOneLineError("node: 'open\n", "not valid YAML");
    }

    @Test
    void missingFileIsAClearError(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("config file not found");
    }

    @Test
    void durationsInAllSpellings() {
        assertThat(ConfigLoader.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigLoader.parseDuration("3")).isEqualTo(Duration.ofSeconds(3));
        assertThat(ConfigLoader.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(ConfigLoader.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(ConfigLoader.parseDuration("pt10s")).isEqualTo(Duration.ofSeconds(10));
    }

    private static void assertOneLineError(String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "node.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected)
                .hasMessageStartingWith("node.yaml: ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}
