package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edges of the API met by fuzzing and by Nx's own suite (issue 14): repeated or
 * out-of-range axes, gathers from empty axes, ordering ops on complex numbers, jitted calls of
 * the wrong arity, results too large for the reference backend, and empty results. Each bad
 * input is an {@link IllegalArgumentException} naming the op, the shapes or types and what was
 * expected, both eagerly and while tracing (before any compiler sees the graph); each legal
 * empty result has its Nx shape.
 */
class EdgeSemanticsTest {
    private static final Tensor M = Nx.iota(Shape.of(2, 3), DType.F32);
    private static final Tensor Z = Nx.complex(Nx.tensor(new float[] {1, 2}), Nx.tensor(new float[] {3, -1}));

    /** Runs {@code f} eagerly on {@code x} and traced with {@code x} as a parameter; both must fail naming every fragment. */
    private static void refused(Tensor x, Function<Tensor, Tensor> f, String... fragments) {
        Executable eager = () -> f.apply(x);
        Executable traced = () -> Defn.trace(f, x);
        for (Executable e : List.of(eager, traced)) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
            for (String s : fragments) {
                assertTrue(ex.getMessage().contains(s), "missing '" + s + "' in: " + ex.getMessage());
            }
        }
    }

    private static Tensor empty(int... dims) {
        return Nx.iota(Shape.of(dims), DType.F32);
    }

    // ---------------------------------------------------------------- item 6: axes and permutations

    @Test
    void transposeNeedsAPermutation() {
        refused(M, x -> Nx.transpose(x, new int[] {0, 0}), "transpose", "axis 0 given twice", "[0, 0]", "[2][3]");
        refused(M, x -> Nx.transpose(x, new int[] {1, -1}), "transpose", "given twice", "[1, -1]");
        refused(M, x -> Nx.transpose(x, new int[] {0, 2}), "transpose", "axis 2 is out of range", "[2][3]");
        refused(M, x -> Nx.transpose(x, new int[] {0}), "transpose", "must name each of the 2 axes");
        // A real permutation still works: [[0,1,2],[3,4,5]]ᵀ.
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, Nx.transpose(M, new int[] {1, 0}).toFloatArray());
    }

    @Test
    void everyAxesArgumentRefusesRepeats() {
        refused(M, x -> Nx.sum(x, new int[] {0, -2}, false), "sum", "given twice", "[0, -2]");
        refused(M, x -> Nx.mean(x, new int[] {1, 1}, false), "mean", "given twice");
        refused(M, x -> Nx.variance(x, new int[] {1, 1}, 0, false), "variance", "given twice");
        refused(M, x -> Nx.weightedMean(x, Nx.tensor(new float[][] {{1, 1}, {1, 1}}), new int[] {0, 0}, false),
                "weighted_mean", "given twice");
        refused(M, x -> Nx.reduce(x, 0, new int[] {0, 0}, false, Nx::add), "reduce", "given twice");
        refused(M, x -> Nx.reverse(x, 1, 1), "reverse", "given twice");
        refused(Nx.reshape(M, Shape.of(1, 6)), x -> Nx.squeeze(x, 0, 0), "squeeze", "given twice");
        refused(M, x -> Nx.fft2(x, null, new int[] {1, 1}), "fft2", "given twice");
        refused(M, x -> Nx.dot(x, new int[] {1, 1}, new int[0], x, new int[] {1, 1}, new int[0]), "dot", "given twice");
        refused(M, x -> Nx.dot(x, new int[] {0}, new int[] {0}, x, new int[] {0}, new int[] {0}), "dot",
                "axis 0 of f32[2][3] is both a contraction axis [0] and a batch axis [0]");
        refused(M, x -> Nx.broadcast(x, Shape.of(2, 3), new int[] {0, 3}), "broadcast", "axis 3 is out of range");
    }

    // ---------------------------------------------------------------- item 12: gathers on empty axes

    @Test
    void gathersFromAnEmptyAxisAreRefusedWhenTheyMustTakeSomething() {
        Tensor two = Nx.tensor(new int[] {0, 1});
        refused(empty(0), x -> Nx.take(x, two), "take", "axis 0 of f32[0]", "empty", "s32[2][1]");
        refused(empty(2, 0), x -> Nx.take(x, two, 1), "take", "axis 1 of f32[2][0]");
        refused(empty(2, 0), x -> Nx.takeAlongAxis(x, Nx.tensor(new int[][] {{0}, {0}}), 1), "take_along_axis",
                "axis 1 of f32[2][0]");
        refused(empty(0, 2), x -> Nx.gather(x, Nx.tensor(new int[][] {{0}})), "gather", "axis 0 of f32[0][2]");
        // Nx: the diagonal at offset 0 needs a column (validate_diag_offset!).
        refused(empty(3, 0), x -> Nx.takeDiagonal(x, 0), "take_diagonal", "offset", "3x0");
    }

    @Test
    void emptyGathersAndDiagonalsGiveEmptyResults() {
        Tensor none = Nx.tensor(new int[0]);
        assertEquals(Shape.of(0), Nx.take(empty(0), none).shape());
        assertEquals(Shape.of(2, 0), Nx.take(M, none, 1).shape());
        // The empty axis is not the one taken from: the result is empty, the indices are fine.
        assertEquals(Shape.of(0, 2), Nx.take(empty(0, 3), Nx.tensor(new int[] {2, 0}), 1).shape());
        assertEquals(Shape.of(2, 0), Nx.takeAlongAxis(M, Nx.reshape(none, Shape.of(2, 0)), 1).shape());
        assertEquals(Shape.of(0), Nx.takeDiagonal(empty(0, 3), 0).shape());
        // An empty batch of 2x3 matrices has diagonals of length 2 (offset 0) and 1 (offset -1).
        assertEquals(Shape.of(0, 2), Nx.takeDiagonal(empty(0, 2, 3), 0).shape());
        assertEquals(Shape.of(0, 1), Nx.takeDiagonal(empty(0, 2, 3), -1).shape());
        assertEquals(Shape.of(0, 1), Nx.takeDiagonal(empty(0, 2, 3), 2).shape());
        assertEquals(Shape.of(0, 0), Nx.makeDiagonal(empty(0), 0).shape());
        // Offset 2 on an empty vector: a 2x2 of zeros.
        assertArrayEquals(new float[] {0, 0, 0, 0}, Nx.makeDiagonal(empty(0), 2).toFloatArray());
        // Take along the non-empty axis of f32[0][3].
        assertEquals(Shape.of(0, 1), Nx.takeAlongAxis(empty(0, 3), Nx.reshape(none, Shape.of(0, 1)), 1).shape());
    }

    // ---------------------------------------------------------------- item 13: no order on complex numbers

    @Test
    void orderingOpsRefuseComplexOnEveryPath() {
        refused(Z, z -> Nx.max(z, z), "max", "not defined for complex types", "c64[2]");
        refused(Z, z -> Nx.min(z, 1), "min", "complex", "c64[2]");
        refused(Z, z -> Nx.max(Nx.tensor(new float[] {1, 2}), z), "max", "f32[2] and c64[2]");
        refused(Z, z -> Nx.less(z, z), "less", "complex");
        refused(Z, z -> Nx.lessEqual(z, 0), "less_equal", "complex");
        refused(Z, z -> Nx.greater(z, z), "greater", "complex");
        refused(Z, z -> Nx.greaterEqual(z, z), "greater_equal", "complex");
        refused(Z, Nx::reduceMax, "reduce_max", "complex", "c64[2]");
        refused(Z, Nx::reduceMin, "reduce_min", "complex");
        refused(Z, z -> Nx.windowMax(z, new int[] {1}, WindowOptions.defaults()), "window_max", "complex");
        refused(Z, z -> Nx.windowMin(z, new int[] {2}, WindowOptions.defaults()), "window_min", "complex");
        refused(Z, z -> Nx.windowScatterMax(z, Nx.tensor(new float[] {1, 1}), 0, new int[] {1}, WindowOptions.defaults()),
                "window_scatter_max", "complex");
        refused(Nx.real(Z), x -> Nx.windowScatterMin(x, Z, 0, new int[] {1}, WindowOptions.defaults()),
                "window_scatter_min", "complex");
        // Inside the regions of reduce and window_reduce: the user function's max is refused while it is traced.
        refused(Z, z -> Nx.reduce(z, 0, Nx::max), "max", "complex", "c64");
        refused(Z, z -> Nx.windowReduce(z, 0, new int[] {2}, (a, b) -> Nx.min(a, b)), "min", "complex");
        refused(Z, Nx::argmax, "argmax", "complex");
        refused(Z, Nx::argmin, "argmin", "complex");
        refused(Z, Nx::sort, "sort", "complex");
        refused(Z, z -> Nx.clip(z, 0, 1), "clip", "complex");
        refused(Z, Nx::cumulativeMax, "cumulative_max", "complex");
        refused(Z, z -> Nx.topK(z, 1)[0], "sort", "complex");
    }

    @Test
    void equalityOfComplexNumbersStillWorks() {
        // 1+3i equals itself, 2-1i does not equal 2+1i.
        Tensor other = Nx.complex(Nx.tensor(new float[] {1, 2}), Nx.tensor(new float[] {3, 1}));
        assertArrayEquals(new int[] {1, 0}, Nx.equal(Z, other).toIntArray());
        assertArrayEquals(new int[] {0, 1}, Nx.notEqual(Z, other).toIntArray());
    }

    // ---------------------------------------------------------------- item 14: arity, sizes, messages

    @Test
    void jittedFunctionsCheckTheirArity() {
        Jitted.Binary add = Defn.jit((Tensor a, Tensor b) -> Nx.add(a, b)).named("adder");
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> add.invoke(M));
        assertEquals("adder: expected 2 arguments, got 1", one.getMessage());
        IllegalArgumentException three = assertThrows(IllegalArgumentException.class, () -> add.invoke(M, M, M));
        assertEquals("adder: expected 2 arguments, got 3", three.getMessage());
        Jitted.Unary neg = Defn.jit((Tensor a) -> Nx.negate(a)).named("neg");
        assertEquals("neg: expected 1 argument, got 0",
                assertThrows(IllegalArgumentException.class, neg::invoke).getMessage());
        // The right arity still runs: [0..5] + [0..5].
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, ((Tensor) add.invoke(M, M)).toFloatArray());
        // A function of an array takes any number of tensors, as one argument.
        var any = Defn.jit((Tensor... xs) -> Nx.add(xs[0], xs[xs.length - 1]), Defn.defaultCompiler());
        assertArrayEquals(new float[] {0, 2, 4, 6, 8, 10}, any.apply(new Tensor[] {M, Nx.scalar(1f), M}).toFloatArray());
        assertEquals("any: expected 1 argument, got 3",
                assertThrows(IllegalArgumentException.class, () -> any.named("any").invoke(M, Nx.scalar(1f), M)).getMessage());
    }

    @Test
    void resultsBeyondTheReferenceBackendAreAnErrorNotACrash() {
        // 2^28 f64 elements are 2 GiB, more than a Java array holds (2^31-9 bytes).
        IllegalArgumentException eager = assertThrows(IllegalArgumentException.class,
                () -> Nx.iota(Shape.of(1 << 28), DType.F64));
        assertTrue(eager.getMessage().contains("iota") && eager.getMessage().contains("f64[268435456]")
                && eager.getMessage().contains("needs 2147483648 bytes, more than the 2147483639"), eager.getMessage());
        // 2^18 x 2^18 elements: more than an int counts.
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class,
                () -> Nx.iota(Shape.of(1 << 18, 1 << 18), DType.U8));
        assertTrue(huge.getMessage().contains("u8[262144][262144]"), huge.getMessage());
    }

    @Test
    void largeConstantsAreNotMaterialisedWhileTracing() {
        Tensor x = Nx.scalar(1.0);
        // Tracing keeps the big iota a node; evaluating it would need 2 GiB (and fail, as above).
        TracedFunction f = Defn.trace(t -> Nx.add(t, Nx.reduceMax(Nx.iota(Shape.of(1 << 28), DType.F64))), x);
        Expr sum = f.outputs().get(0);
        assertInstanceOf(Expr.Binary.class, sum);
        assertFalse(sum.operands().stream().anyMatch(e -> e instanceof Expr.Constant c && c.value().size() > 1));
        // Running it on the reference backend is the clean size error, not a crash.
        Jitted.Unary big = Defn.jit((Tensor t) -> Nx.add(t, Nx.reduceMax(Nx.iota(Shape.of(1 << 28), DType.F64))));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> big.apply(x));
        assertTrue(ex.getMessage().contains("f64[268435456]"), ex.getMessage());
        // A large constant of moderate size is still computed right: max of 0..2^20-1, plus 1.
        Jitted.Unary mid = Defn.jit((Tensor t) -> Nx.add(t, Nx.reduceMax(Nx.iota(Shape.of(1 << 20), DType.F64))));
        assertEquals((1 << 20) - 1 + 1.0, mid.apply(x).toDouble());
        // Small constants are still folded while tracing (their values are readable).
        Defn.trace(t -> {
            Tensor small = Nx.iota(Shape.of(4), DType.F32);
            assertArrayEquals(new float[] {0, 1, 2, 3}, small.toFloatArray());
            return Nx.add(t, Nx.sum(small));
        }, Nx.scalar(1f));
    }

    @Test
    void concatenateNamesBothShapes() {
        refused(M, x -> Nx.concatenate(List.of(x, Nx.iota(Shape.of(3, 4), DType.F32))), "concatenate",
                "{*, 3} on axis 0", "tensor 0, f32[2][3]", "tensor 1, f32[3][4]");
    }

    @Test
    void windowReduceGradientMessageRecommendsRulesThatExist() {
        UnsupportedOperationException ex = assertThrows(UnsupportedOperationException.class,
                () -> Defn.grad(Nx.tensor(new float[] {1, 2, 3}),
                        x -> Nx.sum(Nx.windowReduce(x, 0, new int[] {2}, Nx::add))));
        assertTrue(ex.getMessage().contains("windowSum"), ex.getMessage());
        assertFalse(ex.getMessage().contains("windowProduct"), ex.getMessage());
        // windowProduct, which it used to recommend, has no gradient.
        assertThrows(IllegalArgumentException.class, () -> Defn.grad(Nx.tensor(new float[] {1, 2, 3}),
                x -> Nx.sum(Nx.windowProduct(x, new int[] {2}, WindowOptions.defaults()))));
    }

    // ---------------------------------------------------------------- item 15: empty results, as Nx

    @Test
    void emptyResultsWhereNxGivesThem() {
        // Sorting and the median along a non-empty axis of an empty tensor: empty results.
        assertEquals(Shape.of(0, 4), Nx.sort(empty(0, 4), 1, false).shape());
        assertEquals(Shape.of(0), Nx.median(empty(0, 4), 1, false).shape());
        assertEquals(Shape.of(0, 1), Nx.median(empty(0, 4), 1, true).shape());
        // Reductions over an empty axis give the identity, as in Nx.
        assertArrayEquals(new float[] {0, 0, 0}, Nx.sum(empty(0, 3), new int[] {0}, false).toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, Nx.product(empty(0, 3), new int[] {0}, false).toFloatArray());
        // Element-wise ops and windows whose input is empty along a padded axis.
        assertEquals(Shape.of(0, 3), Nx.exp(empty(0, 3)).shape());
        Tensor padded = Nx.windowSum(empty(0, 3), new int[] {1, 3},
                WindowOptions.defaults().padding(new int[] {1, 0}, new int[] {0, 0}));
        assertArrayEquals(new float[] {0}, padded.toFloatArray());
    }

    @Test
    void aSliceOfLengthZeroIsEmptyWhereNxRefusesIt() {
        // Nx.Shape.slice wants lengths >= 1; jnx, like XLA and JAX, gives the empty slice.
        assertEquals(Shape.of(0, 3), Nx.slice(M, new int[] {0, 0}, new int[] {0, 3}).shape());
        assertEquals(Shape.of(2, 0), Nx.sliceAlongAxis(M, 1, 0, 1).shape());
    }

    @Test
    void emptyResultsNxRefuses() {
        // Nx.Shape.pool: "window dimensions would result in empty tensor" (not supported in Nx).
        refused(empty(0, 4), x -> Nx.windowSum(x, new int[] {1, 2}, WindowOptions.defaults()), "window_sum",
                "would result in an empty tensor", "f32[0][4]");
        refused(M, x -> Nx.windowMax(x, new int[] {3, 1}, WindowOptions.defaults()), "window_max",
                "would result in an empty tensor");
        // Nx.median over an empty axis slices two elements out of none.
        refused(empty(3, 0), x -> Nx.median(x, 1, false), "median", "axis 1", "f32[3][0]", "empty");
        refused(empty(0), Nx::median, "median", "empty");
    }
}
