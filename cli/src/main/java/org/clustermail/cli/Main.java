package org.clustermail.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./clustermail}. */
@Command(name = "clustermail", mixinStandardHelpOptions = true, version = "clustermail 0.1.0",
        description = "A cluster e-mail system.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
