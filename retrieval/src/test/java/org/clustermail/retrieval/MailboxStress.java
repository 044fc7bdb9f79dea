package org.clustermail.retrieval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clustermail.store.MessageRef;

/**
 * In the spirit of Dovecot's imaptest: several sessions append, flag, expunge and fetch one mailbox at once. Each
 * keeps a model of the mailbox built only from what the server announced to it (EXISTS, EXPUNGE, FETCH UID/FLAGS)
 * and checks every announcement against it: EXISTS never shrinks the mailbox, EXPUNGE names a message that exists,
 * a sequence number keeps its UID, UIDs ascend, a FETCH never gets BAD, no message is \Recent in two sessions. At
 * the end every model must equal the store, flags included. Zero inconsistencies allowed. The sessions may be on one node or on several.
 */
public final class MailboxStress {

    private static final Pattern UNTAGGED = Pattern.compile("\\* (\\d+) (EXISTS|EXPUNGE|FETCH) ?(.*)");
    private static final Pattern UID = Pattern.compile("UID (\\d+)");
    private static final Pattern FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
    private static final String[] FLAG_CHOICES = {"\\Seen", "\\Flagged", "\\Deleted", "\\Answered", "$Work"};

    private MailboxStress() {
    }

    /**
     * Runs {@code operations} random commands on every client at once, then checks every session's model against
     * {@code truth} (the INBOX as the store holds it) and that no announcement was inconsistent.
     *
     * @param clients sessions logged in as the same user, nothing selected yet; closed on return
     */
    public static void run(List<ImapTestClient> clients, int operations, Supplier<List<MessageRef>> truth)
            throws Exception {
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Model> models = new ArrayList<>();
        for (int s = 0; s < clients.size(); s++) {
            Model model = new Model("session " + s, problems);
            model.apply(clients.get(s).command("SELECT INBOX"), "SELECT");
            model.apply(clients.get(s).command("FETCH 1:* (UID FLAGS)"), "FETCH");
            models.add(model);
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        List<Future<?>> runs = new ArrayList<>();
        for (int s = 0; s < clients.size(); s++) {
            int id = s;
            runs.add(pool.submit(() -> workload(id, operations, clients.get(id), models.get(id))));
        }
        for (Future<?> f : runs) {
            f.get();
        }
        pool.shutdown();

        List<MessageRef> stored = truth.get();
        for (int s = 0; s < clients.size(); s++) {
            Model model = models.get(s);
            model.apply(clients.get(s).command("NOOP"), "NOOP");
            // Flags known before the final FETCH came from announcements only: they must already be right.
            List<Set<String>> announced = new ArrayList<>(model.flags);
            model.apply(clients.get(s).command("FETCH 1:* (UID FLAGS)"), "FETCH");
            assertThat(model.uids).as("session %d UIDs", s).containsExactlyElementsOf(
                    stored.stream().map(MessageRef::uid).toList());
            for (int i = 0; i < stored.size(); i++) {
                Set<String> expected = imapFlags(stored.get(i));
                assertThat(model.flags.get(i)).as("session %d flags of UID %d", s, stored.get(i).uid())
                        .isEqualTo(expected);
                if (announced.get(i) != null) {
                    assertThat(announced.get(i)).as("session %d announced flags of UID %d", s, stored.get(i).uid())
                            .isEqualTo(expected);
                }
            }
            clients.get(s).close();
        }
        Set<Long> recentSomewhere = new HashSet<>();
        for (Model model : models) {
            for (long uid : model.recent) {
                if (uid != 0 && !recentSomewhere.add(uid)) {
                    problems.add("UID " + uid + " was \\Recent in two sessions");
                }
            }
        }
        assertThat(problems).as("inconsistencies").isEmpty();
    }

    /** A session's picture of the mailbox: for each sequence number, the UID (0 if not yet learned) and flags. */
    private static final class Model {
        final List<Long> uids = new ArrayList<>();
        final List<Set<String>> flags = new ArrayList<>();
        /** UIDs this session was told are \Recent: no other read-write session may be told so too. */
        final Set<Long> recent = new HashSet<>();
        final ConcurrentLinkedQueue<String> problems;
        final String who;

        Model(String who, ConcurrentLinkedQueue<String> problems) {
            this.who = who;
            this.problems = problems;
        }

        void apply(List<String> lines, String command) {
            for (String line : lines) {
                Matcher m = UNTAGGED.matcher(line);
                if (line.matches("t\\d+ BAD.*")) {
                    problem("BAD for " + command + ": " + line);
                }
                if (!m.matches()) {
                    continue;
                }
                int n = Integer.parseInt(m.group(1));
                switch (m.group(2)) {
                    case "EXISTS" -> {
                        if (n < uids.size()) {
                            problem("EXISTS " + n + " shrinks the mailbox of " + uids.size());
                        }
                        while (uids.size() < n) {
                            uids.add(0L);
                            flags.add(null);
                        }
                    }
                    case "EXPUNGE" -> {
                        if (n < 1 || n > uids.size()) {
                            problem("EXPUNGE " + n + " of a mailbox of " + uids.size());
                        } else {
                            uids.remove(n - 1);
                            flags.remove(n - 1);
                        }
                    }
                    default -> fetch(n, m.group(3));
                }
            }
        }

        private void fetch(int n, String items) {
            if (n < 1 || n > uids.size()) {
                problem("FETCH for message " + n + " of a mailbox of " + uids.size());
                return;
            }
            Matcher u = UID.matcher(items);
            if (u.find()) {
                long uid = Long.parseLong(u.group(1));
                long known = uids.get(n - 1);
                if (known != 0 && known != uid) {
                    problem("message " + n + " was UID " + known + ", now said to be " + uid);
                }
                if ((n > 1 && uids.get(n - 2) != 0 && uids.get(n - 2) >= uid)
                        || (n < uids.size() && uids.get(n) != 0 && uids.get(n) <= uid)) {
                    problem("UID " + uid + " at " + n + " breaks ascending order " + uids);
                }
                uids.set(n - 1, uid);
            }
            Matcher f = FLAGS.matcher(items);
            if (f.find()) {
                Set<String> named = new HashSet<>(f.group(1).isEmpty() ? List.of() : List.of(f.group(1).split(" ")));
                if (named.remove("\\Recent")) {
                    recent.add(uids.get(n - 1)); // 0 if the UID is not known yet: then it cannot be checked
                }
                flags.set(n - 1, named);
            }
        }

        void problem(String p) {
            problems.add(who + ": " + p);
        }
    }

    private static Set<String> imapFlags(MessageRef ref) {
        Set<String> out = new HashSet<>();
        ref.flags().system().forEach(f -> out.add(f.imapName()));
        out.addAll(ref.flags().keywords());
        return out;
    }

    private static void workload(int id, int operations, ImapTestClient c, Model model) {
        Random random = new Random(42 + id);
        for (int i = 0; i < operations; i++) {
            int size = model.uids.size();
            int roll = random.nextInt(100);
            String cmd;
            if (roll < 25 || size == 0) {
                String body = "Subject: s" + id + "-" + i + "\r\n\r\nbody\r\n";
                cmd = "APPEND INBOX {" + body.length() + "+}\r\n" + body;
            } else if (roll < 50) {
                int seq = 1 + random.nextInt(size);
                String flag = FLAG_CHOICES[random.nextInt(FLAG_CHOICES.length)];
                boolean add = random.nextBoolean();
                cmd = "STORE " + seq + " " + (add ? "+" : "-") + "FLAGS (" + flag + ")";
                List<String> lines = c.command(cmd);
                checkStore(model, lines, seq, flag, add);
                model.apply(lines, cmd);
                continue;
            } else if (roll < 60) {
                cmd = "EXPUNGE";
            } else if (roll < 85) {
                cmd = "FETCH 1:* (UID FLAGS)";
            } else if (roll < 93) {
                cmd = "FETCH " + (1 + random.nextInt(size)) + " (UID BODY.PEEK[HEADER.FIELDS (Subject)])";
            } else {
                cmd = "NOOP";
            }
            model.apply(c.command(cmd), cmd);
        }
    }

    /** A STORE's own FETCH reply for {@code seq} must show the flag added or removed. */
    private static void checkStore(Model model, List<String> lines, int seq, String flag, boolean add) {
        for (String line : lines) {
            if (line.startsWith("* " + seq + " FETCH") && line.contains("FLAGS")) {
                Matcher f = FLAGS.matcher(line);
                if (f.find() && List.of(f.group(1).split(" ")).contains(flag) != add) {
                    model.problem("STORE " + (add ? "+" : "-") + flag + " answered " + line);
                }
                return;
            }
        }
        String tagged = lines.get(lines.size() - 1);
        if (!tagged.contains("OK")) {
            model.problem("STORE on " + seq + " answered " + tagged);
        }
    }
}
