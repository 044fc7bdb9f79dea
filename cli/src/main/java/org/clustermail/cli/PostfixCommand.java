package org.clustermail.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.clustermail.node.config.ClusterNode;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.postfix.instance.FrontSettings;
import org.clustermail.postfix.instance.PostfixConfig;
import org.clustermail.postfix.instance.PostfixInstance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clustermail postfix config|run}: Postfix in front of a node (docs/postfix.md). {@code config} prints the
 * {@code main.cf} settings for the node of {@code --config}; {@code run} starts a private Postfix instance in a
 * directory of its own, in front of that node, until Ctrl-C (for trying it out and for benchmarks).
 */
@Command(name = "postfix", mixinStandardHelpOptions = true,
        description = "Postfix in front of a node: print its main.cf settings, or run a private instance.",
        subcommands = {PostfixCommand.Config.class, PostfixCommand.Run.class})
final class PostfixCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What Postfix needs to know of the node a configuration describes. */
    static FrontSettings frontOf(NodeConfig config) {
        ClusterNode self = config.self();
        if (!config.socketmap().enabled()) {
            throw new CliException("this node does not serve its recipient tables (socketmap.enabled is false); "
                    + "Postfix could not reject unknown users at RCPT time");
        }
        return new FrontSettings(self.host(), self.ports().lmtp(), config.socketmap().host(),
                self.ports().socketmap(), config.smtp().maxMessageSize());
    }

    @Command(name = "config", mixinStandardHelpOptions = true,
            description = "Print the main.cf settings that put Postfix in front of this node.")
    static final class Config implements Runnable {
        @Spec
        CommandSpec spec;

        @Mixin
        DirectoryAccess access;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(PostfixConfig.frontMainCf(frontOf(access.nodeConfig())));
            out.flush();
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run a private Postfix instance (needs root) in front of this node until Ctrl-C.")
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        DirectoryAccess access;

        @Option(names = "--dir", required = true, paramLabel = "DIR",
                description = "the instance's own directory (configuration, queue, data, maillog)")
        Path dir;

        @Option(names = "--port", defaultValue = "10025", paramLabel = "PORT",
                description = "its SMTP port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--hostname", defaultValue = "postfix.clustermail.test", paramLabel = "NAME",
                description = "its myhostname, named in its Received headers (default: ${DEFAULT-VALUE})")
        String hostname;

        @Override
        public Integer call() throws InterruptedException {
            NodeConfig config = access.nodeConfig();
            FrontSettings front = frontOf(config);
            PostfixInstance postfix = PostfixInstance.start(dir, port, hostname, front);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                postfix.stop();
                stopped.countDown();
            }, "postfix-run-stop"));
            PrintWriter out = spec.commandLine().getOut();
            out.printf("Postfix (private instance in %s) accepts SMTP on 127.0.0.1:%d%n", postfix.directory(), port);
            out.printf("  delivers into clustermail node %d over %s; recipients checked at %s%n", config.node(),
                    front.lmtpTransport(), front.table("mailbox"));
            out.printf("  log: %s%nStop with Ctrl-C.%n", postfix.maillog());
            out.flush();
            stopped.await();
            return 0;
        }
    }
}
