package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.UserFunctions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BinaryOperator;

import static dev.jnx.defn.Tracing.bind;
import static dev.jnx.defn.Tracing.nodeOf;

/**
 * The shape and indexing functions behind {@link Nx}'s public ones (slice, pad, gather,
 * scatter, conv, window reductions, and the compositions Nx builds from them). Each checks its
 * arguments as Nx does — at trace time, before anything reaches a compiler — and builds
 * primitive {@link Expr} nodes.
 */
final class IndexingOps {
    private IndexingOps() {
    }

    // ---------------------------------------------------------------- helpers

    static String describe(Tensor t) {
        return t.type() + (t.rank() == 0 ? "[] (a scalar)" : t.shape().toString());
    }

    static int[] fill(int n, int v) {
        int[] a = new int[n];
        Arrays.fill(a, v);
        return a;
    }

    /** One value per axis: a single value repeats, otherwise exactly {@code n} values, each at least {@code min}. */
    static int[] perAxis(String op, String what, int[] given, int n, int dflt, int min) {
        if (given == null || given.length == 0) {
            return fill(n, dflt);
        }
        int[] out = given.length == 1 && n != 1 ? fill(n, given[0]) : given.clone();
        if (out.length != n) {
            throw new IllegalArgumentException(op + ": expected " + n + " " + what + " (one per axis), got "
                    + Arrays.toString(given));
        }
        for (int v : out) {
            if (v < min) {
                throw new IllegalArgumentException(op + ": " + what + " must be at least " + min + ", got "
                        + Arrays.toString(given));
            }
        }
        return out;
    }

    /** The tensors given to {@code op} as its argument {@code tensors}, each non-null. */
    static void requireElements(String op, List<Tensor> tensors) {
        for (int i = 0; i < tensors.size(); i++) {
            int at = i;
            Objects.requireNonNull(tensors.get(i), () -> op + ": argument tensors[" + at + "]");
        }
    }

    static void requireIntegerIndices(String op, String what, Tensor t) {
        if (!t.type().isInteger()) {
            throw new IllegalArgumentException(op + ": " + what + " must be an integer tensor, got " + describe(t));
        }
    }

    static int[] dimsWith(int[] dims, int axis, int value) {
        int[] d = dims.clone();
        d[axis] = value;
        return d;
    }

    static int[] range(int from, int to) {
        int[] a = new int[Math.max(0, to - from)];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    // ---------------------------------------------------------------- reshaping compositions

    static Tensor squeeze(Tensor x, int[] axes) {
        int[] ax;
        if (axes == null) {
            ax = Arrays.stream(range(0, x.rank())).filter(d -> x.shape().dim(d) == 1).toArray();
        } else {
            ax = x.shape().normalizeAxes(axes, "squeeze");
            for (int a : ax) {
                if (x.shape().dim(a) != 1) {
                    throw new IllegalArgumentException("squeeze: cannot squeeze axis " + a + " of " + describe(x)
                            + ": its size is " + x.shape().dim(a) + ", expected 1");
                }
            }
        }
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            final int dd = d;
            if (Arrays.stream(ax).noneMatch(a -> a == dd)) {
                dims.add(x.shape().dim(d));
            }
        }
        return Nx.reshape(x, Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    }

    static Tensor newAxis(Tensor x, int axis) {
        int r = x.rank() + 1;
        int a = axis < 0 ? axis + r : axis;
        if (a < 0 || a >= r) {
            throw new IllegalArgumentException("new_axis: axis " + axis + " is out of range for " + describe(x)
                    + " (expected -" + r + " to " + (r - 1) + ")");
        }
        int[] dims = new int[r];
        for (int d = 0, k = 0; d < r; d++) {
            dims[d] = d == a ? 1 : x.shape().dim(k++);
        }
        return Nx.reshape(x, Shape.of(dims));
    }

    static Tensor flatten(Tensor x, int[] axes) {
        if (axes == null) {
            return Nx.reshape(x, Shape.of(x.shape().intSize("flatten", x.type())));
        }
        int[] ax = x.shape().normalizeAxes(axes, "flatten");
        for (int i = 1; i < ax.length; i++) {
            if (ax[i] != ax[i - 1] + 1) {
                throw new IllegalArgumentException("flatten: axes " + Arrays.toString(axes)
                        + " must be consecutive and increasing for " + describe(x));
            }
        }
        if (ax.length == 0) {
            return x;
        }
        List<Integer> dims = new ArrayList<>();
        for (int d = 0; d < x.rank(); d++) {
            if (d == ax[0]) {
                int[] merged = Arrays.stream(ax).map(x.shape()::dim).toArray();
                dims.add(Shape.of(merged).intSize("flatten", x.type()));
            } else if (d < ax[0] || d > ax[ax.length - 1]) {
                dims.add(x.shape().dim(d));
            }
        }
        return Nx.reshape(x, Shape.of(dims.stream().mapToInt(Integer::intValue).toArray()));
    }

    static Tensor tile(Tensor x, int[] reps) {
        for (int r : reps) {
            if (r < 0) {
                throw new IllegalArgumentException("tile: repetitions must be non-negative, got " + Arrays.toString(reps));
            }
        }
        int rank = Math.max(reps.length, x.rank());
        int[] dims = new int[rank];
        int[] rp = new int[rank];
        for (int i = 0; i < rank; i++) {
            int di = i - (rank - x.rank());
            int ri = i - (rank - reps.length);
            dims[i] = di >= 0 ? x.shape().dim(di) : 1;
            rp[i] = ri >= 0 ? reps[ri] : 1;
        }
        // [d0, d1, ...] → [1, d0, 1, d1, ...] broadcast to [r0, d0, r1, d1, ...] → [r0*d0, r1*d1, ...]
        int[] inter = new int[2 * rank];
        int[] big = new int[2 * rank];
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = dims[i];
            big[2 * i] = rp[i];
            big[2 * i + 1] = dims[i];
            out[i] = rp[i] * dims[i];
        }
        return Nx.reshape(Nx.broadcast(Nx.reshape(x, Shape.of(inter)), Shape.of(big)), Shape.of(out));
    }

    // ---------------------------------------------------------------- pad, reverse, concatenate

    static Tensor pad(Tensor x, Tensor value, int[][] config) {
        if (value.rank() != 0) {
            throw new IllegalArgumentException("pad: the padding value must be a scalar, got " + describe(value));
        }
        if (config.length != x.rank()) {
            throw new IllegalArgumentException("pad: expected a padding configuration of " + x.rank()
                    + " {lo, hi, interior} entries for " + describe(x) + ", got " + config.length);
        }
        int r = x.rank();
        int[] lo = new int[r];
        int[] hi = new int[r];
        int[] in = new int[r];
        int[] dims = new int[r];
        for (int d = 0; d < r; d++) {
            int[] c = config[d];
            if (c.length != 2 && c.length != 3) {
                throw new IllegalArgumentException("pad: padding entry " + d + " must be {lo, hi} or {lo, hi, interior}, got "
                        + Arrays.toString(c));
            }
            lo[d] = c[0];
            hi[d] = c[1];
            in[d] = c.length == 3 ? c[2] : 0;
            if (in[d] < 0) {
                throw new IllegalArgumentException("pad: interior padding must be non-negative, got " + in[d]
                        + " on axis " + d + " of " + describe(x));
            }
            int n = x.shape().dim(d);
            dims[d] = lo[d] + hi[d] + n + Math.max(n - 1, 0) * in[d];
            if (dims[d] < 0) {
                throw new IllegalArgumentException("pad: padding " + Arrays.toString(c) + " on axis " + d + " of "
                        + describe(x) + " leaves a negative size " + dims[d]);
            }
        }
        DType t = DType.merge(x.type(), value.type());
        Tensor cx = Nx.asType(x, t);
        Tensor cv = Nx.asType(value, t);
        return bind(new Expr.Pad(nodeOf(cx), nodeOf(cv), lo, hi, in, Shape.of(dims), t), cx, cv);
    }

    static Tensor reverse(Tensor x, int[] axes) {
        int[] ax = axes == null ? range(0, x.rank()) : x.shape().normalizeAxes(axes, "reverse");
        if (ax.length == 0) {
            return x;
        }
        Arrays.sort(ax);
        return bind(new Expr.Reverse(nodeOf(x), ax, x.shape(), x.type()), x);
    }

    static Tensor concatenate(List<Tensor> xs, int axis) {
        requireElements("concatenate", xs);
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concatenate: expected at least one tensor");
        }
        Tensor first = xs.get(0);
        if (first.rank() == 0) {
            throw new IllegalArgumentException("concatenate: cannot concatenate scalars, got " + describe(first));
        }
        int a = first.shape().normalizeAxis(axis, "concatenate");
        DType t = first.type();
        int total = 0;
        for (int i = 0; i < xs.size(); i++) {
            Tensor x = xs.get(i);
            boolean ok = x.rank() == first.rank();
            for (int d = 0; ok && d < x.rank(); d++) {
                ok = d == a || x.shape().dim(d) == first.shape().dim(d);
            }
            if (!ok) {
                String[] want = new String[first.rank()];
                for (int d = 0; d < want.length; d++) {
                    want[d] = d == a ? "*" : Integer.toString(first.shape().dim(d));
                }
                throw new IllegalArgumentException("concatenate: expected all shapes to match {" + String.join(", ", want)
                        + "} on axis " + a + " (the shape of tensor 0, " + describe(first) + "), got tensor " + i + ", "
                        + describe(x));
            }
            t = DType.merge(t, x.type());
            total += x.shape().dim(a);
        }
        if (xs.size() == 1) {
            return Nx.asType(first, t);
        }
        List<Tensor> cs = new ArrayList<>();
        List<Expr> es = new ArrayList<>();
        for (Tensor x : xs) {
            Tensor c = Nx.asType(x, t);
            cs.add(c);
            es.add(nodeOf(c));
        }
        return bind(new Expr.Concatenate(List.copyOf(es), a, Shape.of(dimsWith(first.shape().dims(), a, total)), t), cs);
    }

    static Tensor stack(List<Tensor> xs, int axis) {
        requireElements("stack", xs);
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("stack: expected at least one tensor");
        }
        Shape s = xs.get(0).shape();
        for (Tensor x : xs) {
            if (!x.shape().equals(s)) {
                throw new IllegalArgumentException("stack: all tensors must have the same shape, expected "
                        + s + ", got " + describe(x));
            }
        }
        List<Tensor> expanded = new ArrayList<>();
        for (Tensor x : xs) {
            expanded.add(newAxis(x, axis));
        }
        int r = s.rank() + 1;
        return concatenate(expanded, axis < 0 ? axis + r : axis);
    }

    // ---------------------------------------------------------------- slices

    static Tensor slice(Tensor x, int[] starts, int[] lengths, int[] strides) {
        int r = x.rank();
        checkSliceArgs(x, starts.length, lengths, strides);
        int[] st = strides == null ? fill(r, 1) : strides;
        int[] s = new int[r];
        int[] limits = new int[r];
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            if (starts[d] < 0) {
                throw new IllegalArgumentException("slice: start index " + starts[d] + " on axis " + d + " of "
                        + describe(x) + " is negative; expected 0 to " + (x.shape().dim(d) - lengths[d]));
            }
            // Nx clips a start index so the slice keeps its length.
            s[d] = Math.min(starts[d], x.shape().dim(d) - lengths[d]);
            limits[d] = s[d] + lengths[d];
            out[d] = (lengths[d] + st[d] - 1) / st[d];
        }
        if (Arrays.equals(out, x.shape().dims()) && Arrays.stream(st).allMatch(v -> v == 1)) {
            return x;
        }
        return bind(new Expr.Slice(nodeOf(x), s, limits, st, Shape.of(out), x.type()), x);
    }

    private static void checkSliceArgs(Tensor x, int nStarts, int[] lengths, int[] strides) {
        int r = x.rank();
        if (nStarts != r || lengths.length != r || (strides != null && strides.length != r)) {
            throw new IllegalArgumentException("slice: expected " + r + " start indices, lengths and strides for "
                    + describe(x) + ", got " + nStarts + ", " + lengths.length + " and "
                    + (strides == null ? r : strides.length));
        }
        for (int d = 0; d < r; d++) {
            if (lengths[d] < 0 || lengths[d] > x.shape().dim(d)) {
                throw new IllegalArgumentException("slice: length " + lengths[d] + " at axis " + d + " of "
                        + describe(x) + " must be between 0 and the axis size " + x.shape().dim(d));
            }
            if (strides != null && strides[d] < 1) {
                throw new IllegalArgumentException("slice: stride at axis " + d + " must be at least 1, got "
                        + strides[d]);
            }
        }
    }

    /** Start indices given as scalar tensors or Java integers, as scalar s64 tensors. */
    static List<Tensor> startTensors(String op, Tensor x, Object[] starts) {
        List<Tensor> out = new ArrayList<>();
        for (int d = 0; d < starts.length; d++) {
            Object s = starts[d];
            Tensor t;
            if (s instanceof Tensor tt) {
                if (tt.rank() != 0) {
                    throw new IllegalArgumentException(op + ": start index for axis " + d + " must be a scalar, got "
                            + describe(tt));
                }
                requireIntegerIndices(op, "start index for axis " + d, tt);
                t = tt;
            } else if (s instanceof Integer || s instanceof Long || s instanceof Short || s instanceof Byte) {
                t = Nx.scalar(((Number) s).longValue(), DType.S64);
            } else {
                throw new IllegalArgumentException(op + ": start index for axis " + d
                        + " must be an integer or a scalar integer tensor, got " + s);
            }
            // stablehlo.dynamic_slice needs start indices of one type; s64 holds every index.
            out.add(t.type() == DType.S64 ? t : Nx.asType(t, DType.S64));
        }
        return out;
    }

    static Tensor slice(Tensor x, Object[] starts, int[] lengths, int[] strides) {
        boolean isStatic = Arrays.stream(starts).allMatch(s -> s instanceof Integer || s instanceof Long
                || (s instanceof Tensor t && !(t.data() instanceof Expr) && t.rank() == 0 && t.type().isInteger()));
        if (isStatic && Arrays.stream(starts).noneMatch(s -> s instanceof Tensor)) {
            return slice(x, Arrays.stream(starts).mapToInt(s -> ((Number) s).intValue()).toArray(), lengths, strides);
        }
        checkSliceArgs(x, starts.length, lengths, strides);
        List<Tensor> st = startTensors("slice", x, starts);
        Tensor[] ins = new Tensor[st.size() + 1];
        ins[0] = x;
        for (int i = 0; i < st.size(); i++) {
            ins[i + 1] = st.get(i);
        }
        Tensor window = bind(new Expr.DynamicSlice(nodeOf(x), st.stream().map(Tracing::nodeOf).toList(), lengths.clone(),
                Shape.of(lengths), x.type()), ins);
        if (strides == null || Arrays.stream(strides).allMatch(v -> v == 1)) {
            return window;
        }
        return slice(window, new int[x.rank()], lengths, strides);
    }

    static Tensor sliceAlongAxis(Tensor x, Object start, int length, int axis, int stride) {
        int a = x.shape().normalizeAxis(axis, "slice_along_axis");
        Object[] starts = new Object[x.rank()];
        Arrays.fill(starts, 0);
        starts[a] = start;
        int[] strides = fill(x.rank(), 1);
        strides[a] = stride;
        return slice(x, starts, dimsWith(x.shape().dims(), a, length), strides);
    }

    static Tensor putSlice(Tensor x, Object[] starts, Tensor update) {
        if (starts.length != x.rank() || update.rank() != x.rank()) {
            throw new IllegalArgumentException("put_slice: expected " + x.rank() + " start indices and a slice of rank "
                    + x.rank() + " for " + describe(x) + ", got " + starts.length + " indices and " + describe(update));
        }
        for (int d = 0; d < x.rank(); d++) {
            if (update.shape().dim(d) > x.shape().dim(d)) {
                throw new IllegalArgumentException("put_slice: slice " + describe(update) + " does not fit into "
                        + describe(x) + " on axis " + d);
            }
            if (starts[d] instanceof Number n && n.longValue() < 0) {
                throw new IllegalArgumentException("put_slice: start index " + n + " on axis " + d + " is negative");
            }
        }
        DType t = DType.merge(x.type(), update.type());
        Tensor cx = Nx.asType(x, t);
        Tensor cu = Nx.asType(update, t);
        List<Tensor> st = startTensors("put_slice", x, starts);
        List<Tensor> ins = new ArrayList<>(List.of(cx, cu));
        ins.addAll(st);
        return bind(new Expr.DynamicUpdateSlice(nodeOf(cx), nodeOf(cu), st.stream().map(Tracing::nodeOf).toList(),
                x.shape(), t), ins);
    }

    static Tensor[] split(Tensor x, int index, int axis) {
        int a = x.shape().normalizeAxis(axis, "split");
        int n = x.shape().dim(a);
        int at;
        if (index > 0 && index < n) {
            at = index;
        } else if (index < 0 && index > -n) {
            at = n + index;
        } else {
            throw new IllegalArgumentException("split: split must be an integer greater than zero and less than the"
                    + " length " + n + " of axis " + a + " of " + describe(x) + ", got " + index);
        }
        return new Tensor[] {sliceAlongAxis(x, 0, at, a, 1), sliceAlongAxis(x, at, n - at, a, 1)};
    }

    static Tensor[] split(Tensor x, double fraction, int axis) {
        int a = x.shape().normalizeAxis(axis, "split");
        int n = x.shape().dim(a);
        int at = (int) Math.ceil(fraction * n);
        if (at <= 0 || at >= n) {
            throw new IllegalArgumentException("split: split must be a float such that 0 < ceil(split * axis_size) < "
                    + n + " for axis " + a + " of " + describe(x) + ", got " + fraction);
        }
        return split(x, at, a);
    }

    // ---------------------------------------------------------------- gather and scatter

    static int[] indexedAxes(String op, Tensor x, Tensor indices, int[] axes) {
        int k = indices.shape().dim(indices.rank() - 1);
        if (axes == null) {
            if (k > x.rank()) {
                throw new IllegalArgumentException(op + ": the last dimension of indices " + describe(indices)
                        + " addresses " + k + " axes, but " + describe(x) + " has only " + x.rank());
            }
            return range(0, k);
        }
        int[] ax = x.shape().normalizeAxes(axes, op);
        for (int i = 1; i < ax.length; i++) {
            if (ax[i] <= ax[i - 1]) {
                throw new IllegalArgumentException(op + ": :axes must be an ordered list, got " + Arrays.toString(axes));
            }
        }
        if (ax.length != k) {
            throw new IllegalArgumentException(op + ": :axes " + Arrays.toString(axes)
                    + " must have as many elements as the last dimension of indices " + describe(indices));
        }
        return ax;
    }

    static Tensor gather(Tensor x, Tensor indices, int[] axes) {
        return gather("gather", x, indices, axes);
    }

    /** {@code Nx.gather} on behalf of {@code op} (take, take_along_axis, take_diagonal name themselves in errors). */
    private static Tensor gather(String op, Tensor x, Tensor indices, int[] axes) {
        requireIntegerIndices(op, "indices", indices);
        if (indices.rank() == 0) {
            throw new IllegalArgumentException(op + ": expected indices rank to be at least 1, got a scalar " + describe(indices));
        }
        int[] ax = indexedAxes(op, x, indices, axes);
        int nb = indices.rank() - 1;
        int[] win = windowAxes(x.rank(), ax);
        int[] dims = new int[nb + win.length];
        for (int d = 0; d < nb; d++) {
            dims[d] = indices.shape().dim(d);
        }
        for (int j = 0; j < win.length; j++) {
            dims[nb + j] = x.shape().dim(win[j]);
        }
        Shape out = Shape.of(dims);
        for (int a : ax) {
            // An index is clamped into its axis (Nx, XLA): an empty axis has nowhere to clamp to.
            if (x.shape().dim(a) == 0 && out.longSize() > 0) {
                throw new IllegalArgumentException(op + ": cannot index axis " + a + " of " + describe(x)
                        + ", which is empty, with indices " + describe(indices) + ": there is no element to take");
            }
        }
        return bind(new Expr.Gather(nodeOf(x), nodeOf(indices), ax, out, x.type()), x, indices);
    }

    static int[] windowAxes(int rank, int[] axes) {
        return Arrays.stream(range(0, rank)).filter(d -> Arrays.stream(axes).noneMatch(a -> a == d)).toArray();
    }

    static Tensor indexed(Expr.ScatterOp op, String name, Tensor x, Tensor indices, Tensor updates, int[] axes) {
        requireIntegerIndices(name, "indices", indices);
        if (indices.rank() == 1) {
            // A single index: Nx's shorthand for one update.
            return indexed(op, name, x, newAxis(indices, 0), newAxis(updates, 0), axes);
        }
        if (indices.rank() != 2) {
            throw new IllegalArgumentException(name + ": indices must be a rank 1 or 2 tensor, got " + describe(indices));
        }
        int[] ax = indexedAxes(name, x, indices, axes);
        int[] win = windowAxes(x.rank(), ax);
        int[] want = new int[1 + win.length];
        want[0] = indices.shape().dim(0);
        for (int j = 0; j < win.length; j++) {
            want[1 + j] = x.shape().dim(win[j]);
        }
        if (updates.rank() == 0 && want.length == 1) {
            updates = Nx.broadcast(updates, Shape.of(want));
        }
        if (!updates.shape().equals(Shape.of(want))) {
            throw new IllegalArgumentException(name + ": updates " + describe(updates) + " do not fit indices "
                    + describe(indices) + " into " + describe(x) + ": expected updates of shape " + Shape.of(want)
                    + " (the leading axis of indices, then the axes of the target not indexed)");
        }
        DType t = DType.merge(x.type(), updates.type());
        Tensor cx = Nx.asType(x, t);
        Tensor cu = Nx.asType(updates, t);
        return bind(new Expr.Scatter(op, nodeOf(cx), nodeOf(indices), nodeOf(cu), ax, x.shape(), t), cx, indices, cu);
    }

    static Tensor take(Tensor x, Tensor indices, int axis) {
        requireIntegerIndices("take", "indices", indices);
        int a = x.shape().normalizeAxis(axis, "take");
        int ni = indices.rank();
        int[] col = Arrays.copyOf(indices.shape().dims(), ni + 1);
        col[ni] = 1;
        Tensor g = gather("take", x, Nx.reshape(indices, Shape.of(col)), new int[] {a});
        // gather gives [indices..., x's other axes]; Nx puts the indices' axes where the taken axis was.
        int r = g.rank();
        int[] perm = new int[r];
        int p = 0;
        for (int d = 0; d < a; d++) {
            perm[p++] = ni + d;
        }
        for (int d = 0; d < ni; d++) {
            perm[p++] = d;
        }
        for (int d = ni + a; d < r; d++) {
            perm[p++] = d;
        }
        return Nx.transpose(g, perm);
    }

    static Tensor takeAlongAxis(Tensor x, Tensor indices, int axis) {
        requireIntegerIndices("take_along_axis", "indices", indices);
        int a = x.shape().normalizeAxis(axis, "take_along_axis");
        if (indices.rank() != x.rank()) {
            throw new IllegalArgumentException("take_along_axis: indices " + describe(indices)
                    + " must have the rank of the tensor " + describe(x));
        }
        for (int d = 0; d < x.rank(); d++) {
            if (d != a && indices.shape().dim(d) != x.shape().dim(d)) {
                throw new IllegalArgumentException("take_along_axis: indices " + describe(indices) + " and tensor "
                        + describe(x) + " must agree on every axis but " + a);
            }
        }
        int r = indices.rank();
        int[] col = Arrays.copyOf(indices.shape().dims(), r + 1);
        col[r] = 1;
        List<Tensor> parts = new ArrayList<>();
        for (int d = 0; d < r; d++) {
            parts.add(d == a ? Nx.reshape(indices, Shape.of(col)) : Nx.iota(Shape.of(col), indices.type(), d));
        }
        return gather("take_along_axis", x, concatenate(parts, r), range(0, r));
    }

    // ---------------------------------------------------------------- triangles and diagonals

    static Tensor tri(int n, int m, int k) {
        return Nx.greaterEqual(Nx.iota(Shape.of(n, 1), DType.S32, 0),
                Nx.subtract(Nx.iota(Shape.of(1, m), DType.S32, 1), k));
    }

    static Tensor tril(Tensor x, int k, boolean lower) {
        String op = lower ? "tril" : "triu";
        if (x.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor with at least 2 dimensions, got " + describe(x));
        }
        Tensor mask = tri(x.shape().dim(-2), x.shape().dim(-1), lower ? k : k - 1);
        mask = Nx.broadcast(mask, x.shape());
        Tensor zeros = Nx.broadcast(Nx.scalar(0, x.type()), x.shape());
        return lower ? Nx.select(mask, x, zeros) : Nx.select(mask, zeros, x);
    }

    static Tensor eye(Shape shape, DType type) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("eye: expected a shape of at least 2 dimensions, got " + shape);
        }
        int r = shape.rank();
        return Nx.asType(Nx.equal(Nx.iota(shape, DType.S32, r - 2), Nx.iota(shape, DType.S32, r - 1)), type);
    }

    static Tensor linspace(Tensor start, Tensor stop, int n, DType type, boolean endpoint) {
        if (n <= 0) {
            throw new IllegalArgumentException("linspace: expected n to be a positive integer, got " + n);
        }
        if (!start.shape().equals(stop.shape())) {
            throw new IllegalArgumentException("linspace: expected start and stop to have the same shape, got "
                    + describe(start) + " and " + describe(stop));
        }
        Tensor s = newAxis(Nx.asType(start, type), -1);
        if (n == 1) {
            return s;
        }
        Tensor e = newAxis(Nx.asType(stop, type), -1);
        int[] dims = Arrays.copyOf(start.shape().dims(), start.rank() + 1);
        dims[start.rank()] = n;
        Tensor iota = Nx.iota(Shape.of(dims), type, -1);
        Tensor step = Nx.divide(Nx.subtract(e, s), endpoint ? n - 1 : n);
        return Nx.asType(Nx.add(Nx.multiply(iota, step), s), type);
    }

    /** Nx's diag_indices: (batch..., row, column) of each diagonal element, shape [count, rank]. */
    static Tensor diagIndices(Shape shape, int offset) {
        int r = shape.rank();
        int rows = shape.dim(r - 2);
        int cols = shape.dim(r - 1);
        List<int[]> pairs = new ArrayList<>();
        for (int i = offset >= 0 ? 0 : -offset, j = offset >= 0 ? offset : 0; i < rows && j < cols; i++, j++) {
            pairs.add(new int[] {i, j});
        }
        int batch = 1;
        for (int d = 0; d < r - 2; d++) {
            batch *= shape.dim(d);
        }
        int[][] idx = new int[batch * pairs.size()][r];
        int[] bshape = Arrays.copyOf(shape.dims(), r - 2);
        int row = 0;
        for (int b = 0; b < batch; b++) {
            for (int[] p : pairs) {
                int rem = b;
                for (int d = r - 3; d >= 0; d--) {
                    idx[row][d] = rem % bshape[d];
                    rem /= bshape[d];
                }
                idx[row][r - 2] = p[0];
                idx[row][r - 1] = p[1];
                row++;
            }
        }
        return idx.length == 0 ? Tensor.of(Shape.of(0, r), DType.S32, new HostData(new byte[0])) : Nx.tensor(idx);
    }

    static void checkOffset(String op, Shape shape, int offset) {
        int rows = shape.dim(-2);
        int cols = shape.dim(-1);
        // As Nx: offset 0 needs a column too, so the diagonal of a matrix without columns is refused.
        if ((offset >= 0 && offset >= cols) || (offset < 0 && -offset >= rows)) {
            throw new IllegalArgumentException(op + ": offset must be less than the length of the axis it refers to,"
                    + " got " + offset + " for matrices " + rows + "x" + cols);
        }
    }

    static Tensor takeDiagonal(Tensor x, int offset) {
        if (x.rank() < 2) {
            throw new IllegalArgumentException("take_diagonal: expected a tensor of rank 2 or more, got " + describe(x));
        }
        checkOffset("take_diagonal", x.shape(), offset);
        Tensor g = gather("take_diagonal", x, diagIndices(x.shape(), offset), null);
        int[] batch = Arrays.copyOf(x.shape().dims(), x.rank() - 2);
        int[] dims = Arrays.copyOf(batch, batch.length + 1);
        // The diagonal's length, not the gathered size over the batch: an empty batch keeps it.
        dims[batch.length] = Math.min(x.shape().dim(-2) - Math.max(0, -offset), x.shape().dim(-1) - Math.max(0, offset));
        return Nx.reshape(g, Shape.of(dims));
    }

    static Tensor makeDiagonal(Tensor x, int offset) {
        if (x.rank() != 1) {
            throw new IllegalArgumentException("make_diagonal: expected a vector (rank 1), got " + describe(x));
        }
        int len = x.shape().dim(-1) + Math.abs(offset);
        int[] dims = Arrays.copyOf(x.shape().dims(), x.rank() + 1);
        dims[x.rank() - 1] = len;
        dims[x.rank()] = len;
        Tensor zeros = Nx.broadcast(Nx.scalar(0, x.type()), Shape.of(dims));
        return indexed(Expr.ScatterOp.PUT, "make_diagonal", zeros, diagIndices(Shape.of(dims), offset),
                flatten(x, null), null);
    }

    static Tensor putDiagonal(Tensor x, Tensor diagonal, int offset) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException("put_diagonal: expected a matrix, got " + describe(x));
        }
        checkOffset("put_diagonal", x.shape(), offset);
        Tensor idx = diagIndices(x.shape(), offset);
        if (diagonal.rank() != 1 || diagonal.shape().dim(0) != idx.shape().dim(0)) {
            throw new IllegalArgumentException("put_diagonal: expected a diagonal of shape [" + idx.shape().dim(0)
                    + "] for " + describe(x) + " with offset " + offset + ", got " + describe(diagonal));
        }
        return indexed(Expr.ScatterOp.PUT, "put_diagonal", x, idx, diagonal, null);
    }

    static Tensor diff(Tensor x, int order, int axis) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException("diff: cannot compute the diff of a scalar " + describe(x));
        }
        if (order < 0) {
            throw new IllegalArgumentException("diff: order must be non-negative, got " + order);
        }
        int a = x.shape().normalizeAxis(axis, "diff");
        int n = x.shape().dim(a);
        Tensor acc = x;
        for (int i = 0; i < order; i++) {
            int len = Math.max(n - i - 1, 0);
            acc = Nx.subtract(sliceAlongAxis(acc, 1, len, a, 1), sliceAlongAxis(acc, 0, len, a, 1));
        }
        return acc;
    }

    static Tensor outer(Tensor a, Tensor b) {
        Tensor x = Nx.reshape(a, Shape.of(a.size(), 1));
        Tensor y = Nx.reshape(b, Shape.of(1, b.size()));
        return Nx.multiply(x, y);
    }

    // ---------------------------------------------------------------- conv

    static Tensor conv(Tensor x, Tensor k, ConvOptions o) {
        if (x.rank() != k.rank() || x.rank() < 3) {
            throw new IllegalArgumentException("conv: input " + describe(x) + " and kernel " + describe(k)
                    + " must have the same rank, at least 3 ([batch, channels, spatial...])");
        }
        int r = x.rank();
        int n = r - 2;
        int[] ip = o.inputPermutation == null ? range(0, r) : permutation("input_permutation", o.inputPermutation, r);
        int[] kp = o.kernelPermutation == null ? range(0, r) : permutation("kernel_permutation", o.kernelPermutation, r);
        int[] op = o.outputPermutation == null ? range(0, r) : permutation("output_permutation", o.outputPermutation, r);
        int[] strides = perAxis("conv", "strides", o.strides, n, 1, 1);
        int[] idil = perAxis("conv", "input dilations", o.inputDilation, n, 1, 1);
        int[] kdil = perAxis("conv", "kernel dilations", o.kernelDilation, n, 1, 1);
        int fg = o.featureGroupSize;
        int bg = o.batchGroupSize;
        int batch = x.shape().dim(ip[0]);
        int cin = x.shape().dim(ip[1]);
        int cout = k.shape().dim(kp[0]);
        int kin = k.shape().dim(kp[1]);
        if (fg < 1 || bg < 1 || (fg != 1 && bg != 1)) {
            throw new IllegalArgumentException("conv: feature and batch group sizes must be positive and at least one"
                    + " of them 1, got feature_group_size " + fg + " and batch_group_size " + bg);
        }
        if (batch % bg != 0) {
            throw new IllegalArgumentException("conv: batch groups " + bg + " must evenly divide the input batch size "
                    + batch + " of " + describe(x));
        }
        if (cout % fg != 0 || cout % bg != 0) {
            throw new IllegalArgumentException("conv: the kernel's output channels " + cout + " of " + describe(k)
                    + " must be evenly divisible by the feature groups " + fg + " and batch groups " + bg);
        }
        if (cin != kin * fg) {
            throw new IllegalArgumentException("conv: the input channels " + cin + " of " + describe(x)
                    + " divided by feature groups " + fg + " must match the kernel's input channels " + kin
                    + " of " + describe(k));
        }
        int[] lo = new int[n];
        int[] hi = new int[n];
        int[] out = new int[r];
        for (int j = 0; j < n; j++) {
            int kd = k.shape().dim(kp[2 + j]);
            int dk = kd == 0 ? 0 : (kd - 1) * kdil[j] + 1;
            if (o.explicitPadding != null) {
                if (o.explicitPadding.length != n) {
                    throw new IllegalArgumentException("conv: expected " + n + " {lo, hi} padding pairs, one per spatial"
                            + " axis, got " + o.explicitPadding.length);
                }
                lo[j] = o.explicitPadding[j][0];
                hi[j] = o.explicitPadding[j][1];
            } else if (o.padding.equals("same")) {
                lo[j] = Math.max(dk - 1, 0) / 2;
                hi[j] = Math.max(dk - 1, 0) - lo[j];
            }
            int xd = x.shape().dim(ip[2 + j]);
            int padded = lo[j] + hi[j] + (xd == 0 ? 0 : (xd - 1) * idil[j] + 1);
            int size = Math.floorDiv(padded - dk, strides[j]) + 1;
            if (size <= 0) {
                throw new IllegalArgumentException("conv: spatial axis " + j + " of " + describe(x) + " padded to "
                        + padded + " is smaller than the dilated kernel size " + dk + " of " + describe(k)
                        + ": the result would be empty");
            }
            out[op[2 + j]] = size;
        }
        out[op[0]] = batch / bg;
        out[op[1]] = cout;
        DType t = DType.merge(x.type(), k.type()).toFloating();
        Tensor cx = Nx.asType(x, t);
        Tensor ck = Nx.asType(k, t);
        return bind(new Expr.Conv(nodeOf(cx), nodeOf(ck), strides, lo, hi, idil, kdil, fg, bg, ip, kp, op,
                Shape.of(out), t), cx, ck);
    }

    static int[] permutation(String what, int[] p, int r) {
        boolean[] seen = new boolean[r];
        boolean ok = p.length == r;
        for (int i = 0; ok && i < r; i++) {
            int a = p[i] < 0 ? p[i] + r : p[i];
            ok = a >= 0 && a < r && !seen[a];
            if (ok) {
                seen[a] = true;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("conv: " + what + " " + Arrays.toString(p)
                    + " must name each of the " + r + " axes once");
        }
        return Arrays.stream(p).map(a -> a < 0 ? a + r : a).toArray();
    }

    // ---------------------------------------------------------------- windows

    /** Window geometry: normalized strides, padding and dilations, and the output shape. */
    record Window(int[] window, int[] strides, int[] lo, int[] hi, int[] dilations, Shape out) {
    }

    static Window window(String op, Tensor x, int[] window, WindowOptions o, boolean allowDilation) {
        int r = x.rank();
        if (window.length != r) {
            throw new IllegalArgumentException(op + ": invalid window dimensions " + Arrays.toString(window)
                    + ": the rank of " + describe(x) + " (" + r + ") does not match the window's (" + window.length + ")");
        }
        for (int w : window) {
            if (w < 1) {
                throw new IllegalArgumentException(op + ": window dimensions must be positive, got "
                        + Arrays.toString(window));
            }
        }
        WindowOptions opts = o == null ? WindowOptions.defaults() : o;
        int[] strides = perAxis(op, "strides", opts.strides, r, 1, 1);
        int[] dil = perAxis(op, "window dilations", opts.windowDilations, r, 1, 1);
        if (!allowDilation && Arrays.stream(dil).anyMatch(d -> d != 1)) {
            throw new IllegalArgumentException(op + ": window dilations are not supported");
        }
        int[] lo = new int[r];
        int[] hi = new int[r];
        int[] out = new int[r];
        for (int d = 0; d < r; d++) {
            int dw = (window[d] - 1) * dil[d] + 1;
            if (opts.explicitPadding != null) {
                if (opts.explicitPadding.length != r) {
                    throw new IllegalArgumentException(op + ": expected " + r + " {lo, hi} padding pairs for "
                            + describe(x) + ", got " + opts.explicitPadding.length);
                }
                lo[d] = opts.explicitPadding[d][0];
                hi[d] = opts.explicitPadding[d][1];
                if (lo[d] < 0 || hi[d] < 0) {
                    throw new IllegalArgumentException(op + ": padding must be non-negative, got "
                            + Arrays.toString(opts.explicitPadding[d]) + " on axis " + d);
                }
            } else if (opts.padding.equals("same")) {
                lo[d] = (dw - 1) / 2;
                hi[d] = dw - 1 - lo[d];
            }
            int padded = lo[d] + hi[d] + x.shape().dim(d);
            out[d] = Math.floorDiv(padded - dw, strides[d]) + 1;
            if (out[d] <= 0) {
                throw new IllegalArgumentException(op + ": window dimensions " + Arrays.toString(window)
                        + " would result in an empty tensor for " + describe(x) + " (axis " + d + ")");
            }
        }
        return new Window(window.clone(), strides, lo, hi, dil, Shape.of(out));
    }

    static Tensor windowReduce(Expr.ReduceOp op, String name, Tensor x, int[] window, WindowOptions o) {
        if ((op == Expr.ReduceOp.MAX || op == Expr.ReduceOp.MIN) && x.type().isComplex()) {
            throw new IllegalArgumentException(name + " is not defined for complex types, got " + describe(x));
        }
        Window w = window(name, x, window, o, true);
        return bind(new Expr.ReduceWindow(op, nodeOf(x), w.window(), w.strides(), w.lo(), w.hi(), w.dilations(),
                w.out(), x.type()), x);
    }

    static Tensor windowReduceFn(Tensor x, Tensor init, int[] window, WindowOptions o, BinaryOperator<Tensor> fn) {
        Window w = window("window_reduce", x, window, o, true);
        Expr.Region region = UserFunctions.scalarBinary("window_reduce", x.type(), fn);
        return bind(new Expr.ReduceWindowFn(nodeOf(x), nodeOf(init), region, w.window(), w.strides(), w.lo(), w.hi(),
                w.dilations(), w.out(), x.type()), x, init);
    }

    static Tensor windowScatter(boolean max, Tensor x, Tensor source, Tensor init, int[] window, WindowOptions o) {
        String name = max ? "window_scatter_max" : "window_scatter_min";
        Window w = window(name, x, window, o, false);
        if (!source.shape().equals(w.out())) {
            throw new IllegalArgumentException(name + ": source " + describe(source) + " must have the shape of the"
                    + " windows of " + describe(x) + ", expected " + w.out());
        }
        if (init.rank() != 0) {
            throw new IllegalArgumentException(name + ": the initial value must be a scalar, got " + describe(init));
        }
        DType t = DType.merge(DType.merge(x.type(), source.type()), init.type());
        if (t.isComplex()) {
            throw new IllegalArgumentException(name + " is not defined for complex types, got " + Nx.describe(x, source, init));
        }
        Tensor cx = Nx.asType(x, t);
        Tensor cs = Nx.asType(source, t);
        Tensor ci = Nx.asType(init, t);
        return bind(new Expr.SelectAndScatter(max, nodeOf(cx), nodeOf(cs), nodeOf(ci), w.window(), w.strides(), w.lo(),
                w.hi(), x.shape(), t), cx, cs, ci);
    }
}
