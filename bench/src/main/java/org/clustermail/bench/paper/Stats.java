package org.clustermail.bench.paper;

import java.util.Arrays;
import java.util.List;

/** The few statistics the paper uses: mean, spread, and the mean with the top and bottom 10% dropped. */
final class Stats {

    private Stats() {
    }

    static double mean(double[] v) {
        return v.length == 0 ? 0 : Arrays.stream(v).sum() / v.length;
    }

    /** Sample standard deviation (0 for fewer than two values). */
    static double stddev(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1));
    }

    /** The paper's latency figure: the mean of the values left after dropping the top and bottom 10%. */
    static double trimmedMean(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int cut = v.length / 10;
        return mean(Arrays.copyOfRange(v, cut, v.length - cut));
    }

    static double quantile(double[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * q))];
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
