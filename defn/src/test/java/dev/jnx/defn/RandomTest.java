package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Random} against the examples of {@code nx/lib/nx/random.ex}. Each example runs
 * eagerly on the reference backend and jitted with {@link #compiler()}, taking the key as a
 * traced argument so that the Threefry rounds themselves are compiled; exla-backend reruns
 * the class with XLA. Integer results (keys, bits, randint, shuffle, choice) must be equal
 * bit for bit; floats are compared to the printed digits of Nx's shortest representation.
 */
public class RandomTest {
    /** The compiler the jitted functions of these tests use. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** {@code f(key)} eagerly and jitted, checking both with {@code check}. */
    private void both(Tensor key, Function<Tensor, Tensor> f, java.util.function.Consumer<Tensor> check) {
        check.accept(f.apply(key));
        check.accept(Defn.jit(f, compiler()).apply(key));
    }

    private void exactLongs(Tensor key, Function<Tensor, Tensor> f, DType type, int[] shape, long... expected) {
        both(key, f, t -> {
            assertEquals(type, t.type());
            assertArrayEquals(shape, t.shape().dims());
            assertArrayEquals(expected, t.toLongArray());
        });
    }

    private void close(Tensor key, Function<Tensor, Tensor> f, DType type, int[] shape, double tol, double... expected) {
        both(key, f, t -> {
            assertEquals(type, t.type());
            assertArrayEquals(shape, t.shape().dims());
            double[] got = t.toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], got[i], tol * Math.max(1, Math.abs(expected[i])), "element " + i);
            }
        });
    }

    @Test
    void keySplitsASeedIntoTwoWords() {
        assertArrayEquals(new long[] {0, 12}, Random.key(12).toLongArray());
        assertArrayEquals(new long[] {232, 3567587327L}, Random.key(999999999999L).toLongArray());
        assertEquals(DType.U32, Random.key(12).type());
        var f = Defn.jit(Random::key, compiler());
        assertArrayEquals(new long[] {232, 3567587327L}, f.apply(Nx.scalar(999999999999L, DType.S64)).toLongArray());
    }

    @Test
    void split() {
        exactLongs(Random.key(1701), Random::split, DType.U32, new int[] {2, 2},
                56197195, 1801093307, 961309823, 1704866707);
        exactLongs(Random.key(1701), k -> Random.split(k, 4), DType.U32, new int[] {4, 2},
                4000152724L, 2030591747, 2287976877L, 2598630646L, 2426625787L, 580268518, 3136765380L, 433355682);
    }

    @Test
    void foldIn() {
        exactLongs(Random.key(42), k -> Random.foldIn(k, 99), DType.U32, new int[] {2}, 2015327502, 1351855566);
        exactLongs(Random.key(42), k -> Random.foldIn(k, 1234), DType.U32, new int[] {2}, 1356445167, 2917756949L);
        exactLongs(Random.key(42), k -> Random.foldIn(k, Nx.tensor(new int[][] {{1, 99}, {1234, 13}})), DType.U32,
                new int[] {2, 2, 2},
                64467757, 2916123636L, 2015327502, 1351855566, 1356445167, 2917756949L, 3514951389L, 229662949);
    }

    @Test
    void randint() {
        exactLongs(Random.key(1701), k -> Random.randint(k, 1, 100).value(), DType.S32, new int[] {}, 91);
        exactLongs(Random.key(1701), k -> Random.randint(k, 1, 100, Shape.of(3, 2), DType.U32).value(), DType.U32,
                new int[] {3, 2}, 9, 20, 19, 6, 71, 15);
    }

    @Test
    void uniform() {
        close(Random.key(1701), k -> Random.uniform(k).value(), DType.F32, new int[] {}, 1e-7, 0.9728644);
        close(Random.key(1701), k -> Random.uniform(k, Shape.of(3, 2), DType.F16).value(), DType.F16, new int[] {3, 2},
                1e-3, 0.754, 0.6484, 0.7295, 0.2148, 0.09766, 0.06934);
        // the module doc: a fresh key 12 draws 0.7691127
        close(Random.key(12), k -> Random.uniform(k).value(), DType.F32, new int[] {}, 1e-7, 0.7691127);
    }

    @Test
    void uniformComplex() {
        both(Random.key(1701), k -> Random.uniform(k, Shape.of(2, 2), DType.C64).value(), t -> {
            assertEquals(DType.C64, t.type());
            double[] re = {0.18404806, 0.55259156, 0.6074585, 0.2476865};
            double[] im = {0.65464616, 0.11568141, 0.81043756, 0.2197547};
            var z = t.toComplexArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(re[i], z[i].re(), 1e-7);
                assertEquals(im[i], z[i].im(), 1e-7);
            }
        });
    }

    @Test
    void normal() {
        close(Random.key(42), k -> Random.normal(k).value(), DType.F32, new int[] {}, 2e-6, 1.3694695);
        close(Random.key(42), k -> Random.normal(k, Shape.of(3, 2), DType.F16, 0, 1).value(), DType.F16,
                new int[] {3, 2}, 2e-3, -0.3257, -0.772, 0.392, 0.534, 0.2708, -2.08);
        both(Random.key(42), k -> Random.normal(k, Shape.of(2, 2), DType.C64, 0, 1).value(), t -> {
            double[] re = {-0.7632761, -0.1428289, 0.6784615, -2.2695384};
            double[] im = {0.86611277, -0.7384796, 0.41183108, -0.3689095};
            var z = t.toComplexArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(re[i], z[i].re(), 2e-6);
                assertEquals(im[i], z[i].im(), 2e-6);
            }
        });
        both(Random.key(1337), k -> Random.normal(k, Shape.of(1000), DType.F32, 10, 5).value(), t -> {
            assertEquals(9.700222, Nx.mean(t).toDouble(), 1e-4);
            assertEquals(5.0514164, Nx.standardDeviation(t).toDouble(), 1e-4);
        });
    }

    @Test
    void gumbel() {
        close(Random.key(1), k -> Random.gumbel(k, Shape.scalar(), DType.F32).value(), DType.F32, new int[] {}, 2e-6,
                -0.729461);
        close(Random.key(1), k -> Random.gumbel(k, Shape.of(2, 3), DType.F32).value(), DType.F32, new int[] {2, 3}, 2e-6,
                0.6247938, -0.21740718, 0.76783276, 0.77784044, 4.0895305, 0.30290902);
    }

    @Test
    void shuffle() {
        exactLongs(Random.key(42), k -> Random.shuffle(k, Nx.iota(Shape.of(3, 4), DType.S32, 0)).value(), DType.S32,
                new int[] {3, 4}, 2, 2, 2, 2, 0, 0, 0, 0, 1, 1, 1, 1);
        exactLongs(Random.key(10), k -> Random.shuffle(k, Nx.iota(Shape.of(3, 4), DType.S32, 1), 1, true).value(),
                DType.S32, new int[] {3, 4}, 2, 1, 3, 0, 3, 0, 1, 2, 2, 3, 0, 1);
    }

    @Test
    void choice() {
        Tensor t = Nx.iota(Shape.of(4, 3), DType.S32);
        exactLongs(Random.key(1), k -> Random.choice(k, t, 4, 0, true).value(), DType.S32, new int[] {4, 3},
                6, 7, 8, 9, 10, 11, 6, 7, 8, 0, 1, 2);
        exactLongs(Random.key(1), k -> Random.choice(k, t, 4, 0, false).value(), DType.S32, new int[] {4, 3},
                3, 4, 5, 9, 10, 11, 6, 7, 8, 0, 1, 2);
        Tensor t2 = Nx.iota(Shape.of(3, 2), DType.S32);
        exactLongs(Random.key(2), k -> Random.choice(k, t2).value(), DType.S32, new int[] {1}, 4);
        exactLongs(Random.key(2), k -> Random.choice(k, t2, 6, null, false).value(), DType.S32, new int[] {6},
                2, 0, 4, 5, 1, 3);
    }

    @Test
    void choiceWithProbabilities() {
        Tensor t = Nx.iota(Shape.of(4, 3), DType.S32);
        Tensor p = Nx.tensor(new float[] {0.1f, 0.7f, 0.2f});
        exactLongs(Random.key(1), k -> Random.choice(k, t, p, 3, 1, true).value(), DType.S32, new int[] {4, 3},
                1, 0, 1, 4, 3, 4, 7, 6, 7, 10, 9, 10);
        exactLongs(Random.key(1), k -> Random.choice(k, t, p, 3, 1, false).value(), DType.S32, new int[] {4, 3},
                1, 2, 0, 4, 5, 3, 7, 8, 6, 10, 11, 9);
        Tensor t2 = Nx.iota(Shape.of(2, 3), DType.S32);
        Tensor p2 = Nx.tensor(new float[] {0.01f, 0.1f, 0.19f, 0.6f, 0.05f, 0.05f});
        exactLongs(Random.key(2), k -> Random.choice(k, t2, p2, 1, null, true).value(), DType.S32, new int[] {1}, 3);
        exactLongs(Random.key(2), k -> Random.choice(k, t2, p2, 6, null, true).value(), DType.S32, new int[] {6},
                3, 3, 3, 0, 3, 3);
        exactLongs(Random.key(2), k -> Random.choice(k, t2, p2, 6, null, false).value(), DType.S32, new int[] {6},
                3, 1, 2, 5, 4, 0);
    }

    @Test
    void sameBitsEagerAndJittedOverShapesAndTypes() {
        // empty, one, odd and even sizes; every float type and several integer widths. Each
        // shape jits one function returning every draw, to keep the compiled run short.
        int[][] shapes = {{0}, {}, {5}, {2, 3}, {3, 0, 2}};
        DType[] floats = {DType.F32, DType.F64, DType.F16, DType.BF16, DType.C64, DType.C128};
        DType[] ints = {DType.U8, DType.S8, DType.U16, DType.S32, DType.U32, DType.S64, DType.U64};
        for (int seed = 0; seed < 1; seed++) {
            Tensor key = Random.foldIn(Random.key(1000 + seed), seed);
            for (int[] dims : shapes) {
                Shape shape = Shape.of(dims);
                List<Function<Tensor, Tensor>> exact = new ArrayList<>();
                List<Function<Tensor, Tensor>> rounded = new ArrayList<>();
                for (DType t : floats) {
                    exact.add(k -> Random.uniform(k, shape, t).value());
                    // XLA:CPU may contract u·(max-min)+min into one fused multiply-add, and
                    // erfInv is a transcendental each backend rounds its own way
                    rounded.add(k -> Random.uniform(k, shape, t, -2.0, 3.0).value());
                    rounded.add(k -> Random.normal(k, shape, t).value());
                }
                for (DType t : ints) {
                    exact.add(k -> Random.randint(k, 0, 100, shape, t).value());
                }
                exact.add(k -> Random.split(k, Math.max(1, shape.size())));
                exact.add(k -> Random.foldIn(k, Nx.iota(shape, DType.S64)));
                List<Function<Tensor, Tensor>> all = new ArrayList<>(exact);
                all.addAll(rounded);
                List<Tensor> jitted = Defn.jit((Tensor k) -> all.stream().map(f -> f.apply(k)).toList(), compiler()).apply(key);
                for (int i = 0; i < all.size(); i++) {
                    Tensor eager = all.get(i).apply(key);
                    if (i < exact.size()) {
                        sameBits(eager, jitted.get(i));
                    } else {
                        sameUpToRounding(eager, jitted.get(i));
                    }
                }
            }
        }
    }

    /** Eager and jitted results agree to within the rounding of their type's transcendentals. */
    private static void sameUpToRounding(Tensor eager, Tensor jitted) {
        assertEquals(eager.type(), jitted.type());
        assertEquals(eager.shape(), jitted.shape());
        double eps = switch (eager.type()) {
            case F16 -> 0x1p-9;
            case BF16 -> 0x1p-6;
            case F64, C128 -> 1e-12;
            // XLA's f32 erfInv polynomial loses a few more bits in the tails (|normal| > 3)
            default -> 2e-5;
        };
        double[] a = Nx.real(eager).toDoubleArray();
        double[] b = Nx.real(jitted).toDoubleArray();
        double[] ai = Nx.imag(eager).toDoubleArray();
        double[] bi = Nx.imag(jitted).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], eps * Math.max(1, Math.abs(a[i])), "element " + i);
            assertEquals(ai[i], bi[i], eps * Math.max(1, Math.abs(ai[i])), "imaginary part " + i);
        }
    }

    /** Eager and jitted results agree byte for byte. */
    private static void sameBits(Tensor eager, Tensor jitted) {
        assertEquals(eager.type(), jitted.type());
        assertEquals(eager.shape(), jitted.shape());
        assertArrayEquals(eager.toByteArray(), jitted.toByteArray(), () -> eager + " vs " + jitted);
    }

    @Test
    void drawsAreConstantsForGradients() {
        // d/dx sum(x * u) = u: the random values carry no gradient and are the same in the rule
        Tensor key = Random.key(7);
        Tensor u = Random.uniform(key, Shape.of(3), DType.F32).value();
        var g = Defn.jit((Tensor x, Tensor k) -> Defn.grad(x,
                y -> Nx.sum(Nx.multiply(y, Random.uniform(k, Shape.of(3), DType.F32).value()))), compiler());
        assertArrayEquals(u.toFloatArray(), g.apply(Nx.tensor(new float[] {1, 2, 3}), key).toFloatArray());
    }

    @Test
    void nextKeyIsTheFirstHalfOfTheSplit() {
        Tensor key = Random.key(1701);
        Random.Draw d = Random.uniform(key);
        assertArrayEquals(new long[] {56197195, 1801093307}, d.key().toLongArray());
        // drawing with the next key differs from the first draw
        assertTrue(Random.uniform(d.key()).value().toDouble() != d.value().toDouble());
    }

    @Test
    void badInputNamesTheOpAndTheKey() {
        var e = assertThrows(IllegalArgumentException.class, () -> Random.split(Nx.tensor(new int[] {1, 2})));
        assertTrue(e.getMessage().contains("Random.split") && e.getMessage().contains("u32") == false
                && e.getMessage().contains("s32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Random.uniform(Random.key(1), Shape.scalar(), DType.S32));
        assertThrows(IllegalArgumentException.class,
                () -> Random.randint(Random.key(1), 0, 10, Shape.scalar(), DType.F32));
        assertThrows(IllegalArgumentException.class,
                () -> Random.choice(Random.key(1), Nx.iota(Shape.of(3), DType.S32), 4, 0, false));
    }
}
