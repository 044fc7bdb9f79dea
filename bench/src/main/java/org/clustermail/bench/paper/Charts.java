package org.clustermail.bench.paper;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The run's PNG charts (XChart): throughput vs nodes, scaling vs the paper, stacked latency, availability, cost. */
final class Charts {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 560;
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {6f, 4f}, 0f);

    /** The paper's Table 3 (and Table 4's version 1 on the 16-node cluster), msg/s at 1, 2, 4 (8, 16) nodes. */
    static final Map<String, double[]> PAPER = new LinkedHashMap<>();

    static {
        PAPER.put("paper EarthLink (Table 3)", new double[] {7.8, 16.9, 30.9});
        PAPER.put("paper V1 sendmail (Table 3)", new double[] {9.0, 17.7, 33.6});
        PAPER.put("paper V2 sendmail (Table 3)", new double[] {9.0, 19.4, 35.0});
        PAPER.put("paper V2 Postfix (Table 3)", new double[] {10.8, 21.4, 30.1});
        PAPER.put("paper V1 (Table 4)", new double[] {11.5, 19.2, 42.5, 79.5, 175.0});
    }

    private Charts() {
    }

    static List<Path> write(Results r, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        if (!r.throughput.isEmpty()) {
            written.add(save(throughput(r), dir.resolve("throughput.png")));
            written.add(save(scaling(r), dir.resolve("scaling.png")));
        }
        if (!r.latency.isEmpty()) {
            written.add(save(latency(r.latency, "Latency by stage (trimmed mean; L local, R remote delivery)"),
                    dir.resolve("latency.png")));
        }
        for (Results.Availability a : r.availability) {
            written.add(save(availability(a), dir.resolve("availability-" + a.config() + ".png")));
        }
        if (!r.messageSize.isEmpty()) {
            written.add(save(messageSize(r.messageSize), dir.resolve("cost-message-size.png")));
        }
        if (!r.users.isEmpty()) {
            written.add(save(users(r.users), dir.resolve("cost-users.png")));
        }
        if (!r.mailboxSize.isEmpty()) {
            written.add(save(mailbox(r.mailboxSize), dir.resolve("cost-mailbox.png")));
        }
        return written;
    }

    private static XYChart throughput(Results r) {
        XYChart c = xy("Throughput by cluster size (mean of the repetitions, bars: std. dev.)", "nodes",
                "messages/second stored");
        for (String config : configs(r)) {
            List<Results.Throughput> rows = r.throughput.stream().filter(t -> t.config().equals(config)).toList();
            double[] x = rows.stream().mapToDouble(Results.Throughput::nodes).toArray();
            double[] y = rows.stream().mapToDouble(Results.Throughput::mean).toArray();
            double[] e = rows.stream().mapToDouble(Results.Throughput::stddev).toArray();
            XYSeries s = c.addSeries(label(config), x, y, e);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        c.getStyler().setXAxisDecimalPattern("0");
        c.getStyler().setYAxisMin(0.0);
        // Below the plot: inside it, the legend covered the 1-node points, which are the highest on few cores.
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        return c;
    }

    private static XYChart scaling(Results r) {
        XYChart c = xy("Scaling: throughput relative to the same configuration on 1 node (dashed: the paper)",
                "nodes", "throughput / 1-node throughput");
        int maxNodes = r.throughput.stream().mapToInt(Results.Throughput::nodes).max().orElse(1);
        for (String config : configs(r)) {
            List<Results.Throughput> rows = r.throughput.stream().filter(t -> t.config().equals(config)).toList();
            double one = rows.stream().filter(t -> t.nodes() == 1).mapToDouble(Results.Throughput::mean).findFirst()
                    .orElse(0);
            if (one <= 0 || rows.size() < 2) {
                continue;
            }
            c.addSeries(label(config), rows.stream().mapToDouble(Results.Throughput::nodes).toArray(),
                    rows.stream().mapToDouble(t -> t.mean() / one).toArray()).setMarker(SeriesMarkers.CIRCLE);
        }
        PAPER.forEach((name, values) -> {
            int[] nodes = {1, 2, 4, 8, 16};
            int k = 0;
            while (k < values.length && nodes[k] <= Math.max(maxNodes, 4)) {
                k++;
            }
            double[] x = new double[k];
            double[] y = new double[k];
            for (int i = 0; i < k; i++) {
                x[i] = nodes[i];
                y[i] = values[i] / values[0];
            }
            XYSeries s = c.addSeries(name, x, y);
            s.setLineStyle(DASHED);
            s.setMarker(SeriesMarkers.NONE);
        });
        c.addSeries("linear", new double[] {1, Math.max(maxNodes, 4)}, new double[] {1, Math.max(maxNodes, 4)})
                .setLineColor(Color.LIGHT_GRAY);
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    static CategoryChart latency(List<Results.Latency> rows, String title) {
        CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("configuration, nodes, local/remote").yAxisTitle("milliseconds").build();
        style(c);
        c.getStyler().setStacked(true);
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        c.getStyler().setXAxisLabelRotation(30);
        List<String> categories = new ArrayList<>();
        List<Results.Stages> stages = new ArrayList<>();
        for (Results.Latency l : rows) {
            String base = shortLabel(l.config()) + " " + l.nodes() + "n";
            if (l.local() != null) {
                categories.add(base + " L");
                stages.add(l.local());
            }
            if (l.remote() != null) {
                categories.add(base + " R");
                stages.add(l.remote());
            }
        }
        if (stages.stream().anyMatch(s -> s.mtaQueue() > 0)) {
            c.addSeries("MTA: Postfix queue", categories, stages.stream().map(Results.Stages::mtaQueue).toList());
        }
        c.addSeries("MTA", categories, stages.stream().map(Results.Stages::mta).toList());
        c.addSeries("setup", categories, stages.stream().map(Results.Stages::setup).toList());
        c.addSeries("store", categories, stages.stream().map(Results.Stages::store).toList());
        c.addSeries("transfer", categories, stages.stream().map(Results.Stages::transfer).toList());
        return c;
    }

    private static XYChart availability(Results.Availability a) {
        XYChart c = xy(String.format("Availability, %s, %d nodes at %.0f msg/s: node %d killed (kill -9) at %.0f s",
                        label(a.config()), a.nodes(), a.rate(), a.killedNode(), a.killAtSecond()),
                "seconds since the load started", "messages per second (by the node the client connected to)");
        double[] x = a.timeline().stream().mapToDouble(Results.Second::second).toArray();
        Color[] colors = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44),
            new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194)};
        for (int n = 0; n < a.nodes(); n++) {
            int node = n;
            Color color = colors[n % colors.length];
            XYSeries ok = c.addSeries("node " + (n + 1) + " accepted", x,
                    a.timeline().stream().mapToDouble(s -> s.accepted()[node]).toArray());
            ok.setLineColor(color);
            ok.setMarker(SeriesMarkers.NONE);
            double[] failed = a.timeline().stream().mapToDouble(s -> s.failed()[node]).toArray();
            if (java.util.Arrays.stream(failed).anyMatch(v -> v > 0)) {
                XYSeries bad = c.addSeries("node " + (n + 1) + " failed", x, failed);
                bad.setLineColor(color);
                bad.setLineStyle(DASHED);
                bad.setMarker(SeriesMarkers.CROSS);
                bad.setMarkerColor(color);
            }
        }
        AnnotationLine kill = new AnnotationLine(a.killAtSecond(), true, false);
        c.addAnnotation(kill);
        c.getStyler().setAnnotationLineColor(Color.BLACK);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static XYChart messageSize(List<Results.SizeCost> rows) {
        XYChart c = xy("Throughput by message size (version 2, 1 node)", "message size (octets, log scale)",
                "messages/second stored");
        c.addSeries("msg/s", rows.stream().mapToDouble(Results.SizeCost::size).toArray(),
                rows.stream().mapToDouble(s -> s.throughput().mean()).toArray()).setMarker(SeriesMarkers.CIRCLE);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static XYChart users(List<Results.UserCost> rows) {
        XYChart c = xy("Cost of users on one node (version 2)", "users (log scale)", "milliseconds / seconds");
        double[] x = rows.stream().mapToDouble(Results.UserCost::users).toArray();
        c.addSeries("lookup (setup stage), ms", x, rows.stream().mapToDouble(u -> u.latency() == null
                || u.latency().local() == null ? 0 : u.latency().local().setup()).toArray())
                .setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("node start, s", x, rows.stream().mapToDouble(Results.UserCost::startSeconds).toArray())
                .setMarker(SeriesMarkers.SQUARE);
        c.addSeries("creating the users (bulk SQL), s", x, rows.stream().mapToDouble(Results.UserCost::createSeconds)
                .toArray()).setMarker(SeriesMarkers.DIAMOND);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static XYChart mailbox(List<Results.MailboxCost> rows) {
        XYChart c = xy("IMAP on one INBOX by its size (version 2, 1 node)", "messages in the INBOX (log scale)",
                "milliseconds (log scale)");
        double[] x = rows.stream().mapToDouble(Results.MailboxCost::messages).toArray();
        c.addSeries("SELECT, first after node start", x, rows.stream()
                .mapToDouble(m -> Math.max(0.01, m.selectColdMs())).toArray()).setMarker(SeriesMarkers.CIRCLE);
        c.addSeries("SELECT, again (median of 3)", x, rows.stream().mapToDouble(m -> Math.max(0.01, m.selectMs()))
                .toArray()).setMarker(SeriesMarkers.SQUARE);
        c.addSeries("listing: FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE)", x, rows.stream()
                .mapToDouble(m -> Math.max(0.01, m.listingMs())).toArray()).setMarker(SeriesMarkers.DIAMOND);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setYAxisLogarithmic(true);
        return c;
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        style(c);
        return c;
    }

    private static void style(Chart<?, ?> c) {
        Styler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        s.setAntiAlias(true);
    }

    private static List<String> configs(Results r) {
        return r.throughput.stream().map(Results.Throughput::config).distinct().toList();
    }

    static String label(String config) {
        return switch (config) {
            case "version1" -> "version 1";
            case "version2" -> "version 2";
            case "shared-store" -> "shared store (EarthLink)";
            case "postfix" -> "version 2, Postfix in front";
            case "postfix-dovecot" -> "peers: Postfix+Dovecot (1 server)";
            default -> config;
        };
    }

    private static String shortLabel(String config) {
        return switch (config) {
            case "version1" -> "V1";
            case "version2" -> "V2";
            case "shared-store" -> "shared";
            case "postfix" -> "V2+Postfix";
            default -> config;
        };
    }

    private static Path save(Chart<?, ?> chart, Path file) throws IOException {
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
    }
}
