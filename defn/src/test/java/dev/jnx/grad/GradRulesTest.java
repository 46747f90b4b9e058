package dev.jnx.grad;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.GradTest;
import dev.jnx.defn.Tracing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient rules of several families give (input, cotangent) pairs that agree with finite differences. */
class GradRulesTest {
    private static final double H = 1e-6;

    /**
     * Checks {@code rule} on the node {@code build} makes of constant {@code inputs}: every pair
     * names one of the inputs, and its cotangent is the derivative of {@code sum(w · node)} for a
     * fixed {@code w}, by central differences; the inputs the rule leaves out are {@code noGradient}.
     */
    private static <E extends Expr> void checkPairs(Function<List<Expr>, E> build, BiFunction<E, Tensor, List<Cotangent>> rule,
                                                   List<Integer> noGradient, Tensor... inputs) {
        List<Expr> constants = new ArrayList<>();
        for (Tensor x : inputs) {
            constants.add(new Expr.Constant(x));
        }
        E node = build.apply(constants);
        Tensor w = GradTest.random(-1, 1, node.shape().dims());
        List<Cotangent> pairs = rule.apply(node, w);
        List<Integer> covered = new ArrayList<>();
        for (Cotangent pair : pairs) {
            int k = constants.indexOf(pair.input());
            assertTrue(k >= 0 && constants.get(k) == pair.input(), "a pair names a node that is not an input: " + pair.input());
            covered.add(k);
            double[] got = value(pair.cotangent()).toDoubleArray();
            double[] x = inputs[k].toDoubleArray();
            assertEquals(x.length, got.length, "cotangent size of input " + k);
            for (int j = 0; j < x.length; j++) {
                double up = weighted(build, inputs, k, GradTest.perturb(inputs[k], j, H), w);
                double down = weighted(build, inputs, k, GradTest.perturb(inputs[k], j, -H), w);
                assertEquals((up - down) / (2 * H), got[j], 1e-6, "input " + k + ", element " + j);
            }
        }
        for (int k = 0; k < inputs.length; k++) {
            assertEquals(!noGradient.contains(k), covered.contains(k), "input " + k + " is listed: " + covered);
        }
    }

    private static double weighted(Function<List<Expr>, ? extends Expr> build, Tensor[] inputs, int k, Tensor replaced, Tensor w) {
        List<Expr> constants = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            constants.add(new Expr.Constant(i == k ? replaced : inputs[i]));
        }
        Tensor y = Evaluator.evaluate(build.apply(constants));
        return Nx.sum(Nx.multiply(y, w)).toDoubleArray()[0];
    }

    private static Tensor value(Tensor t) {
        return t.data() instanceof Expr e ? Evaluator.evaluate(e) : t;
    }

    private static Tensor traced(Expr e) {
        return Tracing.tensor(e);
    }

    @Test
    void elementwiseBinaryPairsMatchFiniteDifferences() {
        checkPairs(c -> new Expr.Binary(Expr.BinaryOp.ATAN2, c.get(0), c.get(1)), ElementwiseGrad::binary, List.of(),
                GradTest.random(0.5, 2, 2, 3), GradTest.random(-2, -0.5, 2, 3));
        checkPairs(c -> new Expr.Binary(Expr.BinaryOp.POW, c.get(0), c.get(1)), ElementwiseGrad::binary, List.of(),
                GradTest.random(0.5, 2, 4), GradTest.random(-1, 2, 4));
    }

    @Test
    void selectPairsLeaveThePredicateOut() {
        Tensor pred = Nx.asType(Nx.tensor(new byte[] {1, 0, 0, 1}), DType.U8);
        checkPairs(c -> new Expr.Select(c.get(0), c.get(1), c.get(2)), ElementwiseGrad::select, List.of(0),
                pred, GradTest.random(-1, 1, 4), GradTest.random(-1, 1, 4));
    }

    @Test
    void comparisonsAndBitsGiveNoPairs() {
        Expr a = new Expr.Constant(GradTest.random(-1, 1, 3));
        Expr b = new Expr.Constant(GradTest.random(-1, 1, 3));
        Tensor g = Nx.tensor(new double[] {1, 1, 1});
        assertEquals(List.of(), ElementwiseGrad.binary(new Expr.Binary(Expr.BinaryOp.LESS, a, b), g));
        assertEquals(List.of(), ElementwiseGrad.unary(new Expr.Unary(Expr.UnaryOp.FLOOR, a), g));
    }

    @Test
    void padPairsCoverTheOperandAndThePaddingValue() {
        checkPairs(c -> (Expr.Pad) Nx.pad(traced(c.get(0)), traced(c.get(1)), new int[] {1, -1, 1}, new int[] {2, 0, 0}).data(),
                IndexingGrad::pad, List.of(), GradTest.random(-1, 1, 3, 2), GradTest.random(-1, 1));
    }

    @Test
    void dotAndProductPairsMatchFiniteDifferences() {
        checkPairs(c -> new Expr.Dot(c.get(0), new int[] {1}, new int[0], c.get(1), new int[] {0}, new int[0], Shape.of(2, 4)),
                LinAlgGrad::dot, List.of(), GradTest.random(-1, 1, 2, 3), GradTest.random(-1, 1, 3, 4));
        // A zero in the product: the rule must not divide by it.
        Tensor x = Nx.tensor(new double[] {0.5, 0, -2, 1.5, 3, -1}, 2, 3);
        checkPairs(c -> new Expr.Reduce(Expr.ReduceOp.PRODUCT, c.get(0), new int[] {1}, Shape.of(2)),
                ReduceGrad::reduce, List.of(), x);
    }

    @Test
    void sortPairsGiveTheValuesTheirCotangentAndTheKeysNone() {
        Tensor keys = Nx.tensor(new double[] {3, -1, 2, 0.5, 4, -2}, 2, 3);
        checkPairs(c -> new Expr.Sort(c.get(0), c.get(1), 1, true), SortGrad::sort, List.of(0),
                keys, GradTest.random(-1, 1, 2, 3));
    }
}
