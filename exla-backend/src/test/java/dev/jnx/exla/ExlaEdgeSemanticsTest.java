package dev.jnx.exla;

import dev.jnx.Complex;
import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn.TensorFunction;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Regression tests of issue 14's XLA-side edge semantics: empty forms XLA crashed on or refused,
 * NaN in the max/min family, {@code Nx.reduce} with a non-identity initial value, and XLA:CPU's
 * arithmetic corner cases. Each case runs on the reference evaluator and compiled by XLA (its
 * input a parameter, so XLA cannot fold it away), and both must give the hand-computed Nx value;
 * the last group asserts the differences docs/coverage.md lists as XLA:CPU's, so that the list
 * cannot go stale. The suite also runs on the TF-session runtime (see the pom).
 */
class ExlaEdgeSemanticsTest {
    private static final double NAN = Double.NaN;
    private static final double INF = Double.POSITIVE_INFINITY;

    private static Tensor evaluated(TensorFunction f, Tensor x) {
        return Defn.jit(f).apply(x);
    }

    private static Tensor compiled(TensorFunction f, Tensor x) {
        return Defn.jit(f, Exla.compiler()).apply(x);
    }

    /** Both backends give {@code expected} (NaN equal to NaN, -0.0 to 0.0), with the expected type and shape. */
    private static void agree(String what, DType type, Shape shape, double[] expected, TensorFunction f, Tensor x) {
        for (Tensor r : List.of(evaluated(f, x), compiled(f, x))) {
            assertEquals(type, r.type(), what);
            assertEquals(shape, r.shape(), what);
            double[] got = r.toDoubleArray();
            assertEquals(expected.length, got.length, what);
            for (int i = 0; i < got.length; i++) {
                assertTrue(same(expected[i], got[i]), what + " on " + r.backend().name() + " [" + i + "]: expected "
                        + expected[i] + ", got " + got[i]);
            }
        }
    }

    private static void agreeLongs(String what, long[] expected, TensorFunction f, Tensor x) {
        assertArrayEquals(expected, evaluated(f, x).toLongArray(), what + " (evaluator)");
        assertArrayEquals(expected, compiled(f, x).toLongArray(), what + " (XLA)");
    }

    private static void agreeComplex(String what, Complex[] expected, TensorFunction f, Tensor x) {
        for (Tensor r : List.of(evaluated(f, x), compiled(f, x))) {
            Complex[] got = r.toComplexArray();
            assertEquals(expected.length, got.length, what);
            for (int i = 0; i < got.length; i++) {
                assertTrue(close(expected[i].re(), got[i].re()) && close(expected[i].im(), got[i].im()),
                        what + " on " + r.backend().name() + " [" + i + "]: expected " + expected[i] + ", got " + got[i]);
            }
        }
    }

    private static boolean same(double a, double b) {
        return Double.isNaN(a) ? Double.isNaN(b) : a == b;
    }

    /** Equal within f32 rounding (1e-6 relative), NaN equal to NaN. */
    private static boolean close(double a, double b) {
        return Double.isNaN(a) ? Double.isNaN(b) : a == b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
    }

    private static Tensor f32(float... v) {
        return Nx.tensor(v);
    }

    private static Tensor c64(double re, double im) {
        return Nx.complex(Nx.tensor(new float[] {(float) re}), Nx.tensor(new float[] {(float) im}));
    }

    private static final Tensor NO_ROWS = Nx.reshape(Nx.tensor(new int[0]), Shape.of(0, 1));

    // ------------------------------------------------------------------ item 1: scatters with no rows

    @Test
    void gradientOfGatherWithNoIndicesIsZero() {
        agree("grad(sum(gather(p, s32[0][1])))", DType.F32, Shape.of(3), new double[] {0, 0, 0},
                x -> Defn.grad(x, p -> Nx.sum(Nx.gather(p, NO_ROWS))), f32(1, 2, 3));
    }

    @Test
    void gradientOfTakeWithNoIndicesIsZero() {
        agree("grad(sum(take(p, s32[0])))", DType.F32, Shape.of(2, 2), new double[] {0, 0, 0, 0},
                x -> Defn.grad(x, p -> Nx.sum(Nx.take(p, Nx.tensor(new int[0]), 1))), Nx.tensor(new float[] {1, 2, 3, 4}, 2, 2));
    }

    @Test
    void indexedAddAndPutWithNoRowsLeaveAFoldableOperandAlone() {
        // A constant operand is what let XLA's canonicalizer fold the scatter, and crash doing it.
        Tensor constant = f32(1, 2, 3);
        agree("x + indexedAdd(const, s32[0][1], f32[0])", DType.F32, Shape.of(3), new double[] {2, 4, 6},
                x -> Nx.add(x, Nx.indexedAdd(constant, NO_ROWS, Nx.tensor(new float[0]))), f32(1, 2, 3));
        agree("x + indexedPut(const, s32[0][1], f32[0])", DType.F32, Shape.of(3), new double[] {2, 4, 6},
                x -> Nx.add(x, Nx.indexedPut(constant, NO_ROWS, Nx.tensor(new float[0]))), f32(1, 2, 3));
        agree("indexedAdd(x, s32[0][1], f32[0])", DType.F32, Shape.of(3), new double[] {1, 2, 3},
                x -> Nx.indexedAdd(x, NO_ROWS, Nx.tensor(new float[0])), f32(1, 2, 3));
    }

    // ------------------------------------------------------------------ item 2: padded empty windows

    private static final WindowOptions PADDED_STRIDED = WindowOptions.defaults().strides(2, 1, 2)
            .padding(new int[] {1, 0}, new int[] {0, 0}, new int[] {2, 1});

    @Test
    void windowReduceOverAPaddedEmptyTensorFoldsThePadding() {
        double[] init = new double[9];
        java.util.Arrays.fill(init, -100);
        agree("windowReduce(f32[0][5][3], -100, max), padded and strided", DType.F32, Shape.of(1, 3, 3), init,
                x -> Nx.windowReduce(x, -100, new int[] {1, 3, 1}, PADDED_STRIDED, Nx::max), Nx.iota(Shape.of(0, 5, 3), DType.F32));
        Complex[] sums = new Complex[9];
        java.util.Arrays.fill(sums, Complex.of(-400, 0));
        agreeComplex("windowReduce(c64[0][5][3], -100, add): init and 3 padded inits per window", sums,
                x -> Nx.windowReduce(x, -100, new int[] {1, 3, 1}, PADDED_STRIDED, Nx::add),
                Nx.asType(Nx.iota(Shape.of(0, 5, 3), DType.F32), DType.C64));
    }

    @Test
    void complexMaxInAWindowReduceIsAnExceptionNotAnAbort() {
        // XLA:CPU aborted the process (exit 134) constant-folding the complex maximum over the padding.
        Tensor x = Nx.asType(Nx.iota(Shape.of(0, 5, 3), DType.F32), DType.C64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> compiled(t -> Nx.windowReduce(t, -100, new int[] {1, 3, 1}, PADDED_STRIDED, Nx::max), x));
        assertTrue(e.getMessage().contains("max") && e.getMessage().contains("c64"), e.getMessage());
    }

    // ------------------------------------------------------------------ item 4: NaN in max/min

    @Test
    void elementWiseMaxAndMinPropagateNanInEitherOperand() {
        Tensor nans = f32(Float.NaN, Float.NaN);
        agree("max([1, 2], [NaN, NaN])", DType.F32, Shape.of(2), new double[] {NAN, NAN}, x -> Nx.max(x, nans), f32(1, 2));
        agree("max([NaN, NaN], [1, 2])", DType.F32, Shape.of(2), new double[] {NAN, NAN}, x -> Nx.max(nans, x), f32(1, 2));
        agree("min([1, 2], [NaN, 0])", DType.F32, Shape.of(2), new double[] {NAN, 0}, x -> Nx.min(x, f32(Float.NaN, 0)), f32(1, 2));
        agree("min(x, NaN scalar)", DType.F32, Shape.of(2), new double[] {NAN, NAN}, x -> Nx.min(x, Float.NaN), f32(1, 2));
        agree("max(x, NaN scalar)", DType.F32, Shape.of(2), new double[] {NAN, NAN}, x -> Nx.max(x, Float.NaN), f32(1, 2));
        agree("max f64 [NaN, 1] vs [1, NaN]", DType.F64, Shape.of(2), new double[] {NAN, NAN},
                x -> Nx.max(x, Nx.reverse(x)), Nx.tensor(new double[] {NAN, 1}));
        agree("max s32 (no NaN to mind)", DType.S32, Shape.of(2), new double[] {3, 2},
                x -> Nx.max(x, Nx.tensor(new int[] {3, -1})), Nx.tensor(new int[] {1, 2}));
    }

    @Test
    void windowAndCumulativeMaxAndMinPropagateNan() {
        Tensor x = f32(1, Float.NaN, Float.NaN, 3);
        agree("windowMax([1, NaN, NaN, 3], {2})", DType.F32, Shape.of(3), new double[] {NAN, NAN, NAN},
                t -> Nx.windowMax(t, new int[] {2}, WindowOptions.defaults()), x);
        agree("windowMin([1, NaN, 0, 3], {2})", DType.F32, Shape.of(3), new double[] {NAN, NAN, 0},
                t -> Nx.windowMin(t, new int[] {2}, WindowOptions.defaults()), f32(1, Float.NaN, 0, 3));
        agree("cumulativeMax([1, NaN, 0, 3])", DType.F32, Shape.of(4), new double[] {1, NAN, NAN, NAN},
                Nx::cumulativeMax, f32(1, Float.NaN, 0, 3));
        agree("cumulativeMin([1, 0, NaN, -1])", DType.F32, Shape.of(4), new double[] {1, 0, NAN, NAN},
                Nx::cumulativeMin, f32(1, 0, Float.NaN, -1));
    }

    @Test
    void reductionsWithMaxAndMinPropagateNan() {
        Tensor x = f32(1, Float.NaN, 0, 3);
        agree("reduce(x, 0, max)", DType.F32, Shape.scalar(), new double[] {NAN}, t -> Nx.reduce(t, 0, Nx::max), x);
        agree("reduce(x, 0, min)", DType.F32, Shape.scalar(), new double[] {NAN}, t -> Nx.reduce(t, 0, Nx::min), x);
        agree("windowReduce(x, -inf, {2}, max)", DType.F32, Shape.of(3), new double[] {NAN, NAN, 3},
                t -> Nx.windowReduce(t, Float.NEGATIVE_INFINITY, new int[] {2}, Nx::max), x);
        agree("reduceMax rows [[1, NaN], [2, 3]]", DType.F32, Shape.of(2), new double[] {NAN, 3},
                t -> Nx.reduceMax(t, new int[] {1}, false), Nx.tensor(new float[] {1, Float.NaN, 2, 3}, 2, 2));
        agree("reduceMin([5, NaN])", DType.F32, Shape.scalar(), new double[] {NAN}, Nx::reduceMin, f32(5, Float.NaN));
    }

    // ------------------------------------------------------------------ item 5: Nx.reduce's initial value

    @Test
    void reduceFoldsANonIdentityInitialValue() {
        agree("reduce([0.0], 5, {0}, max)", DType.F64, Shape.scalar(), new double[] {5},
                x -> Nx.reduce(x, 5, new int[] {0}, false, Nx::max), Nx.tensor(new double[] {0}));
        agree("reduce([1, 2, 3], 5, add)", DType.F64, Shape.scalar(), new double[] {11},
                x -> Nx.reduce(x, 5, Nx::add), Nx.tensor(new double[] {1, 2, 3}));
        agree("reduce(iota[2][3], 10, {1}, add)", DType.S32, Shape.of(2), new double[] {13, 22},
                x -> Nx.reduce(x, 10, new int[] {1}, false, Nx::add), Nx.iota(Shape.of(2, 3), DType.S32));
        agree("reduce(iota[2][3], 2, {0}, keep, multiply)", DType.S32, Shape.of(1, 3), new double[] {0, 8, 20},
                x -> Nx.reduce(x, 2, new int[] {0}, true, Nx::multiply), Nx.iota(Shape.of(2, 3), DType.S32));
        agree("reduce(f32[2][0], 7, {1}, add): empty groups are the init", DType.F32, Shape.of(2), new double[] {7, 7},
                x -> Nx.reduce(x, 7, new int[] {1}, false, Nx::add), Nx.iota(Shape.of(2, 0), DType.F32));
    }

    @Test
    void reduceOfAScalarAppliesTheFunctionOnce() {
        agree("reduce(3, 5, add)", DType.F64, Shape.scalar(), new double[] {8},
                x -> Nx.reduce(x, 5, Nx::add), Nx.tensor(3.0));
        agree("reduce(3, 5, (a, b) -> a - b): fn(init, x)", DType.F64, Shape.scalar(), new double[] {2},
                x -> Nx.reduce(x, 5, Nx::subtract), Nx.tensor(3.0));
    }

    @Test
    void windowReduceFoldsANonIdentityInitialValue() {
        agree("windowReduce([1, 2, 3], 5, {2}, add)", DType.F64, Shape.of(2), new double[] {8, 10},
                x -> Nx.windowReduce(x, 5, new int[] {2}, Nx::add), Nx.tensor(new double[] {1, 2, 3}));
        agree("windowReduce([0, 1, 2], 5, {2}, max)", DType.F32, Shape.of(2), new double[] {5, 5},
                x -> Nx.windowReduce(x, 5, new int[] {2}, Nx::max), f32(0, 1, 2));
        agree("windowReduce([1, 2], 1, {2}, padding {1, 0}, add): the padding holds the init", DType.S32, Shape.of(2),
                new double[] {3, 4}, x -> Nx.windowReduce(x, 1, new int[] {2},
                        WindowOptions.defaults().padding(new int[] {1, 0}), Nx::add), Nx.tensor(new int[] {1, 2}));
    }

    // ------------------------------------------------------------------ item 11: made to agree

    @Test
    void integerPowWrapsOverEveryExponentBit() {
        BigInteger wrap = BigInteger.ONE.shiftLeft(64);
        long p64 = BigInteger.valueOf(3).pow(64).mod(wrap).longValue();
        long p65 = BigInteger.valueOf(3).pow(65).mod(wrap).longValue();
        Tensor exponents = Nx.tensor(new long[] {64, 65, 2, -2, -1, -2, 0});
        agreeLongs("s64 [3^64, 3^65, 3^2, (-1)^-2, (-1)^-1, 2^-2, 5^0]", new long[] {p64, p65, 9, 1, -1, 0, 1},
                x -> Nx.pow(x, exponents), Nx.tensor(new long[] {3, 3, 3, -1, -1, 2, 5}));
        agreeLongs("s8 [3^5, (-2)^7, 1^-9]", new long[] {243 - 256, -128, 1},
                x -> Nx.pow(x, Nx.asType(Nx.tensor(new int[] {5, 7, -9}), DType.S8)),
                Nx.asType(Nx.tensor(new int[] {3, -2, 1}), DType.S8));
        agreeLongs("u8 [3^5, 2^8, 255^2]", new long[] {243, 0, 1},
                x -> Nx.pow(x, Nx.asType(Nx.tensor(new int[] {5, 8, 2}), DType.U8)),
                Nx.asType(Nx.tensor(new int[] {3, 2, 255}), DType.U8));
    }

    @Test
    void integerConversionsThatChangeSignednessKeepTheirBits() {
        agreeLongs("asType(asType(s8 [-1, -7], u16), s64)", new long[] {65535, 65529},
                x -> Nx.asType(Nx.asType(x, DType.U16), DType.S64), Nx.tensor(new byte[] {-1, -7}, 2));
        agreeLongs("asType(asType(u16 [65535, 200], s8), s64)", new long[] {-1, -56},
                x -> Nx.asType(Nx.asType(x, DType.S8), DType.S64), Nx.asType(Nx.tensor(new int[] {65535, 200}), DType.U16));
        agreeLongs("asType(asType(s32 [-1, 5], u64), s64)", new long[] {-1, 5},
                x -> Nx.asType(Nx.asType(x, DType.U64), DType.S64), Nx.tensor(new int[] {-1, 5}));
        agreeLongs("asType(asType(s16 [-2], u32), s64)", new long[] {4294967294L},
                x -> Nx.asType(Nx.asType(x, DType.U32), DType.S64), Nx.asType(Nx.tensor(new int[] {-2}), DType.S16));
    }

    @Test
    void logOfPowOfANegativeBaseIsNan() {
        agree("log(pow([-2, -2, -2], [0.5, 2, 3]))", DType.F32, Shape.of(3), new double[] {NAN, (float) Math.log(4), NAN},
                x -> Nx.log(Nx.pow(x, f32(0.5f, 2, 3))), f32(-2, -2, -2));
    }

    /**
     * XLA rewrites log(sqrt(a)) and log(rsqrt(a)) to ±0.5·log(a) with a new instruction named
     * "log"; kept out of a fusion (here by a dot that reads it too), XLA:CPU's kernel of that name
     * called itself instead of libm's log and the JVM died (fuzz seed 4476). Real and complex.
     */
    @Test
    void logOfSqrtBesideADotRuns() {
        Tensor real = Nx.tensor(new double[] {1.5, 2});
        Tensor complex = Nx.complex(Nx.tensor(new double[] {1.5, -2}), Nx.tensor(new double[] {0.5, 3}));
        for (Tensor x : List.of(real, complex)) {
            for (TensorFunction inner : List.<TensorFunction>of(t -> Nx.log(Nx.sqrt(t)), t -> Nx.log(Nx.rsqrt(t)))) {
                var f = Defn.jit((Tensor t) -> {
                    Tensor l = inner.apply(t);
                    return List.of(Nx.dot(t, l), l);
                }, Exla.compiler());
                List<Tensor> got = f.apply(x);
                Tensor want = inner.apply(x);
                assertArrayEquals(want.toDoubleArray(), got.get(1).toDoubleArray(), 1e-12);
                assertArrayEquals(Nx.dot(x, want).toDoubleArray(), got.get(0).toDoubleArray(), 1e-12);
            }
        }
    }

    @Test
    void powOfOneIsOneForEveryExponent() {
        agree("pow(1, [Inf, -Inf, NaN, 3])", DType.F32, Shape.of(4), new double[] {1, 1, 1, 1},
                x -> Nx.pow(f32(1, 1, 1, 1), x), f32(Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 3));
    }

    @Test
    void complexPowOfZero() {
        Tensor w = Nx.complex(f32(1, 2, 0, 0, -1), f32(1, 0, 0, 1, 0));
        Complex nan = Complex.of(NAN, NAN);
        agreeComplex("0^[1+i, 2, 0, i, -1]", new Complex[] {Complex.of(0, 0), Complex.of(0, 0), Complex.of(1, 0), nan, nan},
                x -> Nx.pow(Nx.multiply(x, 0), w), Nx.asType(f32(0, 0, 0, 0, 0), DType.C64));
    }

    @Test
    void complexAsinOfALargeRealNumber() {
        // asin(x + 0i) for x > 1 is π/2 + i·ln(x + √(x² - 1)) on the principal branch.
        double x = 2e9;
        agreeComplex("asin([2e9, 0.5])", new Complex[] {Complex.of(Math.PI / 2, Math.log(x + Math.sqrt(x * x - 1))),
                Complex.of(Math.PI / 6, 0)}, Nx::asin, Nx.asType(f32(2e9f, 0.5f), DType.C64));
    }

    @Test
    void complexLog1pKeepsThePoleAndSmallArguments() {
        // log1p(-1+0i) = -Inf+0i; log1p(1e-7 + 1e-7i) ≈ z - z²/2 = 1e-7 + (1e-7 - 1e-14)i to f32 precision.
        Tensor z = Nx.complex(f32(-1, 1e-7f, 1, -3), f32(0, 1e-7f, 1, 0));
        agreeComplex("log1p([-1, 1e-7+1e-7i, 1+i, -3])", new Complex[] {Complex.of(Double.NEGATIVE_INFINITY, 0),
                Complex.of(1e-7, 1e-7), Complex.of(0.5 * Math.log(5), Math.atan2(1, 2)), Complex.of(Math.log(2), Math.PI)},
                Nx::log1p, z);
    }

    // ------------------------------------------------------------------ item 12: empty gather forms

    @Test
    void emptyGatherFormsCompile() {
        agree("takeAlongAxis(f32[2][3], s32[2][0], 1)", DType.F32, Shape.of(2, 0), new double[0],
                x -> Nx.takeAlongAxis(x, Nx.reshape(Nx.tensor(new int[0]), Shape.of(2, 0)), 1), Nx.iota(Shape.of(2, 3), DType.F32));
        agree("takeDiagonal(f32[0][3])", DType.F32, Shape.of(0), new double[0],
                x -> Nx.takeDiagonal(x, 0), Nx.iota(Shape.of(0, 3), DType.F32));
        agree("makeDiagonal(f32[0])", DType.F32, Shape.of(0, 0), new double[0], x -> Nx.makeDiagonal(x, 0), f32());
        agree("take(f32[2], s32[0])", DType.F32, Shape.of(0), new double[0], x -> Nx.take(x, Nx.tensor(new int[0])), f32(1, 2));
        agree("take(f32[0][2], s32[3], 1)", DType.F32, Shape.of(0, 3), new double[0],
                x -> Nx.take(x, Nx.tensor(new int[] {0, 1, 1}), 1), Nx.iota(Shape.of(0, 2), DType.F32));
    }

    @Test
    void takingFromAZeroSizeAxisIsAnException() {
        assertThrows(IllegalArgumentException.class, () -> compiled(x -> Nx.take(x, Nx.tensor(new int[] {0, 1})), f32()));
    }

    @Test
    void emptyOperandsOfOtherOps() {
        agree("concatenate(x, f32[0], x)", DType.F32, Shape.of(4), new double[] {1, 2, 1, 2},
                x -> Nx.concatenate(List.of(x, f32(), x)), f32(1, 2));
        agree("putSlice(x, {1}, f32[0])", DType.F32, Shape.of(2), new double[] {1, 2},
                x -> Nx.putSlice(x, new int[] {1}, f32()), f32(1, 2));
        agree("dot(f32[2][0], f32[0][3])", DType.F32, Shape.of(2, 3), new double[6],
                x -> Nx.dot(x, Nx.iota(Shape.of(0, 3), DType.F32)), Nx.iota(Shape.of(2, 0), DType.F32));
        agree("sum and reduceMax over an empty axis", DType.F32, Shape.of(2), new double[] {0, Double.NEGATIVE_INFINITY},
                x -> Nx.stack(List.of(Nx.sum(x), Nx.reduceMax(x))), f32());
        agree("windowSum(f32[0], {1}, padding {1, 1})", DType.F32, Shape.of(2), new double[] {0, 0},
                x -> Nx.windowSum(x, new int[] {1}, WindowOptions.defaults().padding(new int[] {1, 1})), f32());
        agree("sort(f32[0])", DType.F32, Shape.of(0), new double[0], Nx::sort, f32());
        agree("conv(f32[0][1][3], f32[1][1][2])", DType.F32, Shape.of(0, 1, 2), new double[0],
                x -> Nx.conv(x, Nx.tensor(new float[] {1, 1}, 1, 1, 2), ConvOptions.defaults()), Nx.iota(Shape.of(0, 1, 3), DType.F32));
        agree("cumulativeSum(f32[0][2], 1)", DType.F32, Shape.of(0, 2), new double[0],
                x -> Nx.cumulativeSum(x, 1, false), Nx.iota(Shape.of(0, 2), DType.F32));
        agree("conv(f32[1][0][3], f32[1][0][2]): no input channels", DType.F32, Shape.of(1, 1, 2), new double[2],
                x -> Nx.conv(x, Nx.iota(Shape.of(1, 0, 2), DType.F32), ConvOptions.defaults()), Nx.iota(Shape.of(1, 0, 3), DType.F32));
        agree("pad(f32[0], 7, {1, 1, 0})", DType.F32, Shape.of(2), new double[] {7, 7}, x -> Nx.pad(x, 7.0, new int[] {1, 1, 0}), f32());
        agree("reduce(f32[0], 4, add)", DType.F32, Shape.scalar(), new double[] {4}, x -> Nx.reduce(x, 4, Nx::add), f32());
        agree("indexedAdd(f32[2][0], s32[1][1], f32[1][0])", DType.F32, Shape.of(2, 0), new double[0],
                x -> Nx.indexedAdd(x, Nx.reshape(Nx.tensor(new int[] {0}), Shape.of(1, 1)), Nx.iota(Shape.of(1, 0), DType.F32)),
                Nx.iota(Shape.of(2, 0), DType.F32));
    }

    // ------------------------------------------------------------------ item 11: XLA:CPU's own (docs/coverage.md)

    /** Asserts the values of {@code t}, NaN equal to NaN. */
    private static void values(String what, double[] expected, Tensor t) {
        double[] got = t.toDoubleArray();
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            assertTrue(same(expected[i], got[i]), what + " [" + i + "]: expected " + expected[i] + ", got " + got[i]);
        }
    }

    @Test
    void convPaddingMultipliesOnTheReferenceAndOnlySometimesOnXla() {
        // StableHLO defines convolution over the input padded (edges and input-dilation holes)
        // with zeros, as Nx's BinaryBackend computes it: a NaN kernel element facing padding
        // gives 0·NaN = NaN. The reference does that; XLA:CPU skips the padding in some forms.
        ConvOptions pad = ConvOptions.defaults().padding(new int[] {1, 1});
        Tensor x1 = Nx.tensor(new float[] {1, 2, 3}, 1, 1, 3);
        TensorFunction oneChannel = k -> Nx.conv(x1, k, pad);
        Tensor k1 = Nx.tensor(new float[] {Float.NaN, 1}, 1, 1, 2);
        values("reference conv([1, 2, 3], [NaN, 1], padding {1, 1})", new double[] {NAN, NAN, NAN, NAN},
                evaluated(oneChannel, k1));
        values("XLA conv([1, 2, 3], [NaN, 1], padding {1, 1}): skipped", new double[] {1, NAN, NAN, NAN},
                compiled(oneChannel, k1));
        // Two input channels [[1, 2, 3], [4, 5, 6]], kernel [[NaN, 1], [2, 3]]: XLA multiplies the padding too.
        Tensor x2 = Nx.tensor(new float[] {1, 2, 3, 4, 5, 6}, 1, 2, 3);
        TensorFunction twoChannels = k -> Nx.conv(x2, k, pad);
        Tensor k2 = Nx.tensor(new float[] {Float.NaN, 1, 2, 3}, 1, 2, 2);
        for (Tensor r : List.of(evaluated(twoChannels, k2), compiled(twoChannels, k2))) {
            values("conv of two channels on " + r.backend().name(), new double[] {NAN, NAN, NAN, NAN}, r);
        }
        // Input dilation 2: [1, 0, 2, 0, 3]. Kernel [NaN, 1]: XLA skips the holes (outputs 2 and 3 at
        // 1 and 3); kernel [1, NaN, 1]: XLA multiplies them (NaN everywhere, the reference too).
        ConvOptions dilated = ConvOptions.defaults().inputDilation(2);
        TensorFunction holes = k -> Nx.conv(x1, k, dilated);
        values("reference conv([1, 2, 3], [NaN, 1], input dilation 2)", new double[] {NAN, NAN, NAN, NAN},
                evaluated(holes, k1));
        values("XLA conv([1, 2, 3], [NaN, 1], input dilation 2): skipped", new double[] {NAN, 2, NAN, 3},
                compiled(holes, k1));
        Tensor k3 = Nx.tensor(new float[] {1, Float.NaN, 1}, 1, 1, 3);
        for (Tensor r : List.of(evaluated(holes, k3), compiled(holes, k3))) {
            values("conv([1, 2, 3], [1, NaN, 1], input dilation 2) on " + r.backend().name(), new double[] {NAN, NAN, NAN}, r);
        }
        // Kernel dilation reads the input at the window's positions only (StableHLO): an Inf between
        // them never meets a kernel element, on both backends: [1, Inf, 2] ⊛ [1, _, 1] = [3].
        TensorFunction kernelDilated = x -> Nx.conv(x, Nx.tensor(new float[] {1, 1}, 1, 1, 2),
                ConvOptions.defaults().kernelDilation(2));
        agree("conv([1, Inf, 2], [1, 1], kernel dilation 2)", DType.F32, Shape.of(1, 1, 1), new double[] {3},
                kernelDilated, Nx.tensor(new float[] {1, Float.POSITIVE_INFINITY, 2}, 1, 1, 3));
    }

    @Test
    void xlaTreatsDenormalInputsAsZero() {
        TensorFunction nonZero = x -> Nx.notEqual(x, 0);
        Tensor f = f32(1e-40f, 1e-30f);
        assertArrayEquals(new long[] {1, 1}, evaluated(nonZero, f).toLongArray());
        assertArrayEquals(new long[] {0, 1}, compiled(nonZero, f).toLongArray());
        Tensor d = Nx.tensor(new double[] {1e-310, 1e-300});
        assertArrayEquals(new long[] {1, 1}, evaluated(nonZero, d).toLongArray());
        assertArrayEquals(new long[] {0, 1}, compiled(nonZero, d).toLongArray());
    }

    @Test
    void xlaComplexDivisionByZeroIsInfinite() {
        TensorFunction byZero = x -> Nx.divide(x, Nx.multiply(x, 0));
        Tensor x = Nx.complex(f32(1, 0, 1), f32(1, 1, 0));
        for (Complex c : evaluated(byZero, x).toComplexArray()) {
            assertTrue(Double.isNaN(c.re()) && Double.isNaN(c.im()), c.toString());
        }
        Complex[] xla = compiled(byZero, x).toComplexArray();
        assertEquals(Complex.of(INF, INF), xla[0]);
        assertTrue(Double.isNaN(xla[1].re()) && xla[1].im() == INF, xla[1].toString());
        assertTrue(xla[2].re() == INF && Double.isNaN(xla[2].im()), xla[2].toString());
        // rsqrt(0) = 1/√0 is one of them (fuzz seed 5105): NaN + NaN·i on the reference, Inf + NaN·i on XLA.
        Tensor zero = Nx.complex(f32(0), f32(0));
        Complex reference = evaluated(Nx::rsqrt, zero).toComplexArray()[0];
        assertTrue(Double.isNaN(reference.re()) && Double.isNaN(reference.im()), reference.toString());
        Complex onXla = compiled(Nx::rsqrt, zero).toComplexArray()[0];
        assertTrue(onXla.re() == INF && Double.isNaN(onXla.im()), onXla.toString());
    }

    @Test
    void xlaFftOfNanLeavesSomeComponentsFinite() {
        Tensor x = Nx.asType(f32(1, Float.NaN, 2, 3), DType.C64);
        for (Complex c : evaluated(Nx::fft, x).toComplexArray()) {
            assertTrue(Double.isNaN(c.re()) && Double.isNaN(c.im()), c.toString());
        }
        Complex[] xla = compiled(Nx::fft, x).toComplexArray();
        assertTrue(Double.isNaN(xla[0].re()) && xla[0].im() == 0, xla[0].toString());
        assertTrue(xla[1].re() == -1 && Double.isNaN(xla[1].im()), xla[1].toString());
    }
}
