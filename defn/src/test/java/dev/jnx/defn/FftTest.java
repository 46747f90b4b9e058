package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * fft, ifft, fft2, ifft2, rfft and irfft against the examples of {@code nx/lib/nx.ex}, each
 * run eagerly on the reference backend and jitted with {@link #compiler()}; exla-backend reruns
 * the class with XLA's {@code stablehlo.fft}.
 */
public class FftTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    private static final double TOL = 1e-5;

    /** {@code f(input)} eagerly and jitted must be c64 of {@code shape} with values {@code reIm} (re, im pairs). */
    private void complex(Function<Tensor, Tensor> f, Tensor input, int[] shape, double... reIm) {
        for (Tensor t : new Tensor[] {f.apply(input), Defn.jit(f, compiler()).apply(input)}) {
            assertEquals(DType.C64, t.type());
            assertArrayEquals(shape, t.shape().dims());
            Complex[] z = t.toComplexArray();
            assertEquals(reIm.length / 2, z.length);
            for (int i = 0; i < z.length; i++) {
                assertEquals(reIm[2 * i], z[i].re(), TOL, "re of element " + i + " of " + t);
                assertEquals(reIm[2 * i + 1], z[i].im(), TOL, "im of element " + i + " of " + t);
            }
        }
    }

    private void real(Function<Tensor, Tensor> f, Tensor input, int[] shape, double... values) {
        for (Tensor t : new Tensor[] {f.apply(input), Defn.jit(f, compiler()).apply(input)}) {
            assertEquals(DType.F32, t.type());
            assertArrayEquals(shape, t.shape().dims());
            assertArrayEquals(values, t.toDoubleArray(), TOL, t.toString());
        }
    }

    private static Complex c(double re, double im) {
        return Complex.of(re, im);
    }

    @Test
    void fft() {
        complex(Nx::fft, Nx.tensor(new int[] {1, 1, 0, 0}), new int[] {4}, 2, 0, 1, -1, 0, 0, 1, 1);
        complex(Nx::fft, Nx.tensor(new int[] {1, 1, 1, 0, 1, 1}), new int[] {6}, 5, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0);
        Tensor t = Nx.tensor(new int[][] {{1, 1, 1, 0, 1, 1}, {1, 1, 1, 0, 1, 1}});
        complex(x -> Nx.fft(x, 6, -1), t, new int[] {2, 6},
                5, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0, 5, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0);
        complex(x -> Nx.fft(x, 2, -2), t, new int[] {2, 6},
                2, 0, 2, 0, 2, 0, 0, 0, 2, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void fftLength() {
        complex(x -> Nx.fft(x, 4, -1), Nx.tensor(new int[] {1, 1}), new int[] {4}, 2, 0, 1, -1, 0, 0, 1, 1);
        complex(x -> Nx.fft(x, Nx.POWER_OF_TWO, -1), Nx.tensor(new int[] {1, 1, 0}), new int[] {4},
                2, 0, 1, -1, 0, 0, 1, 1);
        complex(x -> Nx.fft(x, 4, -1), Nx.tensor(new int[] {1, 1, 0, 0, 2, 3}), new int[] {4}, 2, 0, 1, -1, 0, 0, 1, 1);
        complex(x -> Nx.fft(x, 4, -1), Nx.tensor(new int[][] {{1, 1, 0, 0, 2, 3}, {1, 0, 0, 0, 2, 3}}), new int[] {2, 4},
                2, 0, 1, -1, 0, 0, 1, 1, 1, 0, 1, 0, 1, 0, 1, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Nx.fft(Nx.tensor(new int[] {1, 1}), 0, -1));
        assertTrue(e.getMessage().contains("fft"), e.getMessage());
    }

    @Test
    void ifft() {
        complex(Nx::ifft, Nx.tensor(new Complex[] {c(2, 0), c(1, -1), c(0, 0), c(1, 1)}), new int[] {4},
                1, 0, 1, 0, 0, 0, 0, 0);
        complex(Nx::ifft, Nx.tensor(new int[] {5, 1, -1, 1, -1, 1}), new int[] {6}, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0);
        Tensor t = Nx.tensor(new int[][] {{5, 1, -1, 1, -1, 1}, {5, 1, -1, 1, -1, 1}});
        complex(x -> Nx.ifft(x, 6, -1), t, new int[] {2, 6},
                1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 0, 1, 0);
        complex(x -> Nx.ifft(x, 2, -2), t, new int[] {2, 6},
                5, 0, 1, 0, -1, 0, 1, 0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        complex(x -> Nx.ifft(x, 4, -1), Nx.tensor(new int[] {1, 1}), new int[] {4}, 0.5, 0, 0.25, 0.25, 0, 0, 0.25, -0.25);
        complex(x -> Nx.ifft(x, Nx.POWER_OF_TWO, -1), Nx.tensor(new int[] {1, 1, 0}), new int[] {4},
                0.5, 0, 0.25, 0.25, 0, 0, 0.25, -0.25);
        complex(x -> Nx.ifft(x, 4, -1), Nx.tensor(new int[][] {{1, 1, 0, 0, 2, 3}, {1, 0, 0, 0, 2, 3}}), new int[] {2, 4},
                0.5, 0, 0.25, 0.25, 0, 0, 0.25, -0.25, 0.25, 0, 0.25, 0, 0.25, 0, 0.25, 0);
    }

    @Test
    void fft2() {
        complex(Nx::fft2, Nx.tensor(new int[][] {{1, 0, 1, 0}, {1, 1, 1, 1}}), new int[] {2, 4},
                6, 0, 0, 0, 2, 0, 0, 0, -2, 0, 0, 0, 2, 0, 0, 0);
        Tensor t = Nx.tensor(new int[][][] {{{1, 0, 1, 0}}, {{1, 1, 1, 1}}});
        complex(x -> Nx.fft2(x, null, new int[] {0, -1}), t, new int[] {2, 1, 4},
                6, 0, 0, 0, 2, 0, 0, 0, -2, 0, 0, 0, 2, 0, 0, 0);
        complex(x -> Nx.fft2(x, null, new int[] {-2, -1}), t, new int[] {2, 1, 4},
                2, 0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0);
        Tensor s = Nx.tensor(new int[][] {{1, 1}, {1, 0}});
        complex(x -> Nx.fft2(x, new int[] {2, 4}, new int[] {-2, -1}), s, new int[] {2, 4},
                3, 0, 2, -1, 1, 0, 2, 1, 1, 0, 0, -1, -1, 0, 0, 1);
        complex(x -> Nx.fft2(x, new int[] {4, 2}, new int[] {-2, -1}), s, new int[] {4, 2},
                3, 0, 1, 0, 2, -1, 0, -1, 1, 0, -1, 0, 2, 1, 0, 1);
        complex(x -> Nx.fft2(x, new int[] {Nx.POWER_OF_TWO, Nx.POWER_OF_TWO}, new int[] {-2, -1}),
                Nx.tensor(new int[][] {{1, 1, 0}, {1, 1, 0}, {1, 1, -1}}), new int[] {4, 4},
                5, 0, 4, -3, -1, 0, 4, 3, 1, -2, -2, -1, 1, 0, 0, -1,
                1, 0, 2, -1, -1, 0, 2, 1, 1, 2, 0, 1, 1, 0, -2, 1);
        complex(x -> Nx.fft2(x, new int[] {2, 4}, new int[] {0, 2}), Nx.tensor(new int[][][] {{{1, 1, 0, 0, 2, 3}}}),
                new int[] {2, 1, 4}, 2, 0, 1, -1, 0, 0, 1, 1, 2, 0, 1, -1, 0, 0, 1, 1);
        complex(x -> Nx.fft2(x, new int[] {2, 4}, new int[] {-2, -1}), Nx.tensor(new int[][][][] {
                        {{{1, 0, 1, 0, 10, 10}, {1, 1, 1, 1, 10, 10}}},
                        {{{-2, -2, -2, -2, 20, 20}, {0, 0, 0, 1, -20, -20}}}}), new int[] {2, 1, 2, 4},
                6, 0, 0, 0, 2, 0, 0, 0, -2, 0, 0, 0, 2, 0, 0, 0,
                -7, 0, 0, 1, -1, 0, 0, -1, -9, 0, 0, -1, 1, 0, 0, 1);
        assertThrows(IllegalArgumentException.class, () -> Nx.fft2(Nx.tensor(new int[] {1, 1})));
    }

    @Test
    void ifft2() {
        complex(Nx::ifft2, Nx.tensor(new int[][] {{6, 0, 2, 0}, {-2, 0, 2, 0}}), new int[] {2, 4},
                1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0);
        Tensor t = Nx.tensor(new int[][][] {{{6, 0, 2, 0}}, {{-2, 0, 2, 0}}});
        complex(x -> Nx.ifft2(x, null, new int[] {0, -1}), t, new int[] {2, 1, 4},
                1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0);
        complex(x -> Nx.ifft2(x, null, new int[] {-2, -1}), t, new int[] {2, 1, 4},
                2, 0, 1, 0, 2, 0, 1, 0, 0, 0, -1, 0, 0, 0, -1, 0);
        Tensor s = Nx.tensor(new int[][] {{8, 8}, {8, 0}});
        complex(x -> Nx.ifft2(x, new int[] {2, 4}, new int[] {-2, -1}), s, new int[] {2, 4},
                3, 0, 2, 1, 1, 0, 2, -1, 1, 0, 0, 1, -1, 0, 0, -1);
        complex(x -> Nx.ifft2(x, new int[] {4, 2}, new int[] {-2, -1}), s, new int[] {4, 2},
                3, 0, 1, 0, 2, 1, 0, 1, 1, 0, -1, 0, 2, -1, 0, -1);
        complex(x -> Nx.ifft2(x, new int[] {Nx.POWER_OF_TWO, Nx.POWER_OF_TWO}, new int[] {-2, -1}),
                Nx.tensor(new int[][] {{16, 16, 0}, {16, 16, 0}, {16, 16, -16}}), new int[] {4, 4},
                5, 0, 4, 3, -1, 0, 4, -3, 1, 2, -2, 1, 1, 0, 0, 1,
                1, 0, 2, 1, -1, 0, 2, -1, 1, -2, 0, -1, 1, 0, -2, -1);
        complex(x -> Nx.ifft2(x, new int[] {2, 4}, new int[] {0, 2}), Nx.tensor(new int[][][] {{{8, 8, 0, 0, 2, 3}}}),
                new int[] {2, 1, 4}, 2, 0, 1, 1, 0, 0, 1, -1, 2, 0, 1, 1, 0, 0, 1, -1);
    }

    @Test
    void rfft() {
        complex(Nx::rfft, Nx.tensor(new float[] {1, 1, 0, 0}), new int[] {3}, 2, 0, 1, -1, 0, 0);
        complex(Nx::rfft, Nx.tensor(new float[] {1, 1, 1, 0, 1, 1}), new int[] {4}, 5, 0, 1, 0, -1, 0, 1, 0);
        Tensor t = Nx.tensor(new float[][] {{1, 1, 0, 0}, {1, 0, 0, 0}});
        complex(x -> Nx.rfft(x, 4, -1), t, new int[] {2, 3}, 2, 0, 1, -1, 0, 0, 1, 0, 1, 0, 1, 0);
        complex(x -> Nx.rfft(x, 2, -2), t, new int[] {2, 4}, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
        complex(x -> Nx.rfft(x, 4, -1), Nx.tensor(new float[] {1, 1}), new int[] {3}, 2, 0, 1, -1, 0, 0);
        complex(x -> Nx.rfft(x, Nx.POWER_OF_TWO, -1), Nx.tensor(new float[] {1, 1, 0}), new int[] {3}, 2, 0, 1, -1, 0, 0);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Nx.rfft(Nx.tensor(new Complex[] {c(1, 0), c(0, 1)})));
        assertTrue(e.getMessage().contains("c64"), e.getMessage());
    }

    @Test
    void irfft() {
        real(Nx::irfft, Nx.tensor(new Complex[] {c(2, 0), c(1, -1), c(0, 0)}), new int[] {4}, 1, 1, 0, 0);
        real(Nx::irfft, Nx.tensor(new float[] {5, 1, -1, 1}), new int[] {6}, 1, 1, 1, 0, 1, 1);
        real(x -> Nx.irfft(x, 4, -1), Nx.tensor(new Complex[][] {{c(2, 0), c(1, -1), c(0, 0)}, {c(4, 0), c(0, 0), c(0, 0)}}),
                new int[] {2, 4}, 1, 1, 0, 0, 1, 1, 1, 1);
        // an odd length recovers an odd signal: rfft then irfft is the identity
        Tensor signal = Nx.tensor(new float[] {1, 2, 3, 4, 5});
        real(x -> Nx.irfft(Nx.rfft(x), 5, -1), signal, new int[] {5}, 1, 2, 3, 4, 5);
    }

    @Test
    void gradientOfFftIsFftOfTheCotangent() {
        // d/dx sum(real(fft(x))) = real(fft(ones)) = [n, 0, 0, ...] (Nx's rule: fft of the cotangent)
        var g = Defn.jit((Tensor x) -> Defn.grad(x, y -> Nx.sum(Nx.real(Nx.fft(y)))), compiler());
        assertArrayEquals(new double[] {4, 0, 0, 0}, g.apply(Nx.tensor(new float[] {1, 2, 3, 4})).toDoubleArray(), TOL);
        // with padding, the gradient is sliced back to the input's length
        var gp = Defn.jit((Tensor x) -> Defn.grad(x, y -> Nx.sum(Nx.real(Nx.fft(y, 4, -1)))), compiler());
        assertArrayEquals(new double[] {4, 0}, gp.apply(Nx.tensor(new float[] {1, 2})).toDoubleArray(), TOL);
        var gi = Defn.jit((Tensor x) -> Defn.grad(x, y -> Nx.sum(Nx.real(Nx.ifft(y)))), compiler());
        assertArrayEquals(new double[] {1, 0, 0, 0}, gi.apply(Nx.tensor(new float[] {1, 2, 3, 4})).toDoubleArray(), TOL);
    }

    @Test
    void agreesWithTheReferenceOverSizesAndAxes() {
        // prime, odd, even and power-of-two lengths, each axis, padding and truncation
        java.util.Random rng = new java.util.Random(7);
        int[][] shapes = {{1}, {2}, {3}, {5}, {7}, {8}, {12}, {2, 9}, {3, 4, 5}};
        for (int[] dims : shapes) {
            Tensor x = Nx.complex(randomTensor(rng, dims), randomTensor(rng, dims));
            for (int axis = 0; axis < dims.length; axis++) {
                final int ax = axis;
                int n = dims[axis];
                for (int len : new int[] {n, n + 3, Math.max(1, n - 1), Nx.POWER_OF_TWO}) {
                    agree(t -> Nx.fft(t, len, ax), x);
                    agree(t -> Nx.ifft(t, len, ax), x);
                }
                agree(t -> Nx.rfft(Nx.real(t), n, ax), x);
                agree(t -> Nx.irfft(t, 2 * n - 1, ax), x);
            }
        }
    }

    private static Tensor randomTensor(java.util.Random rng, int[] dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return Nx.reshape(Nx.tensor(v), s);
    }

    /** Eager (reference DFT) and jitted results of {@code f} agree within f32 rounding. */
    private void agree(Function<Tensor, Tensor> f, Tensor x) {
        Tensor eager = f.apply(x);
        Tensor jitted = Defn.jit(f, compiler()).apply(x);
        assertEquals(eager.type(), jitted.type());
        assertEquals(eager.shape(), jitted.shape());
        Complex[] a = eager.toComplexArray();
        Complex[] b = jitted.toComplexArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i].re(), b[i].re(), 1e-4, "re " + i);
            assertEquals(a[i].im(), b[i].im(), 1e-4, "im " + i);
        }
    }

    @Test
    void badInputNamesTheOp() {
        var axis = assertThrows(IllegalArgumentException.class, () -> Nx.fft(Nx.tensor(new int[] {1, 2}), 2, 1));
        assertTrue(axis.getMessage().contains("fft"), axis.getMessage());
        var scalar = assertThrows(IllegalArgumentException.class, () -> Nx.ifft(Nx.scalar(1.0f)));
        assertTrue(scalar.getMessage().contains("ifft") && scalar.getMessage().contains("rank"), scalar.getMessage());
        var len = assertThrows(IllegalArgumentException.class, () -> Nx.irfft(Nx.tensor(new float[] {1})));
        assertTrue(len.getMessage().contains("irfft") && len.getMessage().contains("length"), len.getMessage());
        // raised while tracing, before anything is compiled
        var traced = assertThrows(IllegalArgumentException.class,
                () -> Defn.jit((Tensor x) -> Nx.fft2(x), compiler()).apply(Nx.tensor(new float[] {1, 2})));
        assertTrue(traced.getMessage().contains("fft2"), traced.getMessage());
    }

    @Test
    void f64InputGivesC128() {
        Tensor r = Nx.fft(Nx.tensor(new double[] {1, 1, 0, 0}));
        assertEquals(DType.C128, r.type());
        Tensor j = Defn.jit((Tensor x) -> Nx.fft(x), compiler()).apply(Nx.tensor(new double[] {1, 1, 0, 0}));
        assertEquals(DType.C128, j.type());
        assertEquals(1.0, j.toComplexArray()[1].re(), 1e-12);
        assertEquals(-1.0, j.toComplexArray()[1].im(), 1e-12);
        assertEquals(Shape.of(4), j.shape());
    }
}
