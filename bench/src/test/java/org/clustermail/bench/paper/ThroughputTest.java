package org.clustermail.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which offered rate a search repeats. */
class ThroughputTest {

    @Test
    void repetitionsRunAtTheLowestRateThatStoresWithinThreePercentOfTheMost() {
        // The 60 s search of 2026-12-06: 5120 offered stored a little more than 2560, but queued for a minute.
        List<Results.Trial> search = List.of(trial(1280, 1259.2, true), trial(2560, 2507.2, true),
                trial(5120, 2538.4, false), trial(2792, 2533.2, false));

        assertThat(Throughput.bestRate(search).rate()).isEqualTo(2560);
    }

    @Test
    void aClearlyBetterHigherRateIsKept() {
        List<Results.Trial> search = List.of(trial(1280, 1250, true), trial(2560, 2100, false),
                trial(2300, 2250, false));

        assertThat(Throughput.bestRate(search).rate()).isEqualTo(2300);
    }

    @Test
    void withoutRepetitionsTheFigureIsTheBestSearchTrial() {
        Results.Trial best = trial(2000, 1725.4, false);
        List<Results.Trial> reps = List.of(trial(2000, 1700, false), trial(2000, 1750, false));

        assertThat(Throughput.measured(List.of(), best)).containsExactly(best);
        assertThat(Throughput.measured(reps, best)).isEqualTo(reps);
    }

    @Test
    void theRateDoublesWhileEveryStepKeepsUp() {
        assertThat(Throughput.nextRate(List.of(trial(640, 631, true), trial(1280, 1242, true)))).hasValue(2560);
    }

    @Test
    void aSaturatedStepIsProbedJustAboveWhatItStored() {
        assertThat(Throughput.nextRate(List.of(trial(2560, 2507.2, true), trial(5120, 2538.4, false))))
                .hasValue(2792);
    }

    @Test
    void aSaturatedStepThatStoredClearlyMoreThanTheStepBeforeEndsTheSearch() {
        // Version 1 on 4 nodes, 2026-12-06: a probe at 1258 is no different from 1280, and 1,144 is the figure.
        assertThat(Throughput.nextRate(List.of(trial(640, 630.9, true), trial(1280, 1144.1, false)))).isEmpty();
        // 320 offered, 286 stored: a probe at 314 is no different from 320.
        assertThat(Throughput.nextRate(List.of(trial(160, 159, true), trial(320, 286.1, false)))).isEmpty();
    }

    @Test
    void aFirstStepFarAboveCapacityIsProbedBelowHalfOfIt() {
        // The 60 s run of 2026-12-06: four Postfix fronts at their start rate, 640 offered, stored 179.
        assertThat(Throughput.nextRate(List.of(trial(640, 179.3, false)))).hasValue(197);
    }

    @Test
    void aProbeThatKeptUpAboveACollapseIsFollowedUpward() {
        // Four Postfix fronts, 2026-12-06: 640 offered stored 112 (overload), then 123 kept up: the capacity lies
        // somewhere between, so the search goes on at the geometric middle instead of stopping at a lower bound.
        assertThat(Throughput.nextRate(List.of(trial(640, 111.9, false), trial(123, 122.2, true)))).hasValue(280);
        // 2560 kept up and 5120 stored less than that: a probe at 2420 would lie below a rate known to keep up.
        assertThat(Throughput.nextRate(List.of(trial(2560, 2500, true), trial(5120, 2200, false))))
                .hasValue(3620);
    }

    @Test
    void theSearchEndsWhenTheRatesThatKeptUpAndSaturatedAreWithinAQuarter() {
        // Version 2 on 4 nodes, 2026-12-06: 1280 kept up, 2560 and the probe at 1556 saturated.
        assertThat(Throughput.nextRate(List.of(trial(640, 632.2, true), trial(1280, 1241.6, true),
                trial(2560, 1414.7, false), trial(1556, 1318.7, false)))).isEmpty();
    }

    private static Results.Trial trial(double rate, double stored, boolean keptUp) {
        return new Results.Trial(rate, 60, 100, 100, 0, 100, 60, stored, keptUp, 1, 2, 0, "0 0 0");
    }
}
