package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Nx.LinAlg} ({@link LinAlg}): Nx's documentation examples with Nx's expected values,
 * property checks on random well-conditioned matrices, finite-difference gradient checks of the
 * primitives, and bad input. Runs on the reference evaluator; exla-backend reruns it compiled by
 * XLA by overriding {@link #compiler()}.
 */
public class LinAlgTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    private Tensor jit(Function<Tensor, Tensor> f, Tensor x) {
        return Defn.jit(f, compiler()).apply(x);
    }

    private Tensor jit(BiFunction<Tensor, Tensor, Tensor> f, Tensor a, Tensor b) {
        return Defn.jit(f, compiler()).apply(a, b);
    }

    private static void check(Tensor actual, DType type, int[] shape, double[] expected, double tol) {
        assertEquals(type, actual.type(), "type");
        assertArrayEquals(shape, actual.shape().dims(), "shape");
        double[] got = actual.toDoubleArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertTrue(Double.isNaN(got[i]), "element " + i + " is " + got[i] + ", expected NaN");
            } else {
                assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        }
    }

    private static final double F32 = 1e-5;
    private static final double F64 = 1e-12;

    // ------------------------------------------------------------------ cholesky

    @Test
    void choleskyDocExamples() {
        check(jit(LinAlg::cholesky, Nx.tensor(new float[][] {{20f, 17.6f}, {17.6f, 16f}})), DType.F32, new int[] {2, 2},
                new double[] {4.4721360206604, 0.0, 3.9354796409606934, 0.7155418395996094}, F32);
        check(jit(LinAlg::cholesky, Nx.tensor(new float[][][] {{{2, 3}, {3, 5}}, {{1, 0}, {0, 1}}})), DType.F32,
                new int[] {2, 2, 2}, new double[] {1.4142135381698608, 0, 2.1213204860687256, 0.7071064710617065, 1, 0, 0, 1},
                F32);
        check(jit(LinAlg::cholesky, Nx.tensor(new float[][] {{6, 3, 4, 8}, {3, 6, 5, 1}, {4, 5, 10, 7}, {8, 1, 7, 25}})),
                DType.F32, new int[] {4, 4}, new double[] {
                        2.4494898319244385, 0, 0, 0,
                        1.2247447967529297, 2.1213202476501465, 0, 0,
                        1.6329931020736694, 1.41421377658844, 2.309401035308838, 0,
                        3.265986204147339, -1.4142134189605713, 1.5877134799957275, 3.132491111755371}, F32);
    }

    // ------------------------------------------------------------------ triangular_solve

    private Tensor triSolve(Tensor a, Tensor b, boolean lower, boolean left, boolean transpose) {
        return jit((x, y) -> LinAlg.triangularSolve(x, y, lower, left, transpose), a, b);
    }

    @Test
    void triangularSolveDocExamples() {
        Tensor a1 = Nx.tensor(new int[][] {{3, 0, 0, 0}, {2, 1, 0, 0}, {1, 0, 1, 0}, {1, 1, 1, 1}});
        check(triSolve(a1, Nx.tensor(new int[] {4, 2, 4, 2}), true, true, false), DType.F32, new int[] {4},
                new double[] {1.3333333730697632, -0.6666666865348816, 2.6666667461395264, -1.3333333730697632}, F32);
        Tensor lower64 = Nx.tensor(new int[][] {{1, 0, 0}, {1, 1, 0}, {1, 1, 1}}, DType.F64);
        check(triSolve(lower64, Nx.tensor(new int[] {1, 2, 1}), true, true, false), DType.F64, new int[] {3},
                new double[] {1, 1, -1}, F64);
        check(triSolve(Nx.tensor(new int[][] {{1, 0, 0}, {1, 1, 0}, {0, 1, 1}}),
                Nx.tensor(new int[][] {{1, 2, 3}, {2, 2, 4}, {2, 0, 1}}), true, true, false), DType.F32, new int[] {3, 3},
                new double[] {1, 2, 3, 1, 0, 1, 1, 0, 0}, F32);
        check(triSolve(Nx.tensor(new int[][] {{1, 1, 1, 1}, {0, 1, 0, 1}, {0, 0, 1, 2}, {0, 0, 0, 3}}),
                Nx.tensor(new int[] {2, 4, 2, 4}), false, true, false), DType.F32, new int[] {4},
                new double[] {-1.3333333730697632, 2.6666667461395264, -0.6666666865348816, 1.3333333730697632}, F32);
        Tensor a5 = Nx.tensor(new int[][] {{1, 0, 0}, {1, 1, 0}, {1, 2, 1}});
        check(triSolve(a5, Nx.tensor(new int[][] {{0, 2, 1}, {1, 1, 0}, {3, 3, 1}}), true, false, false), DType.F32,
                new int[] {3, 3}, new double[] {-1, 0, 1, 0, 1, 0, 1, 1, 1}, F32);
        check(triSolve(Nx.tensor(new int[][] {{1, 1, 1}, {0, 1, 1}, {0, 0, 1}}, DType.F64), Nx.tensor(new int[] {1, 2, 1}),
                false, true, true), DType.F64, new int[] {3}, new double[] {1, 1, -1}, F64);
        check(triSolve(lower64, Nx.tensor(new int[] {1, 2, 1}), true, true, false), DType.F64, new int[] {3},
                new double[] {1, 1, -1}, F64);
        check(triSolve(a5, Nx.tensor(new int[][] {{0, 1, 3}, {2, 1, 3}}), true, false, false), DType.F32,
                new int[] {2, 3}, new double[] {2, -5, 3, 4, -5, 3}, F32);
        check(triSolve(a5, Nx.tensor(new int[][] {{0, 2}, {3, 0}, {0, 0}}), true, true, false), DType.F32,
                new int[] {3, 2}, new double[] {0, 2, 3, -2, -6, 2}, F32);
        check(triSolve(Nx.tensor(new int[][][] {{{1, 0}, {2, 3}}, {{4, 0}, {5, 6}}}), Nx.tensor(new int[][] {{2, -1}, {3, 7}}),
                true, true, false), DType.F32, new int[] {2, 2},
                new double[] {2, -1.6666666269302368, 0.75, 0.5416666865348816}, F32);
    }

    // ------------------------------------------------------------------ solve, invert, determinant

    @Test
    void solveDocExamples() {
        Function<Tensor, Tensor> round = Nx::round;
        check(jit((a, b) -> Nx.round(LinAlg.solve(a, b)),
                Nx.tensor(new int[][] {{1, 3, 2, 1}, {2, 1, 0, 0}, {1, 0, 1, 0}, {1, 1, 1, 1}}),
                Nx.tensor(new int[] {-3, 0, 4, -2})), DType.F32, new int[] {4}, new double[] {1, -2, 3, -4}, 0);
        check(jit((a, b) -> Nx.round(LinAlg.solve(a, b)),
                Nx.tensor(new int[][] {{1, 0, 1}, {1, 1, 0}, {1, 1, 1}}, DType.F64),
                Nx.tensor(new int[] {0, 2, 1})), DType.F64, new int[] {3}, new double[] {1, 1, -1}, 0);
        check(jit((a, b) -> Nx.round(LinAlg.solve(a, b)),
                Nx.tensor(new int[][] {{1, 0, 1}, {1, 1, 0}, {0, 1, 1}}),
                Nx.tensor(new int[][] {{2, 2, 3}, {2, 2, 4}, {2, 0, 1}})), DType.F32, new int[] {3, 3},
                new double[] {1, 2, 3, 1, 0, 1, 1, 0, 0}, 0);
        check(jit((a, b) -> Nx.round(LinAlg.solve(a, b)),
                Nx.tensor(new int[][][] {{{14, 10}, {9, 9}}, {{4, 11}, {2, 3}}}),
                Nx.tensor(new int[][][] {{{2, 4}, {3, 2}}, {{1, 5}, {-3, -1}}})), DType.F32, new int[] {2, 2, 2},
                new double[] {0, 0, 1, 0, -4, -3, 1, 1}, 0);
    }

    @Test
    void invertDocExamples() {
        Tensor a = Nx.tensor(new int[][] {{1, 2, 1, 1}, {0, 1, 0, 1}, {0, 0, 1, 1}, {0, 0, 0, 1}});
        Tensor inv = jit(LinAlg::invert, a);
        check(inv, DType.F32, new int[] {4, 4}, new double[] {1, -2, -1, 2, 0, 1, 0, -1, 0, 0, 1, -1, 0, 0, 0, 1}, F32);
        check(Nx.dot(a, inv), DType.F32, new int[] {4, 4}, Nx.eye(Shape.of(4, 4), DType.F64).toDoubleArray(), F32);
        check(jit(LinAlg::invert, Nx.tensor(new int[][][] {{{1, 2}, {0, 1}}, {{1, 1}, {0, 1}}})), DType.F32,
                new int[] {2, 2, 2}, new double[] {1, -2, 0, 1, 1, -1, 0, 1}, F32);
        double[] nan = new double[16];
        java.util.Arrays.fill(nan, Double.NaN);
        check(jit(LinAlg::invert, Nx.tensor(new int[][] {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 1, 1, 1}})),
                DType.F32, new int[] {4, 4}, nan, 0);
    }

    @Test
    void determinantDocExamples() {
        check(jit(LinAlg::determinant, Nx.tensor(new int[][] {{1, 2}, {3, 4}})), DType.F32, new int[] {}, new double[] {-2},
                F32);
        check(jit(LinAlg::determinant, Nx.tensor(new float[][] {{1, 2, 3}, {1, -2, 3}, {7, 8, 9}})), DType.F32,
                new int[] {}, new double[] {48}, F32);
        check(jit(LinAlg::determinant, Nx.tensor(new double[][] {{1, 2, 3}, {1, -2, 3}, {7, 8, 9}})), DType.F64,
                new int[] {}, new double[] {48}, F64);
        check(jit(LinAlg::determinant, Nx.tensor(new float[][] {{1, 0}, {3, 0}})), DType.F32, new int[] {},
                new double[] {0}, 0);
        check(jit(LinAlg::determinant, Nx.tensor(new float[][] {{1, 2, 3}, {-1, -2, -3}, {4, 5, 6}})), DType.F32,
                new int[] {}, new double[] {0}, F32);
        check(jit(LinAlg::determinant, Nx.tensor(new float[][] {{1, 0, 0, 0}, {0, 1, 2, 3}, {0, 1, -2, 3}, {0, 7, 8, 9}})),
                DType.F32, new int[] {}, new double[] {48}, F32);
        check(jit(LinAlg::determinant, Nx.tensor(new int[][] {{0, 0, 0, 0, -1}, {0, 1, 2, 3, 0}, {0, 1, -2, 3, 0},
                {0, 7, 8, 9, 0}, {1, 0, 0, 0, 0}})), DType.F32, new int[] {}, new double[] {48}, F32);
        check(jit(LinAlg::determinant, Nx.tensor(new int[][][] {{{2, 4, 6, 7}, {5, 1, 8, 8}, {1, 7, 3, 1}, {3, 9, 2, 4}},
                {{2, 5, 1, 3}, {4, 1, 7, 9}, {6, 8, 3, 2}, {7, 8, 1, 4}}})), DType.F32, new int[] {2},
                new double[] {630, 630}, F32);
        check(jit(LinAlg::determinant, Nx.tensor(new int[][][] {{{1, 0}, {0, 2}}, {{3, 0}, {0, 4}}})), DType.F32,
                new int[] {2}, new double[] {2, 12}, F32);
    }

    // ------------------------------------------------------------------ lu

    @Test
    void luDocExamples() {
        Function<Tensor, Tensor> stacked = x -> {
            Tensor[] plu = LinAlg.lu(x);
            return Nx.stack(List.of(Nx.asType(plu[0], DType.F32), plu[1], plu[2],
                    LinAlg.matmul(LinAlg.matmul(Nx.asType(plu[0], DType.F32), plu[1]), plu[2])));
        };
        check(jit(stacked, Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})), DType.F32, new int[] {4, 3, 3},
                new double[] {0, 1, 0, 0, 0, 1, 1, 0, 0,
                        1, 0, 0, 0.14285715, 1, 0, 0.5714286, 0.4999998, 1,
                        7, 8, 9, 0, 0.8571428, 1.7142856, 0, 0, 0,
                        1, 2, 3, 4, 5, 6, 7, 8, 9}, F32 * 10);
        check(jit(stacked, Nx.tensor(new int[][] {{1, 0, 1}, {-1, 0, -1}, {1, 1, 1}})), DType.F32, new int[] {4, 3, 3},
                new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0,
                        1, 0, 0, 1, 1, 0, -1, 0, 1,
                        1, 0, 1, 0, 1, 0, 0, 0, 0,
                        1, 0, 1, -1, 0, -1, 1, 1, 1}, F32);
        Tensor[] plu = LinAlg.lu(Nx.tensor(new int[][][] {{{9, 8, 7}, {6, 5, 4}, {3, 2, 1}}, {{-1, 0, -1}, {1, 0, 1}, {1, 1, 1}}}));
        check(plu[0], DType.S32, new int[] {2, 3, 3}, new double[] {1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0}, 0);
        check(plu[1], DType.F32, new int[] {2, 3, 3}, new double[] {1, 0, 0, 0.33333334, 1, 0, 0.6666667, 0.5000002, 1,
                1, 0, 0, -1, 1, 0, -1, 0, 1}, F32 * 10);
        check(plu[2], DType.F32, new int[] {2, 3, 3}, new double[] {9, 8, 7, 0, -0.66666675, -1.3333335, 0, 0, 0,
                -1, 0, -1, 0, 1, 0, 0, 0, 0}, F32 * 10);
        // Pivoting on the unreduced column, as Nx once did, gives p·l·u ≠ a here (issue 14).
        check(jit(stacked, Nx.tensor(new int[][] {{-1, 1, -1, 0}, {1, 0, 0, 0}, {0, 0, 0, 1}, {0, 1, 0, 0}})), DType.F32,
                new int[] {4, 4, 4}, new double[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0,
                        1, 0, 0, 0, -1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1,
                        -1, 1, -1, 0, 0, 1, -1, 0, 0, 0, 1, 0, 0, 0, 0, 1,
                        -1, 1, -1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}, F32);
    }

    // ------------------------------------------------------------------ qr

    private Tensor qrStacked(Tensor x, String mode) {
        // q and r side by side along the last axis (same number of rows in every example used)
        return jit(t -> {
            Tensor[] qr = LinAlg.qr(t, mode, 1e-10);
            return Nx.concatenate(List.of(qr[0], qr[1]), -1);
        }, x);
    }

    @Test
    void qrDocExamples() {
        check(qrStacked(Nx.tensor(new int[][] {{-3, 2, 1}, {0, 1, 1}, {0, 0, -1}}), "reduced"), DType.F32, new int[] {3, 6},
                new double[] {1, 0, 0, -3, 2, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, -1}, F32);
        check(qrStacked(Nx.tensor(new int[][] {{3, 2, 1}, {0, 1, 1}, {0, 0, 1}}), "reduced"), DType.F32, new int[] {3, 6},
                new double[] {1, 0, 0, 3, 2, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1}, F32);
        check(qrStacked(Nx.tensor(new int[][][] {{{-3, 2, 1}, {0, 1, 1}, {0, 0, -1}}, {{3, 2, 1}, {0, 1, 1}, {0, 0, 1}}}),
                "reduced"), DType.F32, new int[] {2, 3, 6},
                new double[] {1, 0, 0, -3, 2, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, -1,
                        1, 0, 0, 3, 2, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1}, F32);
        check(jit(t -> LinAlg.qr(t)[0], Nx.tensor(new float[][] {{3, 2, 1}, {0, 1, 1}, {0, 0, 1}, {0, 0, 1}})),
                DType.F32, new int[] {4, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 0.7071068286895752, 0, 0, 0.7071067690849304},
                F32);
        check(jit(t -> LinAlg.qr(t)[1], Nx.tensor(new float[][] {{3, 2, 1}, {0, 1, 1}, {0, 0, 1}, {0, 0, 1}})),
                DType.F32, new int[] {3, 3}, new double[] {3, 2, 1, 0, 1, 1, 0, 0, 1.4142136573791504}, F32);
        check(qrStacked(Nx.tensor(new float[][] {{3, 2, 1}, {0, 1, 1}, {0, 0, 1}, {0, 0, 0}}), "complete"), DType.F32,
                new int[] {4, 7}, new double[] {1, 0, 0, 0, 3, 2, 1, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 0, 1,
                        0, 0, 0, 1, 0, 0, 0}, F32);
        assertMessage("qr", () -> LinAlg.qr(Nx.tensor(new int[] {1, 2, 3, 4, 5})));
        assertMessage("qr", () -> LinAlg.qr(Nx.tensor(new int[][] {{1}}), "error_test", 1e-10));
    }

    @Test
    void qrLeavesAReducedColumnAloneInF32() {
        // The padded row of a wide matrix leaves column 1 reduced: |x|² - x₁² is only rounding,
        // which XLA's fused multiply-add made larger than eps, flipping q's column and r's row.
        Tensor a = Nx.tensor(new float[][] {{3.2f, 0.4f, -0.7f}, {0.3f, 2.6f, 0.9f}});
        check(qrStacked(a, "reduced"), DType.F32, new int[] {2, 5},
                new double[] {0.9956342260592881, 0.09334070869305813, 3.2140317359976396, 0.6409395330256664,
                        -0.6129373204177493, 0.09334070869305813, -0.9956342260592883, 0, -2.5513127042769264,
                        -0.9614092995385003}, F32);
    }

    @Test
    void qrOfRandomMatricesIsOrthonormalTimesTriangular() {
        Tensor x = random(4, 21);
        for (Tensor a : List.of(x, Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 4, 3}),
                Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 3, 4}))) {
            Tensor qr = jit(t -> {
                Tensor[] f = LinAlg.qr(t);
                return Nx.concatenate(List.of(f[0], LinAlg.matmul(f[0], f[1])), -1);
            }, a);
            int m = a.shape().dim(-2);
            int k = Math.min(m, a.shape().dim(-1));
            Tensor q = Nx.slice(qr, new int[] {0, 0, 0}, new int[] {2, m, k});
            assertClose(a, Nx.slice(qr, new int[] {0, 0, k}, new int[] {2, m, a.shape().dim(-1)}), 1e-12);
            assertClose(Nx.eye(Shape.of(2, k, k), DType.F64), LinAlg.matmul(LinAlg.adjoint(q), q), 1e-12);
        }
    }

    // ------------------------------------------------------------------ eigh

    /** Eigenvalues then eigenvectors, side by side: [.., n, n + 1]. */
    private Tensor eighStacked(Tensor x) {
        return jit(t -> {
            Tensor[] e = LinAlg.eigh(t);
            return Nx.concatenate(List.of(Nx.newAxis(e[0], -1), e[1]), -1);
        }, x);
    }

    private static double[] sorted(double[] v, int from, int to) {
        double[] r = java.util.Arrays.copyOfRange(v, from, to);
        java.util.Arrays.sort(r);
        return r;
    }

    @Test
    void eighDocExamples() {
        // Eigenvalues (rounded, as in Nx's examples) compared as sets: Nx does not define their order.
        // rows: [eigenvalue i, eigenvector components of row i]
        check(eighStacked(Nx.tensor(new int[][] {{1, 0}, {0, 2}})), DType.F32, new int[] {2, 3},
                new double[] {1, 1, 0, 2, 0, 1}, F32);
        Tensor a2 = Nx.tensor(new int[][] {{0, 1, 2}, {1, 0, 2}, {2, 2, 3}});
        double[] e2 = eighStacked(a2).toDoubleArray();
        assertArrayEquals(new double[] {-1, -1, 5},
                sorted(new double[] {Math.rint(e2[0]), Math.rint(e2[4]), Math.rint(e2[8])}, 0, 3), 0);
        Tensor batch = Nx.tensor(new int[][][] {{{2, 5}, {5, 6}}, {{1, 0}, {0, 4}}});
        double[] e3 = eighStacked(batch).toDoubleArray();
        assertArrayEquals(new double[] {-1, 9}, sorted(new double[] {Math.rint(e3[0]), Math.rint(e3[3])}, 0, 2), 0);
        assertArrayEquals(new double[] {1, 4}, new double[] {e3[6], e3[9]}, F32);
        // Nx's eigenvector for 9 is (0.5612090229988098, 0.8276740908622742), up to sign; Nx's QR
        // iteration stops at a 1e-4 tolerance, the exact one is (0.56063, 0.82806): compare to 1e-3.
        int col9 = Math.rint(e3[0]) == 9 ? 0 : 1;
        double sign = Math.signum(e3[1 + col9]);
        assertEquals(0.5612090229988098, sign * e3[1 + col9], 1e-3);
        assertEquals(0.8276740908622742, sign * e3[4 + col9], 1e-3);
        assertMessage("eigh", () -> LinAlg.eigh(Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}})));
        // The sum of the eigenvalues is the trace, whose gradient is the identity.
        Tensor gTrace = Defn.jit((Tensor a) -> Defn.grad(a, t -> Nx.sum(LinAlg.eigh(t)[0])), compiler())
                .apply(Nx.tensor(new float[][] {{2, 1}, {1, 3}}));
        assertArrayEquals(new float[] {1, 0, 0, 1}, gTrace.toFloatArray(), 1e-5f);
    }

    @Test
    void eighOfRandomSymmetricMatricesReconstructs() {
        Tensor x = random(4, 31);
        Tensor sym = Nx.add(x, LinAlg.adjoint(x));
        Tensor e = eighStacked(sym);
        Tensor vals = Nx.squeeze(Nx.slice(e, new int[] {0, 0, 0}, new int[] {2, 4, 1}), 2);
        Tensor vecs = Nx.slice(e, new int[] {0, 0, 1}, new int[] {2, 4, 4});
        assertClose(Nx.eye(Shape.of(2, 4, 4), DType.F64), LinAlg.matmul(LinAlg.adjoint(vecs), vecs), 1e-10);
        assertClose(sym, LinAlg.matmul(Nx.multiply(vecs, Nx.newAxis(vals, 1)), LinAlg.adjoint(vecs)), 1e-10);
    }

    // ------------------------------------------------------------------ svd, pinv, least_squares

    @Test
    void svdDocExamples() {
        Function<Tensor, Tensor> full = t -> {
            Tensor[] usv = LinAlg.svd(t);
            return Nx.concatenate(List.of(Nx.flatten(usv[0]), usv[1], Nx.flatten(usv[2])), 0);
        };
        check(jit(full, Nx.tensor(new int[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, -1}})), DType.F32, new int[] {21},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, F32);
        Tensor a = Nx.tensor(new int[][] {{2, 0, 0}, {0, 3, 0}, {0, 0, -1}, {0, 0, 0}});
        check(jit(full, a), DType.F32, new int[] {28},
                new double[] {0, 0.9999999403953552, 0, 0, 1, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1,
                        3, 1.9999998807907104, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1}, F32);
        Function<Tensor, Tensor> thin = t -> {
            Tensor[] usv = LinAlg.svd(t, false);
            return Nx.concatenate(List.of(Nx.flatten(usv[0]), usv[1], Nx.flatten(usv[2])), 0);
        };
        check(jit(thin, a), DType.F32, new int[] {24},
                new double[] {0, 0.9999999403953552, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0,
                        3, 1.9999998807907104, 1, 0, 1, 0, 1, 0, 0, 0, 0, 1}, F32);
    }

    @Test
    void svdOfRandomMatricesReconstructs() {
        Tensor x = random(4, 41);
        for (Tensor a : List.of(Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 4, 3}),
                Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 3, 4}))) {
            Tensor rec = jit(t -> {
                Tensor[] usv = LinAlg.svd(t, false);
                return LinAlg.matmul(Nx.multiply(usv[0], Nx.newAxis(usv[1], 1)), usv[2]);
            }, a);
            assertClose(a, rec, 1e-10);
            Tensor u = jit(t -> LinAlg.svd(t)[0], a);
            int m = a.shape().dim(1);
            assertClose(Nx.eye(Shape.of(2, m, m), DType.F64), LinAlg.matmul(LinAlg.adjoint(u), u), 1e-10);
        }
    }

    @Test
    void svdOfZeroMatricesHasOrthonormalFactors() {
        // As Nx: u and vt are identities (as many columns/rows as the mode asks), s zeros.
        for (boolean full : new boolean[] {true, false}) {
            for (int[] mn : new int[][] {{2, 2}, {3, 2}, {2, 3}}) {
                int m = mn[0];
                int n = mn[1];
                int k = Math.min(m, n);
                Tensor zero = Nx.broadcast(Nx.scalar(0, DType.F32), Shape.of(2, m, n));
                Tensor packed = jit(t -> {
                    Tensor[] usv = LinAlg.svd(t, full);
                    return Nx.concatenate(List.of(Nx.flatten(usv[0]), Nx.flatten(usv[1]), Nx.flatten(usv[2])), 0);
                }, zero);
                Tensor u = Nx.eye(Shape.of(2, m, full ? m : k), DType.F32);
                Tensor vt = Nx.eye(Shape.of(2, full ? n : k, n), DType.F32);
                Tensor expected = Nx.concatenate(List.of(Nx.flatten(u), Nx.flatten(Nx.broadcast(Nx.scalar(0, DType.F32),
                        Shape.of(2, k))), Nx.flatten(vt)), 0);
                assertClose(expected, packed, 0);
            }
        }
    }

    @Test
    void svdOfRankDeficientMatricesHasOrthonormalU() {
        // rank 1: the second left singular vector is any unit vector orthogonal to the first
        Tensor a = Nx.tensor(new double[][] {{1, 2}, {2, 4}, {3, 6}});
        Tensor[] usv = LinAlg.svd(a, false);
        assertClose(Nx.eye(Shape.of(2, 2), DType.F64), LinAlg.matmul(LinAlg.adjoint(usv[0]), usv[0]), 1e-12);
        assertClose(a, LinAlg.matmul(Nx.multiply(usv[0], Nx.newAxis(usv[1], 0)), usv[2]), 1e-12);
    }

    /** {@code sum(wu·u) + sum(ws·s) + sum(wv·vt)}, each factor weighted or left out. */
    private static Function<Tensor, Tensor> svdLoss(boolean full, boolean withU, boolean withVt) {
        return t -> {
            Tensor[] usv = LinAlg.svd(t, full);
            Tensor loss = Nx.sum(Nx.multiply(weights(usv[1].shape(), 0), usv[1]));
            if (withU) {
                loss = Nx.add(loss, Nx.sum(Nx.multiply(weights(usv[0].shape(), 1), usv[0])));
            }
            if (withVt) {
                loss = Nx.add(loss, Nx.sum(Nx.multiply(weights(usv[2].shape(), 2), usv[2])));
            }
            return loss;
        };
    }

    @Test
    void svdGradientMatchesFiniteDifferencesOnSquareTallWideAndBatched() {
        Tensor x = random(4, 16);
        Tensor first = Nx.squeeze(Nx.slice(x, new int[] {0, 0, 0}, new int[] {1, 4, 4}), 0);
        for (int[] mn : new int[][] {{3, 3}, {4, 3}, {3, 4}, {4, 2}}) {
            Tensor a = Nx.slice(first, new int[] {0, 0}, mn);
            checkGrad(svdLoss(false, true, true), a);
            checkGrad(svdLoss(false, false, false), a);
        }
        checkGrad(svdLoss(false, true, true), Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 4, 3}));
        checkGrad(svdLoss(false, true, true), Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 2, 3}));
        // Full matrices: exact while the loss does not read the complement columns (vt of a tall matrix is square).
        checkGrad(svdLoss(true, false, true), Nx.slice(first, new int[] {0, 0}, new int[] {4, 3}));
        checkGrad(svdLoss(true, true, false), Nx.slice(first, new int[] {0, 0}, new int[] {3, 4}));
        // The complement columns U₂ are not unique, but their projector U₂·U₂ᵀ = I - U₁·U₁ᵀ is.
        Tensor w = weights(Shape.of(4, 4), 3);
        checkGrad(t -> {
            Tensor u2 = Nx.slice(LinAlg.svd(t, true)[0], new int[] {0, 2}, new int[] {4, 2});
            return Nx.sum(Nx.multiply(w, LinAlg.matmul(u2, LinAlg.adjoint(u2))));
        }, Nx.slice(first, new int[] {0, 0}, new int[] {4, 2}));
        checkGrad(t -> {
            Tensor v2 = Nx.slice(LinAlg.svd(t, true)[2], new int[] {2, 0}, new int[] {2, 4});
            return Nx.sum(Nx.multiply(w, LinAlg.matmul(LinAlg.adjoint(v2), v2)));
        }, Nx.slice(first, new int[] {0, 0}, new int[] {2, 4}));
    }

    @Test
    void svdOfF32ColumnsNear1e10AndItsGradient() {
        // Columns of norm 1.4e10: their squared norms' product (2e40) overflows f32, which must
        // not read as "already orthogonal". A = [[1e10, 1e10], [-2.25, 1.75]], det A = 4e10:
        // s = [√2·1e10, 4e10 / (√2·1e10)] = [1.4142135e10, 2√2].
        Tensor a = Nx.tensor(new float[][] {{1e10f, 1e10f}, {-2.25f, 1.75f}});
        check(jit(t -> LinAlg.svd(t)[1], a), DType.F32, new int[] {2}, new double[] {Math.sqrt(2) * 1e10, 2 * Math.sqrt(2)},
                F32);
        // Σs is the nuclear norm, √(‖A‖²_F + 2|det A|) for 2×2, whose gradient is (A + cof A) / Σs
        // (det A > 0): [[1e10 + 1.75, 1e10 + 2.25], [-2.25 - 1e10, 1.75 + 1e10]] / 1.4142135e10.
        double norm = Math.sqrt(2e20 + 2.25 * 2.25 + 1.75 * 1.75 + 8e10);
        check(jit(t -> Defn.grad(t, x -> Nx.sum(LinAlg.svd(x)[1])), a), DType.F32, new int[] {2, 2},
                new double[] {(1e10 + 1.75) / norm, (1e10 + 2.25) / norm, -(1e10 + 2.25) / norm, (1e10 + 1.75) / norm},
                F32);
    }

    @Test
    void singularValueGradientsAtRepeatedSingularValues() {
        // s = [2, 2] for 2·I: the singular vectors are not unique, but Σs = ‖A‖_* is smooth there
        // with gradient U·Vᵀ = (A + cof A) / 4 = I; the vectors' 1/(s_j² − s_i²) must not leak NaN in.
        check(jit(t -> Defn.grad(t, x -> Nx.sum(LinAlg.svd(x)[1])), Nx.tensor(new float[][] {{2, 0}, {0, 2}})),
                DType.F32, new int[] {2, 2}, new double[] {1, 0, 0, 1}, F32);
        // Tall with orthonormal columns, s = [1, 1]: the gradient U₁·V₁ᵀ is the polar factor, A itself.
        Tensor tall = Nx.tensor(new float[][] {{0.6f, 0}, {0, 1}, {0.8f, 0}});
        check(jit(t -> Defn.grad(t, x -> Nx.sum(LinAlg.svd(x)[1])), tall), DType.F32, new int[] {3, 2},
                new double[] {0.6, 0, 0, 1, 0.8, 0}, F32);
    }

    @Test
    void pinvAndNuclearNormGradientsGoThroughTheSvdRule() {
        Tensor a = Nx.slice(Nx.squeeze(Nx.slice(random(4, 17), new int[] {0, 0, 0}, new int[] {1, 4, 4}), 0),
                new int[] {0, 0}, new int[] {4, 3});
        checkGrad(t -> Nx.sum(Nx.multiply(weights(Shape.of(3, 4), 1), LinAlg.pinv(t))), a);
        checkGrad(t -> LinAlg.norm(t, "nuclear"), a);
    }

    @Test
    void svdGradientOfNxsExample() {
        // grad_test.exs: grad of sum(make_diagonal(s) + u + vt) at [[3, 0], [1, 2]]
        Tensor g = jit(t -> Defn.grad(t, a -> {
            Tensor[] usv = LinAlg.svd(a);
            return Nx.add(Nx.add(Nx.sum(usv[1]), Nx.sum(usv[0])), Nx.sum(usv[2]));
        }), Nx.tensor(new float[][] {{3, 0}, {1, 2}}));
        check(g, DType.F32, new int[] {2, 2},
                new double[] {1.368404507637024, -0.5419228672981262, -0.2197188436985016, 0.6067624092102051}, 1e-5);
    }

    @Test
    void pinvAndLeastSquaresDocExamples() {
        check(jit(t -> LinAlg.pinv(t), Nx.scalar(2)), DType.F32, new int[] {}, new double[] {0.5}, F32);
        check(jit(t -> LinAlg.pinv(t), Nx.scalar(0)), DType.F32, new int[] {}, new double[] {0}, 0);
        check(jit(t -> LinAlg.pinv(t), Nx.tensor(new int[] {0, 1, 2})), DType.F32, new int[] {3},
                new double[] {0, 0.20000000298023224, 0.4000000059604645}, F32);
        check(jit(t -> LinAlg.pinv(t), Nx.tensor(new int[] {0, 0, 0})), DType.F32, new int[] {3}, new double[] {0, 0, 0}, 0);
        // Nx's own SVD is approximate here (the exact inverse is [[4, -1], [-3, 1]]): compare to 1e-2.
        check(jit(t -> LinAlg.pinv(t), Nx.tensor(new int[][] {{1, 1}, {3, 4}})), DType.F32, new int[] {2, 2},
                new double[] {3.9924824237823486, -1.0052783489227295, -3.0051186084747314, 1.0071179866790771}, 1e-2);
        check(jit(t -> LinAlg.pinv(t), Nx.tensor(new float[][] {{0.5f, 0}, {0, 1}, {0.5f, 0}})), DType.F32,
                new int[] {2, 3}, new double[] {0.9999999403953552, 0, 0.9999998807907104, 0, 1, 0}, F32);
        // least_squares: Nx's values, also from its approximate SVD, to 1e-2
        check(jit(LinAlg::leastSquares, Nx.tensor(new int[][] {{1, 2}, {2, 3}}), Nx.tensor(new int[] {1, 2})),
                DType.F32, new int[] {2}, new double[] {0.9977624416351318, 0.0011188983917236328}, 1e-2);
        check(jit(LinAlg::leastSquares, Nx.tensor(new int[][] {{0, 1}, {1, 1}, {2, 1}, {3, 1}}),
                Nx.tensor(new float[] {-1, 0.2f, 0.9f, 2.1f})), DType.F32, new int[] {2},
                new double[] {0.9966151118278503, -0.947966456413269}, 1e-2);
        check(jit(LinAlg::leastSquares, Nx.tensor(new int[][] {{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[] {1, 2})),
                DType.F32, new int[] {3}, new double[] {-0.05534052848815918, 0.1111316829919815, 0.27760395407676697},
                1e-2);
        assertMessage("least_squares", () -> LinAlg.leastSquares(Nx.tensor(new int[] {1, 2, 3}), Nx.tensor(new int[] {1, 2})));
        assertMessage("least_squares", () -> LinAlg.leastSquares(Nx.tensor(new int[][] {{1, 2}, {2, 3}}),
                Nx.tensor(new int[][] {{1, 2}, {3, 4}})));
        assertMessage("least_squares", () -> LinAlg.leastSquares(Nx.tensor(new int[][] {{1, 2}, {2, 3}}),
                Nx.tensor(new int[] {1, 2, 3})));
    }

    // ------------------------------------------------------------------ norm, matrix_power

    @Test
    void normDocExamples() {
        Tensor v = Nx.tensor(new int[] {3, -4});
        check(jit(LinAlg::norm, Nx.tensor(new int[] {3, 4})), DType.F32, new int[] {}, new double[] {5}, F32);
        check(jit(x -> LinAlg.norm(x, 1), Nx.tensor(new int[] {3, 4})), DType.F32, new int[] {}, new double[] {7}, F32);
        check(jit(x -> LinAlg.norm(x, "inf"), v), DType.F32, new int[] {}, new double[] {4}, F32);
        check(jit(x -> LinAlg.norm(x, "neg_inf"), v), DType.F32, new int[] {}, new double[] {3}, F32);
        check(jit(x -> LinAlg.norm(x, 0), Nx.tensor(new int[] {3, -4, 0, 0})), DType.F32, new int[] {}, new double[] {2}, F32);
        check(jit(x -> LinAlg.norm(x, -1), Nx.tensor(new int[][] {{3, -1}, {2, -4}})), DType.F32, new int[] {},
                new double[] {5}, F32);
        Tensor m = Nx.tensor(new int[][] {{3, -2}, {2, -4}});
        check(jit(x -> LinAlg.norm(x, 1), m), DType.F32, new int[] {}, new double[] {6}, F32);
        check(jit(x -> LinAlg.norm(x, "neg_inf"), m), DType.F32, new int[] {}, new double[] {5}, F32);
        check(jit(x -> LinAlg.norm(x, "inf"), m), DType.F32, new int[] {}, new double[] {6}, F32);
        Tensor diag = Nx.tensor(new int[][] {{3, 0}, {0, -4}});
        check(jit(x -> LinAlg.norm(x, "frobenius"), diag), DType.F32, new int[] {}, new double[] {5}, F32);
        check(jit(LinAlg::norm, diag), DType.F32, new int[] {}, new double[] {5}, F32);
        Tensor d3 = Nx.tensor(new int[][] {{1, 0, 0}, {0, -4, 0}, {0, 0, 9}});
        check(jit(x -> LinAlg.norm(x, "nuclear"), d3), DType.F32, new int[] {}, new double[] {14}, F32);
        check(jit(x -> LinAlg.norm(x, -2), d3), DType.F32, new int[] {}, new double[] {1}, F32);
        check(jit(x -> LinAlg.norm(x, null, new int[] {1}, false), Nx.tensor(new int[][] {{3, 4}, {0, -4}})), DType.F32,
                new int[] {2}, new double[] {5, 4}, F32);
        check(jit(LinAlg::norm, Nx.tensor(new int[][] {{0, 0}, {0, 0}})), DType.F32, new int[] {}, new double[] {0}, 0);
        assertThrows(IllegalArgumentException.class, () -> LinAlg.norm(Nx.tensor(new int[] {3, 4}), "frobenius"));
    }

    @Test
    void matrixPowerDocExamples() {
        Tensor m = Nx.tensor(new int[][] {{1, 2}, {3, 4}});
        check(jit(x -> LinAlg.matrixPower(x, 0), m), DType.S32, new int[] {2, 2}, new double[] {1, 0, 0, 1}, 0);
        check(jit(x -> LinAlg.matrixPower(x, 6), m), DType.S32, new int[] {2, 2}, new double[] {5743, 8370, 12555, 18298}, 0);
        check(jit(x -> LinAlg.matrixPower(x, 65535), Nx.eye(3)), DType.S32, new int[] {3, 3},
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, 0);
        check(jit(x -> LinAlg.matrixPower(x, -1), m), DType.F32, new int[] {2, 2},
                new double[] {-2.000000476837158, 1.0000003576278687, 1.5000004768371582, -0.5000002384185791}, 1e-5);
        Tensor iota = Nx.iota(Shape.of(2, 2, 2), DType.S32);
        check(jit(x -> LinAlg.matrixPower(x, 3), iota), DType.S32, new int[] {2, 2, 2},
                new double[] {6, 11, 22, 39, 514, 615, 738, 883}, 0);
        check(jit(x -> LinAlg.matrixPower(x, -3), iota), DType.F32, new int[] {2, 2, 2},
                new double[] {-4.875, 1.375, 2.75, -0.75, -110.37397766113281, 76.8742904663086, 92.24915313720703,
                        -64.2494125366211}, 1e-3);
    }

    // ------------------------------------------------------------------ properties on random matrices

    /** A random f64 batch [2, n, n] with entries in [-1, 1), fixed seed. */
    private static Tensor random(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        double[][][] a = new double[2][n][n];
        for (double[][] m : a) {
            for (double[] row : m) {
                for (int j = 0; j < n; j++) {
                    row[j] = 2 * r.nextDouble() - 1;
                }
            }
        }
        return Nx.tensor(a);
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol) {
        assertArrayEquals(expected.shape().dims(), actual.shape().dims());
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol, "element " + i);
        }
    }

    @Test
    void factorizationsReconstructRandomMatrices() {
        Tensor x = random(4, 7);
        Tensor spd = Nx.add(LinAlg.matmul(x, LinAlg.adjoint(x)), Nx.eye(x.shape(), DType.F64));
        Tensor l = jit(LinAlg::cholesky, spd);
        assertClose(spd, LinAlg.matmul(l, LinAlg.adjoint(l)), 1e-12);
        assertClose(Nx.tril(l, 0), l, 0);

        Tensor a = Nx.add(x, Nx.multiply(Nx.eye(x.shape(), DType.F64), 2.0));
        Tensor eye = Nx.eye(a.shape(), DType.F64);
        assertClose(eye, LinAlg.matmul(a, jit(LinAlg::invert, a)), 1e-12);
        Tensor b = random(4, 8);
        assertClose(b, LinAlg.matmul(a, jit(LinAlg::solve, a, b)), 1e-12);

        Tensor plu = jit(t -> {
            Tensor[] f = LinAlg.lu(t);
            return Nx.stack(List.of(f[0], f[1], f[2]));
        }, x);
        Tensor p = Nx.squeeze(Nx.slice(plu, new int[] {0, 0, 0, 0}, new int[] {1, 2, 4, 4}), 0);
        Tensor lo = Nx.squeeze(Nx.slice(plu, new int[] {1, 0, 0, 0}, new int[] {1, 2, 4, 4}), 0);
        Tensor up = Nx.squeeze(Nx.slice(plu, new int[] {2, 0, 0, 0}, new int[] {1, 2, 4, 4}), 0);
        assertClose(x, LinAlg.matmul(LinAlg.matmul(p, lo), up), 1e-12);
        assertClose(Nx.tril(lo, 0), lo, 0);
        assertClose(Nx.triu(up, 0), up, 0);

        // det(a·b) = det(a)·det(b)
        Tensor dets = jit((s, t) -> Nx.subtract(LinAlg.determinant(LinAlg.matmul(s, t)),
                Nx.multiply(LinAlg.determinant(s), LinAlg.determinant(t))), a, b);
        assertClose(Nx.tensor(new double[] {0, 0}), dets, 1e-12);
    }

    // ------------------------------------------------------------------ gradients by finite differences

    /** Central differences of the scalar {@code f} at each element of {@code x} (f64, reference backend). */
    private static double[] numericGrad(Function<Tensor, Tensor> f, Tensor x) {
        double[] v = x.toDoubleArray();
        double[] g = new double[v.length];
        double h = 1e-6;
        for (int i = 0; i < v.length; i++) {
            double[] p = v.clone();
            double[] m = v.clone();
            p[i] += h;
            m[i] -= h;
            double fp = f.apply(Tensor.of(x.shape(), DType.F64, new dev.jnx.HostData(toBytes(p)))).toDouble();
            double fm = f.apply(Tensor.of(x.shape(), DType.F64, new dev.jnx.HostData(toBytes(m)))).toDouble();
            g[i] = (fp - fm) / (2 * h);
        }
        return g;
    }

    private static byte[] toBytes(double[] v) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(v.length * 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double d : v) {
            b.putDouble(d);
        }
        return b.array();
    }

    private void checkGrad(Function<Tensor, Tensor> f, Tensor x) {
        Tensor g = jit(t -> Defn.grad(t, f), x);
        double[] expected = numericGrad(f, x);
        double[] got = g.toDoubleArray();
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-6 * Math.max(1, Math.abs(expected[i])), "gradient element " + i);
        }
    }

    @Test
    void choleskyGradientMatchesFiniteDifferences() {
        Tensor w = Nx.tensor(new double[][] {{1, 0, 0}, {-2, 0.5, 0}, {3, 1.5, -1}});
        Tensor x = Nx.squeeze(Nx.slice(random(3, 11), new int[] {0, 0, 0}, new int[] {1, 3, 3}), 0);
        checkGrad(t -> Nx.sum(Nx.multiply(w, LinAlg.cholesky(Nx.add(LinAlg.matmul(t, LinAlg.adjoint(t)),
                Nx.multiply(Nx.eye(Shape.of(3, 3), DType.F64), 3.0))))), x);
    }

    @Test
    void triangularSolveGradientMatchesFiniteDifferences() {
        Tensor w = Nx.tensor(new double[][] {{1, -1, 2}, {0.5, 3, -2}, {1, 1, 1}});
        Tensor x = Nx.squeeze(Nx.slice(random(3, 12), new int[] {0, 0, 0}, new int[] {1, 3, 3}), 0);
        Tensor b = Nx.tensor(new double[][] {{1, 2, 0}, {-1, 0.5, 2}, {0, 1, 3}});
        Tensor shift = Nx.multiply(Nx.eye(Shape.of(3, 3), DType.F64), 3.0);
        for (boolean[] o : new boolean[][] {{true, true, false}, {false, false, true}, {true, false, true}}) {
            // with respect to a (the other triangle gets no gradient) and to b
            checkGrad(t -> Nx.sum(Nx.multiply(w, LinAlg.triangularSolve(Nx.add(t, shift), b, o[0], o[1], o[2]))), x);
            checkGrad(t -> Nx.sum(Nx.multiply(w, LinAlg.triangularSolve(Nx.add(x, shift), t, o[0], o[1], o[2]))), b);
        }
    }

    @Test
    void determinantAndInvertGradientsMatchFiniteDifferences() {
        Tensor x = Nx.add(Nx.squeeze(Nx.slice(random(3, 13), new int[] {0, 0, 0}, new int[] {1, 3, 3}), 0),
                Nx.multiply(Nx.eye(Shape.of(3, 3), DType.F64), 2.0));
        checkGrad(LinAlg::determinant, x);
        Tensor w = Nx.tensor(new double[][] {{1, -1, 2}, {0.5, 3, -2}, {1, 1, 1}});
        checkGrad(t -> Nx.sum(Nx.multiply(w, LinAlg.invert(t))), x);
    }

    @Test
    void luGradientThroughTheCompositionMatchesFiniteDifferences() {
        Tensor x = Nx.squeeze(Nx.slice(random(3, 14), new int[] {0, 0, 0}, new int[] {1, 3, 3}), 0);
        Tensor w = Nx.tensor(new double[][] {{1, -1, 2}, {0.5, 3, -2}, {1, 1, 1}});
        checkGrad(t -> {
            Tensor[] plu = LinAlg.lu(t);
            return Nx.add(Nx.sum(Nx.multiply(w, plu[1])), Nx.sum(Nx.multiply(w, plu[2])));
        }, x);
    }

    /** {@code sum(wq·q) + sum(wr·r)} with fixed weights of q's and r's shapes (cosines of their indices). */
    private static Function<Tensor, Tensor> qrLoss(String mode) {
        return t -> {
            Tensor[] qr = LinAlg.qr(t, mode, 1e-10);
            return Nx.add(Nx.sum(Nx.multiply(weights(qr[0].shape(), 1), qr[0])),
                    Nx.sum(Nx.multiply(weights(qr[1].shape(), 2), qr[1])));
        };
    }

    private static Tensor weights(Shape shape, int phase) {
        return Nx.cos(Nx.add(Nx.iota(shape, DType.F64, -1), phase));
    }

    @Test
    void qrGradientMatchesFiniteDifferencesOnSquareTallWideAndBatched() {
        Tensor x = random(4, 14);
        Tensor first = Nx.squeeze(Nx.slice(x, new int[] {0, 0, 0}, new int[] {1, 4, 4}), 0);
        checkGrad(qrLoss("reduced"), Nx.slice(first, new int[] {0, 0}, new int[] {3, 3}));
        checkGrad(qrLoss("reduced"), Nx.slice(first, new int[] {0, 0}, new int[] {4, 3}));
        checkGrad(qrLoss("reduced"), Nx.slice(first, new int[] {0, 0}, new int[] {3, 4}));
        // The wide matrix of issue 14, whose gradient through the reflections was NaN.
        checkGrad(qrLoss("reduced"), Nx.tensor(new double[][] {{1, 2, 3}, {4, 5, 6}}));
        checkGrad(qrLoss("reduced"), Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 4, 3}));
        checkGrad(qrLoss("reduced"), Nx.slice(x, new int[] {0, 0, 0}, new int[] {2, 2, 4}));
        checkGrad(qrLoss("complete"), Nx.slice(first, new int[] {0, 0}, new int[] {3, 4}));
        // Complete mode of a tall matrix: q's complement columns are not unique, their projector is.
        checkGrad(t -> Nx.sum(Nx.multiply(weights(Shape.of(4, 3), 2), LinAlg.qr(t, "complete", 1e-10)[1])),
                Nx.slice(first, new int[] {0, 0}, new int[] {4, 3}));
        Tensor w = weights(Shape.of(4, 4), 3);
        checkGrad(t -> {
            Tensor[] qr = LinAlg.qr(t, "complete", 1e-10);
            Tensor q2 = Nx.slice(qr[0], new int[] {0, 2}, new int[] {4, 2});
            return Nx.add(Nx.sum(Nx.multiply(w, LinAlg.matmul(q2, LinAlg.adjoint(q2)))),
                    Nx.sum(Nx.multiply(weights(Shape.of(4, 2), 1), Nx.slice(qr[0], new int[] {0, 0}, new int[] {4, 2}))));
        }, Nx.slice(first, new int[] {0, 0}, new int[] {4, 2}));
    }

    @Test
    void qrRIsUpperTriangularAndItsGradientIgnoresTheLowerTriangle() {
        // f32, batched: rounding used to leave ~1e-7 below r's diagonal, and those entries got gradient.
        Tensor x = Nx.asType(random(3, 15), DType.F32);
        Tensor r = jit(t -> LinAlg.qr(t)[1], x);
        assertClose(Nx.triu(r, 0), r, 0);
        // sum(r) and sum(triu(r)) are the same function of x.
        Tensor g = jit(t -> Defn.grad(t, u -> Nx.sum(LinAlg.qr(u)[1])), x);
        Tensor gTriu = jit(t -> Defn.grad(t, u -> Nx.sum(Nx.triu(LinAlg.qr(u)[1], 0))), x);
        assertClose(gTriu, g, 1e-5);
        // and agrees with the f64 gradient
        Tensor g64 = jit(t -> Defn.grad(t, u -> Nx.sum(LinAlg.qr(u)[1])), random(3, 15));
        assertClose(g64, g, 1e-4);
    }

    // ------------------------------------------------------------------ empty matrices

    @Test
    void svdPinvAndLeastSquaresOfMatricesWithoutRowsOrColumns() {
        Tensor wide = Nx.iota(Shape.of(0, 3), DType.F32);
        Tensor[] full = LinAlg.svd(wide);
        check(jit(x -> LinAlg.svd(x)[0], wide), DType.F32, new int[] {0, 0}, new double[0], F32);
        check(jit(x -> LinAlg.svd(x)[1], wide), DType.F32, new int[] {0}, new double[0], F32);
        check(jit(x -> LinAlg.svd(x)[2], wide), DType.F32, new int[] {3, 3}, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                F32);
        assertEquals(Shape.of(0, 0), full[0].shape());
        Tensor tall = Nx.iota(Shape.of(2, 2, 0), DType.F64);
        check(jit(x -> LinAlg.svd(x, false)[0], tall), DType.F64, new int[] {2, 2, 0}, new double[0], F64);
        check(jit(x -> LinAlg.svd(x, false)[2], tall), DType.F64, new int[] {2, 0, 0}, new double[0], F64);
        check(jit(x -> LinAlg.svd(x)[0], tall), DType.F64, new int[] {2, 2, 2}, new double[] {1, 0, 0, 1, 1, 0, 0, 1},
                F64);
        check(jit(LinAlg::pinv, wide), DType.F32, new int[] {3, 0}, new double[0], F32);
        check(jit(LinAlg::pinv, Nx.iota(Shape.of(0, 0), DType.F32)), DType.F32, new int[] {0, 0}, new double[0], F32);
        check(jit(LinAlg::leastSquares, Nx.iota(Shape.of(0, 0), DType.F32), Nx.iota(Shape.of(0), DType.F32)),
                DType.F32, new int[] {0}, new double[0], F32);
        check(jit(LinAlg::leastSquares, Nx.iota(Shape.of(0, 2), DType.F32), Nx.iota(Shape.of(0), DType.F32)),
                DType.F32, new int[] {2}, new double[] {0, 0}, F32);
    }

    // ------------------------------------------------------------------ matmul

    @Test
    void matmulOfVectorsContractsTheirAxisAsNxDot() {
        Tensor v = Nx.tensor(new float[] {1, 2});
        Tensor m = Nx.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor batch = Nx.reshape(Nx.iota(Shape.of(12), DType.F32), Shape.of(2, 3, 2));
        check(jit(LinAlg::matmul, v, Nx.tensor(new float[] {3, 4})), DType.F32, new int[0], new double[] {11}, F32);
        check(jit(LinAlg::matmul, Nx.tensor(new short[] {1}), Nx.tensor(new float[] {2})), DType.F32, new int[0],
                new double[] {2}, F32);
        check(jit(LinAlg::matmul, v, m), DType.F32, new int[] {3}, new double[] {9, 12, 15}, F32);
        check(jit(LinAlg::matmul, m, Nx.tensor(new float[] {1, 0, -1})), DType.F32, new int[] {2},
                new double[] {-2, -2}, F32);
        // [0 1; 2 3; 4 5]·[1 2] and [6 7; 8 9; 10 11]·[1 2].
        check(jit(LinAlg::matmul, batch, v), DType.F32, new int[] {2, 3}, new double[] {2, 8, 14, 20, 26, 32}, F32);
        // [1 0 -1]·[[0 1; 2 3; 4 5], [6 7; 8 9; 10 11]].
        check(jit(LinAlg::matmul, Nx.tensor(new float[] {1, 0, -1}), batch), DType.F32, new int[] {2, 2},
                new double[] {-4, -4, -4, -4}, F32);
    }

    @Test
    void matmulRefusesScalarsAndBatchesOfDifferentRanks() {
        assertMessage("matmul", () -> LinAlg.matmul(Nx.scalar(2.0f), Nx.scalar(3.0f)));
        assertMessage("matmul", () -> LinAlg.matmul(Nx.tensor(new float[] {1, 2}), Nx.scalar(3.0f)));
        assertMessage("matmul", () -> LinAlg.matmul(Nx.iota(Shape.of(2, 2, 2), DType.F32),
                Nx.iota(Shape.of(2, 2), DType.F32)));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badInputIsRejectedWithTheOpName() {
        Tensor rect = Nx.tensor(new int[][] {{3, 0, 0, 0}, {2, 1, 0, 0}});
        Tensor sq = Nx.tensor(new int[][] {{3, 0, 0, 0}, {2, 1, 0, 0}, {1, 1, 1, 1}, {1, 1, 1, 1}});
        assertMessage("triangular_solve", () -> LinAlg.triangularSolve(rect, Nx.tensor(new int[] {4, 2, 4, 2})));
        assertMessage("triangular_solve", () -> LinAlg.triangularSolve(sq, Nx.tensor(new int[] {4})));
        assertMessage("solve", () -> LinAlg.solve(Nx.tensor(new int[][] {{1, 0}, {0, 1}}), Nx.tensor(new int[] {4, 2, 4, 2})));
        assertMessage("solve", () -> LinAlg.solve(Nx.tensor(new int[][] {{3, 0, 0, 0}, {2, 1, 0, 0}, {1, 1, 1, 1}}),
                Nx.tensor(new int[] {4})));
        assertMessage("invert", () -> LinAlg.invert(rect));
        assertMessage("cholesky", () -> LinAlg.cholesky(Nx.tensor(new float[] {1, 2})));
        assertMessage("lu", () -> LinAlg.lu(Nx.tensor(new int[][] {{1, 1, 1, 1}, {-1, 4, 4, -1}, {4, -2, 2, 0}})));
        assertMessage("matrix_power", () -> LinAlg.matrixPower(Nx.tensor(new int[][] {{1, 2}, {3, 4}, {5, 6}}), 1));
        assertMessage("determinant", () -> LinAlg.determinant(Nx.tensor(new int[] {1, 2})));
        assertMessage("norm", () -> LinAlg.norm(Nx.iota(Shape.of(2, 2, 2), DType.F32)));
        assertMessage("cholesky", () -> LinAlg.cholesky(Nx.complex(Nx.eye(Shape.of(2, 2), DType.F32),
                Nx.eye(Shape.of(2, 2), DType.F32))));
    }

    private static void assertMessage(String op, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(op + ":"), e.getMessage());
    }
}
