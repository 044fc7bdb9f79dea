package org.clustermail.cli;

import org.clustermail.directory.DirectoryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clustermail db migrate}: brings the directory's SQL schema up to date. */
@Command(name = "db", description = "Manage the directory database.", mixinStandardHelpOptions = true)
final class DbCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "migrate", description = "Apply pending schema migrations.", mixinStandardHelpOptions = true)
    int migrate(@Mixin DirectoryAccess dir) {
        try (DirectoryService s = dir.openWithoutMigrating()) {
            int n = s.database().migrate();
            spec.commandLine().getOut().println("schema up to date (" + n + " migration(s) applied, "
                    + s.database().vendor().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        return 0;
    }
}
