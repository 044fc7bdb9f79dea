package org.clustermail.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 at random instants: a real child JVM ({@link CrashChild}) delivers continuously and is killed with
 * SIGKILL many times; after each kill the store is opened again and every acknowledged message must be there,
 * complete and indexed exactly once, and no message may be there half-written or twice.
 */
interface CrashContract {

    int KILLS = 6;

    StoreConfig config(Path dataDir);

    @Test
    default void everyAcknowledgedMessageSurvivesKillNine(@TempDir Path dir) throws Exception {
        StoreConfig config = config(dir);
        Random random = new Random(42);
        Set<String> acked = new HashSet<>();
        long nextId = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Xmx256m", CrashChild.class.getName(),
                    dir.toString(), config.format().name(), config.durability().name(), Long.toString(nextId))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            long maxId = nextId;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                assertThat(r.readLine()).isEqualTo("READY");
                String line = r.readLine(); // the first acknowledgement: deliveries are under way
                acked.add(line.split(" ")[1]);
                long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100 + random.nextInt(700));
                while (System.nanoTime() < killAt && (line = r.readLine()) != null) {
                    String[] p = line.split(" ");
                    acked.add(p[1]);
                    maxId = Math.max(maxId, Long.parseLong(p[2]));
                }
                child.destroyForcibly(); // SIGKILL, while deliveries are in flight
                child.waitFor(10, TimeUnit.SECONDS);
            } finally {
                child.destroyForcibly();
            }
            nextId = maxId + 100_000; // ids the dead child may have taken without acknowledging
            verify(dir, config, acked);
        }
        assertThat(acked).hasSizeGreaterThan(KILLS * 5);
    }

    /** Every mailbox directory the store has made, whole or cut short by a kill: each must open. */
    private static List<MailboxOwner> mailboxesOnDisk(StoreConfig config) throws IOException {
        try (Stream<Path> dirs = Files.list(config.nodePath())) {
            List<MailboxOwner> out = new java.util.ArrayList<>();
            for (Path hash : dirs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try (Stream<Path> users = Files.list(hash)) {
                    users.forEach(u -> out.add(new MailboxOwner(u.getFileName().toString(),
                            Long.parseLong(hash.getFileName().toString()))));
                }
            }
            return out;
        }
    }

    private static void verify(Path dir, StoreConfig config, Set<String> acked) throws IOException {
        try (MailStore store = new org.clustermail.store.engine.LocalMailStore(config)) {
            store.start();
            Map<String, Integer> copies = new HashMap<>();
            for (MailboxOwner user : mailboxesOnDisk(config)) {
                try (Mailbox mb = store.open(user)) {
                    FolderSnapshot snap = mb.snapshot("INBOX");
                    for (MessageRef ref : snap.messages()) {
                        MessageSummary s = mb.summary("INBOX", ref.uid()).orElseThrow();
                        String id = s.messageId().replaceAll("[<>]", "").replace("@test", "");
                        assertThat(MailStoreContract.read(mb, "INBOX", ref.uid()))
                                .as("message %s of %s is complete", id, user.userId())
                                .isEqualTo(TestMessages.message(id));
                        copies.merge(user.userId() + "/" + id, 1, Integer::sum);
                    }
                }
            }
            assertThat(copies.values()).as("no message indexed twice").allMatch(c -> c == 1);
            assertThat(copies.keySet()).as("every message in a mailbox it was sent to").allMatch(k -> {
                String id = k.substring(k.indexOf('/') + 1);
                return CrashChild.recipients(Long.parseLong(id.substring(1))).stream()
                        .anyMatch(o -> k.startsWith(o.userId() + "/"));
            });
            for (String id : acked) {
                long n = Long.parseLong(id.substring(1));
                for (MailboxOwner o : CrashChild.recipients(n)) {
                    assertThat(copies).as("acknowledged %s for %s", id, o.userId()).containsKey(o.userId() + "/" + id);
                }
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(p -> !p.equals(dir) && p.getParent().getFileName().toString().equals("tmp"))
                    .toList())
                    .as("no temporary files left visible").isEmpty();
        }
    }
}
