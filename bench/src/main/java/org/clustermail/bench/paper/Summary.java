package org.clustermail.bench.paper;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The run's markdown summary: settings, machine and load, every table, the charts. */
final class Summary {

    private Summary() {
    }

    static String markdown(Results r, Machine machine, List<Path> charts, Path out, Path appendTo) {
        Path base = (appendTo != null ? appendTo.toAbsolutePath().getParent() : out.toAbsolutePath());
        StringBuilder md = new StringBuilder();
        md.append("### `clustermail bench` run of ").append(r.run.get("started")).append("\n\n");
        Object duration = r.run.get("durationSeconds");
        md.append("- Command: `").append(r.run.get("command")).append("` (").append(duration)
                .append(duration instanceof Number ? " s)\n" : ")\n");
        md.append("- Machine: ").append(machine.oneLine()).append("; ").append(r.run.get("pinning")).append('\n');
        md.append("- Load average (1/5/15 min): ").append(r.run.get("loadAverageAtStart")).append(" at the start, ")
                .append(r.run.get("loadAverageAtEnd")).append(" at the end; by phase: ");
        md.append(String.join("; ", r.phases.stream().map(p -> p.name() + " " + p.loadBefore() + " -> "
                + p.loadAfter() + " (" + Math.round(p.seconds()) + " s)").toList())).append('\n');
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) r.run.get("settings");
        md.append("- Settings: ").append(s.get("windowSeconds")).append(" s windows, ").append(s.get("repetitions"))
                .append(" repetitions at the best rate, ").append(s.get("usersPerNode")).append(" users per node, ")
                .append(warmUp(s.get("warmUpRatePerNode")))
                .append(s.get("messageSize")).append("-octet messages, ").append(s.get("generators"))
                .append(" generator process(es); raw output: `").append(rel(base, out.resolve("raw"))).append("`\n");
        r.skipped.forEach(k -> md.append("- Skipped: ").append(k).append('\n'));
        md.append('\n');
        throughput(md, r);
        latency(md, r);
        availability(md, r);
        cost(md, r);
        if (!charts.isEmpty()) {
            md.append("Charts:\n\n");
            for (Path c : charts) {
                md.append("![").append(c.getFileName()).append("](").append(rel(base, c)).append(")\n");
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static void throughput(StringBuilder md, Results r) {
        if (r.throughput.isEmpty()) {
            return;
        }
        List<Integer> nodes = r.throughput.stream().map(Results.Throughput::nodes).distinct().sorted().toList();
        md.append("**Throughput** (msg/s stored: mean ± std. dev. of the repetitions [min–max] @ the offered rate "
                + "repeated, the lowest within 3% of the most stored; every accepted message verified in the "
                + "mailboxes unless marked)\n\n");
        md.append("| configuration |");
        nodes.forEach(n -> md.append(" ").append(n).append(n == 1 ? " node |" : " nodes |"));
        md.append(" scaling (largest / 1 node) |\n|---|");
        nodes.forEach(n -> md.append("---|"));
        md.append("---|\n");
        for (String config : r.throughput.stream().map(Results.Throughput::config).distinct().toList()) {
            md.append("| ").append(Charts.label(config)).append(" |");
            for (int n : nodes) {
                Optional<Results.Throughput> t = r.throughput.stream().filter(x -> x.config().equals(config)
                        && x.nodes() == n).findFirst();
                md.append(t.map(x -> String.format(" %.1f ± %.1f [%.1f–%.1f] @%.0f%s |", x.mean(), x.stddev(), x.min(),
                        x.max(), x.bestRate(), verificationMark(x.verification()))).orElse(" – |"));
            }
            md.append(scaling(r, config)).append(" |\n");
        }
        Charts.PAPER.forEach((name, v) -> {
            md.append("| ").append(name).append(" |");
            for (int n : nodes) {
                int i = switch (n) {
                    case 1 -> 0;
                    case 2 -> 1;
                    case 4 -> 2;
                    case 8 -> 3;
                    case 16 -> 4;
                    default -> -1;
                };
                md.append(i >= 0 && i < v.length ? String.format(" %.1f |", v[i]) : " – |");
            }
            md.append(String.format(" %.2f (%d nodes) |\n", v[Math.min(v.length, 3) - 1] / v[0],
                    new int[] {1, 2, 4}[Math.min(v.length, 3) - 1]));
        });
        md.append('\n');
    }

    /** Nothing for a cell whose mailboxes held every accepted message; otherwise what was found, in bold. */
    static String verificationMark(Results.Verification v) {
        if (v == null || v.allStored()) {
            return "";
        }
        if (v.stored() == Results.Verification.UNKNOWN) {
            return " **(not verified: the nodes did not answer their count)**";
        }
        return " **(" + v.stored() + "/" + v.accepted() + " stored)**";
    }

    private static String scaling(Results r, String config) {
        List<Results.Throughput> rows = r.throughput.stream().filter(x -> x.config().equals(config)).toList();
        Optional<Results.Throughput> one = rows.stream().filter(x -> x.nodes() == 1).findFirst();
        Optional<Results.Throughput> most = rows.stream().max((a, b) -> Integer.compare(a.nodes(), b.nodes()));
        if (one.isEmpty() || most.isEmpty() || most.get().nodes() == 1 || one.get().mean() <= 0) {
            return " –";
        }
        return String.format(" %.2f (%d nodes)", most.get().mean() / one.get().mean(), most.get().nodes());
    }

    private static void latency(StringBuilder md, Results r) {
        if (r.latency.isEmpty()) {
            return;
        }
        md.append("**Latency by stage** (ms; mean of the first 100 deliveries of each kind with the top and bottom "
                + "10% dropped, at a light load; client = MAIL FROM to the 250 after the data, seen by the "
                + "generator)\n\n");
        md.append("| configuration | nodes | delivery | samples | MTA | setup | store | transfer | sum | client |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (Results.Latency l : r.latency) {
            row(md, l, "local", l.local());
            row(md, l, "remote", l.remote());
        }
        md.append('\n');
    }

    private static void row(StringBuilder md, Results.Latency l, String kind, Results.Stages s) {
        if (s == null) {
            return;
        }
        md.append(String.format("| %s | %d | %s | %d | %s | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                Charts.label(l.config()), l.nodes(), kind, s.samples(), s.mtaQueue() > 0
                        ? String.format("%.2f (Postfix %.2f + node %.2f)", s.mta() + s.mtaQueue(), s.mtaQueue(), s.mta())
                        : String.format("%.2f", s.mta()), s.setup(), s.store(), s.transfer(), s.total(),
                s.clientTotal()));
    }

    private static void availability(StringBuilder md, Results r) {
        if (r.availability.isEmpty()) {
            return;
        }
        md.append("**Availability** (node 2 killed with `kill -9` under load; the generators keep connecting to it "
                + "as round-robin DNS would; after the run node 2 is started again)\n\n");
        md.append("| configuration | nodes | msg/s | accepted before / after the kill | failed after the kill: "
                + "all / on surviving nodes | stored in the end / accepted |\n|---|---|---|---|---|---|\n");
        for (Results.Availability a : r.availability) {
            md.append(String.format("| %s | %d | %.0f | %d / %d | %d / %d | %d / %d |%n", Charts.label(a.config()),
                    a.nodes(), a.rate(), a.acceptedBeforeKill(), a.acceptedAfterKill(), a.failedAfterKill(),
                    a.failedAfterKillOnSurvivors(), a.verification().stored(), a.verification().accepted()));
        }
        md.append('\n');
    }

    private static void cost(StringBuilder md, Results r) {
        if (!r.messageSize.isEmpty()) {
            md.append("**Cost of message size** (version 2, 1 node)\n\n| size (octets) | msg/s | MB/s | latency "
                    + "MTA / setup / store, ms | client, ms |\n|---|---|---|---|---|\n");
            for (Results.SizeCost c : r.messageSize) {
                Results.Stages l = c.latency() == null ? null : c.latency().local();
                md.append(String.format("| %d | %.1f | %.2f | %s | %s |%n", c.size(), c.throughput().mean(),
                        c.megabytesPerSecond(), l == null ? "–" : String.format("%.2f / %.2f / %.2f", l.mta(),
                                l.setup(), l.store()), l == null ? "–" : String.format("%.2f", l.clientTotal())));
            }
            md.append('\n');
        }
        if (!r.users.isEmpty()) {
            md.append("**Cost of users** (1 node, version 2; users bulk-inserted with SQL batches, recipients "
                    + "uniform over all of them)\n\n| users | create (s) | node start (s) | heap after start (MiB) | "
                    + "setup (lookup) ms | msg/s |\n|---|---|---|---|---|---|\n");
            for (Results.UserCost u : r.users) {
                md.append(String.format("| %d | %.1f | %.1f | %.0f | %s | %.1f |%n", u.users(), u.createSeconds(),
                        u.startSeconds(), u.heapMiB(), u.latency() == null || u.latency().local() == null ? "–"
                                : String.format("%.3f", u.latency().local().setup()), u.throughput().mean()));
            }
            md.append('\n');
        }
        if (!r.mailboxSize.isEmpty()) {
            md.append("**Cost of mailbox size** (one INBOX of 2 KB messages, IMAP over loopback)\n\n| messages | "
                    + "filled in (s) | SELECT, first (ms) | SELECT, again (ms) | listing FETCH 1:* (ms) |\n"
                    + "|---|---|---|---|---|\n");
            for (Results.MailboxCost m : r.mailboxSize) {
                md.append(String.format("| %d | %.1f | %.1f | %.1f | %.1f |%n", m.messages(), m.fillSeconds(),
                        m.selectColdMs(), m.selectMs(), m.listingMs()));
            }
            md.append('\n');
        }
    }

    /** The settings line's words for the warm-up (runs before it had none and say nothing). */
    private static String warmUp(Object ratePerNode) {
        if (!(ratePerNode instanceof Number n) || n.doubleValue() <= 0) {
            return "";
        }
        return String.format("a warm-up of one message per user at %.0f msg/s per node before each search, ",
                n.doubleValue());
    }

    private static String rel(Path base, Path p) {
        try {
            String r = base.relativize(p.toAbsolutePath()).toString();
            return r.isEmpty() ? "." : r;
        } catch (IllegalArgumentException e) {
            return p.toAbsolutePath().toString();
        }
    }
}
