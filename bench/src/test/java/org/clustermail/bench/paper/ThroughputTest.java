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

    private static Results.Trial trial(double rate, double stored, boolean keptUp) {
        return new Results.Trial(rate, 60, 100, 100, 0, 100, 60, stored, keptUp, 1, 2, 0, "0 0 0");
    }
}
