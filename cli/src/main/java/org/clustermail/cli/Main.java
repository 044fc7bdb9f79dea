package org.clustermail.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.clustermail.directory.DirectoryException;
import org.clustermail.node.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./clustermail}. Every failure a user can cause (bad input, unknown user, unreachable
 * database, bad config) ends as one line on stderr and exit status 1; usage errors exit 2 (a command may declare
 * other statuses, as {@code deliver} does with sysexits); never a stack trace.
 */
@Command(name = "clustermail", mixinStandardHelpOptions = true, version = "clustermail 0.1.0",
        description = "A cluster e-mail system.",
        subcommands = {
            DomainCommand.class,
            UserCommand.class,
            DbCommand.class,
            ServeCommand.class,
            DemoCommand.class,
            ClusterCommand.class,
            DeliverCommand.class,
            PostfixCommand.class,
            BenchCommand.class,
        })
public final class Main implements Runnable {

    /** Where commands read a piped password from (System.in, or a test's stream). */
    final InputStream stdin;

    Main(InputStream stdin) {
        this.stdin = stdin;
    }

    public static void main(String[] args) {
        System.exit(execute(args, System.in, System.out, System.err));
    }

    /** Runs one command line; returns the exit status. */
    public static int execute(String[] args, InputStream in, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new Main(in));
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("clustermail: " + oneLine(e));
            return line.getCommandSpec().exitCodeOnExecutionException();
        });
        cl.setParameterExceptionHandler((e, args2) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("clustermail: " + e.getMessage());
            int status = c.getCommandSpec().exitCodeOnInvalidInput();
            if (status == CommandLine.ExitCode.USAGE) { // commands run by other programs (deliver) say one line
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
            }
            return status;
        });
        return cl.execute(args);
    }

    private static String oneLine(Exception e) {
        boolean expected = e instanceof DirectoryException || e instanceof ConfigException
                || e instanceof IllegalArgumentException || e instanceof CliException;
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return expected ? m : "internal error (" + e.getClass().getSimpleName() + "): " + m;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
