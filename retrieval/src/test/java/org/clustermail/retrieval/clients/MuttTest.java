package org.clustermail.retrieval.clients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clustermail.retrieval.TestServers;
import org.clustermail.store.Mailbox;
import org.clustermail.store.MessageRef;
import org.clustermail.store.SystemFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted mutt session over IMAP (mutt needs a terminal, so it runs under {@code script}): it opens INBOX,
 * reads the first message, flags it, deletes the second and syncs; the store must show exactly that.
 */
class MuttTest {

    @TempDir
    Path home;

    @Test
    void muttReadsFlagsAndDeletes() throws Exception {
        try (TestServers node = new TestServers()) {
            node.deliver("fred", TestServers.message("mutt one", 400));
            node.deliver("fred", TestServers.message("mutt two", 400));
            node.deliver("fred", TestServers.message("mutt three", 400));
            Path rc = home.resolve("muttrc");
            Files.writeString(rc, String.join("\n",
                    "set folder=\"imap://fred%40example.test@127.0.0.1:" + node.imapPort() + "/\"",
                    "set spoolfile=\"+INBOX\"",
                    "set imap_pass=\"" + TestServers.PASSWORD + "\"",
                    "set ssl_starttls=no",
                    "set ssl_force_tls=no",
                    "set header_cache=\"\"",
                    "set message_cachedir=\"\"",
                    "set move=no",
                    "set delete=yes",
                    "set quit=yes",
                    "set sort=mailbox-order",
                    "set pager_stop=yes",
                    "set mark_old=no",
                    "set resolve=no",
                    "set timeout=5",
                    "push \"<display-message><exit><flag-message><next-undeleted><delete-message><sync-mailbox>"
                            + "<quit>\"",
                    ""));
            ProcessBuilder pb = new ProcessBuilder("script", "-qec", "mutt -n -F " + rc, "/dev/null")
                    .redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("HOME", home.toString());
            env.put("TERM", "vt100");
            env.put("COLUMNS", "100");
            env.put("LINES", "30");
            Process p = pb.start();
            p.getOutputStream().close();
            boolean done = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done).as("mutt finished; screen:%n%s", out).isTrue();
            try (Mailbox mailbox = node.open("fred")) {
                List<MessageRef> messages = mailbox.snapshot("INBOX").messages();
                assertThat(messages).as("mutt screen:%n%s", out).extracting(MessageRef::uid).containsExactly(1L, 3L);
                assertThat(messages.get(0).flags().has(SystemFlag.SEEN)).isTrue();
                assertThat(messages.get(0).flags().has(SystemFlag.FLAGGED)).isTrue();
                assertThat(messages.get(1).flags().has(SystemFlag.SEEN)).isFalse();
            }
        }
    }
}
