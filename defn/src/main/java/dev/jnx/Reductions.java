package dev.jnx;

import dev.jnx.defn.Tracing;
import dev.jnx.defn.Expr.ReduceOp;
import dev.jnx.defn.Expr;
import dev.jnx.defn.UserFunctions;

import java.util.Arrays;
import java.util.function.BinaryOperator;

/**
 * The reductions and sort-family functions of {@link Nx} that are compositions of primitives,
 * written as Nx writes them (argmax/argmin as a max then the first matching index, median by
 * sorting, cumulative ops as {@code reduce_window}s).
 */
final class Reductions {
    private Reductions() {
    }

    static Tensor argReduce(boolean max, Tensor x, Integer axis, boolean tieHigh, boolean keepAxis, DType type) {
        String name = max ? "argmax" : "argmin";
        if (x.type().isComplex()) {
            throw new IllegalArgumentException(name + " is not defined for complex types, got " + x.type() + x.shape());
        }
        if (!type.isInteger()) {
            throw new IllegalArgumentException(name + ": the index type must be an integer type, got " + type);
        }
        if (axis == null) {
            if (x.rank() == 0) {
                return Nx.scalar(0, type);
            }
            Tensor flat = Nx.reshape(x, Shape.of(x.size()));
            Tensor r = argReduce(max, flat, 0, tieHigh, false, type);
            return keepAxis ? Nx.reshape(r, Shape.of(ones(x.rank()))) : r;
        }
        int a = x.shape().normalizeAxis(axis, name);
        int n = x.shape().dim(a);
        if (n == 0) {
            throw new IllegalArgumentException(name + ": cannot find the index of an extreme value along axis " + a
                    + " of size 0 in " + x.type() + x.shape());
        }
        Tensor m = max ? Nx.reduceMax(x, new int[] {a}, true) : Nx.reduceMin(x, new int[] {a}, true);
        Tensor hits = Nx.equal(x, m);
        if (x.type().isFloat()) {
            // Where a line holds a NaN, the NaN is the extreme value (Nx); equal() never matches
            // it, and XLA:CPU's reduce min/max may skip it, so pick the NaNs explicitly.
            Tensor nan = Nx.isNan(x);
            hits = Nx.select(Nx.any(nan, new int[] {a}, true), nan, hits);
        }
        // Indices in s64 so that the -1 sentinel exists whatever the requested type.
        Tensor idx = Nx.iota(x.shape(), DType.S64, a);
        Tensor r = tieHigh
                ? Nx.reduceMax(Nx.select(hits, idx, Nx.scalar(-1L)), new int[] {a}, keepAxis)
                : Nx.reduceMin(Nx.select(hits, idx, Nx.scalar((long) n)), new int[] {a}, keepAxis);
        return Nx.asType(r, type);
    }

    static Tensor weightedMean(Tensor x, Tensor w, int[] axes, boolean keepAxes) {
        Tensor weights = w;
        if (!w.shape().equals(x.shape())) {
            if (axes == null) {
                throw new IllegalArgumentException("weighted_mean: axes must be given when the shapes of the input "
                        + x.type() + x.shape() + " and the weights " + w.type() + w.shape() + " differ");
            }
            if (w.rank() != axes.length) {
                throw new IllegalArgumentException("weighted_mean: the weights " + w.type() + w.shape()
                        + " must have one dimension per aggregation axis " + Arrays.toString(axes) + " of " + x.type() + x.shape());
            }
            int[] dims = ones(x.rank());
            int[] ax = x.shape().normalizeAxes(axes, "weighted_mean");
            for (int i = 0; i < ax.length; i++) {
                dims[ax[i]] = w.shape().dim(i);
            }
            weights = Nx.broadcast(Nx.reshape(w, Shape.of(dims)), x.shape());
        }
        int[] ax = axes == null ? all(x) : axes;
        DType t = DType.merge(x.type(), weights.type()).toFloating();
        Tensor xf = Nx.asType(x, t);
        Tensor wf = Nx.asType(weights, t);
        return Nx.divide(Nx.sum(Nx.multiply(xf, wf), ax, keepAxes), Nx.sum(wf, ax, keepAxes));
    }

    static Tensor variance(Tensor x, int[] axes, int ddof, boolean keepAxes) {
        long total = 1;
        for (int a : x.shape().normalizeAxes(axes, "variance")) {
            total *= x.shape().dim(a);
        }
        Tensor mean = Nx.mean(x, axes, true);
        Tensor d = Nx.subtract(x, mean);
        return Nx.divide(Nx.sum(Nx.multiply(d, d), axes, keepAxes), total - ddof);
    }

    static Tensor logsumexp(Tensor x, int[] axes, boolean keepAxes) {
        Tensor max = Kernel.stopGrad(Nx.reduceMax(x, axes, true));
        // An infinite maximum would give inf - inf = NaN: shift by 0 there instead.
        max = Nx.select(Nx.isInfinity(max), Nx.scalar(0, max.type()), max);
        Tensor s = Nx.sum(Nx.exp(Nx.subtract(x, max)), axes, keepAxes);
        Tensor l = Nx.log(s);
        return Nx.add(l, Nx.reshape(max, l.shape()));
    }

    static Tensor median(Tensor x, Integer axis, boolean keepAxis) {
        if (axis == null) {
            Tensor flat = Nx.reshape(x, Shape.of(x.size()));
            Tensor r = median(flat, 0, false);
            return keepAxis ? Nx.reshape(r, Shape.of(ones(x.rank()))) : r;
        }
        int a = checkSortable("median", x, axis);
        int n = x.shape().dim(a);
        if (n == 0) {
            throw new IllegalArgumentException("median: axis " + a + " of " + x.type() + x.shape() + " is empty");
        }
        Tensor sorted = sort(x, a, false);
        if (n % 2 == 1) {
            Tensor mid = Nx.sliceAlongAxis(sorted, n / 2, 1, a);
            return keepAxis ? mid : Nx.reshape(mid, dropAxis(x.shape(), a));
        }
        return Nx.mean(Nx.sliceAlongAxis(sorted, n / 2 - 1, 2, a), new int[] {a}, keepAxis);
    }

    static Tensor mode(Tensor x, Integer axis, boolean keepAxis) {
        if (x.type().isComplex()) {
            throw new IllegalArgumentException("mode is not defined for complex types, got " + x.type() + x.shape());
        }
        if (x.rank() == 0) {
            return x;
        }
        if (axis == null) {
            Tensor r = mode(Nx.reshape(x, Shape.of(x.size())), 0, false);
            return keepAxis ? Nx.reshape(r, Shape.of(ones(x.rank()))) : r;
        }
        int a = x.shape().normalizeAxis(axis, "mode");
        int n = x.shape().dim(a);
        if (n == 0) {
            throw new IllegalArgumentException("mode: axis " + a + " of " + x.type() + x.shape() + " is empty");
        }
        // Move the axis last, count each element's equals along it, take the smallest most frequent.
        int r = x.rank();
        int[] perm = new int[r];
        for (int i = 0, k = 0; i < r; i++) {
            if (i != a) {
                perm[k++] = i;
            }
        }
        perm[r - 1] = a;
        Tensor y = Nx.transpose(x, perm);
        int[] dims = y.shape().dims();
        int[] col = Arrays.copyOf(dims, r + 1);
        col[r] = 1;
        int[] row = Arrays.copyOf(dims, r + 1);
        row[r - 1] = 1;
        row[r] = n;
        Tensor counts = Nx.sum(Nx.equal(Nx.reshape(y, Shape.of(col)), Nx.reshape(y, Shape.of(row))), new int[] {r}, false);
        Tensor best = Nx.reduceMax(counts, new int[] {r - 1}, true);
        Tensor top = Nx.reduceMax(y, new int[] {r - 1}, true);
        Tensor res = Nx.reduceMin(Nx.select(Nx.equal(counts, best), y, top), new int[] {r - 1}, false);
        if (!keepAxis) {
            return res;
        }
        int[] kept = x.shape().dims();
        kept[a] = 1;
        return Nx.reshape(res, Shape.of(kept));
    }

    static Tensor reduceFn(Tensor x, Tensor init, int[] axes, boolean keepAxes, BinaryOperator<Tensor> fn) {
        int[] ax = x.shape().normalizeAxes(axes, "reduce");
        Arrays.sort(ax);
        // With no axes (a scalar, say) each element is its own group: fn(init, x), as in Nx.
        Expr.Region region = UserFunctions.scalarBinary("reduce", x.type(), fn);
        int[] kept = x.shape().dims();
        int[] out = new int[x.rank() - ax.length];
        for (int d = 0, k = 0; d < x.rank(); d++) {
            if (Arrays.binarySearch(ax, d) >= 0) {
                kept[d] = 1;
            } else {
                out[k++] = x.shape().dim(d);
            }
        }
        Tensor r = Tracing.bind(new Expr.ReduceFn(Tracing.nodeOf(x), Tracing.nodeOf(init), ax, region, Shape.of(out), x.type()), x, init);
        return keepAxes ? Nx.reshape(r, Shape.of(kept)) : r;
    }

    static Tensor sort(Tensor x, int axis, boolean descending) {
        int a = checkSortable("sort", x, axis);
        if (x.shape().dim(a) <= 1) {
            return x;
        }
        return Tracing.bind(new Expr.Sort(Tracing.nodeOf(x), Tracing.nodeOf(x), a, descending), x);
    }

    static Tensor argsort(Tensor x, int axis, boolean descending, DType type) {
        int a = checkSortable("argsort", x, axis);
        if (!type.isInteger()) {
            throw new IllegalArgumentException("argsort: the index type must be an integer type, got " + type);
        }
        Tensor iota = Nx.iota(x.shape(), type, a);
        if (x.shape().dim(a) <= 1) {
            return iota;
        }
        return Tracing.bind(new Expr.Sort(Tracing.nodeOf(x), Tracing.nodeOf(iota), a, descending), x, iota);
    }

    static Tensor[] topK(Tensor x, int k) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException("top_k: expected a tensor of rank 1 or more, got " + x.type() + x.shape());
        }
        int last = x.rank() - 1;
        int n = x.shape().dim(last);
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("top_k: k must be in [0, " + n + "] for " + x.type() + x.shape() + ", got " + k);
        }
        Tensor values = sort(x, last, true);
        Tensor indices = argsort(x, last, true, DType.S32);
        return new Tensor[] {Nx.sliceAlongAxis(values, 0, k, last), Nx.sliceAlongAxis(indices, 0, k, last)};
    }

    static Tensor cumulative(ReduceOp op, String name, Tensor x, int axis, boolean reverse) {
        if (x.type().isComplex() && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            throw new IllegalArgumentException(name + " is not defined for complex types, got " + x.type() + x.shape());
        }
        int a = x.shape().normalizeAxis(axis, name);
        int n = x.shape().dim(a);
        if (n <= 1 || x.size() == 0) {
            return x;
        }
        // Window i covers elements [i - n + 1, i] (or [i, i + n - 1] reversed); padding holds the identity.
        int[] window = ones(x.rank());
        window[a] = n;
        int[][] padding = new int[x.rank()][2];
        padding[a] = reverse ? new int[] {0, n - 1} : new int[] {n - 1, 0};
        WindowOptions o = WindowOptions.defaults().padding(padding);
        return switch (op) {
            case SUM -> Nx.windowSum(x, window, o);
            case PRODUCT -> {
                Tensor out = Nx.windowProduct(x, window, o);
                yield Kernel.customGrad(out, java.util.List.of(x), g -> java.util.List.of(
                        cumulativeProductGrad(x, g, a, reverse)));
            }
            case MAX -> Nx.windowMax(x, window, o);
            case MIN -> Nx.windowMin(x, window, o);
        };
    }

    /**
     * The running product's gradient (window_product has no rule of its own) is that of the same
     * running product written as a log-step scan of multiplications: d out_j / d x_i is the
     * product of the others, with no division by x, so it is right where x holds zeros, and so
     * are higher derivatives.
     */
    private static Tensor cumulativeProductGrad(Tensor x, Tensor g, int axis, boolean reverse) {
        return Defn.grad(x, v -> Nx.sum(Nx.multiply(productScan(v, axis, reverse), g)));
    }

    /** Running products by doubling steps: after the step of d, element i holds the product of the 2d nearest. */
    private static Tensor productScan(Tensor x, int axis, boolean reverse) {
        int n = x.shape().dim(axis);
        Tensor y = x;
        for (int d = 1; d < n; d *= 2) {
            int[] starts = new int[x.rank()];
            int[][] padding = new int[x.rank()][2];
            int[] lengths = x.shape().dims();
            lengths[axis] = n - d;
            starts[axis] = reverse ? d : 0;
            padding[axis] = reverse ? new int[] {0, d} : new int[] {d, 0};
            y = Nx.multiply(y, Nx.pad(Nx.slice(y, starts, lengths), Nx.scalar(1, x.type()), padding));
        }
        return y;
    }

    private static int checkSortable(String name, Tensor x, int axis) {
        if (x.type().isComplex()) {
            throw new IllegalArgumentException(name + " is not defined for complex types, got " + x.type() + x.shape());
        }
        return x.shape().normalizeAxis(axis, name);
    }

    private static int[] ones(int n) {
        int[] d = new int[n];
        Arrays.fill(d, 1);
        return d;
    }

    private static int[] all(Tensor x) {
        int[] d = new int[x.rank()];
        for (int i = 0; i < d.length; i++) {
            d[i] = i;
        }
        return d;
    }

    private static Shape dropAxis(Shape s, int axis) {
        int[] d = new int[s.rank() - 1];
        for (int i = 0, k = 0; i < s.rank(); i++) {
            if (i != axis) {
                d[k++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }
}
