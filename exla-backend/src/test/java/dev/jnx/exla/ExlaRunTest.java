package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compiles and runs through a real plugin: the one {@code -Djnx.pjrt.plugin} names (e.g. CUDA's),
 * else the CPU plugin; skipped while neither is there.
 */
class ExlaRunTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(System.getProperty("jnx.pjrt.plugin") != null || p != null && Files.isRegularFile(Path.of(p)),
                "no PJRT plugin: CPU plugin not built (" + p + ") and no -Djnx.pjrt.plugin");
    }

    private static Tensor softmax(Tensor x) {
        Tensor e = Nx.exp(x);
        return Nx.divide(e, Nx.sum(e));
    }

    @Test
    void softmaxMatchesNx() {
        Function<Tensor, Tensor> f = Defn.jit(ExlaRunTest::softmax, Exla.compiler());
        Tensor out = f.apply(Nx.tensor(new float[]{1, 2, 3}));
        assertEquals(DType.F32, out.type());
        assertEquals(Shape.of(3), out.shape());
        float[] want = {0.09003057f, 0.24472847f, 0.66524096f};
        float[] got = out.toFloatArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(want[i], got[i], 1e-6, "element " + i);
        }
    }

    @Test
    void multipleOutputsAndNoParameters() {
        Expr.Parameter x = new Expr.Parameter(0, Shape.of(2, 3), DType.S32);
        Expr neg = new Expr.Unary(Expr.UnaryOp.NEGATE, x);
        TracedFunction fn = new TracedFunction("two", List.of(x), List.of(neg, x, neg));
        List<Tensor> outs = Exla.compiler().compile(fn).run(List.of(Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}})));
        assertEquals(3, outs.size());
        assertArrayEquals(new int[]{-1, -2, -3, -4, -5, -6}, outs.get(0).toIntArray());
        assertArrayEquals(new int[]{1, 2, 3, 4, 5, 6}, outs.get(1).toIntArray());

        TracedFunction constant = new TracedFunction("iota", List.of(), List.of(new Expr.Iota(Shape.of(2, 2), DType.F64, -1)));
        assertArrayEquals(new double[]{0, 1, 2, 3}, Exla.compiler().compile(constant).run(List.of()).get(0).toDoubleArray());
    }

    @Test
    void emptyAndScalarTensors() {
        Function<Tensor, Tensor> f = Defn.jit(x -> Nx.add(Nx.sum(x, new int[]{1}, false), 1), Exla.compiler());
        Tensor out = f.apply(Tensor.of(Shape.of(2, 0, 3), DType.F32, new HostData(new byte[0])));
        assertEquals(Shape.of(2, 3), out.shape());
        assertArrayEquals(new float[]{1, 1, 1, 1, 1, 1}, out.toFloatArray());
        assertEquals(7.0, Defn.jit((Function<Tensor, Tensor>) x -> Nx.multiply(x, 2), Exla.compiler())
                .apply(Nx.scalar(3.5)).toDouble());
    }

    @Test
    void floatMaxAndMinReductionsPropagateNanLikeTheReference() {
        float nan = Float.NaN;
        Tensor x = Nx.tensor(new float[][] {{1, nan, 3}, {4, 5, 6}});
        for (var f : List.<java.util.function.Function<Tensor, Tensor>>of(Nx::reduceMax, Nx::reduceMin,
                t -> Nx.reduceMax(t, new int[] {1}, false), t -> Nx.reduceMin(t, new int[] {0}, false))) {
            assertArrayEquals(Defn.jit(f, Evaluator.compiler()).apply(x).toFloatArray(),
                    Defn.jit(f, Exla.compiler()).apply(x).toFloatArray(), 0f);
        }
        assertArrayEquals(new float[] {nan, 6}, Defn.jit((Tensor t) -> Nx.reduceMax(t, new int[] {1}, false),
                Exla.compiler()).apply(x).toFloatArray(), 0f);
    }

    @Test
    void malformedModuleGivesThePluginsMessage() {
        PjrtException direct = assertThrows(PjrtException.class,
                () -> Exla.compiler().backend().client().compile("module @broken { this is not mlir }", new byte[0]));
        assertTrue(!direct.pluginMessage().isEmpty(), direct.getMessage());

        String bad = "module @jit_bad {\n  func.func public @main(%arg0: tensor<5xf32>) -> (tensor<5xf32>) {\n"
                + "    %0 = stablehlo.add %arg0, %arg0 : tensor<6xf32>\n    return %0 : tensor<5xf32>\n  }\n}\n";
        // The bundled plugin parses the signature at compile time and has XLA compile on the
        // first run, so the error may come from either step; both name the module.
        Expr.Parameter x = new Expr.Parameter(0, Shape.of(5), DType.F32);
        TracedFunction fn = new TracedFunction("bad", List.of(x), List.of(x));
        ExlaException e = assertThrows(ExlaException.class, () -> {
            PjrtLoadedExecutable exe = Exla.compiler().compileModule("jit_bad", bad,
                    dev.jnx.xla.CompileOptions.singleDevice(0));
            new ExlaExecutable(fn, java.util.List.of(), bad, exe, Exla.compiler().backend(), ExlaCompiler.OutputPlacement.FOLLOW_INPUTS)
                    .run(List.of(Nx.tensor(new float[]{1, 2, 3, 4, 5})));
        });
        assertEquals("jit_bad", e.moduleName());
        assertTrue(e.getMessage().contains("@jit_bad"), e.getMessage());
        assertTrue(!e.pluginMessage().isEmpty() && e.getMessage().contains(e.pluginMessage()), e.getMessage());
        assertEquals(bad, e.moduleText());
    }

    @Test
    void wrongArgumentIsRejectedBeforeAnyNativeCall() {
        Expr.Parameter x = new Expr.Parameter(0, Shape.of(5), DType.F32);
        ExlaExecutable exe = (ExlaExecutable) Exla.compiler().compile(
                new TracedFunction("softmax", List.of(x), List.of(new Expr.Unary(Expr.UnaryOp.EXP, x))));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> exe.run(List.of(Nx.tensor(new float[]{1, 2, 3}))));
        assertTrue(shape.getMessage().contains("softmax") && shape.getMessage().contains("argument 0")
                && shape.getMessage().contains("f32[5]") && shape.getMessage().contains("f32[3]"), shape.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
                () -> exe.run(List.of(Nx.tensor(new double[]{1, 2, 3, 4, 5}))));
        assertTrue(type.getMessage().contains("f64[5]"), type.getMessage());
        assertThrows(IllegalArgumentException.class, () -> exe.run(List.of()));
        assertTrue(exe.moduleText().contains("module @jit_softmax"));
    }

    @Test
    void manyCallsAndThreads() throws InterruptedException {
        Function<Tensor, Tensor> f = Defn.jit(ExlaRunTest::softmax, Exla.compiler());
        Tensor x = Nx.tensor(new float[]{1, 2, 3, 4, 5});
        float[] want = Defn.jit(ExlaRunTest::softmax, Evaluator.compiler()).apply(x).toFloatArray();
        Thread[] ts = new Thread[4];
        Throwable[] failure = new Throwable[1];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        float[] got = f.apply(x).toFloatArray();
                        for (int k = 0; k < got.length; k++) {
                            assertEquals(want[k], got[k], 1e-6);
                        }
                    }
                } catch (Throwable e) {
                    failure[0] = e;
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure[0] != null) {
            throw new AssertionError(failure[0]);
        }
    }

    @Test
    void differentialAgainstTheEvaluator() {
        List<String> failures = DifferentialCases.run(Evaluator.compiler(), Exla.compiler());
        assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n" + String.join("\n", failures));
    }
}
