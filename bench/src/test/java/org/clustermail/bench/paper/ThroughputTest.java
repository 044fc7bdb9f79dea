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
    void aSaturatedStepIsProbedJustAboveWhatItStored() {
        assertThat(Throughput.probeAfter(trial(5120, 2538.4, false), false)).hasValue(2792);
    }

    @Test
    void noProbeWhereTheStepBeforeAlreadyKeptUpOrTheStepNearlyKeptUp() {
        // 2560 kept up before 5120 stored 2200: a probe at 2420 lies below a rate known to keep up.
        assertThat(Throughput.probeAfter(trial(5120, 2200, false), false)).isEmpty();
        // 320 offered, 286 stored: a probe at 314 is no different from 320.
        assertThat(Throughput.probeAfter(trial(320, 286.1, false), false)).isEmpty();
    }

    @Test
    void aFirstStepFarAboveCapacityIsProbedBelowHalfOfIt() {
        // The 60 s run of 2026-12-06: four Postfix fronts at their start rate, 640 offered, stored 179.
        assertThat(Throughput.probeAfter(trial(640, 179.3, false), true)).hasValue(197);
    }

    private static Results.Trial trial(double rate, double stored, boolean keptUp) {
        return new Results.Trial(rate, 60, 100, 100, 0, 100, 60, stored, keptUp, 1, 2, 0, "0 0 0");
    }
}
