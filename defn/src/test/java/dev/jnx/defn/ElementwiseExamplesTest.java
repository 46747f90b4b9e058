package dev.jnx.defn;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The documentation examples of Nx's element-wise, type, reduction and sort functions
 * ({@code nx/lib/nx.ex}), with Nx's expected values, run eagerly on the reference backend and
 * jitted (every input tensor a parameter) with {@link #compiler()}; exla-backend reruns them
 * compiled by XLA. The cases below were ported mechanically from the iex examples; each name
 * is the Elixir expression it comes from. Error examples check that the call is refused with
 * an {@link IllegalArgumentException} at trace time.
 */
public class ElementwiseExamplesTest {
    /** The compiler the jitted examples run with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** An example's function of its input tensors. */
    @FunctionalInterface
    interface Fn {
        Tensor apply(Tensor[] a);
    }

    private record Example(String name, String typeShape, String values, Fn fn, Tensor[] args) {
    }

    private final List<Example> examples = new ArrayList<>();

    private void ex(String name, String typeShape, String values, Fn fn, Tensor... args) {
        examples.add(new Example(name, typeShape, values, fn, args));
    }

    private void err(String name, Fn fn, Tensor... args) {
        examples.add(new Example(name, null, null, fn, args));
    }

    @TestFactory
    Stream<DynamicTest> nxDocumentationExamples() {
        examples.clear();
        define0();
        define1();
        define2();
        define3();
        define4();
        define5();
        define6();

        return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)));
    }

    private void run(Example e) {
        Defn.Variadic traced = a -> e.fn().apply(a);
        if (e.typeShape() == null) {
            assertThrows(IllegalArgumentException.class, () -> e.fn().apply(e.args()), "eager");
            assertThrows(IllegalArgumentException.class, () -> Defn.jitVarargs(traced, compiler()).apply(e.args()),
                    "traced");
            return;
        }
        check(e, Defn.jitVarargs(traced, compiler()).apply(e.args()), "jitted with " + compiler().name());
        check(e, e.fn().apply(e.args()), "eager");
    }

    private static final Pattern TYPE_SHAPE = Pattern.compile("([a-z]+\\d+)((?:\\[\\d+\\])*)");

    private static void check(Example e, Tensor got, String how) {
        Matcher m = TYPE_SHAPE.matcher(e.typeShape());
        if (!m.matches()) {
            fail("bad expectation " + e.typeShape());
        }
        DType type = DType.of(m.group(1));
        String dims = m.group(2);
        int[] d = dims.isEmpty() ? new int[0]
                : java.util.Arrays.stream(dims.substring(1, dims.length() - 1).split("\\]\\["))
                .mapToInt(Integer::parseInt).toArray();
        assertEquals(type + Shape.of(d).toString(), got.type() + got.shape().toString(), how + ": type and shape");
        String[] want = e.values().isEmpty() ? new String[0] : e.values().split(" ");
        assertEquals(want.length, got.size(), how + ": element count");
        if (type.isInteger()) {
            long[] g = got.toLongArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Long.parseLong(want[i]), g[i], how + ": element " + i);
            }
            return;
        }
        if (type.isComplex()) {
            checkComplex(want, got, type == DType.C128 ? 1e-12 : 1e-6, how);
            return;
        }
        double[] g = got.toDoubleArray();
        double tol = switch (type) {
            case F64 -> 1e-12;
            case F32 -> 1e-6;
            default -> 1e-2;
        };
        for (int i = 0; i < want.length; i++) {
            double w = switch (want[i]) {
                case "NaN" -> Double.NaN;
                case "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(want[i]);
            };
            if (Double.isNaN(w) || Double.isInfinite(w)) {
                assertEquals(w, g[i], how + ": element " + i);
            } else {
                assertEquals(w, g[i], tol * Math.max(1, Math.abs(w)), how + ": element " + i);
            }
        }
    }

    private void define0() {
        ex("abs: Nx.abs(Nx.tensor([-2, -1, 0, 1, 2], names: [:x]))", "s32[5]", "2 1 0 1 2", a -> Nx.abs(a[0]), Nx.tensor(new int[]{-2, -1, 0, 1, 2}));
        ex("negate: Nx.negate(1)", "s32", "-1", a -> Nx.negate(a[0]), Nx.scalar(1));
        ex("negate: Nx.negate(Nx.tensor([-1, 0, 1]))", "s32[3]", "1 0 -1", a -> Nx.negate(a[0]), Nx.tensor(new int[]{-1, 0, 1}));
        ex("negate: Nx.negate(Nx.tensor([1.0, 2.0, 3.0], type: :f32))", "f32[3]", "-1.0 -2.0 -3.0", a -> Nx.negate(a[0]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}, DType.F32));
        ex("negate: Nx.negate(Nx.tensor([0, 1, 2], type: :u8, names: [:x]))", "u8[3]", "0 255 254", a -> Nx.negate(a[0]), Nx.tensor(new int[]{0, 1, 2}, DType.U8));
        ex("sign: Nx.sign(Nx.tensor([-2, -1, 0, 1, 2], names: [:x]))", "s32[5]", "-1 -1 0 1 1", a -> Nx.sign(a[0]), Nx.tensor(new int[]{-2, -1, 0, 1, 2}));
        ex("log: Nx.log(2, 2)", "f32", "1.0", a -> Nx.log(a[0], 2), Nx.scalar(2));
        ex("log2: Nx.log2(2)", "f32", "1.0", a -> Nx.log2(a[0]), Nx.scalar(2));
        ex("log10: Nx.log10(10)", "f32", "1.0", a -> Nx.log10(a[0]), Nx.scalar(10));
        ex("is_nan: Nx.is_nan(Nx.tensor([:nan, 1, 0]))", "u8[3]", "1 0 0", a -> Nx.isNan(a[0]), Nx.tensor(new float[]{(float) Double.NaN, 1.0f, 0.0f}));
        ex("is_nan: Nx.is_nan(Nx.tensor([:nan, :infinity, Complex.new(0, :nan)]))", "u8[3]", "1 0 1", a -> Nx.isNan(a[0]), Nx.tensor(new Complex[]{Complex.of(Double.NaN, 0), Complex.of(Double.POSITIVE_INFINITY, 0), Complex.of(0, Double.NaN)}));
        ex("is_infinity: Nx.is_infinity(Nx.tensor([:infinity, :nan, :neg_infinity, 1, 0]))", "u8[5]", "1 0 1 0 0", a -> Nx.isInfinity(a[0]), Nx.tensor(new float[]{(float) Double.POSITIVE_INFINITY, (float) Double.NaN, (float) Double.NEGATIVE_INFINITY, 1.0f, 0.0f}));
        ex("is_infinity: Nx.is_infinity(Nx.tensor([:infinity, 1, Complex.new(0, :infinity), :neg_infinity]))", "u8[4]", "1 0 1 1", a -> Nx.isInfinity(a[0]), Nx.tensor(new Complex[]{Complex.of(Double.POSITIVE_INFINITY, 0), Complex.of(1, 0), Complex.of(0, Double.POSITIVE_INFINITY), Complex.of(Double.NEGATIVE_INFINITY, 0)}));
        ex("bitwise_not: Nx.bitwise_not(1)", "s32", "-2", a -> Nx.bitwiseNot(a[0]), Nx.scalar(1));
        ex("bitwise_not: Nx.bitwise_not(Nx.tensor([-1, 0, 1], type: :s8, names: [:x]))", "s8[3]", "0 -1 -2", a -> Nx.bitwiseNot(a[0]), Nx.tensor(new int[]{-1, 0, 1}, DType.S8));
        ex("bitwise_not: Nx.bitwise_not(Nx.tensor([0, 1, 254, 255], type: :u8, names: [:x]))", "u8[4]", "255 254 1 0", a -> Nx.bitwiseNot(a[0]), Nx.tensor(new int[]{0, 1, 254, 255}, DType.U8));
        err("bitwise_not: Nx.bitwise_not(Nx.tensor([0.0, 1.0]))", a -> Nx.bitwiseNot(a[0]), Nx.tensor(new float[]{0.0f, 1.0f}));
        ex("population_count: Nx.population_count(1)", "s32", "1", a -> Nx.populationCount(a[0]), Nx.scalar(1));
        ex("population_count: Nx.population_count(-128)", "s32", "25", a -> Nx.populationCount(a[0]), Nx.scalar(-128));
        ex("population_count: Nx.population_count(Nx.tensor([0, 1, 254, 255], names: [:x]))", "s32[4]", "0 1 7 8", a -> Nx.populationCount(a[0]), Nx.tensor(new int[]{0, 1, 254, 255}));
        ex("population_count: Nx.population_count(Nx.tensor([0, 1, 126, 127, -1, -127, -128], type: :s8, names: [:x]))", "s8[7]", "0 1 6 7 8 2 1", a -> Nx.populationCount(a[0]), Nx.tensor(new int[]{0, 1, 126, 127, -1, -127, -128}, DType.S8));
        err("population_count: Nx.population_count(Nx.tensor([0.0, 1.0]))", a -> Nx.populationCount(a[0]), Nx.tensor(new float[]{0.0f, 1.0f}));
        ex("count_leading_zeros: Nx.count_leading_zeros(1)", "s32", "31", a -> Nx.countLeadingZeros(a[0]), Nx.scalar(1));
        ex("count_leading_zeros: Nx.count_leading_zeros(-1)", "s32", "0", a -> Nx.countLeadingZeros(a[0]), Nx.scalar(-1));
        ex("count_leading_zeros: Nx.count_leading_zeros(Nx.tensor([0, 1, 2, 4, 8, 16, 32, 64, -1, -128], type: :s8, names: [:x]))", "s8[10]", "8 7 6 5 4 3 2 1 0 0", a -> Nx.countLeadingZeros(a[0]), Nx.tensor(new int[]{0, 1, 2, 4, 8, 16, 32, 64, -1, -128}, DType.S8));
        ex("count_leading_zeros: Nx.count_leading_zeros(Nx.tensor([0, 1, 2, 4, 8, 16, 32, 64, 128], type: :u8, names: [:x]))", "u8[9]", "8 7 6 5 4 3 2 1 0", a -> Nx.countLeadingZeros(a[0]), Nx.tensor(new int[]{0, 1, 2, 4, 8, 16, 32, 64, 128}, DType.U8));
        err("count_leading_zeros: Nx.count_leading_zeros(Nx.tensor([0.0, 1.0]))", a -> Nx.countLeadingZeros(a[0]), Nx.tensor(new float[]{0.0f, 1.0f}));
        ex("real: Nx.real(Complex.new(1, 2))", "f32", "1.0", a -> Nx.real(a[0]), Nx.tensor(Complex.of(1, 2)));
        ex("real: Nx.real(Nx.tensor(1))", "f32", "1.0", a -> Nx.real(a[0]), Nx.scalar(1));
        ex("real: Nx.real(Nx.tensor(1, type: :bf16))", "bf16", "1.0", a -> Nx.real(a[0]), Nx.scalar(1, DType.BF16));
        ex("imag: Nx.imag(Complex.new(1, 2))", "f32", "2.0", a -> Nx.imag(a[0]), Nx.tensor(Complex.of(1, 2)));
        ex("imag: Nx.imag(Nx.tensor(1))", "f32", "0.0", a -> Nx.imag(a[0]), Nx.scalar(1));
        ex("imag: Nx.imag(Nx.tensor(1, type: :bf16))", "bf16", "0.0", a -> Nx.imag(a[0]), Nx.scalar(1, DType.BF16));
        ex("conjugate: Nx.conjugate(Complex.new(1, 2))", "c64", "1.0-2.0i", a -> Nx.conjugate(a[0]), Nx.tensor(Complex.of(1, 2)));
        ex("conjugate: Nx.conjugate(1)", "c64", "1.0-0.0i", a -> Nx.conjugate(a[0]), Nx.scalar(1));
        ex("phase: Nx.phase(Complex.new(1, 2))", "f32", "1.1071488", a -> Nx.phase(a[0]), Nx.tensor(Complex.of(1, 2)));
        ex("phase: Nx.phase(1)", "f32", "0.0", a -> Nx.phase(a[0]), Nx.scalar(1));
        ex("complex: Nx.complex(Nx.tensor(1), Nx.tensor(2))", "c64", "1.0+2.0i", a -> Nx.complex(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("add: Nx.add(1, 2)", "s32", "3", a -> Nx.add(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("add: Nx.add(1, 2.2)", "f32", "3.2", a -> Nx.add(a[0], a[1]), Nx.scalar(1), Nx.scalar(2.2f));
        ex("add: Nx.add(Nx.tensor([1, 2, 3], names: [:data]), 1)", "s32[3]", "2 3 4", a -> Nx.add(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("add: Nx.add(1, Nx.tensor([1, 2, 3], names: [:data]))", "s32[3]", "2 3 4", a -> Nx.add(1, a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("add: Nx.add(Nx.tensor([1, 2, 3], names: [:data]), 1.0)", "f32[3]", "2.0 3.0 4.0", a -> Nx.add(a[0], 1.0), Nx.tensor(new int[]{1, 2, 3}));
        ex("add: Nx.add(Nx.tensor([1.0, 2.0, 3.0], names: [:data]), 1)", "f32[3]", "2.0 3.0 4.0", a -> Nx.add(a[0], 1), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("add: Nx.add(Nx.tensor([1.0, 2.0, 3.0], type: :f32, names: [:data]), 1)", "f32[3]", "2.0 3.0 4.0", a -> Nx.add(a[0], 1), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}, DType.F32));
        ex("add: Nx.add(Nx.tensor([0, 1, 2], type: :u8, names: [:data]), -1)", "s16[3]", "-1 0 1", a -> Nx.add(a[0], -1), Nx.tensor(new int[]{0, 1, 2}, DType.U8));
        ex("add: Nx.add(left, right)", "s32[2][2]", "11 22 33 44", a -> Nx.add(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[][]{{10, 20}, {30, 40}}));
        ex("add: Nx.add(left, right)", "s32[2][2]", "11 21 12 22", a -> Nx.add(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("add: Nx.add(left, right)", "s32[2][2]", "11 21 12 22", a -> Nx.add(a[0], a[1]), Nx.tensor(new int[][]{{10, 20}}), Nx.tensor(new int[][]{{1}, {2}}));
        ex("add: Nx.add(left, right)", "s32[2][2]", "11 21 32 42", a -> Nx.add(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}, {30, 40}}));
        ex("add: Nx.add(left, right)", "s32[2][2]", "11 22 31 42", a -> Nx.add(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}}), Nx.tensor(new int[][]{{10, 20}, {30, 40}}));
        ex("subtract: Nx.subtract(1, 2)", "s32", "-1", a -> Nx.subtract(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("subtract: Nx.subtract(Nx.tensor([1, 2, 3], names: [:data]), 1)", "s32[3]", "0 1 2", a -> Nx.subtract(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("subtract: Nx.subtract(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "0.0 -1.0 -2.0", a -> Nx.subtract(1, a[0]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("subtract: Nx.subtract(left, right)", "s32[2][2]", "-9 -19 -8 -18", a -> Nx.subtract(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("subtract: Nx.subtract(left, right)", "s8[2][2]", "-9 -19 -8 -18", a -> Nx.subtract(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.S8), Nx.tensor(new int[][]{{10, 20}}, DType.S8));
        ex("subtract: Nx.subtract(left, right)", "f32[2][2]", "-9.0 -19.0 -8.0 -18.0", a -> Nx.subtract(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.F32), Nx.tensor(new int[][]{{10, 20}}, DType.F32));
        ex("multiply: Nx.multiply(1, 2)", "s32", "2", a -> Nx.multiply(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("multiply: Nx.multiply(Nx.tensor([1, 2, 3], names: [:data]), 1)", "s32[3]", "1 2 3", a -> Nx.multiply(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("multiply: Nx.multiply(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "1.0 2.0 3.0", a -> Nx.multiply(1, a[0]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
    }

    private void define1() {
        ex("multiply: Nx.multiply(left, right)", "s32[2][2]", "10 20 20 40", a -> Nx.multiply(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("multiply: Nx.multiply(left, right)", "s8[2][2]", "10 20 20 40", a -> Nx.multiply(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.S8), Nx.tensor(new int[][]{{10, 20}}, DType.S8));
        ex("multiply: Nx.multiply(left, right)", "f32[2][2]", "10.0 20.0 20.0 40.0", a -> Nx.multiply(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.F32), Nx.tensor(new int[][]{{10, 20}}, DType.F32));
        ex("divide: Nx.divide(1, 2)", "f32", "0.5", a -> Nx.divide(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("divide: Nx.divide(Nx.tensor([1, 2, 3], names: [:data]), 1)", "f32[3]", "1.0 2.0 3.0", a -> Nx.divide(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("divide: Nx.divide(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "1.0 0.5 0.33333334", a -> Nx.divide(1, a[0]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("divide: Nx.divide(left, right)", "f32[2][2]", "0.1 0.05 0.2 0.1", a -> Nx.divide(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("divide: Nx.divide(left, right)", "f32[2][2]", "0.1 0.05 0.2 0.1", a -> Nx.divide(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.S8), Nx.tensor(new int[][]{{10, 20}}, DType.S8));
        ex("divide: Nx.divide(left, right)", "f32[2][2]", "0.1 0.05 0.2 0.1", a -> Nx.divide(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.F32), Nx.tensor(new int[][]{{10, 20}}, DType.F32));
        ex("quotient: Nx.quotient(11, 2)", "s32", "5", a -> Nx.quotient(a[0], a[1]), Nx.scalar(11), Nx.scalar(2));
        ex("quotient: Nx.quotient(Nx.tensor([2, 4, 5], names: [:data]), 2)", "s32[3]", "1 2 2", a -> Nx.quotient(a[0], 2), Nx.tensor(new int[]{2, 4, 5}));
        ex("quotient: Nx.quotient(10, Nx.tensor([1, 2, 3], names: [:data]))", "s32[3]", "10 5 3", a -> Nx.quotient(a[0], a[1]), Nx.scalar(10), Nx.tensor(new int[]{1, 2, 3}));
        ex("quotient: Nx.quotient(left, right)", "s32[2][2]", "10 20 5 10", a -> Nx.quotient(a[0], a[1]), Nx.tensor(new int[][]{{10, 20}}), Nx.tensor(new int[][]{{1}, {2}}));
        ex("quotient: Nx.quotient(left, right)", "s8[2][2]", "10 20 5 10", a -> Nx.quotient(a[0], a[1]), Nx.tensor(new int[][]{{10, 20}}, DType.S8), Nx.tensor(new int[][]{{1}, {2}}, DType.S8));
        ex("quotient: Nx.quotient(left, right)", "u32[2][2]", "10 20 5 10", a -> Nx.quotient(a[0], a[1]), Nx.tensor(new int[][]{{10, 20}}, DType.U8), Nx.tensor(new int[][]{{1}, {2}}, DType.U32));
        ex("remainder: Nx.remainder(1, 2)", "s32", "1", a -> Nx.remainder(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("remainder: Nx.remainder(Nx.tensor([1, 2, 3], names: [:data]), 2)", "s32[3]", "1 0 1", a -> Nx.remainder(a[0], 2), Nx.tensor(new int[]{1, 2, 3}));
        ex("remainder: Nx.remainder(2, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "0.0 0.0 2.0", a -> Nx.remainder(a[0], a[1]), Nx.scalar(2), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("remainder: Nx.remainder(left, right)", "s32[2][2]", "1 2 2 0", a -> Nx.remainder(a[0], a[1]), Nx.tensor(new int[][]{{10}, {20}}), Nx.tensor(new int[][]{{3, 4}}));
        ex("remainder: Nx.remainder(left, right)", "s16", "-1", a -> Nx.remainder(a[0], a[1]), Nx.scalar(-11, DType.S8), Nx.scalar(10, DType.U8));
        ex("remainder: Nx.remainder(Nx.add(left, Nx.tensor(20, type: :s8)), right)", "s16", "9", a -> Nx.remainder(Nx.add(a[0], a[1]), a[2]), Nx.scalar(-11, DType.S8), Nx.scalar(20, DType.S8), Nx.scalar(10, DType.U8));
        ex("remainder: Nx.remainder(positive_left, right)", "u8", "9", a -> Nx.remainder(a[0], a[1]), Nx.scalar(9, DType.U8), Nx.scalar(10, DType.U8));
        ex("pow: Nx.pow(2, 4)", "s32", "16", a -> Nx.pow(a[0], a[1]), Nx.scalar(2), Nx.scalar(4));
        ex("pow: Nx.pow(Nx.tensor([1, 2, 3], names: [:data]), 2)", "s32[3]", "1 4 9", a -> Nx.pow(a[0], 2), Nx.tensor(new int[]{1, 2, 3}));
        ex("pow: Nx.pow(2, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "2.0 4.0 8.0", a -> Nx.pow(2, a[0]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("pow: Nx.pow(Nx.tensor([[2], [3]], names: [:x, nil]), Nx.tensor([[4, 5]], names: [nil, :y]))", "s32[2][2]", "16 32 81 243", a -> Nx.pow(a[0], a[1]), Nx.tensor(new int[][]{{2}, {3}}), Nx.tensor(new int[][]{{4, 5}}));
        ex("atan2: Nx.atan2(1, 2)", "f32", "0.4636476", a -> Nx.atan2(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("atan2: Nx.atan2(Nx.tensor([1, 2, 3], names: [:data]), 1)", "f32[3]", "0.7853982 1.1071488 1.2490457", a -> Nx.atan2(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("atan2: Nx.atan2(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "0.7853982 0.4636476 0.32175055", a -> Nx.atan2(a[0], a[1]), Nx.scalar(1), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("atan2: Nx.atan2(neg_and_pos_zero_columns, neg_and_pos_zero_rows)", "f64[2][2]", "-3.141592653589793 -0.0 3.141592653589793 0.0", a -> Nx.atan2(a[0], a[1]), Nx.tensor(new double[][]{{-0.0}, {0.0}}, DType.F64), Nx.tensor(new double[]{-0.0, 0.0}, DType.F64));
        ex("min: Nx.min(1, 2)", "s32", "1", a -> Nx.min(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("min: Nx.min(Nx.tensor([1, 2, 3], names: [:data]), 1)", "s32[3]", "1 1 1", a -> Nx.min(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("min: Nx.min(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "1.0 1.0 1.0", a -> Nx.min(a[0], a[1]), Nx.scalar(1), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("min: Nx.min(left, right)", "s32[2][2]", "1 1 2 2", a -> Nx.min(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("min: Nx.min(left, right)", "s8[2][2]", "1 1 2 2", a -> Nx.min(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.S8), Nx.tensor(new int[][]{{10, 20}}, DType.S8));
        ex("min: Nx.min(left, right)", "f32[2][2]", "1.0 1.0 2.0 2.0", a -> Nx.min(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.F32), Nx.tensor(new int[][]{{10, 20}}, DType.F32));
        ex("max: Nx.max(1, 2)", "s32", "2", a -> Nx.max(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("max: Nx.max(Nx.tensor([1, 2, 3], names: [:data]), 1)", "s32[3]", "1 2 3", a -> Nx.max(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("max: Nx.max(1, Nx.tensor([1.0, 2.0, 3.0], names: [:data]))", "f32[3]", "1.0 2.0 3.0", a -> Nx.max(a[0], a[1]), Nx.scalar(1), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}));
        ex("max: Nx.max(left, right)", "s32[2][2]", "10 20 10 20", a -> Nx.max(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{10, 20}}));
        ex("max: Nx.max(left, right)", "s8[2][2]", "10 20 10 20", a -> Nx.max(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.S8), Nx.tensor(new int[][]{{10, 20}}, DType.S8));
        ex("max: Nx.max(left, right)", "f32[2][2]", "10.0 20.0 10.0 20.0", a -> Nx.max(a[0], a[1]), Nx.tensor(new int[][]{{1}, {2}}, DType.F32), Nx.tensor(new int[][]{{10, 20}}, DType.F32));
        ex("equal: Nx.equal(1, 2)", "u8", "0", a -> Nx.equal(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("equal: Nx.equal(1, Nx.tensor([1, 2, 3], names: [:data]))", "u8[3]", "1 0 0", a -> Nx.equal(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}));
        ex("equal: Nx.equal(left, right)", "u8[3]", "1 1 0", a -> Nx.equal(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{1, 2, 5}));
        ex("not_equal: Nx.not_equal(1, 2)", "u8", "1", a -> Nx.notEqual(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("not_equal: Nx.not_equal(Nx.tensor([1, 2, 3], names: [:data]), Nx.tensor(1))", "u8[3]", "0 1 1", a -> Nx.notEqual(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.scalar(1));
        ex("not_equal: Nx.not_equal(left, right)", "u8[3]", "0 1 1", a -> Nx.notEqual(a[0], a[1]), Nx.tensor(new int[]{1, 1, 2}), Nx.tensor(new int[]{1, 2, 3}));
        ex("less: Nx.less(1, 2)", "u8", "1", a -> Nx.less(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("less: Nx.less(1, Nx.tensor([1, 2, 3], names: [:data]))", "u8[3]", "0 1 1", a -> Nx.less(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}));
        ex("less: Nx.less(Nx.tensor([1, 2, 1]), Nx.tensor([1, 2, 2], names: [:data]))", "u8[3]", "0 0 1", a -> Nx.less(a[0], a[1]), Nx.tensor(new int[]{1, 2, 1}), Nx.tensor(new int[]{1, 2, 2}));
        ex("less: Nx.less(Nx.tensor([[1.0, 2.0, 3.0], [4.0, 2.0, 1.0]], names: [:x, :y]), Nx.tensor([1, 2, 3]))", "u8[2][3]", "0 0 0 0 0 1", a -> Nx.less(a[0], a[1]), Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {4.0f, 2.0f, 1.0f}}), Nx.tensor(new int[]{1, 2, 3}));
        ex("less_equal: Nx.less_equal(1, 2)", "u8", "1", a -> Nx.lessEqual(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("less_equal: Nx.less_equal(1, Nx.tensor([1, 2, 3], names: [:data]))", "u8[3]", "1 1 1", a -> Nx.lessEqual(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}));
        ex("less_equal: Nx.less_equal(left, right)", "u8[3]", "1 1 0", a -> Nx.lessEqual(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{1, 2, 2}));
        ex("less_equal: Nx.less_equal(left, right)", "u8[2][3]", "1 1 1 0 0 0", a -> Nx.lessEqual(a[0], a[1]), Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}}), Nx.tensor(new int[]{1, 2, 3}));
        ex("greater: Nx.greater(1, 2)", "u8", "0", a -> Nx.greater(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
        ex("greater: Nx.greater(1, Nx.tensor([1, 2, 3], names: [:data]))", "u8[3]", "0 0 0", a -> Nx.greater(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}));
        ex("greater: Nx.greater(left, right)", "u8[3]", "0 0 1", a -> Nx.greater(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{1, 2, 2}));
        ex("greater_equal: Nx.greater_equal(1, 2)", "u8", "0", a -> Nx.greaterEqual(a[0], a[1]), Nx.scalar(1), Nx.scalar(2));
    }

    private void define2() {
        ex("greater_equal: Nx.greater_equal(1, Nx.tensor([1, 2, 3], names: [:data]))", "u8[3]", "1 0 0", a -> Nx.greaterEqual(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}));
        ex("greater_equal: Nx.greater_equal(left, right)", "u8[3]", "1 1 1", a -> Nx.greaterEqual(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{1, 2, 2}));
        ex("greater_equal: Nx.greater_equal(left, right)", "u8[2][3]", "1 1 1 1 1 1", a -> Nx.greaterEqual(a[0], a[1]), Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}}), Nx.tensor(new int[]{1, 2, 3}));
        ex("logical_and: Nx.logical_and(1, Nx.tensor([-1, 0, 1], names: [:data]))", "u8[3]", "1 0 1", a -> Nx.logicalAnd(a[0], a[1]), Nx.scalar(1), Nx.tensor(new int[]{-1, 0, 1}));
        ex("logical_and: Nx.logical_and(left, right)", "u8[3][3]", "1 0 1 0 0 0 1 0 1", a -> Nx.logicalAnd(a[0], a[1]), Nx.tensor(new int[]{-1, 0, 1}), Nx.tensor(new int[][]{{-1}, {0}, {1}}));
        ex("logical_or: Nx.logical_or(0, Nx.tensor([-1, 0, 1], names: [:data]))", "u8[3]", "1 0 1", a -> Nx.logicalOr(a[0], a[1]), Nx.scalar(0), Nx.tensor(new int[]{-1, 0, 1}));
        ex("logical_or: Nx.logical_or(left, right)", "u8[3][3]", "1 1 1 1 0 1 1 1 1", a -> Nx.logicalOr(a[0], a[1]), Nx.tensor(new int[]{-1, 0, 1}), Nx.tensor(new int[][]{{-1}, {0}, {1}}));
        ex("logical_xor: Nx.logical_xor(0, Nx.tensor([-1, 0, 1], names: [:data]))", "u8[3]", "1 0 1", a -> Nx.logicalXor(a[0], a[1]), Nx.scalar(0), Nx.tensor(new int[]{-1, 0, 1}));
        ex("logical_xor: Nx.logical_xor(left, right)", "u8[3][3]", "0 1 0 1 0 1 0 1 0", a -> Nx.logicalXor(a[0], a[1]), Nx.tensor(new int[]{-1, 0, 1}), Nx.tensor(new int[][]{{-1}, {0}, {1}}));
        ex("logical_xor: Nx.logical_xor(left, right)", "u8[3][3]", "0 1 0 1 0 1 0 1 0", a -> Nx.logicalXor(a[0], a[1]), Nx.tensor(new float[]{-1.0f, 0.0f, 1.0f}), Nx.tensor(new int[][]{{-1}, {0}, {1}}));
        ex("logical_not: Nx.logical_not(Nx.tensor([-1, 0, 1], names: [:data]))", "u8[3]", "0 1 0", a -> Nx.logicalNot(a[0]), Nx.tensor(new int[]{-1, 0, 1}));
        ex("logical_not: Nx.logical_not(Nx.tensor([-1.0, 0.0, 1.0], names: [:data]))", "u8[3]", "0 1 0", a -> Nx.logicalNot(a[0]), Nx.tensor(new float[]{-1.0f, 0.0f, 1.0f}));
        ex("bitwise_and: Nx.bitwise_and(1, 0)", "s32", "0", a -> Nx.bitwiseAnd(a[0], a[1]), Nx.scalar(1), Nx.scalar(0));
        ex("bitwise_and: Nx.bitwise_and(Nx.tensor([0, 1, 2], names: [:data]), 1)", "s32[3]", "0 1 0", a -> Nx.bitwiseAnd(a[0], 1), Nx.tensor(new int[]{0, 1, 2}));
        ex("bitwise_and: Nx.bitwise_and(Nx.tensor([0, -1, -2], names: [:data]), -1)", "s32[3]", "0 -1 -2", a -> Nx.bitwiseAnd(a[0], -1), Nx.tensor(new int[]{0, -1, -2}));
        ex("bitwise_and: Nx.bitwise_and(Nx.tensor([0, 0, 1, 1], names: [:data]), Nx.tensor([0, 1, 0, 1]))", "s32[4]", "0 0 0 1", a -> Nx.bitwiseAnd(a[0], a[1]), Nx.tensor(new int[]{0, 0, 1, 1}), Nx.tensor(new int[]{0, 1, 0, 1}));
        err("bitwise_and: Nx.bitwise_and(Nx.tensor([0, 0, 1, 1]), 1.0)", a -> Nx.bitwiseAnd(a[0], 1.0), Nx.tensor(new int[]{0, 0, 1, 1}));
        ex("bitwise_or: Nx.bitwise_or(1, 0)", "s32", "1", a -> Nx.bitwiseOr(a[0], a[1]), Nx.scalar(1), Nx.scalar(0));
        ex("bitwise_or: Nx.bitwise_or(Nx.tensor([0, 1, 2], names: [:data]), 1)", "s32[3]", "1 1 3", a -> Nx.bitwiseOr(a[0], 1), Nx.tensor(new int[]{0, 1, 2}));
        ex("bitwise_or: Nx.bitwise_or(Nx.tensor([0, -1, -2], names: [:data]), -1)", "s32[3]", "-1 -1 -1", a -> Nx.bitwiseOr(a[0], -1), Nx.tensor(new int[]{0, -1, -2}));
        ex("bitwise_or: Nx.bitwise_or(Nx.tensor([0, 0, 1, 1], names: [:data]), Nx.tensor([0, 1, 0, 1], names: [:data]))", "s32[4]", "0 1 1 1", a -> Nx.bitwiseOr(a[0], a[1]), Nx.tensor(new int[]{0, 0, 1, 1}), Nx.tensor(new int[]{0, 1, 0, 1}));
        err("bitwise_or: Nx.bitwise_or(Nx.tensor([0, 0, 1, 1]), 1.0)", a -> Nx.bitwiseOr(a[0], 1.0), Nx.tensor(new int[]{0, 0, 1, 1}));
        ex("bitwise_xor: Nx.bitwise_xor(1, 0)", "s32", "1", a -> Nx.bitwiseXor(a[0], a[1]), Nx.scalar(1), Nx.scalar(0));
        ex("bitwise_xor: Nx.bitwise_xor(Nx.tensor([1, 2, 3], names: [:data]), 2)", "s32[3]", "3 0 1", a -> Nx.bitwiseXor(a[0], 2), Nx.tensor(new int[]{1, 2, 3}));
        ex("bitwise_xor: Nx.bitwise_xor(Nx.tensor([-1, -2, -3], names: [:data]), 2)", "s32[3]", "-3 -4 -1", a -> Nx.bitwiseXor(a[0], 2), Nx.tensor(new int[]{-1, -2, -3}));
        ex("bitwise_xor: Nx.bitwise_xor(Nx.tensor([0, 0, 1, 1]), Nx.tensor([0, 1, 0, 1], names: [:data]))", "s32[4]", "0 1 1 0", a -> Nx.bitwiseXor(a[0], a[1]), Nx.tensor(new int[]{0, 0, 1, 1}), Nx.tensor(new int[]{0, 1, 0, 1}));
        err("bitwise_xor: Nx.bitwise_xor(Nx.tensor([0, 0, 1, 1]), 1.0)", a -> Nx.bitwiseXor(a[0], 1.0), Nx.tensor(new int[]{0, 0, 1, 1}));
        ex("left_shift: Nx.left_shift(1, 0)", "s32", "1", a -> Nx.leftShift(a[0], a[1]), Nx.scalar(1), Nx.scalar(0));
        ex("left_shift: Nx.left_shift(Nx.tensor([1, 2, 3], names: [:data]), 2)", "s32[3]", "4 8 12", a -> Nx.leftShift(a[0], 2), Nx.tensor(new int[]{1, 2, 3}));
        ex("left_shift: Nx.left_shift(left, right)", "s32[4]", "2 4 -8 -16", a -> Nx.leftShift(a[0], a[1]), Nx.tensor(new int[]{1, 1, -1, -1}), Nx.tensor(new int[]{1, 2, 3, 4}));
        err("left_shift: Nx.left_shift(Nx.tensor([0, 0, 1, 1]), 1.0)", a -> Nx.leftShift(a[0], 1.0), Nx.tensor(new int[]{0, 0, 1, 1}));
        ex("right_shift: Nx.right_shift(1, 0)", "s32", "1", a -> Nx.rightShift(a[0], a[1]), Nx.scalar(1), Nx.scalar(0));
        ex("right_shift: Nx.right_shift(Nx.tensor([2, 4, 8], names: [:data]), 2)", "s32[3]", "0 1 2", a -> Nx.rightShift(a[0], 2), Nx.tensor(new int[]{2, 4, 8}));
        ex("right_shift: Nx.right_shift(left, right)", "s32[4]", "8 8 -8 -8", a -> Nx.rightShift(a[0], a[1]), Nx.tensor(new int[]{16, 32, -64, -128}), Nx.tensor(new int[]{1, 2, 3, 4}));
        err("right_shift: Nx.right_shift(Nx.tensor([0, 0, 1, 1]), 1.0)", a -> Nx.rightShift(a[0], 1.0), Nx.tensor(new int[]{0, 0, 1, 1}));
        ex("select: Nx.select(1, Nx.tensor([1, 2, 3], names: [:x]), Nx.tensor([4, 5, 6], names: [:x]))", "s32[3]", "1 2 3", a -> Nx.select(a[0], a[1], a[2]), Nx.scalar(1), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("select: Nx.select(0, Nx.tensor([1, 2, 3], names: [:y]), Nx.tensor([4, 5, 6], names: [:y]))", "s32[3]", "4 5 6", a -> Nx.select(a[0], a[1], a[2]), Nx.scalar(0), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("select: Nx.select(0, Nx.tensor([[1, 2]], names: [:x, :y]), Nx.tensor([[3], [4]], names: [:x, :y]))", "s32[2][2]", "3 3 4 4", a -> Nx.select(a[0], a[1], a[2]), Nx.scalar(0), Nx.tensor(new int[][]{{1, 2}}), Nx.tensor(new int[][]{{3}, {4}}));
        ex("select: Nx.select(Nx.tensor([0, 1, 0], names: [:x]), Nx.tensor([1, 2, 3], names: [:y]), Nx.tensor([4, 5, 6], names: [:z]))", "s32[3]", "4 2 6", a -> Nx.select(a[0], a[1], a[2]), Nx.tensor(new int[]{0, 1, 0}), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("select: Nx.select(Nx.greater(x, y), Nx.tensor([2, 4, 6], names: [:i]), Nx.tensor([1, 3, 5], names: [:j]))", "s32[3]", "1 4 6", a -> Nx.select(Nx.greater(a[0], a[1]), a[2], a[3]), Nx.tensor(new int[]{2, 4, 6}), Nx.tensor(new int[]{3, 2, 1}), Nx.tensor(new int[]{2, 4, 6}), Nx.tensor(new int[]{1, 3, 5}));
        ex("select: Nx.select(Nx.greater(x, y), Nx.tensor(2), Nx.tensor([1, 3, 5, 7, 9], names: [:x]))", "s32[5]", "2 3 2 7 2", a -> Nx.select(Nx.greater(a[0], a[1]), a[2], a[3]), Nx.tensor(new int[]{2, 4, 6, 8, 10}), Nx.tensor(new int[]{1, 6, 2, 11, 2}), Nx.scalar(2), Nx.tensor(new int[]{1, 3, 5, 7, 9}));
        ex("select: Nx.select(Nx.tensor([0, 1, 2], type: :u8), Nx.tensor([0, 0, 0]), Nx.tensor([1, 1, 1]))", "s32[3]", "1 0 0", a -> Nx.select(a[0], a[1], a[2]), Nx.tensor(new int[]{0, 1, 2}, DType.U8), Nx.tensor(new int[]{0, 0, 0}), Nx.tensor(new int[]{1, 1, 1}));
        ex("select: Nx.select(Nx.tensor([0, 1, 0]), Nx.tensor([1, 1, 1]), Nx.tensor([2.0, 2.0, 2.0]))", "f32[3]", "2.0 1.0 2.0", a -> Nx.select(a[0], a[1], a[2]), Nx.tensor(new int[]{0, 1, 0}), Nx.tensor(new int[]{1, 1, 1}), Nx.tensor(new float[]{2.0f, 2.0f, 2.0f}));
        ex("clip: Nx.clip(t, 2, 4)", "s32[2][3]", "2 2 3 4 4 4", a -> Nx.clip(a[0], 2, 4), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("clip: Nx.clip(t, 2.0, 3)", "f32[2][3]", "2.0 2.0 3.0 3.0 3.0 3.0", a -> Nx.clip(a[0], 2.0, 3), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("clip: Nx.clip(t, Nx.tensor(2.0), Nx.max(1.0, 3.0))", "f32[2][3]", "2.0 2.0 3.0 3.0 3.0 3.0", a -> Nx.clip(a[0], a[1], Nx.max(a[2], a[3])), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.scalar(2.0f), Nx.scalar(1.0f), Nx.scalar(3.0f));
        ex("clip: Nx.clip(t, 2, 6.0)", "f32[2][3]", "2.0 2.0 3.0 4.0 5.0 6.0", a -> Nx.clip(a[0], 2, 6.0), Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}}));
        ex("clip: Nx.clip(t, 1, 4)", "f32[2][3]", "1.0 2.0 3.0 4.0 4.0 4.0", a -> Nx.clip(a[0], 1, 4), Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {4.0f, 5.0f, 6.0f}}, DType.F32));
        ex("sum: Nx.sum(Nx.tensor(42))", "s32", "42", a -> Nx.sum(a[0]), Nx.scalar(42));
        ex("sum: Nx.sum(Nx.tensor([1, 2, 3]))", "s32", "6", a -> Nx.sum(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("sum: Nx.sum(Nx.tensor([[1.0, 2.0], [3.0, 4.0]]))", "f32", "10.0", a -> Nx.sum(a[0]), Nx.tensor(new float[][]{{1.0f, 2.0f}, {3.0f, 4.0f}}));
        ex("sum: Nx.sum(Nx.tensor([[101, 102], [103, 104]], type: :s8))", "s32", "410", a -> Nx.sum(a[0]), Nx.tensor(new int[][]{{101, 102}, {103, 104}}, DType.S8));
        ex("sum: Nx.sum(Nx.tensor([[101, 102], [103, 104]], type: :s16))", "s32", "410", a -> Nx.sum(a[0]), Nx.tensor(new int[][]{{101, 102}, {103, 104}}, DType.S16));
        ex("sum: Nx.sum(Nx.tensor([1, 2, 3]), axes: [0])", "s32", "6", a -> Nx.sum(a[0], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}));
        ex("sum: Nx.sum(t, axes: [:x])", "s32[2][3]", "6 8 10 12 14 16", a -> Nx.sum(a[0], new int[] {0}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("sum: Nx.sum(t, axes: [:y])", "s32[2][3]", "3 5 7 15 17 19", a -> Nx.sum(a[0], new int[] {1}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("sum: Nx.sum(t, axes: [:z])", "s32[2][2]", "3 12 21 30", a -> Nx.sum(a[0], new int[] {2}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("sum: Nx.sum(t, axes: [:x, :z])", "s32[2]", "24 42", a -> Nx.sum(a[0], new int[] {0, 2}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("sum: Nx.sum(t, axes: [-3])", "s32[2][3]", "6 8 10 12 14 16", a -> Nx.sum(a[0], new int[] {-3}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("sum: Nx.sum(t, axes: [:x], keep_axes: true)", "s32[1][2]", "4 6", a -> Nx.sum(a[0], new int[] {0}, true), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
    }

    private void define3() {
        err("sum: Nx.sum(Nx.tensor([[1, 2]]), axes: [2])", a -> Nx.sum(a[0], new int[] {2}, false), Nx.tensor(new int[][]{{1, 2}}));
        ex("product: Nx.product(Nx.tensor(42))", "s32", "42", a -> Nx.product(a[0]), Nx.scalar(42));
        ex("product: Nx.product(Nx.tensor([1, 2, 3]))", "s32", "6", a -> Nx.product(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("product: Nx.product(Nx.tensor([[1.0, 2.0], [3.0, 4.0]]))", "f32", "24.0", a -> Nx.product(a[0]), Nx.tensor(new float[][]{{1.0f, 2.0f}, {3.0f, 4.0f}}));
        ex("product: Nx.product(Nx.tensor([[10, 20], [30, 40]], type: :u8, names: [:x, :y]))", "u32", "240000", a -> Nx.product(a[0]), Nx.tensor(new int[][]{{10, 20}, {30, 40}}, DType.U8));
        ex("product: Nx.product(Nx.tensor([[10, 20], [30, 40]], type: :s8, names: [:x, :y]))", "s32", "240000", a -> Nx.product(a[0]), Nx.tensor(new int[][]{{10, 20}, {30, 40}}, DType.S8));
        ex("product: Nx.product(Nx.tensor([1, 2, 3]), axes: [0])", "s32", "6", a -> Nx.product(a[0], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}));
        ex("product: Nx.product(t, axes: [:x])", "s32[2][3]", "0 7 16 27 40 55", a -> Nx.product(a[0], new int[] {0}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("product: Nx.product(t, axes: [:y])", "s32[2][3]", "0 4 10 54 70 88", a -> Nx.product(a[0], new int[] {1}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("product: Nx.product(t, axes: [:x, :z])", "s32[2]", "0 59400", a -> Nx.product(a[0], new int[] {0, 2}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("product: Nx.product(t, axes: [:z])", "s32[2][2]", "0 60 336 990", a -> Nx.product(a[0], new int[] {2}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("product: Nx.product(t, axes: [-3])", "s32[2][3]", "0 7 16 27 40 55", a -> Nx.product(a[0], new int[] {-3}, false), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        ex("product: Nx.product(t, axes: [:z], keep_axes: true)", "s32[2][2][1]", "0 60 336 990", a -> Nx.product(a[0], new int[] {2}, true), Nx.iota(Shape.of(2, 2, 3), DType.S32));
        err("product: Nx.product(Nx.tensor([[1, 2]]), axes: [2])", a -> Nx.product(a[0], new int[] {2}, false), Nx.tensor(new int[][]{{1, 2}}));
        ex("reduce_max: Nx.reduce_max(Nx.tensor(42))", "s32", "42", a -> Nx.reduceMax(a[0]), Nx.scalar(42));
        ex("reduce_max: Nx.reduce_max(Nx.tensor(42.0))", "f32", "42.0", a -> Nx.reduceMax(a[0]), Nx.scalar(42.0f));
        ex("reduce_max: Nx.reduce_max(Nx.tensor([1, 2, 3]))", "s32", "3", a -> Nx.reduceMax(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("reduce_max: Nx.reduce_max(t, axes: [:x])", "s32[3]", "3 1 4", a -> Nx.reduceMax(a[0], new int[] {0}, false), Nx.tensor(new int[][]{{3, 1, 4}, {2, 1, 1}}));
        ex("reduce_max: Nx.reduce_max(t, axes: [:y])", "s32[2]", "4 2", a -> Nx.reduceMax(a[0], new int[] {1}, false), Nx.tensor(new int[][]{{3, 1, 4}, {2, 1, 1}}));
        ex("reduce_max: Nx.reduce_max(t, axes: [:x, :z])", "s32[2]", "4 8", a -> Nx.reduceMax(a[0], new int[] {0, 2}, false), Nx.tensor(new int[][][]{{{1, 2}, {4, 5}}, {{2, 4}, {3, 8}}}));
        ex("reduce_max: Nx.reduce_max(t, axes: [:x, :z], keep_axes: true)", "s32[1][2][1]", "4 8", a -> Nx.reduceMax(a[0], new int[] {0, 2}, true), Nx.tensor(new int[][][]{{{1, 2}, {4, 5}}, {{2, 4}, {3, 8}}}));
        ex("reduce_min: Nx.reduce_min(Nx.tensor(42))", "s32", "42", a -> Nx.reduceMin(a[0]), Nx.scalar(42));
        ex("reduce_min: Nx.reduce_min(Nx.tensor(42.0))", "f32", "42.0", a -> Nx.reduceMin(a[0]), Nx.scalar(42.0f));
        ex("reduce_min: Nx.reduce_min(Nx.tensor([1, 2, 3]))", "s32", "1", a -> Nx.reduceMin(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("reduce_min: Nx.reduce_min(t, axes: [:x])", "s32[3]", "2 1 1", a -> Nx.reduceMin(a[0], new int[] {0}, false), Nx.tensor(new int[][]{{3, 1, 4}, {2, 1, 1}}));
        ex("reduce_min: Nx.reduce_min(t, axes: [:y])", "s32[2]", "1 1", a -> Nx.reduceMin(a[0], new int[] {1}, false), Nx.tensor(new int[][]{{3, 1, 4}, {2, 1, 1}}));
        ex("reduce_min: Nx.reduce_min(t, axes: [:x, :z])", "s32[2]", "1 3", a -> Nx.reduceMin(a[0], new int[] {0, 2}, false), Nx.tensor(new int[][][]{{{1, 2}, {4, 5}}, {{2, 4}, {3, 8}}}));
        ex("reduce_min: Nx.reduce_min(t, axes: [:x, :z], keep_axes: true)", "s32[1][2][1]", "1 3", a -> Nx.reduceMin(a[0], new int[] {0, 2}, true), Nx.tensor(new int[][][]{{{1, 2}, {4, 5}}, {{2, 4}, {3, 8}}}));
        ex("all: Nx.all(Nx.tensor([0, 1, 2]))", "u8", "0", a -> Nx.all(a[0]), Nx.tensor(new int[]{0, 1, 2}));
        ex("all: Nx.all(Nx.tensor([[-1, 0, 1], [2, 3, 4]], names: [:x, :y]), axes: [:x])", "u8[3]", "1 0 1", a -> Nx.all(a[0], new int[] {0}, false), Nx.tensor(new int[][]{{-1, 0, 1}, {2, 3, 4}}));
        ex("all: Nx.all(Nx.tensor([[-1, 0, 1], [2, 3, 4]], names: [:x, :y]), axes: [:y])", "u8[2]", "0 1", a -> Nx.all(a[0], new int[] {1}, false), Nx.tensor(new int[][]{{-1, 0, 1}, {2, 3, 4}}));
        ex("all: Nx.all(Nx.tensor([[-1, 0, 1], [2, 3, 4]], names: [:x, :y]), axes: [:y], keep_axes: true)", "u8[2][1]", "0 1", a -> Nx.all(a[0], new int[] {1}, true), Nx.tensor(new int[][]{{-1, 0, 1}, {2, 3, 4}}));
        ex("any: Nx.any(Nx.tensor([0, 1, 2]))", "u8", "1", a -> Nx.any(a[0]), Nx.tensor(new int[]{0, 1, 2}));
        ex("any: Nx.any(Nx.tensor([[0, 1, 0], [0, 1, 2]], names: [:x, :y]), axes: [:x])", "u8[3]", "0 1 1", a -> Nx.any(a[0], new int[] {0}, false), Nx.tensor(new int[][]{{0, 1, 0}, {0, 1, 2}}));
        ex("any: Nx.any(Nx.tensor([[0, 1, 0], [0, 1, 2]], names: [:x, :y]), axes: [:y])", "u8[2]", "1 1", a -> Nx.any(a[0], new int[] {1}, false), Nx.tensor(new int[][]{{0, 1, 0}, {0, 1, 2}}));
        ex("any: Nx.any(Nx.tensor([[0, 1, 0], [0, 1, 2]], names: [:x, :y]), axes: [:y], keep_axes: true)", "u8[2][1]", "1 1", a -> Nx.any(a[0], new int[] {1}, true), Nx.tensor(new int[][]{{0, 1, 0}, {0, 1, 2}}));
        ex("argmax: Nx.argmax(4)", "s32", "0", a -> Nx.argmax(a[0]), Nx.scalar(4));
        ex("argmax: Nx.argmax(t)", "s32", "10", a -> Nx.argmax(a[0]), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(Nx.tensor([2.0, 4.0]))", "s32", "1", a -> Nx.argmax(a[0]), Nx.tensor(new float[]{2.0f, 4.0f}));
        ex("argmax: Nx.argmax(Nx.tensor([2.0, :nan, 4.0]))", "s32", "1", a -> Nx.argmax(a[0]), Nx.tensor(new float[]{2.0f, (float) Double.NaN, 4.0f}));
        ex("argmax: Nx.argmax(t, axis: 0)", "s32[2][3]", "1 0 0 1 1 0", a -> Nx.argmax(a[0], 0, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(t, axis: :y)", "s32[2][3]", "0 0 0 0 1 0", a -> Nx.argmax(a[0], 1, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(t, axis: :z)", "s32[2][2]", "0 2 0 1", a -> Nx.argmax(a[0], 2, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(t, tie_break: :low, axis: :y)", "s32[2][3]", "0 0 0 0 1 0", a -> Nx.argmax(a[0], 1, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(t, tie_break: :high, axis: :y, type: :u32)", "u32[2][3]", "0 0 1 0 1 1", a -> Nx.argmax(a[0], 1, true, false, DType.U32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmax: Nx.argmax(t, axis: :y, keep_axis: true)", "s32[2][1][3]", "0 0 0 0 1 0", a -> Nx.argmax(a[0], 1, false, true, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(4)", "s32", "0", a -> Nx.argmin(a[0]), Nx.scalar(4));
        ex("argmin: Nx.argmin(t)", "s32", "4", a -> Nx.argmin(a[0]), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(Nx.tensor([2.0, 4.0]))", "s32", "0", a -> Nx.argmin(a[0]), Nx.tensor(new float[]{2.0f, 4.0f}));
        ex("argmin: Nx.argmin(Nx.tensor([2.0, :nan, 4.0]))", "s32", "1", a -> Nx.argmin(a[0]), Nx.tensor(new float[]{2.0f, (float) Double.NaN, 4.0f}));
        ex("argmin: Nx.argmin(t, axis: 0)", "s32[2][3]", "0 0 0 0 0 0", a -> Nx.argmin(a[0], 0, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(t, axis: 1)", "s32[2][3]", "1 1 0 1 0 0", a -> Nx.argmin(a[0], 1, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(t, axis: :z)", "s32[2][2]", "1 1 1 2", a -> Nx.argmin(a[0], 2, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(t, tie_break: :low, axis: :y)", "s32[2][3]", "1 1 0 1 0 0", a -> Nx.argmin(a[0], 1, false, false, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(t, tie_break: :high, axis: :y, type: :u32)", "u32[2][3]", "1 1 1 1 0 1", a -> Nx.argmin(a[0], 1, true, false, DType.U32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("argmin: Nx.argmin(t, axis: :y, keep_axis: true)", "s32[2][1][3]", "1 1 0 1 0 0", a -> Nx.argmin(a[0], 1, false, true, DType.S32), Nx.tensor(new int[][][]{{{4, 2, 3}, {1, -5, 3}}, {{6, 2, 3}, {4, 8, 3}}}));
        ex("mean: Nx.mean(Nx.tensor(42))", "f32", "42.0", a -> Nx.mean(a[0]), Nx.scalar(42));
        ex("mean: Nx.mean(Nx.tensor([1, 2, 3]))", "f32", "2.0", a -> Nx.mean(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("mean: Nx.mean(Nx.tensor([1, 2, 3]), axes: [0])", "f32", "2.0", a -> Nx.mean(a[0], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}));
        ex("mean: Nx.mean(Nx.tensor([1, 2, 3], type: :u8, names: [:x]), axes: [:x])", "f32", "2.0", a -> Nx.mean(a[0], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}, DType.U8));
    }

    private void define4() {
        ex("weighted_mean: Nx.weighted_mean(Nx.tensor(42), Nx.tensor(2))", "f32", "42.0", a -> Nx.weightedMean(a[0], a[1]), Nx.scalar(42), Nx.scalar(2));
        ex("weighted_mean: Nx.weighted_mean(Nx.tensor([1, 2, 3]), Nx.tensor([3, 2, 1]))", "f32", "1.6666666", a -> Nx.weightedMean(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{3, 2, 1}));
        ex("weighted_mean: Nx.weighted_mean(Nx.tensor([1, 2, 3], names: [:x]), Nx.tensor([4, 5, 6]), axes: [0])", "f32", "2.1333334", a -> Nx.weightedMean(a[0], a[1], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("weighted_mean: Nx.weighted_mean(Nx.tensor([1, 2, 3], type: :u8, names: [:x]), Nx.tensor([1, 3, 5]), axes: [:x])", "f32", "2.4444444", a -> Nx.weightedMean(a[0], a[1], new int[] {0}, false), Nx.tensor(new int[]{1, 2, 3}, DType.U8), Nx.tensor(new int[]{1, 3, 5}));
        ex("weighted_mean: Nx.weighted_mean(t, weights, axes: [1])", "f32[3]", "2.0 6.0 10.0", a -> Nx.weightedMean(a[0], a[1], new int[] {1}, false), Nx.iota(Shape.of(3, 4), DType.S32), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("weighted_mean: Nx.weighted_mean(t, weights, axes: [1, 2])", "f32[2][1]", "7.5 23.5", a -> Nx.weightedMean(a[0], a[1], new int[] {1, 2}, false), Nx.iota(Shape.of(2, 4, 4, 1), DType.S32), Nx.broadcast(Nx.scalar(2), Shape.of(4, 4)));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]))", "f32", "1.25", a -> Nx.variance(a[0]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]), axes: [0])", "f32[2]", "1.0 1.0", a -> Nx.variance(a[0], new int[] {0}, 0, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]), axes: [1])", "f32[2]", "0.25 0.25", a -> Nx.variance(a[0], new int[] {1}, 0, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]), axes: [0], ddof: 1)", "f32[2]", "2.0 2.0", a -> Nx.variance(a[0], new int[] {0}, 1, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]), axes: [1], ddof: 1)", "f32[2]", "0.5 0.5", a -> Nx.variance(a[0], new int[] {1}, 1, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("variance: Nx.variance(Nx.tensor([[1, 2], [3, 4]]), axes: [1], keep_axes: true)", "f32[2][1]", "0.25 0.25", a -> Nx.variance(a[0], new int[] {1}, 0, true), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("standard_deviation: Nx.standard_deviation(Nx.tensor([[1, 2], [3, 4]]))", "f32", "1.118034", a -> Nx.standardDeviation(a[0]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("standard_deviation: Nx.standard_deviation(Nx.tensor([[1, 2], [10, 20]]), axes: [0])", "f32[2]", "4.5 9.0", a -> Nx.standardDeviation(a[0], new int[] {0}, 0, false), Nx.tensor(new int[][]{{1, 2}, {10, 20}}));
        ex("standard_deviation: Nx.standard_deviation(Nx.tensor([[1, 2], [10, 20]]), axes: [1])", "f32[2]", "0.5 5.0", a -> Nx.standardDeviation(a[0], new int[] {1}, 0, false), Nx.tensor(new int[][]{{1, 2}, {10, 20}}));
        ex("standard_deviation: Nx.standard_deviation(Nx.tensor([[1, 2], [10, 20]]), axes: [0], ddof: 1)", "f32[2]", "6.363961 12.727922", a -> Nx.standardDeviation(a[0], new int[] {0}, 1, false), Nx.tensor(new int[][]{{1, 2}, {10, 20}}));
        ex("standard_deviation: Nx.standard_deviation(Nx.tensor([[1, 2], [10, 20]]), axes: [1], ddof: 1)", "f32[2]", "0.70710677 7.071068", a -> Nx.standardDeviation(a[0], new int[] {1}, 1, false), Nx.tensor(new int[][]{{1, 2}, {10, 20}}));
        ex("logsumexp: Nx.logsumexp(Nx.tensor([1, 2, 3, 4, 5, 6]))", "f32", "6.4561934", a -> Nx.logsumexp(a[0]), Nx.tensor(new int[]{1, 2, 3, 4, 5, 6}));
        ex("logsumexp: Nx.logsumexp(Nx.tensor([[1, 2], [3, 4], [5, 6]]))", "f32", "6.4561934", a -> Nx.logsumexp(a[0]), Nx.tensor(new int[][]{{1, 2}, {3, 4}, {5, 6}}));
        ex("logsumexp: Nx.logsumexp(t, axes: [:x])", "f32[2]", "5.1429315 6.1429315", a -> Nx.logsumexp(a[0], new int[] {0}, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}, {5, 6}}));
        ex("logsumexp: Nx.logsumexp(t, axes: [:y])", "f32[3]", "2.3132617 4.3132615 6.3132615", a -> Nx.logsumexp(a[0], new int[] {1}, false), Nx.tensor(new int[][]{{1, 2}, {3, 4}, {5, 6}}));
        ex("logsumexp: Nx.logsumexp(t, axes: [:x, :z])", "f32[2]", "6.3314114 8.331411", a -> Nx.logsumexp(a[0], new int[] {0, 2}, false), Nx.tensor(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        ex("logsumexp: Nx.logsumexp(t, axes: [:x, :z], keep_axes: true)", "f32[1][2][1]", "6.3314114 8.331411", a -> Nx.logsumexp(a[0], new int[] {0, 2}, true), Nx.tensor(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        ex("median: Nx.median(Nx.tensor(42))", "s32", "42", a -> Nx.median(a[0]), Nx.scalar(42));
        ex("median: Nx.median(Nx.tensor([1, 2, 3]))", "s32", "2", a -> Nx.median(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("median: Nx.median(Nx.tensor([1, 2]))", "f32", "1.5", a -> Nx.median(a[0]), Nx.tensor(new int[]{1, 2}));
        ex("median: Nx.median(Nx.iota({2, 3, 3}))", "f32", "8.5", a -> Nx.median(a[0]), Nx.iota(Shape.of(2, 3, 3), DType.S32));
        ex("median: Nx.median(Nx.tensor([[1, 2, 3], [4, 5, 6]], names: [:x, :y]), axis: 0)", "f32[3]", "2.5 3.5 4.5", a -> Nx.median(a[0], 0, false), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("median: Nx.median(Nx.tensor([[1, 2, 3], [4, 5, 6]], names: [:x, :y]), axis: :y)", "s32[2]", "2 5", a -> Nx.median(a[0], 1, false), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("median: Nx.median(t, axis: -1)", "s32[2][2]", "2 3 4 7", a -> Nx.median(a[0], -1, false), Nx.tensor(new int[][][]{{{1, 2, 2}, {3, 4, 2}}, {{4, 5, 2}, {7, 9, 2}}}));
        ex("median: Nx.median(t, axis: -1, keep_axis: true)", "s32[2][2][1]", "2 3 4 7", a -> Nx.median(a[0], -1, true), Nx.tensor(new int[][][]{{{1, 2, 2}, {3, 4, 2}}, {{4, 5, 2}, {7, 9, 2}}}));
        ex("mode: Nx.mode(Nx.tensor(42))", "s32", "42", a -> Nx.mode(a[0]), Nx.scalar(42));
        ex("mode: Nx.mode(Nx.tensor([[1]]))", "s32", "1", a -> Nx.mode(a[0]), Nx.tensor(new int[][]{{1}}));
        ex("mode: Nx.mode(Nx.tensor([1, 2, 2, 3, 5]))", "s32", "2", a -> Nx.mode(a[0]), Nx.tensor(new int[]{1, 2, 2, 3, 5}));
        ex("mode: Nx.mode(Nx.tensor([[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]]))", "s32", "1", a -> Nx.mode(a[0]), Nx.tensor(new int[][]{{1, 2, 2, 3, 5}, {1, 1, 76, 8, 1}}));
        ex("mode: Nx.mode(Nx.tensor([[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]]), axis: 0)", "s32[5]", "1 1 2 3 1", a -> Nx.mode(a[0], 0, false), Nx.tensor(new int[][]{{1, 2, 2, 3, 5}, {1, 1, 76, 8, 1}}));
        ex("mode: Nx.mode(Nx.tensor([[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]]), axis: 1)", "s32[2]", "2 1", a -> Nx.mode(a[0], 1, false), Nx.tensor(new int[][]{{1, 2, 2, 3, 5}, {1, 1, 76, 8, 1}}));
        ex("mode: Nx.mode(Nx.tensor([[[1]]]), axis: 1)", "s32[1][1]", "1", a -> Nx.mode(a[0], 1, false), Nx.tensor(new int[][][]{{{1}}}));
        ex("mode: Nx.mode(Nx.tensor([[1, 2, 2, 3, 5], [1, 1, 76, 8, 1]]), axis: 1, keep_axis: true)", "s32[2][1]", "2 1", a -> Nx.mode(a[0], 1, true), Nx.tensor(new int[][]{{1, 2, 2, 3, 5}, {1, 1, 76, 8, 1}}));
        ex("sort: Nx.sort(Nx.tensor([16, 23, 42, 4, 8, 15]))", "s32[6]", "4 8 15 16 23 42", a -> Nx.sort(a[0], 0, false), Nx.tensor(new int[]{16, 23, 42, 4, 8, 15}));
        ex("sort: Nx.sort(t, axis: :x)", "s32[2][3]", "2 1 4 3 5 7", a -> Nx.sort(a[0], 0, false), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("sort: Nx.sort(t, axis: :y)", "s32[2][3]", "1 3 7 2 4 5", a -> Nx.sort(a[0], 1, false), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("sort: Nx.sort(t, axis: :y, direction: :asc)", "s32[2][3]", "1 3 7 2 4 5", a -> Nx.sort(a[0], 1, false), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("sort: Nx.sort(t, axis: :x)", "s32[4][3][2]", "-1 -1 -1 -1 -1 -1 0 0 0 0 0 0 1 5 2 1 2 0 4 9 2 5 5 1", a -> Nx.sort(a[0], 0, false), Nx.tensor(new int[][][]{{{4, 5}, {2, 5}, {5, 0}}, {{1, 9}, {2, 1}, {2, 1}}, {{0, -1}, {-1, 0}, {0, -1}}, {{-1, 0}, {0, -1}, {-1, 0}}}));
        ex("sort: Nx.sort(t, axis: :x)", "s32[2][3][3]", "1 5 2 2 1 3 2 0 2 4 9 8 2 5 3 5 1 4", a -> Nx.sort(a[0], 0, false), Nx.tensor(new int[][][]{{{4, 5, 2}, {2, 5, 3}, {5, 0, 2}}, {{1, 9, 8}, {2, 1, 3}, {2, 1, 4}}}));
        ex("sort: Nx.sort(t, axis: :y)", "s32[2][3][3]", "2 0 2 4 5 2 5 5 3 1 1 3 2 1 4 2 9 8", a -> Nx.sort(a[0], 1, false), Nx.tensor(new int[][][]{{{4, 5, 2}, {2, 5, 3}, {5, 0, 2}}, {{1, 9, 8}, {2, 1, 3}, {2, 1, 4}}}));
        ex("sort: Nx.sort(t, axis: :z)", "s32[2][3][3]", "2 4 5 2 3 5 0 2 5 1 8 9 1 2 3 1 2 4", a -> Nx.sort(a[0], 2, false), Nx.tensor(new int[][][]{{{4, 5, 2}, {2, 5, 3}, {5, 0, 2}}, {{1, 9, 8}, {2, 1, 3}, {2, 1, 4}}}));
        ex("sort: Nx.sort(t)", "f32[4]", "-Inf 0.0 Inf NaN", a -> Nx.sort(a[0], 0, false), Nx.tensor(new float[]{(float) Double.NaN, (float) Double.NEGATIVE_INFINITY, 0.0f, (float) Double.POSITIVE_INFINITY}));
        ex("sort: Nx.sort(t, direction: :desc)", "f32[4]", "NaN Inf 0.0 -Inf", a -> Nx.sort(a[0], 0, true), Nx.tensor(new float[]{(float) Double.NaN, (float) Double.NEGATIVE_INFINITY, 0.0f, (float) Double.POSITIVE_INFINITY}));
        ex("argsort: Nx.argsort(Nx.tensor([16, 23, 42, 4, 8, 15]))", "s32[6]", "3 4 5 0 1 2", a -> Nx.argsort(a[0], 0, false), Nx.tensor(new int[]{16, 23, 42, 4, 8, 15}));
        ex("argsort: Nx.argsort(t, axis: :x)", "s32[2][3]", "1 0 1 0 1 0", a -> Nx.argsort(a[0], 0, false), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("argsort: Nx.argsort(t, axis: :y)", "s32[2][3]", "1 0 2 0 2 1", a -> Nx.argsort(a[0], 1, false), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("argsort: Nx.argsort(t, axis: :y, direction: :asc, type: :u32)", "u32[2][3]", "1 0 2 0 2 1", a -> Nx.argsort(a[0], 1, false, DType.U32), Nx.tensor(new int[][]{{3, 1, 7}, {2, 5, 4}}));
        ex("argsort: Nx.argsort(t, axis: :x, stable: true)", "s32[2][3][3]", "1 0 0 0 1 0 1 0 0 0 1 1 1 0 1 0 1 1", a -> Nx.argsort(a[0], 0, false), Nx.tensor(new int[][][]{{{4, 5, 2}, {2, 5, 3}, {5, 0, 2}}, {{1, 9, 8}, {2, 1, 3}, {2, 1, 4}}}));
        ex("argsort: Nx.argsort(t, axis: :y, stable: true)", "s32[2][3][3]", "1 2 0 0 0 2 2 1 1 0 1 1 1 2 2 2 0 0", a -> Nx.argsort(a[0], 1, false), Nx.tensor(new int[][][]{{{4, 5, 2}, {2, 5, 3}, {5, 0, 2}}, {{1, 9, 8}, {2, 1, 3}, {2, 1, 4}}}));
        ex("argsort: Nx.argsort(t)", "s32[4]", "1 3 2 0", a -> Nx.argsort(a[0], 0, false), Nx.tensor(new float[]{(float) Double.NaN, (float) Double.NEGATIVE_INFINITY, (float) Double.POSITIVE_INFINITY, 0.0f}));
        ex("argsort: Nx.argsort(t, direction: :desc)", "s32[4]", "0 2 3 1", a -> Nx.argsort(a[0], 0, true), Nx.tensor(new float[]{(float) Double.NaN, (float) Double.NEGATIVE_INFINITY, (float) Double.POSITIVE_INFINITY, 0.0f}));
        ex("cumulative_sum: Nx.cumulative_sum(Nx.tensor([1, 2, 3, 4]))", "s32[4]", "1 3 6 10", a -> Nx.cumulativeSum(a[0], 0, false), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("cumulative_sum: Nx.cumulative_sum(Nx.iota({3, 3}), axis: 0)", "s32[3][3]", "0 1 2 3 5 7 9 12 15", a -> Nx.cumulativeSum(a[0], 0, false), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_sum: Nx.cumulative_sum(Nx.iota({3, 3}), axis: 1)", "s32[3][3]", "0 1 3 3 7 12 6 13 21", a -> Nx.cumulativeSum(a[0], 1, false), Nx.iota(Shape.of(3, 3), DType.S32));
    }

    private void define5() {
        ex("cumulative_sum: Nx.cumulative_sum(Nx.iota({3, 3}), axis: 0, reverse: true)", "s32[3][3]", "9 12 15 9 11 13 6 7 8", a -> Nx.cumulativeSum(a[0], 0, true), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_sum: Nx.cumulative_sum(Nx.iota({3, 3}), axis: 1, reverse: true)", "s32[3][3]", "3 3 2 12 9 5 21 15 8", a -> Nx.cumulativeSum(a[0], 1, true), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_product: Nx.cumulative_product(Nx.tensor([1, 2, 3, 4]))", "s32[4]", "1 2 6 24", a -> Nx.cumulativeProduct(a[0], 0, false), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("cumulative_product: Nx.cumulative_product(Nx.iota({3, 3}), axis: 0)", "s32[3][3]", "0 1 2 0 4 10 0 28 80", a -> Nx.cumulativeProduct(a[0], 0, false), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_product: Nx.cumulative_product(Nx.iota({3, 3}), axis: 1)", "s32[3][3]", "0 0 0 3 12 60 6 42 336", a -> Nx.cumulativeProduct(a[0], 1, false), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_product: Nx.cumulative_product(Nx.iota({3, 3}), axis: 0, reverse: true)", "s32[3][3]", "0 28 80 18 28 40 6 7 8", a -> Nx.cumulativeProduct(a[0], 0, true), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_product: Nx.cumulative_product(Nx.iota({3, 3}), axis: 1, reverse: true)", "s32[3][3]", "0 2 2 60 20 5 336 56 8", a -> Nx.cumulativeProduct(a[0], 1, true), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("cumulative_max: Nx.cumulative_max(Nx.tensor([3, 4, 2, 1]))", "s32[4]", "3 4 4 4", a -> Nx.cumulativeMax(a[0], 0, false), Nx.tensor(new int[]{3, 4, 2, 1}));
        ex("cumulative_max: Nx.cumulative_max(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 0)", "s32[3][3]", "2 3 1 2 3 2 2 3 3", a -> Nx.cumulativeMax(a[0], 0, false), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_max: Nx.cumulative_max(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 1)", "s32[3][3]", "2 3 3 1 3 3 2 2 3", a -> Nx.cumulativeMax(a[0], 1, false), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_max: Nx.cumulative_max(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 0, reverse: true)", "s32[3][3]", "2 3 3 2 3 3 2 1 3", a -> Nx.cumulativeMax(a[0], 0, true), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_max: Nx.cumulative_max(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 1, reverse: true)", "s32[3][3]", "3 3 1 3 3 2 3 3 3", a -> Nx.cumulativeMax(a[0], 1, true), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_min: Nx.cumulative_min(Nx.tensor([3, 4, 2, 1]))", "s32[4]", "3 3 2 1", a -> Nx.cumulativeMin(a[0], 0, false), Nx.tensor(new int[]{3, 4, 2, 1}));
        ex("cumulative_min: Nx.cumulative_min(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 0)", "s32[3][3]", "2 3 1 1 3 1 1 1 1", a -> Nx.cumulativeMin(a[0], 0, false), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_min: Nx.cumulative_min(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 1)", "s32[3][3]", "2 2 1 1 1 1 2 1 1", a -> Nx.cumulativeMin(a[0], 1, false), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_min: Nx.cumulative_min(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 0, reverse: true)", "s32[3][3]", "1 1 1 1 1 2 2 1 3", a -> Nx.cumulativeMin(a[0], 0, true), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("cumulative_min: Nx.cumulative_min(Nx.tensor([[2, 3, 1], [1, 3, 2], [2, 1, 3]]), axis: 1, reverse: true)", "s32[3][3]", "1 1 1 1 2 2 1 1 3", a -> Nx.cumulativeMin(a[0], 1, true), Nx.tensor(new int[][]{{2, 3, 1}, {1, 3, 2}, {2, 1, 3}}));
        ex("as_type: Nx.as_type(Nx.tensor([0, 1, 2], names: [:data]), :f32)", "f32[3]", "0.0 1.0 2.0", a -> Nx.asType(a[0], DType.F32), Nx.tensor(new int[]{0, 1, 2}));
        ex("as_type: Nx.as_type(Nx.tensor([0.0, 1.0, 2.0], names: [:data]), :bf16)", "bf16[3]", "0.0 1.0 2.0", a -> Nx.asType(a[0], DType.BF16), Nx.tensor(new float[]{0.0f, 1.0f, 2.0f}));
        ex("as_type: Nx.as_type(Nx.tensor([0.0, 1.0, 2.0], names: [:data]), :s64)", "s64[3]", "0 1 2", a -> Nx.asType(a[0], DType.S64), Nx.tensor(new float[]{0.0f, 1.0f, 2.0f}));
        ex("as_type: Nx.as_type(Nx.tensor([1, -2]), :c64)", "c64[2]", "1.0+0.0i -2.0+0.0i", a -> Nx.asType(a[0], DType.C64), Nx.tensor(new int[]{1, -2}));
        ex("as_type: Nx.as_type(Nx.tensor([Complex.new(1, 2), Complex.new(0, 3), Complex.new(4, 5)]), :f64)", "f64[3]", "1.0 0.0 4.0", a -> Nx.asType(a[0], DType.F64), Nx.tensor(new Complex[]{Complex.of(1, 2), Complex.of(0, 3), Complex.of(4, 5)}));
        ex("as_type: Nx.as_type(Nx.tensor([Complex.new(-1, 2), Complex.new(-2, 3), Complex.new(3, -4)]), :s64)", "s64[3]", "-1 -2 3", a -> Nx.asType(a[0], DType.S64), Nx.tensor(new Complex[]{Complex.of(-1, 2), Complex.of(-2, 3), Complex.of(3, -4)}));
        ex("as_type: Nx.as_type(non_finite, :u8)", "u8[3]", "255 0 0", a -> Nx.asType(a[0], DType.U8), Nx.tensor(new float[]{(float) Double.POSITIVE_INFINITY, (float) Double.NaN, (float) Double.NEGATIVE_INFINITY}));
        ex("as_type: Nx.as_type(non_finite, :s32)", "s32[3]", "2147483647 0 -2147483648", a -> Nx.asType(a[0], DType.S32), Nx.tensor(new float[]{(float) Double.POSITIVE_INFINITY, (float) Double.NaN, (float) Double.NEGATIVE_INFINITY}));
        ex("as_type: Nx.as_type(non_finite, :f64)", "f64[2]", "Inf NaN", a -> Nx.asType(a[0], DType.F64), Nx.tensor(new float[]{(float) Double.POSITIVE_INFINITY, (float) Double.NaN}));
        ex("as_type: Nx.as_type(non_finite, :f16)", "f16[2]", "Inf NaN", a -> Nx.asType(a[0], DType.F16), Nx.tensor(new float[]{(float) Double.POSITIVE_INFINITY, (float) Double.NaN}));
        ex("as_type: Nx.as_type(1.0e-128, :f32)", "f32", "0.0", a -> Nx.asType(a[0], DType.F32), Nx.scalar(1.0e-128));
        ex("bitcast: Nx.bitcast(t, :s32)", "s32[3]", "0 0 0", a -> Nx.bitcast(Nx.bitcast(a[0], DType.F32), DType.S32), Nx.tensor(new int[]{0, 0, 0}, DType.S32));
        err("bitcast: Nx.bitcast(Nx.tensor([0, 1, 2], names: [:data], type: :s16), :f32)", a -> Nx.bitcast(a[0], DType.F32), Nx.tensor(new int[]{0, 1, 2}, DType.S16));
        err("bitcast: Nx.bitcast(Nx.tensor([0], type: :c64), :s64)", a -> Nx.bitcast(a[0], DType.S64), Nx.tensor(new int[]{0}, DType.C64));
        err("bitcast: Nx.bitcast(Nx.tensor([0], type: :s64), :c64)", a -> Nx.bitcast(a[0], DType.C64), Nx.tensor(new long[]{0}, DType.S64));
        ex("exp: Nx.exp(Nx.tensor(1.0, type: :f64))", "f64", "2.718281828459045", a -> Nx.exp(a[0]), Nx.scalar(1.0, DType.F64));
        ex("exp: Nx.exp(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "2.718281828459045 7.38905609893065 20.085536923187668", a -> Nx.exp(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("expm1: Nx.expm1(Nx.tensor(1.0, type: :f64))", "f64", "1.718281828459045", a -> Nx.expm1(a[0]), Nx.scalar(1.0, DType.F64));
        ex("expm1: Nx.expm1(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.718281828459045 6.38905609893065 19.085536923187668", a -> Nx.expm1(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("log: Nx.log(Nx.tensor(1.0, type: :f64))", "f64", "0.0", a -> Nx.log(a[0]), Nx.scalar(1.0, DType.F64));
        ex("log: Nx.log(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.0 0.6931471805599453 1.0986122886681098", a -> Nx.log(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("log1p: Nx.log1p(Nx.tensor(1.0, type: :f64))", "f64", "0.6931471805599453", a -> Nx.log1p(a[0]), Nx.scalar(1.0, DType.F64));
        ex("log1p: Nx.log1p(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.6931471805599453 1.0986122886681096 1.3862943611198906", a -> Nx.log1p(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("sigmoid: Nx.sigmoid(Nx.tensor(1.0, type: :f64))", "f64", "0.7310585786300049", a -> Nx.sigmoid(a[0]), Nx.scalar(1.0, DType.F64));
        ex("sigmoid: Nx.sigmoid(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.7310585786300049 0.8807970779778823 0.9525741268224334", a -> Nx.sigmoid(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("cos: Nx.cos(Nx.tensor(1.0, type: :f64))", "f64", "0.5403023058681398", a -> Nx.cos(a[0]), Nx.scalar(1.0, DType.F64));
        ex("cos: Nx.cos(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.5403023058681398 -0.4161468365471424 -0.9899924966004454", a -> Nx.cos(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("sin: Nx.sin(Nx.tensor(1.0, type: :f64))", "f64", "0.8414709848078965", a -> Nx.sin(a[0]), Nx.scalar(1.0, DType.F64));
        ex("sin: Nx.sin(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.8414709848078965 0.9092974268256817 0.1411200080598672", a -> Nx.sin(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("tan: Nx.tan(Nx.tensor(1.0, type: :f64))", "f64", "1.5574077246549023", a -> Nx.tan(a[0]), Nx.scalar(1.0, DType.F64));
        ex("tan: Nx.tan(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.5574077246549023 -2.185039863261519 -0.1425465430742778", a -> Nx.tan(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("cosh: Nx.cosh(Nx.tensor(1.0, type: :f64))", "f64", "1.5430806348152437", a -> Nx.cosh(a[0]), Nx.scalar(1.0, DType.F64));
        ex("cosh: Nx.cosh(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.5430806348152437 3.7621956910836314 10.067661995777765", a -> Nx.cosh(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("sinh: Nx.sinh(Nx.tensor(1.0, type: :f64))", "f64", "1.1752011936438014", a -> Nx.sinh(a[0]), Nx.scalar(1.0, DType.F64));
        ex("sinh: Nx.sinh(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.1752011936438014 3.626860407847019 10.017874927409903", a -> Nx.sinh(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("tanh: Nx.tanh(Nx.tensor(1.0, type: :f64))", "f64", "0.7615941559557649", a -> Nx.tanh(a[0]), Nx.scalar(1.0, DType.F64));
        ex("tanh: Nx.tanh(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.7615941559557649 0.9640275800758169 0.9950547536867305", a -> Nx.tanh(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("acos: Nx.acos(Nx.tensor(0.1, type: :f64))", "f64", "1.4706289056333368", a -> Nx.acos(a[0]), Nx.scalar(0.1, DType.F64));
        ex("acos: Nx.acos(Nx.tensor([0.1, 0.5, 0.9], names: [:x], type: :f64))", "f64[3]", "1.4706289056333368 1.0471975511965979 0.45102681179626236", a -> Nx.acos(a[0]), Nx.tensor(new double[]{0.1, 0.5, 0.9}));
        ex("asin: Nx.asin(Nx.tensor(0.1, type: :f64))", "f64", "0.1001674211615598", a -> Nx.asin(a[0]), Nx.scalar(0.1, DType.F64));
        ex("asin: Nx.asin(Nx.tensor([0.1, 0.5, 0.9], names: [:x], type: :f64))", "f64[3]", "0.1001674211615598 0.5235987755982989 1.1197695149986342", a -> Nx.asin(a[0]), Nx.tensor(new double[]{0.1, 0.5, 0.9}));
        ex("atan: Nx.atan(Nx.tensor(0.1, type: :f64))", "f64", "0.09966865249116204", a -> Nx.atan(a[0]), Nx.scalar(0.1, DType.F64));
        ex("atan: Nx.atan(Nx.tensor([0.1, 0.5, 0.9], names: [:x], type: :f64))", "f64[3]", "0.09966865249116204 0.4636476090008061 0.7328151017865066", a -> Nx.atan(a[0]), Nx.tensor(new double[]{0.1, 0.5, 0.9}));
    }

    private void define6() {
        ex("acosh: Nx.acosh(Nx.tensor(1.0, type: :f64))", "f64", "0.0", a -> Nx.acosh(a[0]), Nx.scalar(1.0, DType.F64));
        ex("acosh: Nx.acosh(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.0 1.3169578969248166 1.762747174039086", a -> Nx.acosh(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("asinh: Nx.asinh(Nx.tensor(1.0, type: :f64))", "f64", "0.881373587019543", a -> Nx.asinh(a[0]), Nx.scalar(1.0, DType.F64));
        ex("asinh: Nx.asinh(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.881373587019543 1.4436354751788103 1.8184464592320668", a -> Nx.asinh(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("atanh: Nx.atanh(Nx.tensor(0.1, type: :f64))", "f64", "0.10033534773107558", a -> Nx.atanh(a[0]), Nx.scalar(0.1, DType.F64));
        ex("atanh: Nx.atanh(Nx.tensor([0.1, 0.5, 0.9], names: [:x], type: :f64))", "f64[3]", "0.10033534773107558 0.5493061443340548 1.4722194895832204", a -> Nx.atanh(a[0]), Nx.tensor(new double[]{0.1, 0.5, 0.9}));
        ex("sqrt: Nx.sqrt(Nx.tensor(1.0, type: :f64))", "f64", "1.0", a -> Nx.sqrt(a[0]), Nx.scalar(1.0, DType.F64));
        ex("sqrt: Nx.sqrt(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.0 1.4142135623730951 1.7320508075688772", a -> Nx.sqrt(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("rsqrt: Nx.rsqrt(Nx.tensor(1.0, type: :f64))", "f64", "1.0", a -> Nx.rsqrt(a[0]), Nx.scalar(1.0, DType.F64));
        ex("rsqrt: Nx.rsqrt(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.0 0.7071067811865475 0.5773502691896258", a -> Nx.rsqrt(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("cbrt: Nx.cbrt(Nx.tensor(1.0, type: :f64))", "f64", "1.0", a -> Nx.cbrt(a[0]), Nx.scalar(1.0, DType.F64));
        ex("cbrt: Nx.cbrt(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "1.0 1.2599210498948732 1.4422495703074083", a -> Nx.cbrt(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("erf: Nx.erf(Nx.tensor(1.0, type: :f64))", "f64", "0.8427007929497149", a -> Nx.erf(a[0]), Nx.scalar(1.0, DType.F64));
        ex("erf: Nx.erf(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.8427007929497149 0.9953222650189527 0.9999779095030014", a -> Nx.erf(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("erfc: Nx.erfc(Nx.tensor(1.0, type: :f64))", "f64", "0.15729920705028513", a -> Nx.erfc(a[0]), Nx.scalar(1.0, DType.F64));
        ex("erfc: Nx.erfc(Nx.tensor([1.0, 2.0, 3.0], names: [:x], type: :f64))", "f64[3]", "0.15729920705028513 0.004677734981047265 2.2090496998585438e-05", a -> Nx.erfc(a[0]), Nx.tensor(new double[]{1.0, 2.0, 3.0}));
        ex("erf_inv: Nx.erf_inv(Nx.tensor(0.1, type: :f64))", "f64", "0.08885599049425769", a -> Nx.erfInv(a[0]), Nx.scalar(0.1, DType.F64));
        ex("erf_inv: Nx.erf_inv(Nx.tensor([0.1, 0.5, 0.9], names: [:x], type: :f64))", "f64[3]", "0.08885599049425769 0.4769362762044699 1.1630871536766743", a -> Nx.erfInv(a[0]), Nx.tensor(new double[]{0.1, 0.5, 0.9}));
        ex("top_k: {values, indices} = Nx.top_k(a, k: 2) (values)", "f32[2]", "5.0 4.0", a -> Nx.topK(a[0], 2)[0], Nx.tensor(new float[]{1.0f, 2.0f, 3.0f, 4.0f, 5.0f}));
        ex("top_k: {values, indices} = Nx.top_k(a, k: 2) (indices)", "s32[2]", "4 3", a -> Nx.topK(a[0], 2)[1], Nx.tensor(new float[]{1.0f, 2.0f, 3.0f, 4.0f, 5.0f}));
        ex("top_k: Nx.top_k(a, k: 1) over rows (values)", "f32[2][1]", "3.0 6.0", a -> Nx.topK(a[0], 1)[0], Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {6.0f, 5.0f, 4.0f}}));
        ex("top_k: Nx.top_k(a, k: 1) over rows (indices)", "s32[2][1]", "2 0", a -> Nx.topK(a[0], 1)[1], Nx.tensor(new float[][]{{1.0f, 2.0f, 3.0f}, {6.0f, 5.0f, 4.0f}}));
        err("top_k: Nx.top_k(a, k: 6)", a -> Nx.topK(a[0], 6)[0], Nx.tensor(new float[]{1.0f, 2.0f, 3.0f, 4.0f, 5.0f}));
        ex("reduce: Nx.reduce(Nx.tensor(42), 0, &Nx.add/2)", "s32", "42", a -> Nx.reduce(a[0], 0, Nx::add), Nx.scalar(42));
        ex("reduce: Nx.reduce(Nx.tensor([1, 2, 3]), 0, &Nx.add/2)", "s32", "6", a -> Nx.reduce(a[0], 0, Nx::add), Nx.tensor(new int[]{1, 2, 3}));
        ex("reduce: Nx.reduce(Nx.tensor([[1.0, 2.0], [3.0, 4.0]]), 0, &Nx.add/2)", "f32", "10.0", a -> Nx.reduce(a[0], 0, Nx::add), Nx.tensor(new float[][]{{1.0f, 2.0f}, {3.0f, 4.0f}}));
        ex("reduce: Nx.reduce(t, 0, [axes: [:x]], &Nx.add/2)", "s32[2][3]", "8 10 12 14 16 18", a -> Nx.reduce(a[0], 0, new int[] {0}, false, Nx::add), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}));
        ex("reduce: Nx.reduce(t, 0, [axes: [:x, :z]], &Nx.add/2)", "s32[2]", "30 48", a -> Nx.reduce(a[0], 0, new int[] {0, 2}, false, Nx::add), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}));
        ex("reduce: Nx.reduce(t, 0, [axes: [-1]], fn x, y -> Nx.add(x, y) end)", "s32[2][2]", "6 15 24 33", a -> Nx.reduce(a[0], 0, new int[] {-1}, false, (x, y) -> Nx.add(x, y)), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}));
        ex("reduce: Nx.reduce(t, 0, [axes: [:x], keep_axes: true], fn x, y -> Nx.add(x, y) end)", "s32[1][2][3]", "8 10 12 14 16 18", a -> Nx.reduce(a[0], 0, new int[] {0}, true, (x, y) -> Nx.add(x, y)), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{7, 8, 9}, {10, 11, 12}}}));
        ex("as_type: Nx.as_type(Nx.tensor([1, -2]), :c64)", "c64[2]", "1.0+0.0i -2.0+0.0i", a -> Nx.asType(a[0], DType.C64), Nx.tensor(new int[]{1, -2}));
        ex("as_type: Nx.as_type(complex, :f64)", "f64[3]", "1.0 0.0 4.0", a -> Nx.asType(a[0], DType.F64), Nx.tensor(new Complex[]{Complex.of(1, 2), Complex.of(0, 3), Complex.of(4, 5)}));
        ex("as_type: Nx.as_type(complex, :s64)", "s64[3]", "-1 -2 3", a -> Nx.asType(a[0], DType.S64), Nx.tensor(new Complex[]{Complex.of(-1, 2), Complex.of(-2, 3), Complex.of(3, -4)}));
        ex("as_type: Nx.as_type(non_finite, :u8)", "u8[3]", "255 0 0", a -> Nx.asType(a[0], DType.U8), Nx.tensor(new float[]{Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY}));
        ex("as_type: Nx.as_type(non_finite, :s32)", "s32[3]", "2147483647 0 -2147483648", a -> Nx.asType(a[0], DType.S32), Nx.tensor(new float[]{Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY}));
        ex("as_type: Nx.as_type(non_finite, :f64)", "f64[2]", "Inf NaN", a -> Nx.asType(a[0], DType.F64), Nx.tensor(new float[]{Float.POSITIVE_INFINITY, Float.NaN}));
        ex("as_type: Nx.as_type(non_finite, :f16)", "f16[2]", "Inf NaN", a -> Nx.asType(a[0], DType.F16), Nx.tensor(new float[]{Float.POSITIVE_INFINITY, Float.NaN}));
        ex("bitcast: Nx.bitcast(Nx.tensor([[0, -1], [1, -2], [2, -3]], type: :s8), :u8)", "u8[3][2]", "0 255 1 254 2 253", a -> Nx.bitcast(a[0], DType.U8), Nx.tensor(new int[][]{{0, -1}, {1, -2}, {2, -3}}, DType.S8));
        err("bitcast: Nx.bitcast(Nx.tensor([0], type: :c64), :s64)", a -> Nx.bitcast(a[0], DType.S64), Nx.tensor(new int[]{0}, DType.C64));
        err("bitcast: Nx.bitcast(Nx.tensor([0], type: :s64), :c64)", a -> Nx.bitcast(a[0], DType.C64), Nx.tensor(new int[]{0}, DType.S64));
    }

    /** Compares Nx's complex notation ({@code 1.0+2.0i}, {@code -Inf+NaNi}) element by element. */
    private static void checkComplex(String[] want, Tensor got, double tol, String how) {
        Complex[] g = got.toComplexArray();
        Pattern p = Pattern.compile("(-?(?:Inf|NaN|[0-9.e+-]+?))([+-](?:Inf|NaN|[0-9.e+-]+))i");
        for (int i = 0; i < want.length; i++) {
            Matcher m = p.matcher(want[i]);
            if (!m.matches()) {
                fail("bad complex expectation " + want[i]);
            }
            assertClose(parse(m.group(1)), g[i].re(), tol, how + ": element " + i + " (real)");
            assertClose(parse(m.group(2)), g[i].im(), tol, how + ": element " + i + " (imaginary)");
        }
    }

    private static double parse(String s) {
        String v = s.startsWith("+") ? s.substring(1) : s;
        return switch (v) {
            case "NaN", "-NaN" -> Double.NaN;
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private static void assertClose(double w, double g, double tol, String how) {
        if (Double.isNaN(w) || Double.isInfinite(w)) {
            assertEquals(w, g, how);
        } else {
            assertEquals(w, g, tol * Math.max(1, Math.abs(w)), how);
        }
    }
}
