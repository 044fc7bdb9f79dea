package org.clustermail.cli;

import org.clustermail.directory.DirectoryService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clustermail domain add|list}: the local domains (mail to them is stored, not relayed). */
@Command(name = "domain", description = "Manage local domains.", mixinStandardHelpOptions = true,
        subcommandsRepeatable = false)
final class DomainCommand {

    @Spec
    CommandSpec spec;

    @Command(name = "add", description = "Make a domain local.", mixinStandardHelpOptions = true)
    int add(@Mixin DirectoryAccess dir, @Parameters(paramLabel = "DOMAIN") String domain) {
        try (DirectoryService s = dir.open()) {
            s.admin().addDomain(domain);
            spec.commandLine().getOut().println("added domain " + domain.toLowerCase(java.util.Locale.ROOT));
        }
        return 0;
    }

    @Command(name = "list", description = "List the local domains.", mixinStandardHelpOptions = true)
    int list(@Mixin DirectoryAccess dir) {
        try (DirectoryService s = dir.open()) {
            s.admin().domains().forEach(spec.commandLine().getOut()::println);
        }
        return 0;
    }
}
