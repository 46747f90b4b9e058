package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Structure of the lowered text, node by node; compiling it is {@link ExlaRunTest}'s job. */
class StableHloTest {
    private static final Expr.Parameter X5 = new Expr.Parameter(0, Shape.of(5), DType.F32);

    private static String lower(List<Expr.Parameter> params, Expr... outputs) {
        return StableHlo.lower(new TracedFunction("t", params, List.of(outputs)));
    }

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void moduleHasMainWithSignatureAndReturn() {
        String text = lower(List.of(X5), new Expr.Unary(Expr.UnaryOp.EXP, X5));
        assertTrue(text.startsWith("module @jit_t {\n  func.func public @main(%arg0: tensor<5xf32>) -> (tensor<5xf32>) {\n"), text);
        assertTrue(text.contains("%0 = \"stablehlo.exponential\"(%arg0) : (tensor<5xf32>) -> tensor<5xf32>"), text);
        assertTrue(text.contains("\"func.return\"(%0) : (tensor<5xf32>) -> ()"), text);
        assertTrue(text.endsWith("  }\n}\n"), text);
    }

    @Test
    void sharedNodesAreEmittedOnce() {
        Expr e = new Expr.Unary(Expr.UnaryOp.EXP, X5);
        Expr sum = new Expr.Binary(Expr.BinaryOp.ADD, e, e);
        String text = lower(List.of(X5), new Expr.Binary(Expr.BinaryOp.MULTIPLY, sum, e), e);
        assertEquals(1, count(text, "stablehlo.exponential"), text);
        assertTrue(text.contains("%1 = \"stablehlo.add\"(%0, %0) : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>"), text);
        assertTrue(text.contains("\"func.return\"(%2, %0) : (tensor<5xf32>, tensor<5xf32>) -> ()"), text);
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        Expr e = X5;
        for (int i = 0; i < 100_000; i++) {
            e = new Expr.Unary(Expr.UnaryOp.NEGATE, e);
        }
        String text = lower(List.of(X5), e);
        assertEquals(100_000, count(text, "stablehlo.negate"));
    }

    @Test
    void typesMapToMlirElementTypes() {
        assertEquals("tensor<2x3xui8>", TensorType.of(Shape.of(2, 3), DType.U8).toString());
        assertEquals("tensor<i64>", TensorType.of(Shape.scalar(), DType.S64).toString());
        assertEquals("tensor<0xbf16>", TensorType.of(Shape.of(0), DType.BF16).toString());
        assertEquals("tensor<4xcomplex<f64>>", TensorType.of(Shape.of(4), DType.C128).toString());
        assertEquals("tensor<2x0x3xf16>", TensorType.of(Shape.of(2, 0, 3), DType.F16).toString());
    }

    @Test
    void constantsAreBitExact() {
        assertEquals("[0x3F800000, 0xBF000000, 0x7F800000]",
                Attribute.denseLiteral(Nx.tensor(new float[]{1f, -0.5f, Float.POSITIVE_INFINITY})));
        assertEquals("[[1, -2], [3, 4]]", Attribute.denseLiteral(Nx.tensor(new int[][]{{1, -2}, {3, 4}})));
        assertEquals("0x3FB999999999999A", Attribute.denseLiteral(Nx.scalar(0.1)));
        assertEquals("7", Attribute.denseLiteral(Nx.tensor(new long[]{7, 7, 7})));
        assertEquals("255", Attribute.denseLiteral(Nx.scalar(255, DType.U8)));
        assertEquals("0x3F80", Attribute.denseLiteral(Nx.scalar(1, DType.BF16)));
        assertEquals("0x3C00", Attribute.denseLiteral(Nx.scalar(1, DType.F16)));
        assertEquals("", Attribute.denseLiteral(Nx.tensor(new float[0][3])));
        String blob = Attribute.denseLiteral(Nx.tensor(java.util.stream.IntStream.range(0, 1000).toArray()));
        assertTrue(blob.startsWith("\"0x000000000100000002000000"), blob);
        assertEquals(2 + 2 + 8000, blob.length());
    }

    @Test
    void comparisonsGiveU8() {
        Expr.Parameter a = new Expr.Parameter(0, Shape.of(2, 3), DType.U8);
        Expr.Parameter b = new Expr.Parameter(1, Shape.of(2, 3), DType.U8);
        String text = lower(List.of(a, b), new Expr.Binary(Expr.BinaryOp.LESS, a, b));
        assertTrue(text.contains("\"stablehlo.compare\"(%arg0, %arg1) {comparison_direction = #stablehlo<comparison_direction LT>,"
                + " compare_type = #stablehlo<comparison_type UNSIGNED>} : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xi1>"), text);
        assertTrue(text.contains("\"stablehlo.convert\"(%0) : (tensor<2x3xi1>) -> tensor<2x3xui8>"), text);
        Expr.Parameter f = new Expr.Parameter(0, Shape.scalar(), DType.BF16);
        assertTrue(lower(List.of(f), new Expr.Binary(Expr.BinaryOp.NOT_EQUAL, f, f)).contains("\"stablehlo.compare\"(%arg0, %arg0)"
                + " {comparison_direction = #stablehlo<comparison_direction NE>, compare_type = #stablehlo<comparison_type FLOAT>}"));
    }

    @Test
    void reduceUsesRegionFormAndKeptAxesReshape() {
        Expr.Parameter x = new Expr.Parameter(0, Shape.of(2, 3), DType.F32);
        String text = lower(List.of(x), new Expr.Reduce(Expr.ReduceOp.MAX, x, new int[]{1}, Shape.of(2, 1)));
        assertTrue(text.contains("\"stablehlo.constant\"() {value = dense<0xFF800000> : tensor<f32>} : () -> tensor<f32>"), text);
        // XLA:CPU drops a NaN second operand of maximum: the region selects NaN operands explicitly.
        assertTrue(text.contains("\"stablehlo.reduce\"(%arg0, %0) ({"), text);
        assertTrue(text.matches("(?s).*\"stablehlo.maximum\"\\(%(\\d+), %(\\d+)\\).*compare\"\\(%\\1, %\\1\\).*"
                + "compare\"\\(%\\2, %\\2\\).*"), text);
        assertTrue(text.contains("{dimensions = array<i64: 1>} : (tensor<2x3xf32>, tensor<f32>) -> tensor<2xf32>"), text);
        String sum = lower(List.of(x), new Expr.Reduce(Expr.ReduceOp.SUM, x, new int[]{1}, Shape.of(2)));
        assertTrue(sum.matches("(?s).*\"stablehlo.reduce\"\\(%arg0, %0\\) \\(\\{\n    \\^bb0\\(%2: tensor<f32>, %3: tensor<f32>\\):\n"
                + "    %4 = \"stablehlo.add\"\\(%2, %3\\).*\\}\\) \\{dimensions = array<i64: 1>\\}"
                + " : \\(tensor<2x3xf32>, tensor<f32>\\) -> tensor<2xf32>.*"), sum);
        assertTrue(text.matches("(?s).*\"stablehlo.reshape\"\\(%\\d+\\) : \\(tensor<2xf32>\\) -> tensor<2x1xf32>.*"), text);
        Expr.Parameter i = new Expr.Parameter(0, Shape.of(4), DType.S32);
        assertTrue(lower(List.of(i), new Expr.Reduce(Expr.ReduceOp.MIN, i, new int[]{0}, Shape.scalar()))
                .contains("dense<2147483647> : tensor<i32>"));
    }

    @Test
    void constantElementsAreDecimalsOrBitPatterns() {
        // Little-endian bit patterns written here byte by byte; the expected texts by hand.
        assertEquals("[-1, 127, -128]", Attribute.denseLiteral(raw(DType.S8, 0xFF, 0x7F, 0x80)));
        assertEquals("[255, 0]", Attribute.denseLiteral(raw(DType.U8, 0xFF, 0)));
        assertEquals("[-2, 32767]", Attribute.denseLiteral(raw(DType.S16, 0xFFFE, 0x7FFF)));
        assertEquals("[65535, 1]", Attribute.denseLiteral(raw(DType.U16, 0xFFFF, 1)));
        assertEquals("[-2147483648, 5]", Attribute.denseLiteral(raw(DType.S32, 0x8000_0000L, 5)));
        assertEquals("[4294967295, 1]", Attribute.denseLiteral(raw(DType.U32, 0xFFFF_FFFFL, 1)));
        assertEquals("[-9223372036854775808, 1]", Attribute.denseLiteral(raw(DType.S64, Long.MIN_VALUE, 1)));
        assertEquals("[18446744073709551615, 2]", Attribute.denseLiteral(raw(DType.U64, -1L, 2)));
        assertEquals("[0x3C00, 0xC000]", Attribute.denseLiteral(raw(DType.F16, 0x3C00, 0xC000)));
        assertEquals("[0x3F80, 0x0001]", Attribute.denseLiteral(raw(DType.BF16, 0x3F80, 0x0001)));
        assertEquals("[0x3F800000, 0x80000000]", Attribute.denseLiteral(raw(DType.F32, 0x3F80_0000L, 0x8000_0000L)));
        assertEquals("[0x3FF0000000000000, 0x7FF8000000000001]",
                Attribute.denseLiteral(raw(DType.F64, 0x3FF0_0000_0000_0000L, 0x7FF8_0000_0000_0001L)));
        assertEquals("0x40200000", Attribute.denseLiteral(raw(DType.F32, 0x4020_0000L, 0x4020_0000L)), "a splat");
        assertEquals("-3", Attribute.denseLiteral(raw(DType.S32, 0xFFFF_FFFDL)), "a scalar");
    }

    /** A tensor of {@code type} whose elements have the given bit patterns. */
    private static Tensor raw(DType type, long... bits) {
        int w = type.byteSize();
        byte[] bytes = new byte[bits.length * w];
        for (int i = 0; i < bits.length; i++) {
            for (int k = 0; k < w; k++) {
                bytes[i * w + k] = (byte) (bits[i] >>> (8 * k));
            }
        }
        return Tensor.of(Shape.of(bits.length == 1 ? new int[0] : new int[]{bits.length}), type,
                new dev.jnx.HostData(bytes));
    }

    @Test
    void layoutOps() {
        Expr.Parameter a = new Expr.Parameter(0, Shape.of(2, 3), DType.F64);
        Expr.Parameter b = new Expr.Parameter(1, Shape.of(3, 4), DType.F64);
        String dot = lower(List.of(a, b), new Expr.Dot(a, new int[]{1}, new int[0], b, new int[]{0}, new int[0], Shape.of(2, 4)));
        assertTrue(dot.contains("\"stablehlo.dot_general\"(%arg0, %arg1) {dot_dimension_numbers = #stablehlo.dot<"
                + "lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [0]>}"
                + " : (tensor<2x3xf64>, tensor<3x4xf64>) -> tensor<2x4xf64>"), dot);
        Expr.Parameter c = new Expr.Parameter(1, Shape.of(5, 3, 4), DType.F64);
        Expr.Parameter d = new Expr.Parameter(0, Shape.of(5, 4, 3), DType.F64);
        String batched = lower(List.of(d, c), new Expr.Dot(d, new int[]{1}, new int[]{0}, c, new int[]{2}, new int[]{0},
                Shape.of(5, 3, 3)));
        assertTrue(batched.contains("#stablehlo.dot<lhs_batching_dimensions = [0], rhs_batching_dimensions = [0], "
                + "lhs_contracting_dimensions = [1], rhs_contracting_dimensions = [2]>"), batched);
        String t = lower(List.of(a), new Expr.Transpose(a, new int[]{1, 0}, Shape.of(3, 2)));
        assertTrue(t.contains("\"stablehlo.transpose\"(%arg0) {permutation = array<i64: 1, 0>} : (tensor<2x3xf64>) -> tensor<3x2xf64>"), t);
        String bc = lower(List.of(a), new Expr.Broadcast(a, Shape.of(4, 2, 3), new int[]{1, 2}));
        assertTrue(bc.contains("\"stablehlo.broadcast_in_dim\"(%arg0) {broadcast_dimensions = array<i64: 1, 2>}"
                + " : (tensor<2x3xf64>) -> tensor<4x2x3xf64>"), bc);
        String cv = lower(List.of(a), new Expr.Convert(a, DType.S8));
        assertTrue(cv.contains("\"stablehlo.convert\"(%arg0) : (tensor<2x3xf64>) -> tensor<2x3xi8>"), cv);
    }

    @Test
    void flattenedIotaIsIotaThenReshape() {
        String text = lower(List.of(), new Expr.Iota(Shape.of(2, 3), DType.S64, -1));
        assertTrue(text.contains("%0 = \"stablehlo.iota\"() {iota_dimension = 0 : i64} : () -> tensor<6xi64>"), text);
        assertTrue(text.contains("%1 = \"stablehlo.reshape\"(%0) : (tensor<6xi64>) -> tensor<2x3xi64>"), text);
        assertTrue(lower(List.of(), new Expr.Iota(Shape.of(2, 3), DType.F32, 1))
                .contains("\"stablehlo.iota\"() {iota_dimension = 1 : i64} : () -> tensor<2x3xf32>"));
    }

    @Test
    void foreignParameterIsRejected() {
        Expr.Parameter other = new Expr.Parameter(3, Shape.of(5), DType.F32);
        assertThrows(IllegalArgumentException.class, () -> lower(List.of(X5), other));
    }

    @Test
    void toStableHloTracesThroughDefn() {
        String text = Exla.toStableHlo(x -> Nx.divide(Nx.exp(x), Nx.sum(Nx.exp(x))), Nx.tensor(new float[]{1, 2, 3}));
        assertTrue(text.contains("func.func public @main(%arg0: tensor<3xf32>) -> (tensor<3xf32>)"), text);
        assertTrue(text.contains("{dimensions = array<i64: 0>} : (tensor<3xf32>, tensor<f32>) -> tensor<f32>"), text);
        assertTrue(text.contains("\"stablehlo.divide\""), text);
        String two = Exla.toStableHlo((x, y) -> Nx.add(x, y), Nx.tensor(new int[]{1}), Nx.tensor(new int[]{2}));
        assertTrue(two.contains("\"stablehlo.add\"(%arg0, %arg1) : (tensor<1xi32>, tensor<1xi32>) -> tensor<1xi32>"), two);
        String var = Exla.toStableHloVarargs(a -> Nx.multiply(a[0], a[2]), Nx.scalar(1.0), Nx.scalar(2.0), Nx.scalar(3.0));
        assertTrue(var.contains("(%arg0: tensor<f64>, %arg1: tensor<f64>, %arg2: tensor<f64>)"), var);
    }
}
