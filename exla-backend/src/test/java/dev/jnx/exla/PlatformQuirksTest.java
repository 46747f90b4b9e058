package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Executable;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The XLA:CPU workarounds are emitted for the cpu platform only, and are what keeps its results right. */
class PlatformQuirksTest {
    private static final Expr.Parameter X = new Expr.Parameter(0, Shape.of(3), DType.F32);
    private static final Expr.Parameter Y = new Expr.Parameter(1, Shape.of(3), DType.F32);

    private static String lower(String platform, Expr.Parameter[] params, Expr output) {
        return StableHlo.lower(new TracedFunction("q", List.of(params), List.of(output)), platform);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theRegistryGivesCpuItsQuirksAndOthersNone() {
        assertEquals(java.util.EnumSet.allOf(PlatformQuirks.Quirk.class), PlatformQuirks.of("CPU").quirks());
        assertEquals("cpu", PlatformQuirks.of("CPU").platform());
        assertTrue(PlatformQuirks.of("cuda").quirks().isEmpty());
        assertTrue(PlatformQuirks.of("rocm").quirks().isEmpty());
        // The bundled plugin's client is the one the cpu entry is for.
        assertEquals(PlatformQuirks.CPU, PlatformQuirks.of(Exla.compiler().client().platformName()));
    }

    @Test
    void nanSelectingMaxAndMinAreEmittedForCpuOnly() {
        Expr reduce = new Expr.Reduce(Expr.ReduceOp.MAX, X, new int[]{0}, Shape.scalar());
        Expr.Parameter[] x = {X};
        String cpu = lower("cpu", x, reduce);
        String cuda = lower("cuda", x, reduce);
        assertEquals(1, count(cpu, "\"stablehlo.maximum\""), cpu);
        assertEquals(1, count(cuda, "\"stablehlo.maximum\""), cuda);
        // The body's NaN tests: x != x for each operand, each selecting it.
        assertEquals(2, count(cpu, "comparison_direction NE"), cpu);
        assertEquals(2, count(cpu, "\"stablehlo.select\""), cpu);
        assertFalse(cuda.contains("\"stablehlo.compare\""), cuda);
        assertFalse(cuda.contains("\"stablehlo.select\""), cuda);
        Expr.Parameter[] xy = {X, Y};
        Expr min = new Expr.Binary(Expr.BinaryOp.MIN, X, Y);
        assertEquals(2, count(lower("cpu", xy, min), "comparison_direction NE"));
        String cudaMin = lower("cuda", xy, min);
        assertFalse(cudaMin.contains("\"stablehlo.compare\""), cudaMin);
        assertEquals(1, count(cudaMin, "\"stablehlo.minimum\""), cudaMin);
    }

    @Test
    void flushedSubnormalAtan2IsEmittedForCpuOnly() {
        Expr atan2 = new Expr.Binary(Expr.BinaryOp.ATAN2, X, Y);
        Expr.Parameter[] xy = {X, Y};
        String cpu = lower("cpu", xy, atan2);
        String cuda = lower("cuda", xy, atan2);
        assertEquals(2, count(cpu, "\"stablehlo.bitcast_convert\""), cpu);
        assertFalse(cuda.contains("\"stablehlo.bitcast_convert\""), cuda);
        assertTrue(cuda.contains("%0 = \"stablehlo.atan2\"(%arg0, %arg1) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>"),
                cuda);
    }

    @Test
    void theLogOfSqrtBarrierIsCpuOnlyAndTheLogOfPowOneIsEverywhere() {
        Expr.Parameter[] x = {X};
        Expr logSqrt = new Expr.Unary(Expr.UnaryOp.LOG, new Expr.Unary(Expr.UnaryOp.SQRT, X));
        assertTrue(lower("cpu", x, logSqrt).contains("\"stablehlo.optimization_barrier\""));
        assertFalse(lower("cuda", x, logSqrt).contains("\"stablehlo.optimization_barrier\""));
        Expr logPow = new Expr.Unary(Expr.UnaryOp.LOG, new Expr.Binary(Expr.BinaryOp.POW, X, X));
        assertTrue(lower("cpu", x, logPow).contains("\"stablehlo.optimization_barrier\""));
        assertTrue(lower("cuda", x, logPow).contains("\"stablehlo.optimization_barrier\""));
    }

    /** Exla over the bundled CPU plugin, but lowering as for the platform {@code platform}. */
    private static Compiler loweringFor(String platform) {
        ExlaCompiler exla = Exla.compiler();
        return new Compiler() {
            @Override
            public Executable compile(TracedFunction f) {
                String text = StableHlo.lower(f, platform);
                return new ExlaExecutable(f, java.util.List.of(), text, exla.compileModule(StableHlo.moduleName(f.name()), text,
                        CompileOptions.singleDevice(exla.device().id())), exla.backend(), exla.outputPlacement());
            }

            @Override
            public String name() {
                return "exla(cpu, lowered for " + platform + ")";
            }
        };
    }

    @Test
    void cpuMaxAndMinPropagateNaNWhereTheUnpatchedLoweringDropsIt() {
        float nan = Float.NaN;
        Tensor x = Nx.tensor(new float[]{1, nan, 3});
        Tensor y = Nx.tensor(new float[]{nan, 2, 2});
        var cpuMax = Defn.jit((Tensor t) -> Nx.reduceMax(t), Exla.compiler());
        assertTrue(Double.isNaN(cpuMax.apply(x).toDouble()));
        assertTrue(Double.isNaN(cpuMax.apply(Nx.tensor(new float[]{nan, 1, 3})).toDouble()));
        assertEquals(3.0, cpuMax.apply(Nx.tensor(new float[]{1, -2, 3})).toDouble());
        var cpuMin = Defn.jit((Tensor a, Tensor b) -> Nx.min(a, b), Exla.compiler());
        float[] min = cpuMin.apply(x, y).toFloatArray();
        assertTrue(Float.isNaN(min[0]) && Float.isNaN(min[1]), java.util.Arrays.toString(min));
        assertEquals(2f, min[2]);
        // Without the workaround XLA:CPU drops the NaN: the quirk is real (remove it when this fails).
        var plainMax = Defn.jit((Tensor t) -> Nx.reduceMax(t), loweringFor("cuda"));
        assertFalse(Double.isNaN(plainMax.apply(x).toDouble()));
    }
}
