package dev.jnx.exla.fuzz;

import dev.jnx.exla.Exla;

import java.util.stream.Collectors;

/**
 * The fuzzer's child process: {@code FuzzChild FIRST COUNT} runs the graphs of seeds
 * {@code FIRST .. FIRST+COUNT-1} in order, writing one {@code FUZZ ...} line per graph on
 * stdout as soon as it is done, so that if XLA kills the process the parent knows which graph
 * it was on. {@code -Djnx.fuzz.haltAt=S} makes it die at seed S as a native crash would (exit
 * 134, nothing written): the parent's crash handling is tested with it.
 */
public final class FuzzChild {
    private FuzzChild() {
    }

    public static void main(String[] args) {
        long first = Long.parseLong(args[0]);
        int count = Integer.parseInt(args[1]);
        GraphGenerator generator = new GraphGenerator();
        GraphRunner runner = new GraphRunner(Exla.compiler());
        long haltAt = Long.getLong("jnx.fuzz.haltAt", Long.MIN_VALUE);
        for (long seed = first; seed < first + count; seed++) {
            if (seed == haltAt) {
                Runtime.getRuntime().halt(134);
            }
            GraphRunner.Result r;
            Graph g = null;
            try {
                g = generator.generate(seed);
                r = runner.run(g);
            } catch (RuntimeException | StackOverflowError | AssertionError e) {
                r = new GraphRunner.Result(seed, "internal", g == null ? "(generator)" : g.lastOp(),
                        "fuzzer: " + GraphRunner.describe(e), g == null ? "" : g.describe());
            }
            String ops = g == null ? "" : g.steps().stream().map(Graph.Step::op).collect(Collectors.joining(","))
                    + (g.gradInput() >= 0 ? ",(gradient graph)" : "");
            System.out.println(r.withOps(ops).line());
            System.out.flush();
        }
    }
}
