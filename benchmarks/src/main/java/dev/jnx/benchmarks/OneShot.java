package dev.jnx.benchmarks;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Single-shot benchmarks in fresh JVMs: what a new process pays once. On JDK 25+ the same again
 * in JVMs started with the JDK's AOT cache (JEP 483/514: classes loaded and linked, lambdas and
 * method profiles kept), written by a training fork that runs them {@code trainingRuns} times.
 */
final class OneShot {
    private OneShot() {
    }

    /** The medians of {@code include}'s benchmarks, one shot in each of {@code forks} fresh JVMs. */
    static Map<String, Double> medians(String include, Map<String, String> params, int forks, String... jvmArgs)
            throws RunnerException {
        return Medians.of(run(include, params, forks, 0, jvmArgs));
    }

    /**
     * The same medians in JVMs started with an AOT cache at {@code cache}, written first by one
     * training fork; empty before JDK 25, which has no {@code -XX:AOTCacheOutput}.
     */
    static Map<String, Double> mediansWithAotCache(String include, Map<String, String> params, int forks,
                                                   int trainingRuns, Path cache, String... jvmArgs)
            throws RunnerException {
        if (Runtime.version().feature() < 25) {
            return Map.of();
        }
        run(include, params, 1, trainingRuns, with(jvmArgs, "-XX:AOTCacheOutput=" + cache));
        return Medians.of(run(include, params, forks, 0, with(jvmArgs, "-XX:AOTCache=" + cache)));
    }

    private static String[] with(String[] jvmArgs, String more) {
        List<String> all = new ArrayList<>(List.of(jvmArgs));
        all.add(more);
        return all.toArray(String[]::new);
    }

    private static Collection<RunResult> run(String include, Map<String, String> params, int forks, int warmups,
                                             String... jvmArgs) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder().include(include)
                .mode(Mode.SingleShotTime).forks(forks).warmupForks(0).warmupIterations(warmups).measurementIterations(1)
                .jvmArgsAppend(with(jvmArgs, "--enable-native-access=ALL-UNNAMED"));
        params.forEach(o::param);
        return new Runner(o.build()).run();
    }
}
