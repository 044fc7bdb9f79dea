package org.clustermail.cli;

import java.nio.file.Path;
import org.clustermail.directory.DirectoryConfig;
import org.clustermail.directory.DirectoryService;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import picocli.CommandLine.Option;

/** The {@code --config} option every directory command takes, and opening the directory it names. */
final class DirectoryAccess {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "node configuration (YAML); default: none, i.e. embedded H2 under ./data")
    Path config;

    NodeConfig nodeConfig() {
        return ConfigLoader.load(config);
    }

    /** Opens the directory's SQL side (migrating the schema first if the configuration says so). */
    DirectoryService open() {
        NodeConfig c = nodeConfig();
        return DirectoryService.open(c.directory(), c.clusterNodeIds());
    }

    /** Opens without migrating, for {@code db migrate} itself. */
    DirectoryService openWithoutMigrating() {
        NodeConfig c = nodeConfig();
        DirectoryConfig d = c.directory();
        DirectoryConfig noMigrate = new DirectoryConfig(d.jdbcUrl(), d.user(), d.password(), d.refreshInterval(),
                d.poolSize(), false, d.lockout(), d.passwordCacheTtl());
        return DirectoryService.open(noMigrate, c.clusterNodeIds());
    }
}
