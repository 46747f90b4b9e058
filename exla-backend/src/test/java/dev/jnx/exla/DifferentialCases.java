package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The op slice run through two compilers, result against result: every op over several shapes
 * and types, with type-appropriate tolerances. Plain Java, so a JUnit test or a scratch driver
 * can run it; {@link #run} returns the mismatches (empty when the compilers agree).
 */
final class DifferentialCases {
    static final List<Shape> SHAPES = List.of(Shape.scalar(), Shape.of(5), Shape.of(2, 3), Shape.of(2, 0, 3));
    static final List<DType> TYPES = List.of(DType.F32, DType.F64, DType.S32, DType.S64, DType.U8, DType.BF16, DType.F16);

    private record Case(String name, Defn.Variadic f, Tensor[] args) {
    }

    private DifferentialCases() {
    }

    /** Runs every case through {@code reference} and {@code underTest}; returns one line per mismatch. */
    static List<String> run(Compiler reference, Compiler underTest) {
        return run(reference, underTest, name -> true);
    }

    /** Like {@link #run(Compiler, Compiler)}, for the cases whose name {@code filter} accepts. */
    static List<String> run(Compiler reference, Compiler underTest, java.util.function.Predicate<String> filter) {
        List<String> failures = new ArrayList<>();
        int count = 0;
        for (Case c : cases()) {
            if (!filter.test(c.name())) {
                continue;
            }
            count++;
            String where = c.name() + describe(c.args());
            try {
                Tensor want = Defn.jit(c.f(), reference).apply(c.args());
                Tensor got = Defn.jit(c.f(), underTest).apply(c.args());
                String diff = DifferentialOps.compare(want, got);
                if (diff != null) {
                    failures.add(where + ": " + diff);
                }
            } catch (RuntimeException e) {
                failures.add(where + ": threw " + e);
            }
        }
        if (count == 0) {
            failures.add("only " + count + " cases generated");
        }
        return failures;
    }

    private static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(42);
        for (DType t : TYPES) {
            for (Shape s : SHAPES) {
                Tensor x = random(rnd, s, t);
                Tensor y = random(rnd, s, t);
                Tensor pos = positive(rnd, s, t);
                cs.add(new Case("negate", a -> Nx.negate(a[0]), new Tensor[]{x}));
                cs.add(new Case("exp", a -> Nx.exp(a[0]), new Tensor[]{x}));
                cs.add(new Case("log", a -> Nx.log(a[0]), new Tensor[]{pos}));
                cs.add(new Case("add", a -> Nx.add(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("subtract", a -> Nx.subtract(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("multiply", a -> Nx.multiply(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("divide", a -> Nx.divide(a[0], a[1]), new Tensor[]{x, pos}));
                cs.add(new Case("max", a -> Nx.max(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("min", a -> Nx.min(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("equal", a -> Nx.equal(a[0], a[1]), new Tensor[]{x, x}));
                cs.add(new Case("notEqual", a -> Nx.notEqual(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("less", a -> Nx.less(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("lessEqual", a -> Nx.lessEqual(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("greater", a -> Nx.greater(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("greaterEqual", a -> Nx.greaterEqual(a[0], a[1]), new Tensor[]{x, y}));
                cs.add(new Case("addNumber", a -> Nx.multiply(Nx.add(a[0], 2), 3), new Tensor[]{x}));
                cs.add(new Case("sum", a -> Nx.sum(a[0]), new Tensor[]{x}));
                cs.add(new Case("product", a -> Nx.product(a[0]), new Tensor[]{x}));
                cs.add(new Case("reduceMax", a -> Nx.reduceMax(a[0]), new Tensor[]{x}));
                cs.add(new Case("reduceMin", a -> Nx.reduceMin(a[0]), new Tensor[]{x}));
                cs.add(new Case("reshape", a -> Nx.reshape(a[0], Shape.of(s.size())), new Tensor[]{x}));
                cs.add(new Case("transpose", a -> Nx.transpose(a[0]), new Tensor[]{x}));
                cs.add(new Case("broadcast", a -> Nx.broadcast(a[0], Shape.of(append(4, s.dims()))), new Tensor[]{x}));
                cs.add(new Case("iota", a -> Nx.add(a[0], Nx.iota(s, t)), new Tensor[]{x}));
                cs.add(new Case("constant", a -> Nx.add(a[0], y), new Tensor[]{x}));
                cs.add(new Case("softmaxish", a -> Nx.divide(Nx.exp(a[0]), Nx.sum(Nx.exp(a[0]))), new Tensor[]{x}));
                for (DType to : TYPES) {
                    cs.add(new Case("asType_" + to, a -> Nx.asType(a[0], to), new Tensor[]{x}));
                }
                if (s.rank() >= 1) {
                    int last = s.rank() - 1;
                    cs.add(new Case("iotaAxis", a -> Nx.add(a[0], Nx.iota(s, t, last)), new Tensor[]{x}));
                    cs.add(new Case("sum0", a -> Nx.sum(a[0], new int[]{0}, false), new Tensor[]{x}));
                    cs.add(new Case("sumLastKeep", a -> Nx.sum(a[0], new int[]{last}, true), new Tensor[]{x}));
                    cs.add(new Case("max0Keep", a -> Nx.reduceMax(a[0], new int[]{0}, true), new Tensor[]{x}));
                    cs.add(new Case("minLast", a -> Nx.reduceMin(a[0], new int[]{last}, false), new Tensor[]{x}));
                    cs.add(new Case("product0", a -> Nx.product(a[0], new int[]{0}, false), new Tensor[]{x}));
                    // Broadcasting against a lower-rank operand: x + (last row of y's shape).
                    Tensor row = random(rnd, Shape.of(s.dim(last)), t);
                    cs.add(new Case("addBroadcastRow", a -> Nx.add(a[0], a[1]), new Tensor[]{x, row}));
                    cs.add(new Case("lessBroadcastRow", a -> Nx.less(a[1], a[0]), new Tensor[]{x, row}));
                    Tensor scalar = random(rnd, Shape.scalar(), t);
                    cs.add(new Case("subScalar", a -> Nx.subtract(a[1], a[0]), new Tensor[]{x, scalar}));
                    cs.add(new Case("dotSelf", a -> Nx.dot(a[0], new int[]{last}, a[0], new int[]{last}),
                            new Tensor[]{x}));
                }
                if (s.rank() == 2) {
                    cs.add(new Case("dotT", a -> Nx.dot(a[0], Nx.transpose(a[1])), new Tensor[]{x, y}));
                    cs.add(new Case("transpose01", a -> Nx.transpose(a[0], new int[]{1, 0}), new Tensor[]{x}));
                }
                if (s.rank() == 3) {
                    cs.add(new Case("dotBatched", a -> Nx.dot(a[0], new int[]{2}, new int[]{0}, a[1], new int[]{2},
                            new int[]{0}), new Tensor[]{x, y}));
                    cs.add(new Case("transpose120", a -> Nx.transpose(a[0], new int[]{1, 2, 0}), new Tensor[]{x}));
                }
            }
            // Mixed types go through the Nx layer's converts.
            Tensor xs = random(rnd, Shape.of(2, 3), t);
            Tensor ys = random(rnd, Shape.of(3), DType.S32);
            cs.add(new Case("mixedAdd", a -> Nx.add(a[0], a[1]), new Tensor[]{xs, ys}));
            cs.add(new Case("mixedGreater", a -> Nx.greater(a[0], a[1]), new Tensor[]{xs, ys}));
            Tensor b1 = random(rnd, Shape.of(2, 4, 3), t);
            Tensor b2 = random(rnd, Shape.of(2, 3, 5), t);
            cs.add(new Case("dotBatchedFull", a -> Nx.dot(a[0], new int[]{2}, new int[]{0}, a[1], new int[]{1},
                    new int[]{0}), new Tensor[]{b1, b2}));
            Tensor big = random(rnd, Shape.of(20, 30), t);
            cs.add(new Case("bigConstant", a -> Nx.add(a[0], big), new Tensor[]{random(rnd, Shape.of(20, 30), t)}));
            cs.add(new Case("splatConstant", a -> Nx.multiply(a[0], Nx.fill(Shape.of(20, 30), 3, t)),
                    new Tensor[]{big}));
        }
        for (DType t : List.of(DType.C64, DType.C128)) {
            // The contractions of complex types: the evaluator's Accumulator against XLA's dot.
            Tensor v = random(rnd, Shape.of(5), t);
            Tensor x = random(rnd, Shape.of(2, 3), t);
            Tensor y = random(rnd, Shape.of(2, 3), t);
            cs.add(new Case("dotSelf", a -> Nx.dot(a[0], new int[]{0}, a[0], new int[]{0}), new Tensor[]{v}));
            cs.add(new Case("dotT", a -> Nx.dot(a[0], Nx.transpose(a[1])), new Tensor[]{x, y}));
            cs.add(new Case("dotBatchedFull", a -> Nx.dot(a[0], new int[]{2}, new int[]{0}, a[1], new int[]{1},
                    new int[]{0}), new Tensor[]{random(rnd, Shape.of(2, 4, 3), t), random(rnd, Shape.of(2, 3, 5), t)}));
            cs.add(new Case("dotEmpty", a -> Nx.dot(a[0], new int[]{1}, a[1], new int[]{1}),
                    new Tensor[]{random(rnd, Shape.of(2, 0), t), random(rnd, Shape.of(3, 0), t)}));
        }
        ShapeDifferentialCases.addTo((name, f, args) -> cs.add(new Case(name, f, args)));
        return cs;
    }

    private static int[] append(int first, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = first;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    /**
     * Values exactly representable in every tested type: quarters in [-3, 3] for floats (both
     * parts of a complex number), small integers.
     */
    static Tensor random(SplittableRandom rnd, Shape s, DType t) {
        byte[] bytes = new byte[s.size() * t.byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < s.size(); i++) {
            if (t.isComplex()) {
                HostData.setComplex(m, t, i, rnd.nextInt(-12, 13) / 4.0, rnd.nextInt(-12, 13) / 4.0);
            } else if (t.isFloat()) {
                HostData.setDouble(m, t, i, rnd.nextInt(-12, 13) / 4.0);
            } else {
                HostData.setLong(m, t, i, t.isUnsigned() ? rnd.nextInt(0, 12) : rnd.nextInt(-10, 11));
            }
        }
        return Tensor.of(s, t, new HostData(bytes));
    }

    private static Tensor positive(SplittableRandom rnd, Shape s, DType t) {
        byte[] bytes = new byte[s.size() * t.byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < s.size(); i++) {
            if (t.isFloat()) {
                HostData.setDouble(m, t, i, rnd.nextInt(1, 13) / 4.0);
            } else {
                HostData.setLong(m, t, i, rnd.nextInt(1, 11));
            }
        }
        return Tensor.of(s, t, new HostData(bytes));
    }


    private static String describe(Tensor[] args) {
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < args.length; i++) {
            s.append(i == 0 ? "" : ", ").append(args[i].type()).append(args[i].shape());
        }
        return s.append(')').toString();
    }
}
