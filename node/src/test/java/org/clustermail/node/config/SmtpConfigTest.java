package org.clustermail.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.clustermail.directory.NodeId;
import org.junit.jupiter.api.Test;

/** The {@code smtp} and {@code tls} sections and the ingress ports. */
class SmtpConfigTest {

    @Test
    void defaults() {
        NodeConfig c = ConfigLoader.load(null);
        assertThat(c.smtp().hostnameFor(NodeId.of(1))).isEqualTo("node01.localhost");
        assertThat(c.smtp().maxMessageSize()).isEqualTo(25L * 1024 * 1024);
        assertThat(c.smtp().dataTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.tls().configured()).isFalse();
        assertThat(c.self().ports().smtps()).isEqualTo(2465);
        assertThat(c.self().ports().metrics()).isEqualTo(9090);
    }

    @Test
    void bindsTheSections() {
        NodeConfig c = ConfigLoader.parse("""
                smtp: {hostname: mx.example.org, maxRecipients: 50, idleTimeout: 30s}
                tls: {certificate: /etc/c.pem, key: /etc/k.pem}
                cluster: [{id: 1, ports: {smtps: 465, metrics: 9100}}]
                """, "t");
        assertThat(c.smtp().hostnameFor(NodeId.of(1))).isEqualTo("mx.example.org");
        assertThat(c.smtp().maxRecipients()).isEqualTo(50);
        assertThat(c.smtp().idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.tls().certificate()).isEqualTo(Path.of("/etc/c.pem"));
        assertThat(c.self().ports().smtps()).isEqualTo(465);
    }

    @Test
    void badValuesAreOneLineErrors() {
        assertThatThrownBy(() -> ConfigLoader.parse("tls: {certificate: /c.pem}\n", "t"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("both certificate and key");
        assertThatThrownBy(() -> ConfigLoader.parse("smtp: {hostname: 'bad host'}\n", "t"))
                .hasMessageContaining("smtp.hostname must be a DNS name");
        assertThatThrownBy(() -> ConfigLoader.parse("smtp: {maxRecipients: 0}\n", "t"))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ConfigLoader.parse("smtp: {maxSize: 10}\n", "t"))
                .hasMessageContaining("unknown key 'maxSize' under smtp");
    }
}
