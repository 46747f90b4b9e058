package dev.jnx.exla.fuzz;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.LinAlg;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Builds the fuzzer's random {@link Graph}s from the public API, deterministically from a seed.
 * Inputs have random types (all fourteen), shapes of rank 0 to 3 with size-0 and size-1
 * dimensions (square matrices often, for LinAlg), and values that are mostly small exact
 * fractions (so sums and products are exact in every type) sprinkled with NaN, ±Inf, -0,
 * subnormals, the largest finite value and, for integers, the type's extremes.
 *
 * <p>Each step is an API call chosen from the op table below, over earlier values, with random
 * options (axes, windows, paddings, indices...). It is run eagerly (the reference backend) while
 * generating, which gives the shapes the next steps build on: a call the API refuses with a
 * documented exception is dropped, or, now and then, kept as the graph's last step (an "expected
 * error" graph: both compilers must refuse it the same way); a call that fails any other way is
 * kept as the last step too, and reported as an internal error.
 */
final class GraphGenerator {
    /** Exception types the API documents for bad input; anything else escaping it is an internal error. */
    static boolean documented(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException;
    }

    private static final DType[] TYPES = DType.values();
    private static final int MAX_SIZE = 512;

    /** An entry of the op table: builds a step over the pool, or returns null when it does not apply. */
    private interface Op {
        Graph.Step build(SplittableRandom r, List<Tensor> pool);
    }

    private final List<Op> ops = new ArrayList<>();

    GraphGenerator() {
        table();
    }

    Graph generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Tensor> pool = new ArrayList<>();
        int nInputs = 1 + r.nextInt(3);
        for (int i = 0; i < nInputs; i++) {
            pool.add(input(r, i > 0 && r.nextInt(3) == 0 ? pool.get(0).shape() : shape(r), type(r)));
        }
        List<Tensor> inputs = List.copyOf(pool);
        List<Graph.Step> steps = new ArrayList<>();
        int nSteps = 1 + r.nextInt(6);
        Class<?> refused = null;
        for (int s = 0; s < nSteps && refused == null; s++) {
            for (int attempt = 0; attempt < 20; attempt++) {
                Graph.Step step = ops.get(r.nextInt(ops.size())).build(r, pool);
                if (step == null) {
                    continue;
                }
                Tensor v;
                try {
                    v = step.apply(pool);
                } catch (RuntimeException | StackOverflowError e) {
                    if (!documented(e) || r.nextInt(8) == 0) {
                        steps.add(step);
                        refused = e.getClass();
                        break;
                    }
                    continue;
                }
                if (v.size() > MAX_SIZE) {
                    continue;
                }
                steps.add(step);
                pool.add(v);
                break;
            }
        }
        if (refused != null || steps.isEmpty()) {
            return new Graph(seed, inputs, steps, new int[] {pool.size() - 1}, -1, refused);
        }
        Tensor last = pool.get(pool.size() - 1);
        if (!last.type().isInteger() && r.nextInt(3) == 0) {
            List<Integer> floats = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                if (!inputs.get(i).type().isInteger()) {
                    floats.add(i);
                }
            }
            if (!floats.isEmpty()) {
                int g = floats.get(r.nextInt(floats.size()));
                Graph grad = new Graph(seed, inputs, steps, new int[0], g, null);
                try {
                    grad.apply(inputs);
                    return grad;
                } catch (RuntimeException e) {
                    if (!documented(e)) {
                        return new Graph(seed, inputs, steps, new int[0], g, e.getClass());
                    }
                    // a documented refusal to differentiate some op: keep the forward graph
                }
            }
        }
        int[] outs = r.nextInt(3) == 0 && pool.size() > 2
                ? new int[] {pool.size() - 1, inputs.size() + r.nextInt(steps.size())}
                : new int[] {pool.size() - 1};
        return new Graph(seed, inputs, steps, outs, -1, null);
    }

    // ---- random inputs --------------------------------------------------------------------

    private static Shape shape(SplittableRandom r) {
        if (r.nextInt(4) == 0) {
            int n = r.nextInt(5);
            return r.nextBoolean() ? Shape.of(n, n) : Shape.of(1 + r.nextInt(2), n, n);
        }
        int rank = r.nextInt(4);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            int k = r.nextInt(12);
            dims[i] = k == 0 ? 0 : k < 4 ? 1 : 2 + r.nextInt(3);
        }
        return Shape.of(dims);
    }

    private static DType type(SplittableRandom r) {
        // f32 and f64 carry gradients and most of the math: drawn more often
        return r.nextInt(3) == 0 ? (r.nextBoolean() ? DType.F32 : DType.F64) : TYPES[r.nextInt(TYPES.length)];
    }

    static Tensor input(SplittableRandom r, Shape s, DType t) {
        byte[] bytes = new byte[s.size() * t.byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        boolean specials = r.nextInt(3) == 0;
        for (int i = 0; i < s.size(); i++) {
            if (t.isComplex()) {
                HostData.setComplex(m, t, i, real(r, t, specials), real(r, t, specials));
            } else if (t.isInteger()) {
                HostData.setLong(m, t, i, integer(r, t, specials));
            } else {
                HostData.setDouble(m, t, i, real(r, t, specials));
            }
        }
        return Tensor.of(s, t, new HostData(bytes));
    }

    private static double real(SplittableRandom r, DType t, boolean specials) {
        if (!specials || r.nextInt(4) != 0) {
            return (r.nextInt(25) - 12) / 4.0;
        }
        DType real = t.toReal();
        return switch (r.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> Double.POSITIVE_INFINITY;
            case 2 -> Double.NEGATIVE_INFINITY;
            case 3 -> -0.0;
            case 4 -> real == DType.F64 ? 1e-310 : real == DType.F16 ? 3e-7 : 1e-40; // subnormal
            case 5 -> real == DType.F64 ? 1e300 : real == DType.F16 ? 60000 : 3e38; // near the largest finite
            case 6 -> 1e10;
            default -> -1e-3;
        };
    }

    private static long integer(SplittableRandom r, DType t, boolean specials) {
        if (!specials || r.nextInt(4) != 0) {
            int k = r.nextInt(25) - 12;
            return t.isUnsigned() ? Math.abs(k) : k;
        }
        long max = t.bits() == 64 ? (t.isUnsigned() ? -1L : Long.MAX_VALUE)
                : t.isUnsigned() ? (1L << t.bits()) - 1 : (1L << (t.bits() - 1)) - 1;
        long min = t.isUnsigned() ? 0 : t.bits() == 64 ? Long.MIN_VALUE : -(1L << (t.bits() - 1));
        return switch (r.nextInt(3)) {
            case 0 -> max;
            case 1 -> min;
            default -> t.isUnsigned() ? max - 1 : -1;
        };
    }

    // ---- the op table ---------------------------------------------------------------------

    private static int pick(SplittableRandom r, List<Tensor> pool) {
        // later values more often: chains of ops, not only ops of the inputs
        int n = pool.size();
        return r.nextBoolean() ? n - 1 : r.nextInt(n);
    }

    /** A value broadcastable with {@code a}'s shape: the same shape, a scalar or a trailing-dims match. */
    private static int partner(SplittableRandom r, List<Tensor> pool, int a) {
        Shape sa = pool.get(a).shape();
        List<Integer> fits = new ArrayList<>();
        for (int i = 0; i < pool.size(); i++) {
            Shape sb = pool.get(i).shape();
            if (i != a && (sb.equals(sa) || sb.rank() == 0 || broadcastable(sa, sb))) {
                fits.add(i);
            }
        }
        return fits.isEmpty() || r.nextInt(5) == 0 ? a : fits.get(r.nextInt(fits.size()));
    }

    private static boolean broadcastable(Shape a, Shape b) {
        for (int i = 1; i <= Math.min(a.rank(), b.rank()); i++) {
            int x = a.dim(a.rank() - i);
            int y = b.dim(b.rank() - i);
            if (x != y && x != 1 && y != 1) {
                return false;
            }
        }
        return true;
    }

    private static Graph.Step step(String op, int[] operands, String text, Function<Tensor[], Tensor> fn) {
        return new Graph.Step(op, operands, fn, text);
    }

    private void unary(String name, Function<Tensor, Tensor> f) {
        ops.add((r, pool) -> step(name, new int[] {pick(r, pool)}, name, a -> f.apply(a[0])));
    }

    private void binary(String name, java.util.function.BinaryOperator<Tensor> f) {
        ops.add((r, pool) -> {
            int a = pick(r, pool);
            int b = partner(r, pool, a);
            boolean swap = r.nextBoolean();
            return step(name, swap ? new int[] {b, a} : new int[] {a, b}, name, x -> f.apply(x[0], x[1]));
        });
    }

    /** An op of one operand whose options depend on its shape. */
    private void shaped(String name, ShapedOp f) {
        ops.add((r, pool) -> {
            int a = pick(r, pool);
            Tensor x = pool.get(a);
            Built b = f.build(r, x.shape(), x.type());
            return b == null ? null : step(name, new int[] {a}, name + b.text, v -> b.fn.apply(v[0]));
        });
    }

    private interface ShapedOp {
        Built build(SplittableRandom r, Shape s, DType t);
    }

    private record Built(String text, Function<Tensor, Tensor> fn) {
    }

    private static Built built(String text, Function<Tensor, Tensor> fn) {
        return new Built(text, fn);
    }

    private static int[] randomAxes(SplittableRandom r, int rank) {
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < rank; i++) {
            if (r.nextBoolean()) {
                axes.add(i);
            }
        }
        if (axes.isEmpty() && rank > 0) {
            axes.add(r.nextInt(rank));
        }
        return axes.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] permutation(SplittableRandom r, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Tensor indices(SplittableRandom r, int bound, int... dims) {
        int n = Shape.of(dims).size();
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
            v[i] = bound == 0 ? 0 : r.nextInt(bound);
        }
        return Nx.tensor(v, dims);
    }

    private static String a(int[] v) {
        return Arrays.toString(v);
    }

    private void table() {
        // element-wise, one operand: the API decides which types each accepts
        unary("negate", Nx::negate);
        unary("exp", Nx::exp);
        unary("log", Nx::log);
        unary("sqrt", Nx::sqrt);
        unary("tanh", Nx::tanh);
        unary("abs", Nx::abs);
        unary("sign", Nx::sign);
        unary("ceil", Nx::ceil);
        unary("floor", Nx::floor);
        unary("round", Nx::round);
        unary("expm1", Nx::expm1);
        unary("log1p", Nx::log1p);
        unary("log2", Nx::log2);
        unary("log10", Nx::log10);
        unary("sigmoid", Nx::sigmoid);
        unary("rsqrt", Nx::rsqrt);
        unary("cbrt", Nx::cbrt);
        unary("sin", Nx::sin);
        unary("cos", Nx::cos);
        unary("tan", Nx::tan);
        unary("asin", Nx::asin);
        unary("acos", Nx::acos);
        unary("atan", Nx::atan);
        unary("sinh", Nx::sinh);
        unary("cosh", Nx::cosh);
        unary("asinh", Nx::asinh);
        unary("acosh", Nx::acosh);
        unary("atanh", Nx::atanh);
        unary("erf", Nx::erf);
        unary("erfc", Nx::erfc);
        unary("erfInv", Nx::erfInv);
        unary("isNan", Nx::isNan);
        unary("isInfinity", Nx::isInfinity);
        unary("bitwiseNot", Nx::bitwiseNot);
        unary("populationCount", Nx::populationCount);
        unary("countLeadingZeros", Nx::countLeadingZeros);
        unary("real", Nx::real);
        unary("imag", Nx::imag);
        unary("conjugate", Nx::conjugate);
        unary("phase", Nx::phase);
        unary("logicalNot", Nx::logicalNot);
        // element-wise, two operands (broadcasting, type promotion)
        binary("add", Nx::add);
        binary("subtract", Nx::subtract);
        binary("multiply", Nx::multiply);
        binary("divide", Nx::divide);
        binary("max", Nx::max);
        binary("min", Nx::min);
        binary("equal", Nx::equal);
        binary("notEqual", Nx::notEqual);
        binary("less", Nx::less);
        binary("lessEqual", Nx::lessEqual);
        binary("greater", Nx::greater);
        binary("greaterEqual", Nx::greaterEqual);
        binary("quotient", Nx::quotient);
        binary("remainder", Nx::remainder);
        binary("pow", Nx::pow);
        binary("atan2", Nx::atan2);
        binary("bitwiseAnd", Nx::bitwiseAnd);
        binary("bitwiseOr", Nx::bitwiseOr);
        binary("bitwiseXor", Nx::bitwiseXor);
        binary("leftShift", Nx::leftShift);
        binary("rightShift", Nx::rightShift);
        binary("logicalAnd", Nx::logicalAnd);
        binary("logicalOr", Nx::logicalOr);
        binary("logicalXor", Nx::logicalXor);
        binary("complex", Nx::complex);
        binary("outer", Nx::outer);
        binary("select", (p, x) -> Nx.select(Nx.notEqual(p, 0), x, Nx.negate(x)));
        binary("clip", (x, lo) -> Nx.clip(x, lo, Nx.add(lo, 2)));
        binary("dot", (x, y) -> Nx.dot(x, y));
        binary("matmul", LinAlg::matmul);
        binary("concatenate", (x, y) -> Nx.concatenate(List.of(x, y), 0));
        binary("stack", (x, y) -> Nx.stack(List.of(x, y), 0));
        binary("weightedMean", (x, w) -> Nx.weightedMean(x, w));
        binary("cond", (p, x) -> Defn.cond(Nx.any(Nx.notEqual(p, 0)), () -> Nx.add(x, 1), () -> Nx.multiply(x, 2)));
        binary("whileLoop", (x, c) -> {
            List<Tensor> out = Defn.whileLoop(List.of(Nx.scalar(0, DType.S32), x),
                    st -> Nx.less(st.get(0), 3), st -> List.of(Nx.add(st.get(0), 1), Nx.add(st.get(1), c)));
            return out.get(1);
        });
        binary("putSlice", (x, y) -> Nx.putSlice(x, new int[x.rank()], y));
        binary("putDiagonal", (x, d) -> Nx.putDiagonal(x, d, 0));
        binary("triangularSolve", (a, b) -> LinAlg.triangularSolve(dominant(a), b));
        binary("solve", (a, b) -> LinAlg.solve(dominant(a), b));
        binary("allClose", Nx::allClose);
        // reductions over random axes
        shaped("sum", (r, s, t) -> axesOp(r, s, Nx::sum));
        shaped("product", (r, s, t) -> axesOp(r, s, Nx::product));
        shaped("mean", (r, s, t) -> axesOp(r, s, Nx::mean));
        shaped("reduceMax", (r, s, t) -> axesOp(r, s, Nx::reduceMax));
        shaped("reduceMin", (r, s, t) -> axesOp(r, s, Nx::reduceMin));
        shaped("all", (r, s, t) -> axesOp(r, s, Nx::all));
        shaped("any", (r, s, t) -> axesOp(r, s, Nx::any));
        shaped("logsumexp", (r, s, t) -> axesOp(r, s, Nx::logsumexp));
        shaped("variance", (r, s, t) -> {
            int[] axes = randomAxes(r, s.rank());
            int ddof = r.nextInt(2);
            boolean keep = r.nextBoolean();
            return built("(" + a(axes) + ", ddof " + ddof + ", keep " + keep + ")", x -> Nx.variance(x, axes, ddof, keep));
        });
        shaped("standardDeviation", (r, s, t) -> built("", Nx::standardDeviation));
        shaped("reduce", (r, s, t) -> {
            int[] axes = randomAxes(r, s.rank());
            boolean keep = r.nextBoolean();
            int init = r.nextInt(3);
            int fn = r.nextInt(3);
            java.util.function.BinaryOperator<Tensor> f = fn == 0 ? Nx::add : fn == 1 ? Nx::multiply : Nx::max;
            return built("(init " + init + ", " + a(axes) + ", keep " + keep + ", " + new String[] {"add", "multiply",
                "max"}[fn] + ")", x -> Nx.reduce(x, init, axes, keep, f));
        });
        shaped("argmax", (r, s, t) -> s.rank() == 0 ? built("", Nx::argmax) : argOp(r, s, true));
        shaped("argmin", (r, s, t) -> s.rank() == 0 ? built("", Nx::argmin) : argOp(r, s, false));
        shaped("median", (r, s, t) -> s.rank() == 0 ? built("", Nx::median) 
                : axisOp(r, s, (x, ax, keep) -> Nx.median(x, ax, keep)));
        shaped("mode", (r, s, t) -> s.rank() == 0 ? built("", Nx::mode) 
                : axisOp(r, s, (x, ax, keep) -> Nx.mode(x, ax, keep)));
        // sorting and scans
        shaped("sort", (r, s, t) -> s.rank() == 0 ? null : axisOp(r, s, (x, ax, d) -> Nx.sort(x, ax, d)));
        shaped("argsort", (r, s, t) -> s.rank() == 0 ? null
                : axisOp(r, s, (x, ax, d) -> Nx.argsort(x, ax, d)));
        shaped("topK", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int k = r.nextInt(s.dim(-1) + 1);
            int which = r.nextInt(2);
            return built("(k " + k + ")[" + which + "]", x -> Nx.topK(x, k)[which]);
        });
        shaped("cumulativeSum", (r, s, t) -> s.rank() == 0 ? null 
                : axisOp(r, s, (x, ax, rev) -> Nx.cumulativeSum(x, ax, rev)));
        shaped("cumulativeProduct", (r, s, t) -> s.rank() == 0 ? null 
                : axisOp(r, s, (x, ax, rev) -> Nx.cumulativeProduct(x, ax, rev)));
        shaped("cumulativeMax", (r, s, t) -> s.rank() == 0 ? null 
                : axisOp(r, s, (x, ax, rev) -> Nx.cumulativeMax(x, ax, rev)));
        shaped("cumulativeMin", (r, s, t) -> s.rank() == 0 ? null 
                : axisOp(r, s, (x, ax, rev) -> Nx.cumulativeMin(x, ax, rev)));
        // types
        shaped("asType", (r, s, t) -> {
            DType to = TYPES[r.nextInt(TYPES.length)];
            return built("(" + to + ")", x -> Nx.asType(x, to));
        });
        shaped("bitcast", (r, s, t) -> {
            if (t.isComplex()) {
                return null;
            }
            List<DType> same = Arrays.stream(TYPES).filter(u -> u.bits() == t.bits() && !u.isComplex()).toList();
            DType to = same.get(r.nextInt(same.size()));
            return built("(" + to + ")", x -> Nx.bitcast(x, to));
        });
        // shapes
        shaped("reshape", (r, s, t) -> {
            int[] dims = factor(r, s.size());
            return built("(" + a(dims) + ")", x -> Nx.reshape(x, Shape.of(dims)));
        });
        shaped("transpose", (r, s, t) -> {
            int[] p = permutation(r, s.rank());
            return built("(" + a(p) + ")", x -> Nx.transpose(x, p));
        });
        shaped("broadcast", (r, s, t) -> {
            int[] dims = new int[s.rank() + 1];
            dims[0] = r.nextInt(3);
            System.arraycopy(s.dims(), 0, dims, 1, s.rank());
            return built("(" + a(dims) + ")", x -> Nx.broadcast(x, Shape.of(dims)));
        });
        shaped("squeeze", (r, s, t) -> built("", Nx::squeeze));
        shaped("newAxis", (r, s, t) -> {
            int ax = r.nextInt(s.rank() + 1);
            return built("(" + ax + ")", x -> Nx.newAxis(x, ax));
        });
        shaped("flatten", (r, s, t) -> built("", Nx::flatten));
        shaped("tile", (r, s, t) -> {
            int[] reps = new int[s.rank() + r.nextInt(2)];
            for (int i = 0; i < reps.length; i++) {
                reps[i] = r.nextInt(3);
            }
            return built("(" + a(reps) + ")", x -> Nx.tile(x, reps));
        });
        shaped("pad", (r, s, t) -> {
            int[][] cfg = new int[s.rank()][];
            for (int i = 0; i < s.rank(); i++) {
                cfg[i] = new int[] {r.nextInt(5) - 2, r.nextInt(5) - 2, r.nextInt(3)};
            }
            double v = r.nextInt(5) - 2;
            return built("(" + v + ", " + Arrays.deepToString(cfg) + ")", x -> Nx.pad(x, v, cfg));
        });
        shaped("reverse", (r, s, t) -> {
            int[] axes = randomAxes(r, s.rank());
            return built("(" + a(axes) + ")", x -> Nx.reverse(x, axes));
        });
        shaped("slice", (r, s, t) -> {
            int[] st = new int[s.rank()];
            int[] len = new int[s.rank()];
            int[] str = new int[s.rank()];
            for (int i = 0; i < s.rank(); i++) {
                st[i] = r.nextInt(s.dim(i) + 1);
                len[i] = r.nextInt(s.dim(i) - st[i] + 1);
                str[i] = 1 + r.nextInt(3);
            }
            return built("(" + a(st) + ", " + a(len) + ", " + a(str) + ")", x -> Nx.slice(x, st, len, str));
        });
        shaped("sliceDynamic", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            int len = r.nextInt(s.dim(ax) + 1);
            int start = r.nextInt(7) - 2; // dynamic starts are clamped (Nx), also out of range
            return built("(start " + start + ", len " + len + ", axis " + ax + ")",
                    x -> Nx.sliceAlongAxis(x, Nx.scalar(start, DType.S32), len, ax));
        });
        shaped("split", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            int at = r.nextInt(s.dim(ax) + 1);
            int which = r.nextInt(2);
            return built("(" + at + ", axis " + ax + ")[" + which + "]", x -> Nx.split(x, at, ax)[which]);
        });
        shaped("diff", (r, s, t) -> s.rank() == 0 ? null : axisOp(r, s, (x, ax, two) -> Nx.diff(x, two ? 2 : 1, ax)));
        shaped("tril", (r, s, t) -> {
            int k = r.nextInt(5) - 2;
            return built("(" + k + ")", x -> Nx.tril(x, k));
        });
        shaped("triu", (r, s, t) -> {
            int k = r.nextInt(5) - 2;
            return built("(" + k + ")", x -> Nx.triu(x, k));
        });
        shaped("makeDiagonal", (r, s, t) -> {
            int k = r.nextInt(5) - 2;
            return built("(" + k + ")", x -> Nx.makeDiagonal(x, k));
        });
        shaped("takeDiagonal", (r, s, t) -> {
            int k = r.nextInt(5) - 2;
            return built("(" + k + ")", x -> Nx.takeDiagonal(x, k));
        });
        // indexing: indices in range, out of range (clamped) and empty
        shaped("take", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            int n = r.nextInt(4);
            Tensor idx = indices(r, s.dim(ax) + (r.nextInt(4) == 0 ? 2 : 0), n);
            return built("(" + a(idx.toIntArray()) + ", axis " + ax + ")", x -> Nx.take(x, idx, ax));
        });
        shaped("gather", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int n = r.nextInt(4);
            Tensor idx = indices(r, Math.max(1, s.dim(0)) + (r.nextInt(4) == 0 ? 1 : 0), n, s.rank());
            return built("(" + a(idx.toIntArray()) + ")", x -> Nx.gather(x, idx));
        });
        shaped("takeAlongAxis", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            int[] dims = s.dims();
            dims[ax] = r.nextInt(3);
            Tensor idx = indices(r, s.dim(ax), dims);
            return built("(" + a(idx.toIntArray()) + ", axis " + ax + ")", x -> Nx.takeAlongAxis(x, idx, ax));
        });
        shaped("indexedAdd", (r, s, t) -> indexedOp(r, s, t, true));
        shaped("indexedPut", (r, s, t) -> indexedOp(r, s, t, false));
        // windows and convolution
        shaped("windowSum", (r, s, t) -> windowOp(r, s, Nx::windowSum));
        shaped("windowMean", (r, s, t) -> windowOp(r, s, Nx::windowMean));
        shaped("windowMax", (r, s, t) -> windowOp(r, s, Nx::windowMax));
        shaped("windowMin", (r, s, t) -> windowOp(r, s, Nx::windowMin));
        shaped("windowProduct", (r, s, t) -> windowOp(r, s, Nx::windowProduct));
        shaped("windowReduce", (r, s, t) -> {
            int init = r.nextInt(3) - 1;
            boolean max = r.nextBoolean();
            Built b = windowOp(r, s, (x, w, o) -> Nx.windowReduce(x, init, w, o, max ? Nx::max : Nx::add));
            return built("(init " + init + ", " + (max ? "max" : "add") + ", " + b.text.substring(1), b.fn);
        });
        shaped("windowScatterMax", (r, s, t) -> windowScatter(r, s, t, true));
        shaped("windowScatterMin", (r, s, t) -> windowScatter(r, s, t, false));
        shaped("conv", (r, s, t) -> {
            if (s.rank() != 3) {
                return null;
            }
            int outF = 1 + r.nextInt(2);
            int k = 1 + r.nextInt(Math.max(1, s.dim(2)));
            Tensor kernel = input(r, Shape.of(outF, s.dim(1), k), t.isInteger() ? DType.F32 : t);
            int stride = 1 + r.nextInt(2);
            int lo = r.nextInt(2);
            int hi = r.nextInt(2);
            int dil = 1 + r.nextInt(2);
            return built("(kernel " + kernel.type() + kernel.shape() + ", stride " + stride + ", pad " + lo + "/" + hi
                    + ", input dilation " + dil + ")", x -> Nx.conv(x, kernel, ConvOptions.defaults().strides(stride)
                    .padding(new int[] {lo, hi}).inputDilation(dil)));
        });
        // FFT
        shaped("fft", (r, s, t) -> s.rank() == 0 ? null : built("", Nx::fft));
        shaped("ifft", (r, s, t) -> s.rank() == 0 ? null : built("", Nx::ifft));
        shaped("rfft", (r, s, t) -> s.rank() == 0 ? null : built("", Nx::rfft));
        shaped("irfft", (r, s, t) -> s.rank() == 0 ? null : built("", Nx::irfft));
        shaped("fftLength", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int n = 1 + r.nextInt(5);
            return built("(" + n + ")", x -> Nx.fft(x, n, -1));
        });
        // linear algebra (square inputs are frequent; diagonal shifts keep systems solvable)
        shaped("cholesky", (r, s, t) -> square(s) ? built("(a·aᴴ + (1 + max|a·aᴴ|)·I)", x -> {
            Tensor f = floating(x);
            Tensor m = LinAlg.matmul(f, LinAlg.adjoint(f));
            return LinAlg.cholesky(Nx.add(m, Nx.multiply(eye(m), Nx.add(Nx.reduceMax(Nx.abs(m)), 1))));
        }) : null);
        shaped("lu", (r, s, t) -> {
            int which = r.nextInt(3);
            return square(s) ? built("[" + which + "]", x -> LinAlg.lu(x)[which]) : null;
        });
        shaped("qr", (r, s, t) -> {
            int which = r.nextInt(2);
            return s.rank() >= 2 ? built("[" + which + "]", x -> LinAlg.qr(x)[which]) : null;
        });
        shaped("eigh", (r, s, t) -> {
            int which = r.nextInt(2);
            return square(s) ? built("(a + aᴴ)[" + which + "]", x -> LinAlg.eigh(Nx.add(x, LinAlg.adjoint(x)))[which])
                    : null;
        });
        shaped("svd", (r, s, t) -> {
            int which = r.nextInt(3);
            return s.rank() >= 2 ? built("[" + which + "]", x -> LinAlg.svd(x)[which]) : null;
        });
        shaped("pinv", (r, s, t) -> s.rank() >= 2 ? built("", LinAlg::pinv) : null);
        shaped("invert", (r, s, t) -> square(s) ? built("(a + (1 + n·max|a|)·I)", x -> LinAlg.invert(dominant(x)))
                : null);
        shaped("determinant", (r, s, t) -> square(s) ? built("", LinAlg::determinant) : null);
        shaped("matrixPower", (r, s, t) -> {
            int n = r.nextInt(5) - 1;
            return square(s) ? built("(" + n + ")", x -> LinAlg.matrixPower(x, n)) : null;
        });
        shaped("norm", (r, s, t) -> s.rank() >= 1 && s.rank() <= 2 ? built("", LinAlg::norm) : null);
        shaped("covariance", (r, s, t) -> s.rank() >= 2 ? built("", Nx::covariance) : null);
        shaped("fft2", (r, s, t) -> s.rank() < 2 ? null : built("", Nx::fft2));
        shaped("ifft2", (r, s, t) -> s.rank() < 2 ? null : built("", Nx::ifft2));
        shaped("leastSquares", (r, s, t) -> s.rank() != 2 || s.dim(0) < s.dim(1) ? null
                : built("(a + (1 + n·max|a|)·I on top, b = a·1)", x -> {
                    // a tall matrix whose top square is diagonally dominant: full column rank, well-conditioned
                    Tensor f = floating(x);
                    int n = s.dim(1);
                    Tensor top = dominant(Nx.slice(f, new int[] {0, 0}, new int[] {n, n}));
                    Tensor a = Nx.concatenate(List.of(top, Nx.slice(f, new int[] {n, 0}, new int[] {s.dim(0) - n, n})), 0);
                    return LinAlg.leastSquares(a, Nx.sum(a, new int[] {1}, false));
                }));
        // gradients: a stopped one, and a custom rule (twice the true gradient of sin)
        shaped("stopGrad", (r, s, t) -> built("(x)·x", x -> Nx.multiply(Defn.stopGrad(x), x)));
        shaped("customGrad", (r, s, t) -> t.isInteger() ? null : built("(sin, 2·cos)", x -> Defn.customGrad(Nx.sin(x),
                List.of(x), g -> List.of(Nx.multiply(Nx.multiply(g, Nx.cos(x)), 2)))));
        shaped("splitFraction", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            double f = r.nextInt(5) / 4.0;
            return built("(" + f + ", axis " + ax + ")[0]", x -> Nx.split(x, f, ax)[0]);
        });
        shaped("sliceStrided", (r, s, t) -> {
            if (s.rank() == 0) {
                return null;
            }
            int ax = r.nextInt(s.rank());
            int len = r.nextInt(s.dim(ax) + 1);
            int start = r.nextInt(s.dim(ax) - len + 1);
            int stride = 1 + r.nextInt(3);
            return built("(start " + start + ", len " + len + ", axis " + ax + ", stride " + stride + ")",
                    x -> Nx.sliceAlongAxis(x, start, len, ax, stride));
        });
        shaped("putSliceDynamic", (r, s, t) -> {
            Object[] starts = new Object[s.rank()];
            int[] dims = new int[s.rank()];
            for (int i = 0; i < s.rank(); i++) {
                starts[i] = Nx.scalar(r.nextInt(5) - 1, DType.S64); // clamped into range, as Nx
                dims[i] = r.nextInt(s.dim(i) + 1);
            }
            Tensor slice = input(r, Shape.of(dims), t);
            return built("(starts " + Arrays.toString(Arrays.stream(starts).map(o -> ((Tensor) o).toDouble()).toArray())
                    + ", slice " + t + Shape.of(dims) + ")", x -> Nx.putSlice(x, starts, slice));
        });
        shaped("convGroups", (r, s, t) -> {
            if (s.rank() != 3 || s.dim(1) == 0 || s.dim(1) % 2 != 0) {
                return null;
            }
            int groups = 2;
            Tensor kernel = input(r, Shape.of(2, s.dim(1) / groups, 1 + r.nextInt(2)), t.isInteger() ? DType.F32 : t);
            int kdil = 1 + r.nextInt(2);
            return built("(kernel " + kernel.type() + kernel.shape() + ", feature groups 2, kernel dilation " + kdil + ")",
                    x -> Nx.conv(x, kernel, ConvOptions.defaults().featureGroupSize(groups).kernelDilation(kdil)));
        });
        shaped("windowDilated", (r, s, t) -> {
            int[] window = new int[s.rank()];
            int[] dil = new int[s.rank()];
            for (int i = 0; i < s.rank(); i++) {
                window[i] = 1 + r.nextInt(2);
                dil[i] = 1 + r.nextInt(2);
            }
            boolean max = r.nextBoolean();
            WindowOptions o = WindowOptions.defaults().windowDilations(dil).padding("same");
            return built("(" + (max ? "max" : "sum") + ", window " + a(window) + ", dilations " + a(dil) + ", same)",
                    x -> max ? Nx.windowMax(x, window, o) : Nx.windowSum(x, window, o));
        });
        shaped("linspace", (r, s, t) -> {
            int n = r.nextInt(5);
            boolean endpoint = r.nextBoolean();
            return s.rank() != 0 || t.isComplex() ? null : built("(x, x + 3, " + n + ", endpoint " + endpoint + ")",
                    x -> Nx.linspace(x, Nx.add(x, 3), n, t.isInteger() ? DType.F32 : t, endpoint));
        });
        // constants and iota in graphs
        shaped("addIota", (r, s, t) -> built("(x + iota)", x -> Nx.add(x, Nx.iota(s, t))));
    }

    private static boolean square(Shape s) {
        return s.rank() >= 2 && s.dim(-1) == s.dim(-2);
    }

    /**
     * {@code a + (1 + n·max|a|)·I} in a floating type: strictly diagonally dominant, so the
     * systems built on it are well-conditioned (condition number below about 3) whatever the
     * magnitude of the entries, and differences are the backends', not the problem's.
     */
    private static Tensor dominant(Tensor a) {
        Tensor f = floating(a);
        Tensor shift = Nx.add(Nx.multiply(Nx.reduceMax(Nx.abs(f)), f.shape().dim(-1)), 1);
        return Nx.add(f, Nx.multiply(eye(f), shift));
    }

    private static Tensor floating(Tensor x) {
        return x.type().isInteger() ? Nx.asType(x, DType.F32) : x;
    }

    private static Tensor eye(Tensor x) {
        int n = x.shape().dim(-1);
        return Nx.eye(Shape.of(n, n), x.type());
    }

    private interface AxesFn {
        Tensor apply(Tensor x, int[] axes, boolean keep);
    }

    private static Built axesOp(SplittableRandom r, Shape s, AxesFn f) {
        int[] axes = randomAxes(r, s.rank());
        boolean keep = r.nextBoolean();
        return built("(" + a(axes) + ", keep " + keep + ")", x -> f.apply(x, axes, keep));
    }

    private interface AxisFn {
        Tensor apply(Tensor x, int axis, boolean flag);
    }

    private static Built axisOp(SplittableRandom r, Shape s, AxisFn f) {
        int ax = r.nextInt(s.rank());
        boolean flag = r.nextBoolean();
        return built("(axis " + ax + ", " + flag + ")", x -> f.apply(x, ax, flag));
    }

    private static Built argOp(SplittableRandom r, Shape s, boolean max) {
        int ax = r.nextInt(s.rank());
        boolean high = r.nextBoolean();
        boolean keep = r.nextBoolean();
        DType type = r.nextBoolean() ? DType.S32 : DType.S64;
        return built("(axis " + ax + ", tieHigh " + high + ", keep " + keep + ", " + type + ")",
                x -> max ? Nx.argmax(x, ax, high, keep, type) : Nx.argmin(x, ax, high, keep, type));
    }

    private static Built indexedOp(SplittableRandom r, Shape s, DType t, boolean add) {
        if (s.rank() == 0) {
            return null;
        }
        int rows;
        Tensor idx;
        if (add) {
            rows = r.nextInt(4);
            idx = indices(r, s.dim(0), rows, 1);
        } else {
            // distinct rows: with duplicates the winner is unspecified (Nx, docs/coverage.md)
            rows = r.nextInt(Math.min(3, s.dim(0)) + 1);
            idx = Nx.tensor(Arrays.copyOf(permutation(r, s.dim(0)), rows), rows, 1);
        }
        int[] upd = s.dims();
        upd[0] = rows;
        Tensor updates = input(r, Shape.of(upd), t);
        return built("(" + a(idx.toIntArray()) + ", updates " + t + Shape.of(upd) + ")",
                x -> add ? Nx.indexedAdd(x, idx, updates) : Nx.indexedPut(x, idx, updates));
    }

    private interface WindowFn {
        Tensor apply(Tensor x, int[] window, WindowOptions options);
    }

    private static Built windowOp(SplittableRandom r, Shape s, WindowFn f) {
        int[] window = new int[s.rank()];
        int[] strides = new int[s.rank()];
        int[][] pad = new int[s.rank()][];
        for (int i = 0; i < s.rank(); i++) {
            window[i] = 1 + r.nextInt(3);
            strides[i] = 1 + r.nextInt(2);
            pad[i] = new int[] {r.nextInt(2), r.nextInt(3)};
        }
        WindowOptions o = r.nextBoolean() ? WindowOptions.defaults().strides(strides).padding(pad)
                : WindowOptions.defaults().padding(r.nextBoolean() ? "same" : "valid");
        return built("(window " + a(window) + ", strides " + a(strides) + ", pad " + Arrays.deepToString(pad) + ")",
                x -> f.apply(x, window, o));
    }

    private static Built windowScatter(SplittableRandom r, Shape s, DType t, boolean max) {
        int[] window = new int[s.rank()];
        int[] outDims = new int[s.rank()];
        for (int i = 0; i < s.rank(); i++) {
            window[i] = 1 + r.nextInt(Math.max(1, Math.min(2, s.dim(i))));
            outDims[i] = Math.max(0, s.dim(i) - window[i] + 1);
        }
        Tensor source = input(r, Shape.of(outDims), t);
        int init = r.nextInt(2);
        return built("(source " + t + Shape.of(outDims) + ", init " + init + ", window " + a(window) + ")",
                x -> max ? Nx.windowScatterMax(x, source, init, window, WindowOptions.defaults())
                        : Nx.windowScatterMin(x, source, init, window, WindowOptions.defaults()));
    }

    /** Random dimensions whose product is {@code size}. */
    private static int[] factor(SplittableRandom r, int size) {
        List<Integer> dims = new ArrayList<>();
        int left = size;
        while (left > 1 && dims.size() < 3) {
            List<Integer> divisors = new ArrayList<>();
            for (int d = 1; d <= left; d++) {
                if (left % d == 0) {
                    divisors.add(d);
                }
            }
            int d = divisors.get(r.nextInt(divisors.size()));
            dims.add(d);
            left /= d;
        }
        if (left != 1 || (size == 0)) {
            dims.add(left);
        }
        if (r.nextBoolean()) {
            dims.add(r.nextInt(dims.size() + 1), 1);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
