package dev.jnx.benchmarks;

import org.openjdk.jmh.results.RunResult;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/** The median of each benchmark of a JMH run, by method name. */
final class Medians {
    private Medians() {
    }

    static Map<String, Double> of(Collection<RunResult> results) {
        Map<String, Double> medians = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            medians.put(name.substring(name.lastIndexOf('.') + 1), r.getPrimaryResult().getStatistics().getPercentile(50));
        }
        return medians;
    }
}
