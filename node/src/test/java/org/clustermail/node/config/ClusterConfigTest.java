package org.clustermail.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The {@code delivery} and {@code channel} sections and the channel port. */
class ClusterConfigTest {

    @Test
    void defaultsAreVersionTwoWithTheChannelOnItsOwnPort() {
        NodeConfig c = NodeConfig.defaults();

        assertThat(c.delivery().mode()).isEqualTo(DeliveryConfig.Mode.VERSION2);
        assertThat(c.self().ports().channel()).isEqualTo(2426);
        assertThat(c.channel().settings().healthInterval()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void sectionsBindFromYaml() {
        NodeConfig c = ConfigLoader.parse("""
                delivery: {mode: version1, operationThreads: 4}
                channel: {connectTimeout: 300ms, healthInterval: 500ms, retryMin: 2s, retryMax: 1m, maxConnections: 3}
                cluster:
                  - {id: 1, ports: {channel: 3426}}
                """, "t");

        assertThat(c.delivery().mode()).isEqualTo(DeliveryConfig.Mode.VERSION1);
        assertThat(c.delivery().operationThreads()).isEqualTo(4);
        assertThat(c.self().ports().channel()).isEqualTo(3426);
        assertThat(c.channel().settings().channel().connectTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(c.channel().settings().channel().maxConnections()).isEqualTo(3);
        assertThat(c.channel().settings().retryMax()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void sharedStoreModeNamesTheSharedRoot() {
        NodeConfig c = ConfigLoader.parse("delivery: {mode: shared-store, sharedRoot: /srv/mail}", "t");

        assertThat(c.delivery().mode()).isEqualTo(DeliveryConfig.Mode.SHARED_STORE);
        assertThat(c.delivery().sharedRoot()).isEqualTo(java.nio.file.Path.of("/srv/mail"));
        assertThatThrownBy(() -> ConfigLoader.parse("delivery: {mode: shared-store}", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.sharedRoot");
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> ConfigLoader.parse("delivery: {mode: version3}", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("delivery.mode must be one of");
        assertThatThrownBy(() -> ConfigLoader.parse("channel: {retryMin: 10s, retryMax: 1s}", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("retryMax");
    }
}
