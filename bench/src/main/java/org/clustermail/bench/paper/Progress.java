package org.clustermail.bench.paper;

import java.io.PrintStream;

/**
 * The progress bar: one line on the terminal redrawn in place ({@code [#####-----] 12/40 phase: what, elapsed
 * 3:20}), or one plain line per step when the output is not a terminal (CI logs).
 */
final class Progress {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final boolean terminal;
    private final long started = System.nanoTime();
    private int total;
    private int done;
    private String phase = "";

    Progress(PrintStream out, boolean terminal, int total) {
        this.out = out;
        this.terminal = terminal;
        this.total = Math.max(1, total);
    }

    /** Starts the next unit of work (a configuration, a run). */
    synchronized void step(String phaseName) {
        done = Math.min(done + 1, total);
        phase = phaseName;
        show("");
    }

    /** What the current unit is doing now. */
    synchronized void detail(String what) {
        show(what);
    }

    synchronized void addUnits(int more) {
        total += more;
    }

    /** A line that stays (a result), printed above the bar. */
    synchronized void note(String line) {
        if (terminal) {
            out.print("\r\033[2K");
        }
        out.println(line);
        out.flush();
    }

    synchronized void finish() {
        done = total;
        show("done");
        if (terminal) {
            out.println();
        }
    }

    private void show(String what) {
        int filled = (int) Math.round(WIDTH * (done - (done == total ? 0 : 1) + 0.5 * (done < total ? 1 : 0))
                / (double) total);
        filled = Math.max(0, Math.min(WIDTH, filled));
        long s = (System.nanoTime() - started) / 1_000_000_000L;
        String line = String.format("[%s%s] %d/%d %s%s  (%d:%02d)", "#".repeat(filled), "-".repeat(WIDTH - filled),
                done, total, phase, what.isEmpty() ? "" : ": " + what, s / 60, s % 60);
        if (terminal) {
            out.print("\r\033[2K" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }
}
