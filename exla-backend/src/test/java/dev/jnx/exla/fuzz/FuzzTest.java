package dev.jnx.exla.fuzz;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The differential fuzzer: random graphs over the whole op vocabulary ({@link GraphGenerator}),
 * run on the reference evaluator and on XLA and compared op by op ({@link GraphRunner}).
 *
 * <p><b>Properties checked</b>, for every graph: nothing crashes the JVM; XLA and the
 * evaluator agree on every output under the tolerance rule of {@link dev.jnx.exla.Tolerance}
 * (integers exact; NaN equals NaN of any sign or payload; infinities exact; finite values within
 * {@code r·max(1, |want|)}, r = 1e-12 f64, 5e-6 f32, 1e-2 f16/bf16, the modulus for complex
 * numbers), or differ for a reason
 * documented in docs/coverage.md ("Differences the fuzzer explains"); what the API refuses, it
 * refuses with a documented exception type (IllegalArgumentException,
 * UnsupportedOperationException) eagerly, on the evaluator and on XLA alike. The test fails on
 * any crash, unexplained mismatch or internal error.
 *
 * <p><b>Running it</b>: graph {@code i} has seed {@code jnx.fuzz.seed + i} (default base 1),
 * so one graph replays alone with {@code -Djnx.fuzz.seed=S -Djnx.fuzz.graphs=1}.
 * {@code -Djnx.fuzz.graphs=N} (default 200), {@code -Djnx.fuzz.jobs=J} child JVMs at a time
 * (default: the number of CPUs, at most 4), {@code -Djnx.fuzz.batch=B} graphs per child
 * (default 100). A child that dies (a native crash) or hangs is replaced: its remaining graphs
 * run one per child until the one that kills it is found ("crash seed=S"), then the rest go on.
 * The report, with counts per outcome and per op and a repro line per failing seed, is written to
 * {@code target/fuzz-report.txt}.
 */
class FuzzTest {
    private static final long SECONDS_PER_GRAPH = 20;

    @Test
    void randomGraphsAgreeWithTheEvaluator() throws Exception {
        String plugin = System.getProperty("jnx.pjrt.cpu.plugin");
        assumeTrue(plugin != null && Files.isRegularFile(Path.of(plugin)), "CPU PJRT plugin not built: " + plugin);
        long base = Long.getLong("jnx.fuzz.seed", 1);
        int graphs = Integer.getInteger("jnx.fuzz.graphs", 200);
        int jobs = Integer.getInteger("jnx.fuzz.jobs", Math.min(4, Runtime.getRuntime().availableProcessors()));
        int batch = Integer.getInteger("jnx.fuzz.batch", 100);
        assumeTrue(graphs > 0, "jnx.fuzz.graphs=0");
        long start = System.nanoTime();
        List<GraphRunner.Result> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(jobs);
        List<Future<?>> futures = new ArrayList<>();
        for (long from = base; from < base + graphs; from += batch) {
            long f = from;
            int n = (int) Math.min(batch, base + graphs - from);
            futures.add(pool.submit(() -> {
                runBatch(f, n, results, null);
                return null;
            }));
        }
        for (Future<?> fu : futures) {
            fu.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        List<GraphRunner.Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Long.compare(a.seed(), b.seed()));
        String report = report(sorted, base, graphs, jobs, batch, seconds);
        Path out = Path.of("target", "fuzz-report.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        List<GraphRunner.Result> failed = sorted.stream().filter(FuzzTest::failure).toList();
        assertTrue(sorted.size() == graphs, "expected " + graphs + " results, got " + sorted.size());
        assertTrue(failed.isEmpty(), failed.size() + " failing graphs (report: " + out.toAbsolutePath() + "):\n"
                + String.join("\n", failed.stream().limit(30).map(FuzzTest::repro).toList()));
    }

    /** The harness itself: a child that dies is replaced, the graph that killed it reported by seed, the rest run. */
    @Test
    void aDyingChildIsReportedWithItsSeedAndTheOtherGraphsStillRun() throws Exception {
        String plugin = System.getProperty("jnx.pjrt.cpu.plugin");
        assumeTrue(plugin != null && Files.isRegularFile(Path.of(plugin)), "CPU PJRT plugin not built: " + plugin);
        List<GraphRunner.Result> results = Collections.synchronizedList(new ArrayList<>());
        runBatch(1, 4, results, 3L);
        List<GraphRunner.Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Long.compare(a.seed(), b.seed()));
        assertEquals(List.of(1L, 2L, 3L, 4L), sorted.stream().map(GraphRunner.Result::seed).toList());
        assertEquals(List.of(false, false, true, false), sorted.stream().map(r -> r.outcome().equals("crash")).toList());
        assertTrue(sorted.get(2).detail().startsWith("exit 134"), sorted.get(2).detail());
    }

    private static boolean failure(GraphRunner.Result r) {
        return switch (r.outcome()) {
            case "ok", "expected", "explained" -> false;
            default -> true; // mismatch, internal, crash
        };
    }

    /** Runs seeds {@code from .. from+n-1} in one child; if it dies, finds the graph that killed it and goes on. */
    private static void runBatch(long from, int n, List<GraphRunner.Result> results, Long haltAt)
            throws IOException, InterruptedException {
        long next = from;
        while (next < from + n) {
            int count = (int) (from + n - next);
            Child c = child(next, count, haltAt);
            results.addAll(c.results);
            long done = next + c.results.size();
            if (done >= from + n) {
                return;
            }
            if (count == 1) {
                results.add(crash(next, c.death));
                next++;
                continue;
            }
            // the child died on graph `done`: run it alone to be sure it is that graph's doing
            Child alone = child(done, 1, haltAt);
            if (alone.results.isEmpty()) {
                results.add(crash(done, alone.death));
            } else {
                results.addAll(alone.results);
            }
            next = done + 1;
        }
    }

    /** A graph that killed its child: described from its seed, regenerated here (generation runs no native code). */
    private static GraphRunner.Result crash(long seed, String death) {
        try {
            Graph g = new GraphGenerator().generate(seed);
            return new GraphRunner.Result(seed, "crash", g.lastOp(), death, g.describe(),
                    String.join(",", g.steps().stream().map(Graph.Step::op).toList()));
        } catch (RuntimeException e) {
            return new GraphRunner.Result(seed, "crash", "(unknown)", death, "", "");
        }
    }

    private record Child(List<GraphRunner.Result> results, String death) {
    }

    private static Child child(long first, int count, Long haltAt) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xss4m");
        cmd.add("-Xmx1g");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        Path dir = Path.of("target", "fuzz").toAbsolutePath();
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_" + first + "_" + count + "_%p.log"));
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("jnx.") && !k.startsWith("jnx.fuzz.")) {
                cmd.add("-D" + k + "=" + System.getProperty(k));
            }
        }
        if (haltAt != null) {
            cmd.add("-Djnx.fuzz.haltAt=" + haltAt);
        }
        // random graphs would only fill the persistent compile cache
        cmd.add("-Djnx.compile.cache=false");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(FuzzChild.class.getName());
        cmd.add(Long.toString(first));
        cmd.add(Integer.toString(count));
        Path err = dir.resolve("child-" + first + "-" + count + ".err");
        Files.createDirectories(err.getParent());
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<GraphRunner.Result> results = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("FUZZ ")) {
                        results.add(GraphRunner.Result.parse(line));
                    }
                }
            } catch (IOException e) {
                // the child is gone: what it wrote so far counts
            }
        });
        reader.start();
        boolean exited = p.waitFor(30 + SECONDS_PER_GRAPH * count, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        reader.join();
        String death = "";
        if (!exited) {
            death = "hung (killed after " + (30 + SECONDS_PER_GRAPH * count) + " s)";
        } else if (p.exitValue() != 0 || results.size() < count) {
            death = "exit " + p.exitValue() + ": " + tail(err) + jvmCrash(dir, "hs_err_" + first + "_" + count + "_");
        }
        if (results.size() == count) {
            Files.deleteIfExists(err);
        }
        return new Child(List.copyOf(results), death);
    }

    /** The signal and problematic frame of the JVM's crash log, if the child wrote one. */
    private static String jvmCrash(Path dir, String prefix) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.ISO_8859_1);
                StringBuilder b = new StringBuilder(" / JVM crash log " + f.getFileName() + ":");
                for (int i = 0; i < Math.min(lines.size(), 40); i++) {
                    if (lines.get(i).contains("SIG") || lines.get(i - 1 < 0 ? 0 : i - 1).contains("Problematic frame")) {
                        b.append(' ').append(lines.get(i).replace("#", "").trim());
                    }
                }
                return b.toString();
            }
        }
        return "";
    }

    private static String tail(Path err) throws IOException {
        List<String> lines = Files.readAllLines(err, StandardCharsets.ISO_8859_1);
        List<String> keep = new ArrayList<>();
        for (String l : lines) {
            if (l.contains("SIGSEGV") || l.contains("SIGABRT") || l.contains("Check failed") || l.contains("Problematic")
                    || l.startsWith("Exception") || l.contains("F0000") || l.contains("terminate")) {
                keep.add(l.trim());
            }
        }
        if (keep.isEmpty()) {
            keep.addAll(lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        }
        String s = String.join(" / ", keep);
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    private static String repro(GraphRunner.Result r) {
        return r.outcome() + " seed=" + r.seed() + " op=" + r.op() + ": " + r.detail() + "\n    graph: " + r.graph()
                + "\n    repro: mvn -B -ntp -o test -pl exla-backend -Dtest=FuzzTest -Djnx.fuzz.seed=" + r.seed()
                + " -Djnx.fuzz.graphs=1 -Djnx.skipFallbackTests=true";
    }

    private static String report(List<GraphRunner.Result> results, long base, int graphs, int jobs, int batch,
                                 double seconds) {
        Map<String, Integer> outcomes = new TreeMap<>();
        Map<String, Integer> explained = new TreeMap<>();
        Map<String, Map<String, Integer>> perOp = new TreeMap<>();
        Map<String, Integer> internalTypes = new TreeMap<>();
        for (GraphRunner.Result r : results) {
            outcomes.merge(r.outcome(), 1, Integer::sum);
            if (r.outcome().equals("explained")) {
                explained.merge(r.detail().substring(0, Math.max(0, r.detail().indexOf(':'))), 1, Integer::sum);
            }
            if (r.outcome().equals("internal")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("threw (?:on .* alone: )?([\\w.$]+)")
                        .matcher(r.detail());
                internalTypes.merge(m.find() ? m.group(1) : r.detail().split(":")[0], 1, Integer::sum);
            }
            for (String op : r.ops().split(",")) {
                if (!op.isEmpty()) {
                    perOp.computeIfAbsent(op, k -> new TreeMap<>()).merge("in graphs", 1, Integer::sum);
                }
            }
            if (!r.outcome().equals("ok")) {
                perOp.computeIfAbsent(r.op(), k -> new TreeMap<>()).merge(r.outcome(), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("jnx fuzz: %d graphs, seeds %d..%d, %d jobs of %d graphs, %.1f s%n", graphs, base,
                base + graphs - 1, jobs, batch, seconds));
        b.append("outcomes: ").append(outcomes).append('\n');
        b.append("explained, by category (docs/coverage.md, \"Differences the fuzzer explains\"): ").append(explained)
                .append('\n');
        b.append("internal, by exception type: ").append(internalTypes).append('\n');
        b.append("\nper op (graphs it appears in; outcomes it was blamed for):\n");
        perOp.forEach((op, m) -> b.append("  ").append(op).append(' ').append(m).append('\n'));
        b.append("\nfailing seeds:\n");
        results.stream().filter(FuzzTest::failure).forEach(r -> b.append(repro(r)).append('\n'));
        b.append("\nexplained and expected seeds:\n");
        results.stream().filter(r -> r.outcome().equals("explained") || r.outcome().equals("expected"))
                .forEach(r -> b.append("  ").append(r.outcome()).append(" seed=").append(r.seed()).append(" op=")
                        .append(r.op()).append(": ").append(r.detail()).append('\n'));
        return b.toString();
    }
}
