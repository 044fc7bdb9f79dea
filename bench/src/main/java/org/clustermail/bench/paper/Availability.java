package org.clustermail.bench.paper;

import java.util.ArrayList;
import java.util.List;

/** Turns the availability run's per-message records into the per-second, per-node timeline. */
final class Availability {

    private Availability() {
    }

    static Results.Availability analyse(String config, int nodes, double rate, int killed, double killAt,
                                        LoadRunner.Window w, Results.Verification verification) {
        int seconds = (int) Math.ceil(w.records().stream().mapToLong(LoadRunner.Record::endUs).max().orElse(0) / 1e6);
        int[][] accepted = new int[seconds + 1][nodes];
        int[][] failed = new int[seconds + 1][nodes];
        int acceptedBefore = 0;
        int acceptedAfter = 0;
        int failedAfter = 0;
        int failedAfterOnSurvivors = 0;
        for (LoadRunner.Record r : w.records()) {
            int second = (int) (r.endUs() / 1_000_000);
            boolean after = r.schedUs() / 1e6 >= killAt;
            if (r.accepted()) {
                accepted[second][r.target()]++;
                if (after) {
                    acceptedAfter++;
                } else {
                    acceptedBefore++;
                }
            } else {
                failed[second][r.target()]++;
                if (after) {
                    failedAfter++;
                    if (r.target() + 1 != killed) {
                        failedAfterOnSurvivors++;
                    }
                }
            }
        }
        List<Results.Second> timeline = new ArrayList<>();
        for (int s = 0; s <= seconds; s++) {
            timeline.add(new Results.Second(s, accepted[s], failed[s]));
        }
        return new Results.Availability(config, nodes, rate, killed, killAt, timeline, acceptedBefore, acceptedAfter,
                failedAfter, failedAfterOnSurvivors, verification);
    }
}
