package dev.jnx.defn;

import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference evaluator's answers to issue 14's edge cases, eagerly and jitted, against values
 * computed by hand (IEEE 754, Nx, BigInteger arithmetic); exla-backend's ExlaEdgeSemanticsTest
 * holds XLA to the same values.
 */
class EvaluatorSemanticsTest {
    private static Tensor both(Defn.TensorFunction f, Tensor x, java.util.function.Consumer<Tensor> check) {
        Tensor eager = f.apply(x);
        check.accept(eager);
        Tensor jitted = Defn.jit(f).apply(x);
        check.accept(jitted);
        return jitted;
    }

    @Test
    void powOfOneIsOneEvenForInfiniteAndNanExponents() {
        both(y -> Nx.pow(Nx.tensor(new double[] {1, 1, 1, 2}), y),
                Nx.tensor(new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -1}),
                r -> assertArrayEquals(new double[] {1, 1, 1, 0.5}, r.toDoubleArray()));
    }

    @Test
    void integerPowWrapsLikeTheTypesArithmetic() {
        long wrapped = BigInteger.valueOf(7).pow(100).mod(BigInteger.ONE.shiftLeft(64)).longValue();
        both(x -> Nx.pow(x, Nx.tensor(new long[] {100, -3, -3, -3})), Nx.tensor(new long[] {7, 1, -1, 4}),
                r -> assertArrayEquals(new long[] {wrapped, 1, -1, 0}, r.toLongArray()));
    }

    @Test
    void complexPowOfZeroFollowsTheLimit() {
        Tensor w = Nx.complex(Nx.tensor(new double[] {0.5, 0, 0, -2}), Nx.tensor(new double[] {3, 0, 1, 0}));
        both(x -> Nx.pow(x, w), Nx.asType(Nx.tensor(new double[] {0, 0, 0, 0}), DType.C128), r -> {
            Complex[] c = r.toComplexArray();
            assertEquals(Complex.of(0, 0), c[0]);
            assertEquals(Complex.of(1, 0), c[1]);
            assertTrue(Double.isNaN(c[2].re()) && Double.isNaN(c[3].re()), c[2] + " " + c[3]);
        });
    }

    @Test
    void complexAsinStaysAccurateForLargeArguments() {
        // asin(x ± 0i) = π/2 ± i·ln(x + √(x² − 1)) for x > 1; asin(-z) = -asin(z); asin(iy) = i·asinh(y).
        double x = 2e9;
        double im = Math.log(x + Math.sqrt(x * x - 1));
        Tensor z = Nx.complex(Nx.tensor(new double[] {x, -x, 0, 0.5}), Nx.tensor(new double[] {0, 0, 3e10, 0}));
        both(Nx::asin, z, r -> {
            Complex[] c = r.toComplexArray();
            assertEquals(Math.PI / 2, c[0].re(), 1e-15);
            assertEquals(im, c[0].im(), 1e-12);
            assertEquals(-Math.PI / 2, c[1].re(), 1e-15);
            assertEquals(Math.log(3e10 + Math.sqrt(9e20 + 1)), c[2].im(), 1e-12);
            assertEquals(0, c[2].re(), 0);
            assertEquals(Math.PI / 6, c[3].re(), 1e-15);
            assertEquals(0, c[3].im(), 0);
        });
    }

    @Test
    void complexLog1pKeepsSmallArgumentsAndThePole() {
        // log1p(z) ≈ z for |z| = 1e-20 (log(1 + z) rounds to 0 in f64); log1p(-1) = -Inf.
        Tensor z = Nx.complex(Nx.tensor(new double[] {1e-20, -1}), Nx.tensor(new double[] {-3e-20, 0}));
        both(Nx::log1p, z, r -> {
            Complex[] c = r.toComplexArray();
            assertEquals(1e-20, c[0].re(), 1e-34);
            assertEquals(-3e-20, c[0].im(), 1e-34);
            assertEquals(Double.NEGATIVE_INFINITY, c[1].re());
            assertEquals(0, c[1].im(), 0);
        });
    }

    @Test
    void reduceOfAScalarFoldsTheInitialValueOnce() {
        both(x -> Nx.reduce(x, 5, Nx::add), Nx.tensor(3.0), r -> assertEquals(8.0, r.toDouble()));
        both(x -> Nx.reduce(x, 5, Nx::subtract), Nx.tensor(3.0), r -> assertEquals(2.0, r.toDouble()));
    }

    @Test
    void reduceFoldsANonIdentityInitialValue() {
        both(x -> Nx.reduce(x, 5, new int[] {0}, false, Nx::max), Nx.tensor(new double[] {0}),
                r -> assertEquals(5.0, r.toDouble()));
        both(x -> Nx.reduce(x, 7, new int[] {1}, false, Nx::add), Nx.iota(dev.jnx.Shape.of(2, 0), DType.F32),
                r -> assertArrayEquals(new double[] {7, 7}, r.toDoubleArray()));
    }

    @Test
    void maxAndMinPropagateNanFromEitherOperand() {
        Tensor nans = Nx.tensor(new double[] {Double.NaN, Double.NaN});
        both(x -> Nx.concatenate(java.util.List.of(Nx.max(x, nans), Nx.min(nans, x))), Nx.tensor(new double[] {1, 2}),
                r -> assertTrue(java.util.Arrays.stream(r.toDoubleArray()).allMatch(Double::isNaN), r.toString()));
    }

    @Test
    void denormalsAreKept() {
        both(x -> Nx.notEqual(x, 0), Nx.tensor(new float[] {1e-40f}), r -> assertArrayEquals(new long[] {1}, r.toLongArray()));
    }
}
