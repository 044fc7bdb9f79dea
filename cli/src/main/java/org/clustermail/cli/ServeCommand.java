package org.clustermail.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.clustermail.node.DemoSetup;
import org.clustermail.node.MailNode;
import org.clustermail.node.config.NodeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code clustermail serve}: runs one node in the foreground until Ctrl-C (or SIGTERM), which stops it gracefully.
 * On a fresh data directory it creates a demo domain and user, and prints how to send them a message.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run one node (SMTP, submission, SMTPS, LMTP, /metrics) until Ctrl-C.")
final class ServeCommand implements java.util.concurrent.Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    DirectoryAccess access;

    @Option(names = "--no-demo", description = "do not create the demo domain and user in an empty directory")
    boolean noDemo;

    @Option(names = "--grace", paramLabel = "SECONDS", defaultValue = "10",
            description = "how long sessions may take to finish on stop (default: ${DEFAULT-VALUE})")
    int graceSeconds;

    @Override
    public Integer call() throws InterruptedException {
        NodeConfig config = access.nodeConfig();
        MailNode node = MailNode.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.stop(Duration.ofSeconds(graceSeconds));
            stopped.countDown();
        }, "clustermail-stop"));
        Optional<DemoSetup.Account> demo = noDemo ? Optional.empty() : DemoSetup.ensure(node.directory());
        printBanner(spec.commandLine().getOut(), node, demo);
        stopped.await();
        return 0;
    }

    private static void printBanner(PrintWriter out, MailNode node, Optional<DemoSetup.Account> demo) {
        String host = node.config().self().host();
        out.printf("clustermail node %d is up (%s, data in %s)%n", node.config().node(), node.hostname(),
                node.config().dataDir().toAbsolutePath().normalize());
        out.printf("  SMTP        %s:%d  inbound, local domains only%n", host, node.port("smtp"));
        out.printf("  submission  %s:%d  STARTTLS, then AUTH PLAIN/LOGIN%n", host, node.port("submission"));
        out.printf("  SMTPS       %s:%d  implicit TLS, AUTH%n", host, node.port("smtps"));
        out.printf("  LMTP        %s:%d%n", host, node.port("lmtp"));
        out.printf("  IMAP        %s:%d  STARTTLS, then LOGIN%n", host, node.port("imap"));
        out.printf("  POP3        %s:%d  STLS, then USER/PASS%n", host, node.port("pop3"));
        out.printf("  web-mail    https://%s:%d/  (the certificate below)%n", host, node.port("web"));
        out.printf("  metrics     http://%s:%d/metrics%n", host, node.port("metrics"));
        out.printf("  status      http://%s:%d/status%n", host, node.port("metrics"));
        out.printf("  channel     %s:%d  node channel (LMTP, cluster nodes only)%n", host, node.port("channel"));
        if (node.config().socketmap().enabled()) {
            out.printf("  socketmap   %s:%d  recipient tables for Postfix in front (docs/postfix.md)%n",
                    node.config().socketmap().host(), node.port("socketmap"));
        }
        String cert = node.config().tls().configured() ? node.config().tls().certificate().toString()
                : node.config().dataDir().resolve("tls/selfsigned.crt").toString();
        out.printf("  TLS certificate: %s%n", cert);
        demo.ifPresent(a -> out.printf("Created the demo user %s with password %s (change it with "
                + "./clustermail user passwd %s).%n", a.address(), a.password(), a.address()));
        String rcpt = demo.map(DemoSetup.Account::address).orElse("USER@YOUR-DOMAIN");
        out.printf("Send it a message:%n  printf 'Subject: hello\\r\\n\\r\\nIt works.\\r\\n' | curl -sS "
                + "smtp://%s:%d --mail-from you@example.org --mail-rcpt %s -T -%n", host, node.port("smtp"), rcpt);
        out.println("Stop with Ctrl-C.");
        out.flush();
    }
}
