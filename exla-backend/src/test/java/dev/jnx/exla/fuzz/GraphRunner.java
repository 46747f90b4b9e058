package dev.jnx.exla.fuzz;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.TracedFunction;
import dev.jnx.exla.Tolerance;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs one {@link Graph} on the reference evaluator and on XLA and classifies the outcome.
 *
 * <p>Outcomes:
 * <ul>
 *   <li>{@code ok}: every output agrees under {@link Tolerance#defaults()}.</li>
 *   <li>{@code expected}: the API refused the graph with a documented exception type
 *       ({@link GraphGenerator#documented}), the same class eagerly, on the evaluator and on XLA.</li>
 *   <li>{@code explained}: outputs differ, for a reason documented in docs/coverage.md
 *       ("Differences the fuzzer explains"), each a named category below.</li>
 *   <li>{@code mismatch}: outputs differ without explanation (a bug).</li>
 *   <li>{@code internal}: any other exception (an undocumented type, different types on the two
 *       backends, or an {@code ExlaException} for a graph the API accepted) — a bug.</li>
 * </ul>
 *
 * <p>Op by op: when outputs differ, XLA runs the graph once more returning every intermediate
 * value, and each step is replayed alone on the evaluator over XLA's own values of its operands
 * (equal inputs); the first step whose value differs names the op. A step that agrees alone
 * on equal inputs cannot be blamed, so when every step does, the gradient of each step alone is
 * checked the same way (for a gradient graph), and failing that the difference is the graph
 * amplifying rounding within the tolerance ({@link #AMPLIFIED}).
 */
final class GraphRunner {
    /** Explained: a subnormal input read as zero by XLA:CPU (DAZ/FTZ); docs/coverage.md, "subnormals". */
    static final String SUBNORMALS = "subnormals-flushed";
    /**
     * Explained: the op is ill-conditioned at these inputs: its reference result moves by more
     * than the difference when its inputs move by twice the tolerance (XLA's answer is the exact
     * answer to a nearby input); docs/coverage.md, "ill-conditioned".
     */
    static final String ILL_CONDITIONED = "ill-conditioned";
    /**
     * The ops judged by conditioning: continuous in their floating inputs, computed by
     * accumulation, iteration or a transcendental function. Discontinuous ones (floor, round,
     * sign, remainder, conversions, comparisons...) are not: a perturbation would cross their
     * steps and hide a real difference.
     */
    private static final java.util.Set<String> CONDITIONED = java.util.Set.of("exp", "expm1", "log", "log1p",
            "log2", "log10", "pow", "tan", "sinh", "cosh", "tanh", "asin", "acos", "atanh", "acosh", "asinh", "erf",
            "erfc", "erfInv", "sigmoid", "rsqrt", "divide", "atan2", "sum", "product", "mean", "variance",
            "standardDeviation", "logsumexp", "weightedMean", "covariance", "cumulativeSum", "cumulativeProduct", "reduce",
            "windowReduce", "dot",
            "matmul", "outer", "conv", "windowSum", "windowMean", "windowProduct", "fft", "ifft", "rfft", "irfft",
            "fftLength", "cholesky", "lu", "qr", "eigh", "svd", "pinv", "invert", "determinant", "matrixPower", "norm",
            "solve", "triangularSolve");
    /**
     * Explained: an op over an f16/bf16 value XLA computed in the same fusion agrees under the
     * f16/bf16 tolerance, as XLA:CPU may keep such a value unrounded in f32 until the op reads it
     * (e.g. {@code complex(erf(x), x)} of bf16 x); docs/coverage.md, "low-precision-operands".
     */
    static final String LOW_PRECISION = "low-precision-operands";
    /**
     * Explained: a LinAlg decomposition or solver over operands with NaN or ±Inf, where the two
     * backends' algorithms (XLA's own for cholesky and triangular solves) spread the non-finite
     * values differently, as LAPACK's do; docs/coverage.md, "non-finite-linalg".
     */
    static final String NON_FINITE_LINALG = "non-finite-linalg";
    private static final java.util.Set<String> LINALG = java.util.Set.of("cholesky", "lu", "qr", "eigh", "svd",
            "pinv", "invert", "determinant", "solve", "triangularSolve");
    /**
     * Explained: complex division by zero (or rsqrt of zero), where XLA gives infinities and the reference NaN;
     * docs/coverage.md, "XLA:CPU differences" ("Complex division by zero gives infinities on XLA").
     */
    static final String COMPLEX_DIVISION_BY_ZERO = "complex-division-by-zero";
    /**
     * Explained: an FFT over NaN or ±Inf, where XLA leaves some components finite; docs/coverage.md,
     * "XLA:CPU differences" ("FFT of a tensor holding NaN").
     */
    static final String FFT_NON_FINITE = "fft-non-finite";
    /**
     * Explained: a complex exp/expm1/sinh/cosh/sin/cos/sigmoid whose exponential overflows (a part beyond the
     * log of the type's largest value, or non-finite), where XLA multiplies Inf by the other factor
     * (Inf·0 = NaN) and the reference follows C99; docs/coverage.md, "XLA:CPU differences".
     */
    static final String COMPLEX_EXP_OVERFLOW = "complex-exp-overflow";
    private static final java.util.Set<String> EXPONENTIALS = java.util.Set.of("exp", "expm1", "sinh", "cosh", "sin",
            "cos", "sigmoid");
    private static final java.util.Set<String> FFTS = java.util.Set.of("fft", "ifft", "rfft", "irfft", "fftLength",
            "fft2", "ifft2");
    /**
     * Explained: an f32 dot or product whose products or partial sums leave f32's range, which
     * XLA computes in f32 and the reference in f64; docs/coverage.md, "XLA:CPU differences" ("An
     * f32 dot or product multiplies and accumulates in f32 on XLA").
     */
    static final String F32_DOT_ACCUMULATION = "f32-dot-accumulation";
    private static final java.util.Set<String> DOTS = java.util.Set.of("dot", "matmul", "outer", "product",
            "cumulativeProduct", "windowProduct");
    private static final java.util.Set<String> PRODUCTS = java.util.Set.of("product", "cumulativeProduct",
            "windowProduct");
    /**
     * Explained: a complex product with an infinite part, which XLA multiplies by the textbook
     * formula (Inf·0 = NaN, no C99 recovery of the infinity) and may skip when a factor is the
     * identity; docs/coverage.md, "XLA:CPU differences" ("Complex products with infinite parts").
     */
    static final String COMPLEX_PRODUCT_INFINITY = "complex-product-infinity";
    private static final java.util.Set<String> COMPLEX_PRODUCTS = java.util.Set.of("multiply", "dot", "matmul",
            "outer", "matrixPower", "product", "reduce", "windowProduct", "windowReduce", "cumulativeProduct", "conv",
            "convGroups", "covariance", "pow");
    /**
     * Explained: a complex function on its branch cut whose argument's imaginary part is a zero
     * (or a subnormal, which XLA flushes) that XLA reads with the other sign; docs/coverage.md,
     * "XLA:CPU differences" ("The sign of a zero imaginary part").
     */
    static final String COMPLEX_ZERO_SIGN = "complex-zero-sign";
    private static final java.util.Set<String> BRANCH_CUTS = java.util.Set.of("log", "log2", "log10", "log1p", "pow",
            "sqrt", "rsqrt", "acos", "asin", "atan", "atanh", "acosh", "asinh");
    /**
     * Explained: a convolution whose padding or input-dilation holes face a NaN or ±Inf kernel
     * element: the reference multiplies those zeros in (0·NaN = NaN, as StableHLO and Nx define
     * it), XLA:CPU skips them in some forms; docs/coverage.md, "XLA:CPU differences" ("Convolution padding").
     */
    static final String CONV_PADDING_SKIPPED = "conv-padding-skipped";
    /** Explained: each op agrees alone on equal inputs; the graph amplified rounding (docs/coverage.md, "amplified"). */
    static final String AMPLIFIED = "rounding-amplified";

    /** The outcome of one graph, as the child writes it and the parent reads it back. */
    record Result(long seed, String outcome, String op, String detail, String graph, String ops) {
        Result(long seed, String outcome, String op, String detail, String graph) {
            this(seed, outcome, op, detail, graph, "");
        }

        Result withOps(String ops) {
            return new Result(seed, outcome, op, detail, graph, ops);
        }

        String line() {
            return "FUZZ seed=" + seed + " outcome=" + outcome + " op=" + op + " ops=" + ops + " detail=" + oneLine(detail)
                    + (outcome.equals("ok") ? "" : " graph=" + oneLine(graph));
        }

        static Result parse(String line) {
            String rest = line.substring("FUZZ ".length());
            long seed = Long.parseLong(field(rest, "seed=", " outcome="));
            String outcome = field(rest, " outcome=", " op=");
            String op = field(rest, " op=", " ops=");
            String ops = field(rest, " ops=", " detail=");
            int g = rest.indexOf(" graph=");
            int d = rest.indexOf(" detail=") + " detail=".length();
            String detail = g < 0 ? rest.substring(d) : rest.substring(d, g);
            return new Result(seed, outcome, op, detail, g < 0 ? "" : rest.substring(g + " graph=".length()), ops);
        }

        private static String field(String s, String start, String end) {
            int a = s.indexOf(start) + start.length();
            return s.substring(a, s.indexOf(end, a));
        }

        private static String oneLine(String s) {
            String t = String.valueOf(s).replace('\n', ' ').replace('\r', ' ');
            return t.length() > 600 ? t.substring(0, 600) + "…" : t;
        }
    }

    private final Compiler reference = Evaluator.compiler();
    private final Compiler underTest;
    private final Tolerance tolerance = Tolerance.defaults();

    GraphRunner(Compiler underTest) {
        this.underTest = underTest;
    }

    Result run(Graph g) {
        String desc = g.describe();
        Function<Object[], Object> f = a -> g.apply(tensors(a));
        TracedFunction traced;
        try {
            traced = Defn.traceContainers(f, g.inputs().toArray());
        } catch (RuntimeException | StackOverflowError e) {
            return refusal(g, e, null, desc, "tracing");
        }
        List<Tensor> want;
        try {
            want = reference.compile(traced).run(g.inputs());
        } catch (RuntimeException | StackOverflowError e) {
            Throwable x = null;
            try {
                underTest.compile(traced).run(g.inputs());
            } catch (RuntimeException | StackOverflowError e2) {
                x = e2;
            }
            return refusal(g, e, x == null ? "XLA ran it" : x.getClass() == e.getClass() ? null : describe(x), desc,
                    "the evaluator");
        }
        List<Tensor> got;
        try {
            got = underTest.compile(traced).run(g.inputs());
        } catch (RuntimeException | StackOverflowError e) {
            try {
                return xlaRefusal(g, e, desc);
            } catch (RuntimeException | StackOverflowError e2) {
                return new Result(g.seed(), "internal", g.lastOp(), "the evaluator ran it, XLA threw " + describe(e)
                        + "; replaying the steps alone threw " + describe(e2), desc);
            }
        }
        if (g.refused() != null) {
            return new Result(g.seed(), "internal", g.lastOp(), "eager call threw " + g.refused().getName()
                    + ", jit ran it on both backends", desc);
        }
        for (int i = 0; i < want.size(); i++) {
            Optional<Tolerance.Difference> d = tolerance.difference(want.get(i), got.get(i));
            if (d.isPresent()) {
                try {
                    return localize(g, "output " + i + " " + d.get(), desc);
                } catch (RuntimeException | StackOverflowError e) {
                    return new Result(g.seed(), "internal", g.lastOp(), "output " + i + " " + d.get()
                            + "; replaying the steps alone threw " + describe(e), desc);
                }
            }
        }
        return new Result(g.seed(), "ok", g.lastOp(), "", desc);
    }

    /**
     * The graph threw {@code e} (on tracing, or on the evaluator after tracing, {@code xlaDiffers}
     * then saying how XLA did otherwise): expected when documented and the same on every path.
     */
    private Result refusal(Graph g, Throwable e, String xlaDiffers, String desc, String where) {
        String why = null;
        if (!GraphGenerator.documented(e)) {
            why = "undocumented exception type";
        } else if (xlaDiffers != null) {
            why = "XLA differs: " + xlaDiffers;
        } else if (g.refused() != e.getClass()) {
            why = "eager " + (g.refused() == null ? "accepted it" : "threw " + g.refused().getName());
        }
        return why == null ? new Result(g.seed(), "expected", g.lastOp(), where + ": " + describe(e), desc)
                : new Result(g.seed(), "internal", g.lastOp(), where + " threw " + describe(e) + " (" + why + ")", desc);
    }

    /** XLA threw on a graph the evaluator ran: blames the first step XLA cannot run alone (on the evaluator's values). */
    private Result xlaRefusal(Graph g, Throwable e, String desc) {
        List<Tensor> ref = reference.compile(Defn.traceContainers(a -> g.values(tensors(a)), g.inputs().toArray()))
                .run(g.inputs());
        for (int i = 0; i < g.steps().size(); i++) {
            Graph.Step s = g.steps().get(i);
            Tensor[] args = operands(s, ref);
            try {
                alone(underTest, s, args);
            } catch (RuntimeException | StackOverflowError e2) {
                return new Result(g.seed(), "internal", s.op(), "the evaluator ran it, XLA threw on v"
                        + (g.inputs().size() + i) + " = " + s.text() + " of " + types(args) + " alone: " + describe(e2),
                        desc);
            }
        }
        return new Result(g.seed(), "internal", g.lastOp(), "the evaluator ran it, XLA threw " + describe(e), desc);
    }

    /** Names the first step that differs given equal inputs, and explains it where a documented cause fits. */
    private Result localize(Graph g, String graphDiff, String desc) {
        int nIn = g.inputs().size();
        List<Tensor> xla;
        try {
            TracedFunction all = Defn.traceContainers(a -> g.values(tensors(a)), g.inputs().toArray());
            xla = underTest.compile(all).run(g.inputs());
        } catch (RuntimeException e) {
            return new Result(g.seed(), "internal", g.lastOp(), graphDiff + "; XLA returning every value threw "
                    + describe(e), desc);
        }
        for (int i = 0; i < g.steps().size(); i++) {
            Graph.Step s = g.steps().get(i);
            Tensor[] args = operands(s, xla);
            Tensor alone = alone(reference, s, args);
            Optional<Tolerance.Difference> d = tolerance.difference(alone, xla.get(nIn + i));
            if (d.isPresent()) {
                String what = "v" + (nIn + i) + " = " + s.text() + " on " + types(args) + ": " + d.get();
                if (explainedBySubnormals(s, args, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), SUBNORMALS + ": " + what, desc);
                }
                if (FFTS.contains(s.op()) && hasNonFinite(args)) {
                    return new Result(g.seed(), "explained", s.op(), FFT_NON_FINITE + ": " + what, desc);
                }
                if (complexDivisionByZero(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), COMPLEX_DIVISION_BY_ZERO + ": " + what, desc);
                }
                if (f32DotAccumulation(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), F32_DOT_ACCUMULATION + ": " + what, desc);
                }
                if (complexExpOverflow(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), COMPLEX_EXP_OVERFLOW + ": " + what, desc);
                }
                if (complexProductInfinity(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), COMPLEX_PRODUCT_INFINITY + ": " + what, desc);
                }
                if (complexZeroSign(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), COMPLEX_ZERO_SIGN + ": " + what, desc);
                }
                if (convPaddingSkipped(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), CONV_PADDING_SKIPPED + ": " + what, desc);
                }
                if (LINALG.contains(s.op()) && hasNonFinite(args)) {
                    return new Result(g.seed(), "explained", s.op(), NON_FINITE_LINALG + ": " + what, desc);
                }
                if (lowPrecisionOperand(s, args, nIn, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), LOW_PRECISION + ": " + what, desc);
                }
                if (illConditioned(s, args, alone, xla.get(nIn + i))) {
                    return new Result(g.seed(), "explained", s.op(), ILL_CONDITIONED + ": " + what, desc);
                }
                return new Result(g.seed(), "mismatch", s.op(), what + " (graph: " + graphDiff + ")", desc);
            }
        }
        if (g.gradInput() >= 0) {
            List<Tensor> ref = reference.compile(Defn.traceContainers(a -> g.values(tensors(a)),
                    g.inputs().toArray())).run(g.inputs());
            for (Graph.Step s : g.steps()) {
                Tensor[] args = operands(s, ref);
                Result r = stepGradient(g, s, args, desc);
                if (r != null) {
                    return r;
                }
            }
        }
        return new Result(g.seed(), "explained", g.lastOp(), AMPLIFIED + ": " + graphDiff, desc);
    }

    /** The gradient of one step alone (sum of its real part, w.r.t. its floating operands): null when it agrees. */
    private Result stepGradient(Graph g, Graph.Step s, Tensor[] args, String desc) {
        List<Integer> wrt = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].type().isInteger()) {
                wrt.add(i);
            }
        }
        if (wrt.isEmpty()) {
            return null;
        }
        Function<Object[], Object> f = a -> {
            Tensor[] all = tensors(a).toArray(new Tensor[0]);
            List<Tensor> ps = wrt.stream().map(i -> all[i]).toList();
            return Defn.grad(ps, p -> {
                Tensor[] x = all.clone();
                for (int k = 0; k < wrt.size(); k++) {
                    x[wrt.get(k)] = p.get(k);
                }
                return Graph.scalarLoss(s.fn().apply(x));
            });
        };
        List<Tensor> want;
        List<Tensor> got;
        try {
            TracedFunction t = Defn.traceContainers(f, (Object[]) args);
            want = reference.compile(t).run(List.of(args));
            got = underTest.compile(t).run(List.of(args));
        } catch (RuntimeException e) {
            return null; // not differentiable alone (an integer result...): the graph's own gradient ran
        }
        for (int i = 0; i < want.size(); i++) {
            Optional<Tolerance.Difference> d = tolerance.difference(want.get(i), got.get(i));
            if (d.isPresent()) {
                String what = "grad of " + s.text() + " on " + types(args) + " w.r.t. operand " + wrt.get(i) + ": "
                        + d.get();
                if (hasSubnormal(args)) {
                    return new Result(g.seed(), "explained", "grad(" + s.op() + ")", SUBNORMALS + ": " + what, desc);
                }
                if (complexProductInfinity(s, args, want.get(i), got.get(i))) {
                    return new Result(g.seed(), "explained", "grad(" + s.op() + ")", COMPLEX_PRODUCT_INFINITY + ": "
                            + what, desc);
                }
                return new Result(g.seed(), "mismatch", "grad(" + s.op() + ")", what, desc);
            }
        }
        return null;
    }

    /** Whether a computed f16/bf16 operand of a wider result explains the difference (see {@link #LOW_PRECISION}). */
    private boolean lowPrecisionOperand(Graph.Step s, Tensor[] args, int nIn, Tensor want, Tensor got) {
        if (want.type().isInteger() || want.type().toReal().bits() <= 16) {
            return false;
        }
        boolean computedNarrow = false;
        for (int j = 0; j < args.length; j++) {
            DType t = args[j].type();
            computedNarrow |= s.operands()[j] >= nIn && !t.isInteger() && t.toReal().bits() == 16;
        }
        Tolerance loose = tolerance.scaled(tolerance.relative(DType.F16) / tolerance.relative(want.type()));
        return computedNarrow && loose.difference(want, got).isEmpty();
    }

    /** Whether the step's difference disappears once subnormal operands are flushed to (signed) zero. */
    private boolean explainedBySubnormals(Graph.Step s, Tensor[] args, Tensor xlaValue) {
        if (!hasSubnormal(args)) {
            return false;
        }
        Tensor[] flushed = Arrays.stream(args).map(GraphRunner::flushSubnormals).toArray(Tensor[]::new);
        try {
            Tensor alone = alone(reference, s, flushed);
            return tolerance.difference(alone, xlaValue).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Whether every element of {@code got} is within the rule of {@code want}, or within four times
     * how far the reference result moves when the floating operands are scaled by {@code 1 ± 2r}
     * (two patterns: all up; alternating up and down). Only finite values are judged this way.
     */
    private boolean illConditioned(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (FFTS.contains(s.op())) {
            return withinFftBound(args[0], want, got);
        }
        if (s.op().equals("eigh") && s.text().endsWith("[0]") && withinEigenvalueBound(args[0], want, got)) {
            return true;
        }
        if (!CONDITIONED.contains(s.op()) || want.type().isInteger() || !want.shape().equals(got.shape())
                || want.type() != got.type()) {
            return false;
        }
        double[] spread = new double[want.size() * 2];
        var w = want.toComplexArray();
        for (int pattern = 0; pattern < 2; pattern++) {
            Tensor[] moved = new Tensor[args.length];
            boolean any = false;
            for (int j = 0; j < args.length; j++) {
                moved[j] = args[j].type().isInteger() ? args[j] : perturb(args[j], 2 * tolerance.relative(args[j].type()),
                        pattern == 1);
                any |= !args[j].type().isInteger();
            }
            if (!any) {
                return false;
            }
            Tensor p;
            try {
                p = alone(reference, s, moved);
            } catch (RuntimeException e) {
                return false;
            }
            if (!p.shape().equals(want.shape()) || p.type() != want.type()) {
                return false;
            }
            var pv = p.toComplexArray();
            for (int i = 0; i < w.length; i++) {
                spread[2 * i] = Math.max(spread[2 * i], Math.abs(pv[i].re() - w[i].re()));
                spread[2 * i + 1] = Math.max(spread[2 * i + 1], Math.abs(pv[i].im() - w[i].im()));
            }
        }
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            if (!withinSpread(want.type(), w[i].re(), g[i].re(), spread[2 * i])
                    || !withinSpread(want.type(), w[i].im(), g[i].im(), spread[2 * i + 1])) {
                return false;
            }
        }
        return true;
    }

    /**
     * An FFT's rounding error is bounded norm-wise, {@code |error_k| <= c·r·log2(n)·Σ|x|}, not
     * relative to each output: with every value finite, each element must be within
     * {@code 4·r·(1 + log2 n)·Σ|x|} (r the result type's tolerance, x the transform's input).
     */
    private boolean withinFftBound(Tensor x, Tensor want, Tensor got) {
        if (!want.shape().equals(got.shape()) || want.type() != got.type() || x.size() == 0) {
            return false;
        }
        double norm = 0;
        for (var c : x.toComplexArray()) {
            norm += Math.hypot(c.re(), c.im());
        }
        double bound = 4 * tolerance.relative(want.type()) * (1 + Math.log(x.size()) / Math.log(2)) * norm;
        var w = want.toComplexArray();
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            double error = Math.hypot(g[i].re() - w[i].re(), g[i].im() - w[i].im());
            if (!Double.isFinite(bound) || !(error <= bound)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A symmetric eigenvalue's rounding error is bounded by the matrix's norm, not the eigenvalue
     * (Weyl: a backward error E moves every eigenvalue by at most ‖E‖₂, and a stable algorithm's
     * ‖E‖₂ is a small multiple of {@code r·‖A‖}): with every value finite, each eigenvalue of the
     * step's matrix A = x + xᴴ (as the step computes it, integer wrap-around included) must be within
     * {@code 4·n·r·‖A‖_F} of the reference, r the result type's tolerance.
     */
    boolean withinEigenvalueBound(Tensor x, Tensor want, Tensor got) {
        if (x.type().isComplex() || !want.shape().equals(got.shape()) || want.type() != got.type() || want.size() == 0) {
            return false;
        }
        int n = want.shape().dim(-1);
        double[] a = Nx.add(x, dev.jnx.LinAlg.adjoint(x)).toDoubleArray();
        double[] w = want.toDoubleArray();
        double[] g = got.toDoubleArray();
        for (int b = 0; b < w.length / n; b++) {
            double norm = 0;
            for (int i = b * n * n; i < (b + 1) * n * n; i++) {
                norm = Math.hypot(norm, a[i]);
            }
            double bound = 4 * n * tolerance.relative(want.type()) * norm;
            for (int i = b * n; i < (b + 1) * n; i++) {
                if (!Double.isFinite(bound) || !Double.isFinite(w[i]) || !Double.isFinite(g[i])
                        || !(Math.abs(g[i] - w[i]) <= bound)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean withinSpread(DType t, double want, double got, double spread) {
        if (tolerance.close(t, want, got)) {
            return true;
        }
        return Double.isFinite(want) && Double.isFinite(got) && Double.isFinite(spread)
                && Math.abs(got - want) <= 4 * spread;
    }

    private static Tensor perturb(Tensor t, double r, boolean alternate) {
        var values = t.toComplexArray();
        byte[] bytes = new byte[t.size() * t.type().byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < values.length; i++) {
            double f = 1 + (alternate && i % 2 == 1 ? -r : r);
            if (t.type().isComplex()) {
                HostData.setComplex(m, t.type(), i, values[i].re() * f, values[i].im() * f);
            } else {
                HostData.setDouble(m, t.type(), i, values[i].re() * f);
            }
        }
        return Tensor.of(t.shape(), t.type(), new HostData(bytes));
    }

    /** Whether {@code got} differs from {@code want} only where a complex quotient's divisor is 0. */
    private boolean complexDivisionByZero(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        boolean divide = s.op().equals("divide");
        if (!(divide || s.op().equals("rsqrt")) || !want.type().isComplex() || !want.shape().equals(got.shape())) {
            return false;
        }
        // rsqrt(z) is 1/sqrt(z): its divisor is zero where z is
        var divisor = Nx.broadcast(args[divide ? 1 : 0], want.shape()).toComplexArray();
        var w = want.toComplexArray();
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            boolean agrees = tolerance.close(want.type(), w[i].re(), g[i].re())
                    && tolerance.close(want.type(), w[i].im(), g[i].im());
            if (!agrees && (divisor[i].re() != 0 || divisor[i].im() != 0)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every element where an f32 dot or product differs is non-finite on XLA and has a
     * contraction whose sum of |products| (the same op over the operands' magnitudes, in f64;
     * a product's factors below 1 as 1) exceeds f32's largest value, so that f32 products or partial
     * sums can overflow where f64 ones do not.
     */
    private boolean f32DotAccumulation(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (!DOTS.contains(s.op()) || want.type() != DType.F32 || !want.shape().equals(got.shape())) {
            return false;
        }
        // For a product, factors below 1 in magnitude (zeros, subnormals) count as 1: the bound is
        // then the largest partial product f32 may have to hold in some order of the factors.
        boolean product = PRODUCTS.contains(s.op());
        Tensor[] magnitudes = new Tensor[args.length];
        for (int i = 0; i < args.length; i++) {
            Tensor m = Nx.asType(Nx.abs(args[i]), DType.F64);
            magnitudes[i] = product ? Nx.max(m, 1.0) : m;
        }
        double[] bound = alone(reference, s, magnitudes).toDoubleArray();
        double[] w = want.toDoubleArray();
        double[] g = got.toDoubleArray();
        for (int i = 0; i < w.length; i++) {
            if (!tolerance.close(want.type(), w[i], g[i]) && (Double.isFinite(g[i]) || !(bound[i] > Float.MAX_VALUE))) {
                return false;
            }
        }
        return true;
    }

    /** Whether every element where {@code got} differs is non-finite on XLA and has an overflowing operand. */
    private boolean complexExpOverflow(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (!EXPONENTIALS.contains(s.op()) || !want.type().isComplex() || !want.shape().equals(got.shape())) {
            return false;
        }
        double limit = Math.log(want.type().toReal() == DType.F32 ? Float.MAX_VALUE : Double.MAX_VALUE);
        var x = args[0].toComplexArray();
        var w = want.toComplexArray();
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            boolean agrees = tolerance.close(want.type(), w[i].re(), g[i].re())
                    && tolerance.close(want.type(), w[i].im(), g[i].im());
            boolean overflows = !(Math.abs(x[i].re()) <= limit && Math.abs(x[i].im()) <= limit);
            boolean nonFinite = !Double.isFinite(g[i].re()) || !Double.isFinite(g[i].im());
            if (!agrees && !(overflows && nonFinite)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether at every element where a complex product differs one backend has a NaN part where
     * the other has an infinite one (Inf·0 read two ways; the infinity from an operand or from
     * overflow in between).
     */
    private boolean complexProductInfinity(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (!COMPLEX_PRODUCTS.contains(s.op()) || !want.type().isComplex() || !want.shape().equals(got.shape())) {
            return false;
        }
        var w = want.toComplexArray();
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            boolean agrees = tolerance.close(want.type(), w[i].re(), g[i].re())
                    && tolerance.close(want.type(), w[i].im(), g[i].im());
            boolean twoReadings = hasNaN(w[i]) && hasInfinite(g[i]) || hasNaN(g[i]) && hasInfinite(w[i]);
            if (!agrees && !twoReadings) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether, at every element where it differs from XLA, the reference agrees once the complex
     * operands' zero (or, as XLA flushes them, subnormal) imaginary parts are zeros of the other sign.
     */
    private boolean complexZeroSign(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (!BRANCH_CUTS.contains(s.op()) || !got.type().isComplex() || !want.shape().equals(got.shape())) {
            return false;
        }
        Tensor[] flipped = args.clone();
        boolean any = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].type().isComplex()) {
                Tensor flushed = flushSubnormals(args[i]);
                Tensor im = Nx.imag(flushed);
                flipped[i] = Nx.complex(Nx.real(flushed), Nx.select(Nx.equal(im, 0), Nx.negate(im), im));
                any = true;
            }
        }
        if (!any) {
            return false;
        }
        var w = want.toComplexArray();
        var f = alone(reference, s, flipped).toComplexArray();
        var g = got.toComplexArray();
        for (int i = 0; i < w.length; i++) {
            if (!close(want.type(), w[i], g[i]) && !close(want.type(), f[i], g[i])) {
                return false;
            }
        }
        return true;
    }

    private boolean close(DType type, dev.jnx.Complex a, dev.jnx.Complex b) {
        return tolerance.close(type, a.re(), b.re()) && tolerance.close(type, a.im(), b.im());
    }

    private static boolean hasNaN(dev.jnx.Complex c) {
        return Double.isNaN(c.re()) || Double.isNaN(c.im());
    }

    private static boolean hasInfinite(dev.jnx.Complex c) {
        return Double.isInfinite(c.re()) || Double.isInfinite(c.im());
    }

    /**
     * Whether {@code got} differs from {@code want} only where a padded convolution over a finite
     * operand is NaN in the reference and finite on XLA: with every input element finite, such a NaN
     * can only be a non-finite kernel element times a padded zero, which XLA skipped.
     */
    private boolean convPaddingSkipped(Graph.Step s, Tensor[] args, Tensor want, Tensor got) {
        if (!s.op().equals("conv") || s.text().contains("pad 0/0, input dilation 1)") || hasNonFinite(args)
                || !want.shape().equals(got.shape()) || want.type() != got.type()) {
            return false;
        }
        var w = want.toComplexArray();
        var g = got.toComplexArray();
        boolean skipped = false;
        for (int i = 0; i < w.length; i++) {
            for (double[] part : new double[][] {{w[i].re(), g[i].re()}, {w[i].im(), g[i].im()}}) {
                boolean padded = Double.isNaN(part[0]) && Double.isFinite(part[1]);
                if (!padded && !tolerance.close(want.type(), part[0], part[1])) {
                    return false;
                }
                skipped |= padded;
            }
        }
        return skipped;
    }

    private static boolean hasNonFinite(Tensor[] args) {
        for (Tensor t : args) {
            if (!t.type().isInteger()) {
                for (var c : t.toComplexArray()) {
                    if (!Double.isFinite(c.re()) || !Double.isFinite(c.im())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean hasSubnormal(Tensor[] args) {
        for (Tensor t : args) {
            if (!t.type().isInteger()) {
                double min = minNormal(t.type());
                for (var c : t.toComplexArray()) {
                    if (subnormal(c.re(), min) || subnormal(c.im(), min)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean subnormal(double v, double minNormal) {
        return v != 0 && Math.abs(v) < minNormal;
    }

    private static double minNormal(DType t) {
        return switch (t.toReal()) {
            case F64 -> Double.MIN_NORMAL;
            case F16 -> 6.103515625e-5;
            default -> Float.MIN_NORMAL; // f32, bf16
        };
    }

    static Tensor flushSubnormals(Tensor t) {
        if (t.type().isInteger()) {
            return t;
        }
        double min = minNormal(t.type());
        var values = t.toComplexArray();
        byte[] bytes = new byte[t.size() * t.type().byteSize()];
        MemorySegment m = MemorySegment.ofArray(bytes);
        for (int i = 0; i < values.length; i++) {
            double re = values[i].re();
            double im = values[i].im();
            re = subnormal(re, min) ? Math.copySign(0.0, re) : re;
            im = subnormal(im, min) ? Math.copySign(0.0, im) : im;
            if (t.type().isComplex()) {
                HostData.setComplex(m, t.type(), i, re, im);
            } else {
                HostData.setDouble(m, t.type(), i, re);
            }
        }
        return Tensor.of(t.shape(), t.type(), new HostData(bytes));
    }

    /** One step alone, compiled by {@code c}, over {@code args}. */
    private static Tensor alone(Compiler c, Graph.Step s, Tensor[] args) {
        return c.compile(Defn.traceContainers(a -> s.fn().apply(Arrays.copyOf(a, a.length, Tensor[].class)),
                (Object[]) args)).run(List.of(args)).get(0);
    }

    private static Tensor[] operands(Graph.Step s, List<Tensor> values) {
        Tensor[] args = new Tensor[s.operands().length];
        for (int j = 0; j < args.length; j++) {
            args[j] = values.get(s.operands()[j]);
        }
        return args;
    }

    private static String types(Tensor[] args) {
        StringBuilder b = new StringBuilder();
        for (Tensor t : args) {
            b.append(b.length() == 0 ? "" : ", ").append(t.type()).append(t.shape());
            if (t.size() <= 8) {
                b.append(valuesOf(t));
            }
        }
        return b.toString();
    }

    private static String valuesOf(Tensor t) {
        if (t.type().isInteger()) {
            return Arrays.toString(t.toLongArray());
        }
        if (t.type().isComplex()) {
            return Arrays.toString(t.toComplexArray());
        }
        return Arrays.toString(t.toDoubleArray());
    }

    static String describe(Throwable e) {
        String m = String.valueOf(e.getMessage());
        return e.getClass().getName() + ": " + (m.length() > 300 ? m.substring(0, 300) + "…" : m);
    }

    private static List<Tensor> tensors(Object[] a) {
        return Arrays.asList(Arrays.copyOf(a, a.length, Tensor[].class));
    }
}
