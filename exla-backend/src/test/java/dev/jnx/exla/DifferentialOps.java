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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The element-wise math, bit, complex, select, reduction and sort ops run through two
 * compilers, result against result, over random shapes (a scalar, a vector, a matrix, one with
 * a size-0 dimension, broadcasting operands) and every type each op accepts. To keep CI fast,
 * all ops of one (type, shape) go into one jitted function with many outputs: one XLA compile
 * each. {@code -Djnx.differential.seeds=N} reruns everything over N random seeds.
 */
final class DifferentialOps {
    static final List<Shape> SHAPES = List.of(Shape.scalar(), Shape.of(5), Shape.of(2, 3), Shape.of(2, 0, 3));
    static final List<DType> TYPES = List.of(DType.F32, DType.F64, DType.BF16, DType.F16, DType.S8, DType.S32,
            DType.S64, DType.U8, DType.U16, DType.U64, DType.C64, DType.C128);

    private DifferentialOps() {
    }

    /** The number of seeds: {@code jnx.differential.seeds}, 1 by default. */
    static int seeds() {
        return Integer.getInteger("jnx.differential.seeds", 1);
    }

    /** Runs every batch through both compilers; one line per mismatch (empty when they agree). */
    static List<String> run(Compiler reference, Compiler underTest) {
        List<String> failures = new ArrayList<>();
        int batches = 0;
        for (int seed = 0; seed < seeds(); seed++) {
            SplittableRandom rnd = new SplittableRandom(1234 + seed);
            for (DType t : TYPES) {
                for (Shape s : SHAPES) {
                    Inputs in = new Inputs(rnd, s, t);
                    Map<String, Function<Tensor[], Tensor>> ops = ops(t, s, in);
                    batches++;
                    check(t + "" + s + " seed " + seed, ops, in.args(), reference, underTest, failures);
                }
            }
        }
        if (batches == 0) {
            failures.add("no batches generated");
        }
        return failures;
    }

    private static void check(String where, Map<String, Function<Tensor[], Tensor>> ops, Tensor[] args,
                              Compiler reference, Compiler underTest, List<String> failures) {
        List<String> names = new ArrayList<>(ops.keySet());
        Defn.Fn1<Tensor[], List<Tensor>> all = ts -> {
            List<Tensor> outs = new ArrayList<>();
            for (String n : names) {
                outs.add(ops.get(n).apply(ts));
            }
            return outs;
        };
        try {
            List<Tensor> want = Defn.jit(all, reference).apply(args);
            List<Tensor> got = Defn.jit(all, underTest).apply(args);
            for (int i = 0; i < names.size(); i++) {
                String diff = compare(want.get(i), got.get(i));
                if (diff != null) {
                    failures.add(names.get(i) + " " + where + ": " + diff);
                }
            }
        } catch (RuntimeException e) {
            // Find the op(s) at fault by running them one at a time.
            for (String n : names) {
                try {
                    Tensor want = Defn.jit((Tensor[] ts) -> ops.get(n).apply(ts), reference).apply(args);
                    Tensor got = Defn.jit((Tensor[] ts) -> ops.get(n).apply(ts), underTest).apply(args);
                    String diff = compare(want, got);
                    if (diff != null) {
                        failures.add(n + " " + where + ": " + diff);
                    }
                } catch (RuntimeException e2) {
                    String m = String.valueOf(e2.getMessage());
                    failures.add(n + " " + where + ": threw " + e2.getClass().getSimpleName() + ": "
                            + m.substring(0, Math.min(400, m.length())));
                }
            }
        }
    }

    /** The random operands of one batch: args[0..5] = x, y, positive, unit interval, shift counts, row. */
    private record Inputs(Tensor x, Tensor y, Tensor pos, Tensor unit, Tensor shifts, Tensor row) {
        Inputs(SplittableRandom rnd, Shape s, DType t) {
            this(random(rnd, s, t, -12, 13, 4), random(rnd, s, t, -12, 13, 4), random(rnd, s, t, 1, 13, 4),
                    random(rnd, s, t, -7, 8, 8), t.isInteger() ? randomShifts(rnd, s, t) : random(rnd, s, t, 0, 4, 1),
                    random(rnd, Shape.of(s.rank() == 0 ? 1 : s.dim(-1)), t, -12, 13, 4));
        }

        Tensor[] args() {
            return new Tensor[] {x, y, pos, unit, shifts, row};
        }
    }

    private static Map<String, Function<Tensor[], Tensor>> ops(DType t, Shape s, Inputs in) {
        Map<String, Function<Tensor[], Tensor>> m = new LinkedHashMap<>();
        boolean complex = t.isComplex();
        boolean integer = t.isInteger();
        int rank = s.rank();
        int last = rank - 1;
        // element-wise unary
        m.put("abs", a -> Nx.abs(a[0]));
        m.put("negate", a -> Nx.negate(a[0]));
        m.put("sign", a -> Nx.sign(a[0]));
        m.put("isNan", a -> Nx.isNan(Nx.divide(a[0], a[1])));
        m.put("isInfinity", a -> Nx.isInfinity(Nx.divide(a[0], a[1])));
        m.put("exp", a -> Nx.exp(a[3]));
        m.put("expm1", a -> Nx.expm1(a[3]));
        m.put("log", a -> Nx.log(a[2]));
        m.put("log1p", a -> Nx.log1p(a[2]));
        m.put("log2", a -> Nx.log2(a[2]));
        m.put("log10", a -> Nx.log10(a[2]));
        m.put("sigmoid", a -> Nx.sigmoid(a[0]));
        m.put("sqrt", a -> Nx.sqrt(a[2]));
        m.put("rsqrt", a -> Nx.rsqrt(a[2]));
        m.put("sin", a -> Nx.sin(a[0]));
        m.put("cos", a -> Nx.cos(a[0]));
        m.put("tan", a -> Nx.tan(a[3]));
        m.put("asin", a -> Nx.asin(a[3]));
        m.put("acos", a -> Nx.acos(a[3]));
        m.put("atan", a -> Nx.atan(a[0]));
        m.put("sinh", a -> Nx.sinh(a[3]));
        m.put("cosh", a -> Nx.cosh(a[3]));
        m.put("tanh", a -> Nx.tanh(a[0]));
        m.put("asinh", a -> Nx.asinh(a[0]));
        m.put("acosh", a -> Nx.acosh(Nx.add(a[2], 1)));
        m.put("atanh", a -> Nx.atanh(a[3]));
        m.put("real", a -> Nx.real(a[0]));
        m.put("imag", a -> Nx.imag(a[0]));
        m.put("conjugate", a -> Nx.conjugate(a[0]));
        m.put("phase", a -> Nx.phase(a[0]));
        // binary
        m.put("add", a -> Nx.add(a[0], a[1]));
        m.put("multiply", a -> Nx.multiply(a[0], a[1]));
        m.put("divide", a -> Nx.divide(a[0], a[2]));
        m.put("pow", a -> integer ? Nx.pow(a[0], Nx.remainder(Nx.abs(a[1]), Nx.scalar(4, t))) : Nx.pow(a[2], a[3]));
        m.put("equal", a -> Nx.equal(a[0], a[1]));
        m.put("notEqual", a -> Nx.notEqual(a[0], a[1]));
        m.put("complex", a -> Nx.complex(Nx.real(a[0]), Nx.real(a[1])));
        m.put("sum", a -> Nx.sum(a[0]));
        m.put("product", a -> Nx.product(a[3]));
        m.put("mean", a -> Nx.mean(a[0]));
        m.put("selectBroadcast", a -> Nx.select(Nx.notEqual(a[5], Nx.scalar(0, t)), a[0], a[5]));
        // Sums and products of every type, complex included (the evaluator's Accumulator).
        m.put("reduceFn", a -> Nx.reduce(a[0], 0, (p, q) -> Nx.add(p, q)));
        if (rank >= 1) {
            m.put("cumulativeSum", a -> Nx.cumulativeSum(a[0], last, false));
            m.put("cumulativeSumRev", a -> Nx.cumulativeSum(a[0], 0, true));
            m.put("cumulativeProduct", a -> Nx.cumulativeProduct(a[3], last, false));
            m.put("reduceFnAxis", a -> Nx.reduce(a[0], 1, new int[] {last}, false, (p, q) -> Nx.multiply(p, q)));
        }
        if (!complex) {
            m.put("ceil", a -> Nx.ceil(Nx.divide(a[0], 3)));
            m.put("floor", a -> Nx.floor(Nx.divide(a[0], 3)));
            m.put("round", a -> Nx.round(integer ? a[0] : Nx.multiply(a[0], 2)));
            m.put("cbrt", a -> Nx.cbrt(a[0]));
            m.put("erf", a -> Nx.erf(a[0]));
            m.put("erfc", a -> Nx.erfc(a[0]));
            m.put("erfInv", a -> Nx.erfInv(a[3]));
            m.put("remainder", a -> Nx.remainder(a[0], a[2]));
            m.put("remainderNeg", a -> Nx.remainder(a[0], Nx.negate(a[2])));
            m.put("atan2", a -> Nx.atan2(a[0], a[1]));
            m.put("min", a -> Nx.min(a[0], a[1]));
            m.put("max", a -> Nx.max(a[0], a[1]));
            m.put("less", a -> Nx.less(a[0], a[1]));
            m.put("greaterEqual", a -> Nx.greaterEqual(a[0], a[1]));
            m.put("logicalAnd", a -> Nx.logicalAnd(a[0], a[1]));
            m.put("logicalOr", a -> Nx.logicalOr(a[0], a[1]));
            m.put("logicalXor", a -> Nx.logicalXor(a[0], a[1]));
            m.put("logicalNot", a -> Nx.logicalNot(a[0]));
            m.put("select", a -> Nx.select(Nx.greater(a[0], a[1]), a[0], a[2]));
            m.put("clip", a -> Nx.clip(a[0], 1, 2));
            m.put("all", a -> Nx.all(a[0]));
            m.put("any", a -> Nx.any(a[0]));
            m.put("reduceMax", a -> Nx.reduceMax(a[0]));
            m.put("variance", a -> Nx.variance(a[0]));
            m.put("standardDeviation", a -> Nx.standardDeviation(a[0]));
            m.put("logsumexp", a -> Nx.logsumexp(a[3]));
            m.put("weightedMean", a -> Nx.weightedMean(a[0], a[2]));
            m.put("reduceFnMax", a -> Nx.reduce(a[0], integer ? 0 : -100, (p, q) -> Nx.max(p, q)));
            if (s.size() > 0) {
                m.put("argmax", a -> Nx.argmax(a[0]));
                m.put("argmin", a -> Nx.argmin(a[0]));
                m.put("median", a -> Nx.median(a[0]));
                m.put("mode", a -> Nx.mode(a[0]));
            }
            if (rank >= 1) {
                m.put("sort", a -> Nx.sort(a[0], last, false));
                m.put("sortDesc", a -> Nx.sort(a[0], 0, true));
                m.put("argsort", a -> Nx.argsort(a[0], last, false));
                m.put("argsortDesc", a -> Nx.argsort(a[0], 0, true));
                m.put("cumulativeMax", a -> Nx.cumulativeMax(a[0], last, true));
                m.put("cumulativeMin", a -> Nx.cumulativeMin(a[0], 0, false));
                m.put("allAxis", a -> Nx.all(a[0], new int[] {last}, true));
                m.put("anyAxis", a -> Nx.any(a[0], new int[] {0}, false));
                m.put("varianceAxis", a -> Nx.variance(a[0], new int[] {0}, 1, false));
                m.put("logsumexpAxis", a -> Nx.logsumexp(a[3], new int[] {last}, true));
                if (s.size() > 0) {
                    m.put("topK", a -> Nx.topK(a[0], 2 > s.dim(last) ? s.dim(last) : 2)[0]);
                    m.put("topKIdx", a -> Nx.topK(a[0], 2 > s.dim(last) ? s.dim(last) : 2)[1]);
                    m.put("argmaxAxisHigh", a -> Nx.argmax(a[0], last, true, false, DType.S32));
                    m.put("argminAxisKeep", a -> Nx.argmin(a[0], 0, false, true, DType.S64));
                    m.put("medianAxis", a -> Nx.median(a[0], last, false));
                    m.put("modeAxis", a -> Nx.mode(a[0], 0, true));
                }
            }
        }
        if (integer) {
            m.put("quotient", a -> Nx.quotient(a[0], a[2]));
            m.put("quotientNeg", a -> Nx.quotient(Nx.negate(a[0]), a[2]));
            m.put("bitwiseAnd", a -> Nx.bitwiseAnd(a[0], a[1]));
            m.put("bitwiseOr", a -> Nx.bitwiseOr(a[0], a[1]));
            m.put("bitwiseXor", a -> Nx.bitwiseXor(a[0], a[1]));
            m.put("bitwiseNot", a -> Nx.bitwiseNot(a[0]));
            m.put("populationCount", a -> Nx.populationCount(a[0]));
            m.put("countLeadingZeros", a -> Nx.countLeadingZeros(a[0]));
            m.put("leftShift", a -> Nx.leftShift(a[0], a[4]));
            m.put("rightShift", a -> Nx.rightShift(a[0], a[4]));
            m.put("rightShiftNegative", a -> Nx.rightShift(Nx.negate(a[2]), a[4]));
        }
        if (!complex && t.bits() >= 16) {
            DType same = switch (t.bits()) {
                case 16 -> t == DType.S16 ? DType.U16 : DType.S16;
                case 32 -> t == DType.F32 ? DType.S32 : DType.F32;
                default -> t == DType.F64 ? DType.S64 : DType.F64;
            };
            m.put("bitcast", a -> Nx.bitcast(a[0], same));
        }
        for (DType to : List.of(DType.F32, DType.S32, DType.U8, DType.C64, DType.F16)) {
            // Scaled in f32/f64 only: XLA may keep a bf16/f16 product in f32 until the convert.
            boolean wide = t == DType.F32 || t == DType.F64;
            m.put("asType_" + to, a -> Nx.asType(wide ? Nx.multiply(a[0], 50) : a[0], to));
        }
        return m;
    }

    private static Tensor randomShifts(SplittableRandom rnd, Shape s, DType t) {
        byte[] bytes = new byte[s.size() * t.byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < s.size(); i++) {
            // Counts past the width (and negative ones for signed types) shift everything out.
            HostData.setLong(m, t, i, rnd.nextInt(t.isUnsigned() ? 0 : -2, t.bits() + 3));
        }
        return Tensor.of(s, t, new HostData(bytes));
    }

    /** Values {@code k / scale} for k in [lo, hi): exact in every type; integers take k itself (u: |k|). */
    static Tensor random(SplittableRandom rnd, Shape s, DType t, int lo, int hi, int scale) {
        byte[] bytes = new byte[s.size() * t.byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < s.size(); i++) {
            int k = rnd.nextInt(lo, hi);
            if (t.isComplex()) {
                HostData.setComplex(m, t, i, k / (double) scale, rnd.nextInt(lo, hi) / (double) scale);
            } else if (t.isInteger()) {
                HostData.setLong(m, t, i, t.isUnsigned() ? Math.abs(k) : k);
            } else {
                HostData.setDouble(m, t, i, k / (double) scale);
            }
        }
        return Tensor.of(s, t, new HostData(bytes));
    }

    /** Null when equal under the shared rule ({@link Tolerance#defaults()}), else what differs. */
    static String compare(Tensor want, Tensor got) {
        return Tolerance.defaults().difference(want, got).map(Tolerance.Difference::toString).orElse(null);
    }
}
