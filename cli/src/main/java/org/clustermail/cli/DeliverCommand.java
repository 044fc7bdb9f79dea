package org.clustermail.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clustermail.node.config.ClusterNode;
import org.clustermail.node.config.ConfigException;
import org.clustermail.node.config.ConfigLoader;
import org.clustermail.node.config.NodeConfig;
import org.clustermail.postfix.deliver.DeliveryResult;
import org.clustermail.postfix.deliver.IncomingMessage;
import org.clustermail.postfix.deliver.LocalDeliveryAgent;
import org.clustermail.postfix.deliver.SysExit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code clustermail deliver}: the paper's mail.local. Reads one message on stdin and hands it to a node over LMTP;
 * the exit status follows {@code <sysexits.h>} (0 delivered, 64 usage, 65 bad message, 67 unknown user,
 * 75 try again later), so Postfix's {@code pipe(8)} transport, its {@code mailbox_command} or a procmail-style
 * pipeline can run it. A failure is one line on stderr that starts with an enhanced status code, which Postfix
 * quotes in its bounce or deferral; success prints nothing. Never a stack trace: anything unexpected is 75, so no
 * message is lost over a bug.
 */
@Command(name = "deliver", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = 64,
        exitCodeOnExecutionException = 75,
        description = {"Deliver one message from stdin to a user over LMTP (a local delivery agent, as mail.local).",
            "Exit status: 0 delivered, 64 usage, 65 bad message, 67 unknown user, 69 refused, 75 try later."})
final class DeliverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    Main main;

    @Option(names = {"-t", "--to"}, required = true, paramLabel = "ADDRESS", description = "the recipient, user@domain")
    String to;

    @Option(names = {"-f", "--from"}, paramLabel = "SENDER",
            description = "envelope sender (default: the message's Return-Path or mbox From line, else <>)")
    String from;

    @ArgGroup(exclusive = true)
    Target target = new Target();

    static final class Target {
        @Option(names = "--node", paramLabel = "HOST:PORT",
                description = "the node's LMTP listener (default: this node's, from --config or the defaults)")
        String node;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "node configuration (YAML)")
        Path config;
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        NodeConfig config;
        try {
            config = ConfigLoader.load(target.config);
        } catch (ConfigException e) {
            return report(err, DeliveryResult.failed(SysExit.TEMPFAIL, "4.3.5", e.getMessage()));
        }
        InetSocketAddress node;
        try {
            node = target.node != null ? parseNode(target.node) : lmtpOf(config.self());
        } catch (IllegalArgumentException e) {
            return report(err, DeliveryResult.failed(SysExit.USAGE, "5.3.5", e.getMessage()));
        }
        IncomingMessage message;
        try {
            message = IncomingMessage.read(main.stdin, config.smtp().maxMessageSize(), tempDir());
        } catch (IncomingMessage.BadMessageException e) {
            return report(err, DeliveryResult.failed(SysExit.DATAERR, "5.6.0", e.getMessage()));
        } catch (IOException e) {
            return report(err, DeliveryResult.failed(SysExit.TEMPFAIL, "4.3.0", "cannot read the message: "
                    + e.getMessage()));
        }
        try (message) {
            String sender = from != null ? stripBrackets(from) : message.envelopeSender().orElse("");
            return report(err, new LocalDeliveryAgent(node, "localhost").deliver(to, sender, message));
        } catch (IOException e) {
            return SysExit.OK.code(); // only the temporary file's removal failed; the verdict was reported
        }
    }

    private static int report(PrintWriter err, DeliveryResult result) {
        if (!result.message().isEmpty()) {
            err.println(result.message());
            err.flush();
        }
        return result.exit().code();
    }

    static InetSocketAddress parseNode(String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("--node must be HOST:PORT, got '" + text + "'");
        }
        return new InetSocketAddress(host, port); // an unknown host stays unresolved and fails at connect: 75
    }

    private static InetSocketAddress lmtpOf(ClusterNode self) {
        return new InetSocketAddress(self.host(), self.ports().lmtp());
    }

    private static Path tempDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String stripBrackets(String s) {
        String t = s.strip();
        return t.startsWith("<") && t.endsWith(">") ? t.substring(1, t.length() - 1) : t;
    }
}
