import java.nio.file.*;
import java.time.Duration;
import java.util.concurrent.*;
import org.clustermail.store.*;
import org.clustermail.store.engine.LocalMailStore;

/**
 * Creates N empty mailboxes with 16 threads through the store API of whichever store jar comes first on the class
 * path, to compare mailbox creation before and after a change in one session (BENCHMARKS.md, store):
 * {@code java -cp OLD/store.jar:bench/target/benchmarks.jar bench/store/CreateMailboxes.java /tmp 3000 before}.
 * Arguments: parent directory for the data, N, a label.
 */
public class CreateMailboxes {
    public static void main(String[] a) throws Exception {
        Path dir = Files.createTempDirectory(Path.of(a[0]), "create-");
        int n = Integer.parseInt(a[1]);
        StoreConfig c = new StoreConfig(dir, "node01", StoreConfig.Format.MAILDIR, StoreConfig.Durability.GROUP_COMMIT,
                Duration.ofSeconds(5), n);
        long t0 = System.nanoTime();
        try (LocalMailStore s = new LocalMailStore(c)) {
            s.start();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < n; i++) {
                    MailboxOwner o = new MailboxOwner("u" + i + "@example.test", i);
                    pool.submit(() -> { try (Mailbox mb = s.open(o)) { mb.status("INBOX"); } });
                }
            }
        }
        double sec = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: created %d empty mailboxes in %.1f s = %.0f/s (16 threads)%n", a[2], n, sec, n / sec);
    }
}
