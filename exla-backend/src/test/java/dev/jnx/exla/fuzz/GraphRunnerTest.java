package dev.jnx.exla.fuzz;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.exla.Exla;
import dev.jnx.exla.WrongLowering;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fuzzer's classification of one graph, on hand-made graphs whose outcome is known. */
class GraphRunnerTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty("jnx.pjrt.cpu.plugin");
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    private static Graph.Step step(String op, int[] operands, java.util.function.Function<Tensor[], Tensor> fn) {
        return new Graph.Step(op, operands, fn, op);
    }

    /** v1 = exp(v0), v2 = add(v1, v0), v3 = sin(v2): an add in the middle of a chain. */
    private static Graph chain(int gradInput) {
        return new Graph(7, List.of(Nx.tensor(new float[] {0.5f, 1, 2})), List.of(
                step("exp", new int[] {0}, a -> Nx.exp(a[0])),
                step("add", new int[] {1, 0}, a -> Nx.add(a[0], a[1])),
                step("sin", new int[] {2}, a -> Nx.sin(a[0]))), new int[] {3}, gradInput, null);
    }

    @Test
    void agreeingGraphsAreOk() {
        GraphRunner.Result r = new GraphRunner(Exla.compiler()).run(chain(-1));
        assertEquals("ok", r.outcome(), r.detail());
        assertEquals("ok", new GraphRunner(Exla.compiler()).run(chain(0)).outcome());
    }

    @Test
    void aWrongOpInTheMiddleIsNamed() {
        GraphRunner.Result r = new GraphRunner(WrongLowering.of("stablehlo.add", "stablehlo.subtract")).run(chain(-1));
        assertEquals("mismatch", r.outcome(), r.detail());
        assertEquals("add", r.op());
        // exp(0.5) + 0.5 = 2.1487213 against exp(0.5) − 0.5 = 1.1487213
        assertTrue(r.detail().startsWith("v2 = add on f32[3][1.6487212"), r.detail());
        assertTrue(r.detail().contains(", f32[3][0.5, 1.0, 2.0]: "), r.detail());
        assertTrue(r.detail().contains("element [0]: expected 2.14872"), r.detail());
    }

    @Test
    void aWrongGradientIsNamedThroughTheStepsGradient() {
        // the forward graph has no multiply; d/dx sin(x) = cos(x) lowers to one
        GraphRunner.Result r = new GraphRunner(WrongLowering.of("stablehlo.multiply", "stablehlo.add")).run(chain(0));
        assertEquals("mismatch", r.outcome(), r.detail());
        assertTrue(r.op().startsWith("grad("), r.op());
    }

    @Test
    void subnormalInputsReadAsZeroAreExplained() {
        // XLA:CPU runs with DAZ: 1e-40f ≠ 0 is false there
        Graph g = new Graph(8, List.of(Nx.tensor(new float[] {1e-40f, 1})), List.of(
                step("notEqual", new int[] {0}, a -> Nx.notEqual(a[0], 0))), new int[] {1}, -1, null);
        GraphRunner.Result r = new GraphRunner(Exla.compiler()).run(g);
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.SUBNORMALS), r.detail());
    }

    @Test
    void documentedXlaDifferencesAreExplainedByTheirCategory() {
        // coverage.md, "XLA:CPU differences": (1+i)/0 is Inf+Inf·i on XLA, NaN+NaN·i on the reference
        Tensor z = Nx.complex(Nx.tensor(new float[] {1, 2}), Nx.tensor(new float[] {1, 0}));
        Graph division = new Graph(11, List.of(z, Nx.tensor(new float[] {0, 4})), List.of(
                step("divide", new int[] {0, 1}, a -> Nx.divide(a[0], a[1]))), new int[] {2}, -1, null);
        GraphRunner.Result r = new GraphRunner(Exla.compiler()).run(division);
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.COMPLEX_DIVISION_BY_ZERO), r.detail());
        // ... and an FFT over NaN leaves some components finite on XLA
        Graph fft = new Graph(12, List.of(Nx.tensor(new float[] {1, Float.NaN, 2, 3})), List.of(
                step("fft", new int[] {0}, a -> Nx.fft(a[0]))), new int[] {1}, -1, null);
        r = new GraphRunner(Exla.compiler()).run(fft);
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.FFT_NON_FINITE), r.detail());
        // ... and an f32 dot whose products overflow f32: 3e38·2 − 3e38 is 3e38 in f64, +Inf in f32
        Graph dot = new Graph(13, List.of(Nx.tensor(new float[] {3e38f, -3e38f})), List.of(
                step("dot", new int[] {0}, a -> Nx.dot(a[0], Nx.tensor(new float[] {2, 1})))), new int[] {1}, -1, null);
        r = new GraphRunner(Exla.compiler()).run(dot);
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.F32_DOT_ACCUMULATION), r.detail());
        // ... and cosh(262 + 0i) in c64 is Inf+NaN·i on XLA (Inf·sin 0), Inf+0i on the reference (C99)
        Tensor large = Nx.complex(Nx.tensor(new float[] {262, 1}), Nx.tensor(new float[] {0, 1}));
        Graph cosh = new Graph(14, List.of(large), List.of(step("cosh", new int[] {0}, a -> Nx.cosh(a[0]))),
                new int[] {1}, -1, null);
        r = new GraphRunner(Exla.compiler()).run(cosh);
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.COMPLEX_EXP_OVERFLOW), r.detail());
    }

    @Test
    void convPaddingSkippedByXlaIsExplainedOnlyForAPaddedConv() {
        // [1, 2, 3] ⊛ [NaN, 1] padded by one: the reference's first output is 0·NaN + 1 = NaN, XLA's 1
        Tensor kernel = Nx.tensor(new float[] {Float.NaN, 1}, 1, 1, 2);
        java.util.function.Function<String, Graph> conv = text -> new Graph(13,
                List.of(Nx.tensor(new float[] {1, 2, 3}, 1, 1, 3)), List.of(new Graph.Step("conv", new int[] {0},
                        a -> Nx.conv(a[0], kernel, dev.jnx.ConvOptions.defaults().padding(new int[] {1, 1})), text)),
                new int[] {1}, -1, null);
        GraphRunner.Result r = new GraphRunner(Exla.compiler())
                .run(conv.apply("(kernel f32[1][1][2], stride 1, pad 1/1, input dilation 1)"));
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.CONV_PADDING_SKIPPED), r.detail());
        // the same values described as an unpadded conv are not explained by padding
        r = new GraphRunner(Exla.compiler()).run(conv.apply("(kernel f32[1][1][2], stride 1, pad 0/0, input dilation 1)"));
        assertEquals("mismatch", r.outcome(), r.detail());
    }

    @Test
    void eigenvaluesAreJudgedByTheMatrixNorm() {
        // A = x + xᵀ = diag(2e10, 2): ‖A‖_F = 2e10, so f32 eigenvalues may each be off by
        // 4·n·r·‖A‖_F = 4·2·5e-6·2e10 = 8e5 — the small one included, whose own digits are noise.
        GraphRunner runner = new GraphRunner(Exla.compiler());
        Tensor x = Nx.tensor(new float[][] {{1e10f, 0}, {0, 1}});
        Tensor want = Nx.tensor(new float[] {2e10f, 2});
        assertTrue(runner.withinEigenvalueBound(x, want, Nx.tensor(new float[] {2e10f, 2 + 7e5f})));
        assertTrue(!runner.withinEigenvalueBound(x, want, Nx.tensor(new float[] {2e10f, 2 + 9e5f})));
        assertTrue(!runner.withinEigenvalueBound(x, want, Nx.tensor(new float[] {2e10f, Float.NaN})));
        // Seed 4605: s64 entries near ±9.2e18 wrap in x + xᵀ and convert to f32; eigenvalues of
        // order 1e10 beside 1.3e19 differ (-2.2e10 against -5.5e10) far inside that bound.
        GraphRunner.Result r = runner.run(new GraphGenerator().generate(4605));
        assertEquals("explained", r.outcome(), r.detail());
        assertTrue(r.detail().startsWith(GraphRunner.ILL_CONDITIONED + ": v4 = eigh"), r.detail());
    }

    @Test
    void documentedRefusalsAreExpectedAndOthersInternal() {
        Graph refused = new Graph(9, List.of(Nx.tensor(new float[] {1, 2})), List.of(
                step("reshape", new int[] {0}, a -> Nx.reshape(a[0], dev.jnx.Shape.of(3)))), new int[] {0}, -1,
                IllegalArgumentException.class);
        GraphRunner.Result r = new GraphRunner(Exla.compiler()).run(refused);
        assertEquals("expected", r.outcome(), r.detail());
        assertTrue(r.detail().contains("IllegalArgumentException"), r.detail());

        Graph leaking = new Graph(10, List.of(Nx.tensor(new float[] {1, 2})), List.of(
                step("broken", new int[] {0}, a -> {
                    throw new IllegalStateException("not a documented refusal");
                })), new int[] {0}, -1, IllegalStateException.class);
        r = new GraphRunner(Exla.compiler()).run(leaking);
        assertEquals("internal", r.outcome(), r.detail());
        assertTrue(r.detail().contains("undocumented exception type"), r.detail());
    }

    @Test
    void aSeedReplaysTheSameGraph() {
        GraphGenerator gen = new GraphGenerator();
        for (long seed = 1; seed <= 30; seed++) {
            Graph a = gen.generate(seed);
            Graph b = new GraphGenerator().generate(seed);
            assertEquals(a.describe(), b.describe());
            for (int i = 0; i < a.inputs().size(); i++) {
                assertArrayEquals(a.inputs().get(i).toByteArray(), b.inputs().get(i).toByteArray());
            }
        }
    }

    /**
     * Graphs of the 10,000-graph run whose differences docs/coverage.md lists as XLA:CPU's, so that
     * the list cannot go stale: a change in XLA (or a fix) turns one of them into "ok" or "mismatch".
     */
    @Test
    void fuzzedXlaDifferencesStayExplainedByTheirCategory() {
        GraphRunner runner = new GraphRunner(Exla.compiler());
        java.util.Map<Long, String> seeds = java.util.Map.of(
                4660L, GraphRunner.F32_DOT_ACCUMULATION,
                369L, GraphRunner.COMPLEX_PRODUCT_INFINITY,
                6452L, GraphRunner.COMPLEX_PRODUCT_INFINITY,
                9771L, GraphRunner.COMPLEX_ZERO_SIGN,
                1218L, GraphRunner.COMPLEX_ZERO_SIGN,
                5105L, GraphRunner.COMPLEX_DIVISION_BY_ZERO);
        seeds.forEach((seed, category) -> {
            GraphRunner.Result r = runner.run(new GraphGenerator().generate(seed));
            assertEquals("explained", r.outcome(), seed + ": " + r.detail());
            assertTrue(r.detail().startsWith(category), seed + ": " + r.detail());
        });
    }

    @Test
    void resultLinesRoundTrip() {
        GraphRunner.Result r = new GraphRunner.Result(42, "mismatch", "add", "v2 = add: element [0]: expected 1, got 2",
                "v0:f32[3] | v1 = add(v0, v0)", "exp,add");
        assertEquals(r, GraphRunner.Result.parse(r.line()));
    }
}
