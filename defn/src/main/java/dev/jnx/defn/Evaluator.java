package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.lang.foreign.MemorySegment;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference backend: evaluates expression graphs in plain Java, element by element, with
 * XLA's semantics (IEEE results rounded to the element type, integer wrap-around, integer
 * division by zero giving -1, NaN-propagating max/min). Slow and simple on purpose: it is the
 * oracle compiled results are checked against.
 */
public final class Evaluator implements Compiler {
    private static final Evaluator INSTANCE = new Evaluator();

    private Evaluator() {
    }

    /** The reference compiler: its executables interpret the graph on every call. */
    public static Compiler compiler() {
        return INSTANCE;
    }

    @Override
    public String name() {
        return "evaluator";
    }

    @Override
    public Executable compile(TracedFunction function) {
        List<Expr> order = Graph.postOrder(function.outputs());
        return arguments -> {
            if (arguments.size() != function.parameters().size()) {
                throw new IllegalArgumentException(function.name() + ": expected " + function.parameters().size()
                        + " arguments, got " + arguments.size());
            }
            for (int i = 0; i < arguments.size(); i++) {
                function.checkArgument(i, arguments.get(i).shape(), arguments.get(i).type());
            }
            Map<Expr, HostData> values = run(order, arguments);
            return function.outputs().stream().map(o -> Tensor.of(o.shape(), o.type(), values.get(o))).toList();
        };
    }

    /** Evaluates a graph without parameters, e.g. one eager op over constants. */
    public static Tensor evaluate(Expr root) {
        return evaluateAll(List.of(root)).get(0);
    }

    /** Evaluates several roots of a graph without parameters, computing shared nodes once. */
    public static List<Tensor> evaluateAll(List<Expr> roots) {
        Map<Expr, HostData> values = run(Graph.postOrder(roots), List.of());
        return roots.stream().map(r -> Tensor.of(r.shape(), r.type(), values.get(r))).toList();
    }

    private static Map<Expr, HostData> run(List<Expr> order, List<Tensor> arguments) {
        return new Scope(new IdentityHashMap<>(), arguments).run(order);
    }

    /** The values of one graph or region: seeded with its parameters and captures. */
    private record Scope(Map<Expr, HostData> values, List<Tensor> arguments, Map<Expr.Multi, List<HostData>> multis) {
        Scope(Map<Expr, HostData> values, List<Tensor> arguments) {
            this(values, arguments, new IdentityHashMap<>());
        }

        Map<Expr, HostData> run(List<Expr> order) {
            for (Expr e : order) {
                requireHostSize(e);
                values.put(e, eval(e, this));
            }
            return values;
        }

        /** Runs {@code region} on parameter and capture values, returning its outputs. */
        List<HostData> region(Expr.Region region, List<HostData> params, Map<Expr, HostData> outer) {
            Map<Expr, HostData> seeded = new IdentityHashMap<>();
            for (int i = 0; i < params.size(); i++) {
                seeded.put(region.parameters().get(i), params.get(i));
            }
            for (Expr c : region.captured()) {
                seeded.put(c, outer.get(c));
            }
            Scope inner = new Scope(seeded, arguments);
            inner.run(Graph.postOrder(region.outputs(), seeded.keySet()));
            return region.outputs().stream().map(seeded::get).toList();
        }
    }

    /** The reference backend holds each value in one Java array, so at most 2^31-1 bytes of it. */
    private static void requireHostSize(Expr e) {
        if (e.shape().longSize() > Integer.MAX_VALUE / e.type().byteSize()) {
            throw new IllegalArgumentException(e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT)
                    + ": the result " + e.type() + e.shape() + " needs more than 2^31-1 bytes, the most the"
                    + " reference backend holds in one tensor (compile the function with an XLA compiler instead)");
        }
    }

    private static HostData eval(Expr e, Scope scope) {
        Map<Expr, HostData> v = scope.values();
        List<Tensor> args = scope.arguments();
        return switch (e) {
            case Expr.Parameter p -> args.get(p.index()).host();
            case Expr.Constant c -> c.value().host();
            case Expr.Iota i -> iota(i);
            case Expr.Unary u -> ElementwiseEval.unary(u, v.get(u.x()));
            case Expr.Binary b -> ElementwiseEval.binary(b, v.get(b.a()), v.get(b.b()));
            case Expr.Select s -> ElementwiseEval.select(s, v.get(s.pred()), v.get(s.onTrue()), v.get(s.onFalse()));
            case Expr.Bitcast b -> v.get(b.x());
            case Expr.Sort s -> SortEval.sort(s, v.get(s.keys()), v.get(s.values()));
            case Expr.ReduceFn r -> reduceFn(r, scope);
            case Expr.Reduce r -> reduce(r, v.get(r.x()));
            case Expr.Dot d -> dot(d, v.get(d.a()), v.get(d.b()));
            case Expr.Reshape r -> v.get(r.x());
            case Expr.Transpose t -> transpose(t, v.get(t.x()));
            case Expr.Broadcast b -> broadcast(b, v.get(b.x()));
            case Expr.Convert c -> convert(c, v.get(c.x()));
            case Expr.StopGrad sg -> v.get(sg.x());
            case Expr.CustomGrad cg -> v.get(cg.x());
            case Expr.Slice sl -> IndexingEval.slice(sl, v.get(sl.x()));
            case Expr.DynamicSlice ds -> IndexingEval.dynamicSlice(ds, v);
            case Expr.DynamicUpdateSlice du -> IndexingEval.dynamicUpdateSlice(du, v);
            case Expr.Pad p -> IndexingEval.pad(p, v.get(p.x()), v.get(p.value()));
            case Expr.Concatenate c -> IndexingEval.concatenate(c, v);
            case Expr.Reverse r -> IndexingEval.reverse(r, v.get(r.x()));
            case Expr.Gather g -> IndexingEval.gather(g, v.get(g.x()), v.get(g.indices()));
            case Expr.Scatter s -> IndexingEval.scatter(s, v.get(s.x()), v.get(s.indices()), v.get(s.updates()));
            case Expr.Conv c -> IndexingEval.conv(c, v.get(c.x()), v.get(c.kernel()));
            case Expr.ReduceWindow r -> IndexingEval.reduceWindow(r, v.get(r.x()));
            case Expr.ReduceWindowFn r -> IndexingEval.reduceWindowFn(r, v.get(r.x()), v.get(r.init()),
                    (acc, elem) -> scope.region(r.fn(), List.of(acc, elem), v).get(0));
            case Expr.SelectAndScatter s -> IndexingEval.selectAndScatter(s, v.get(s.x()), v.get(s.source()), v.get(s.init()));
            case Expr.Fft f -> FftEval.fft(f, v.get(f.x()));
            case Expr.Cholesky c -> LinAlgEval.cholesky(c, v.get(c.x()));
            case Expr.TriangularSolve t -> LinAlgEval.triangularSolve(t, v.get(t.a()), v.get(t.b()));
            case Expr.Element el -> scope.multis().computeIfAbsent(el.source(), m -> multi(m, scope)).get(el.index());
        };
    }

    private static List<HostData> multi(Expr.Multi m, Scope scope) {
        Map<Expr, HostData> v = scope.values();
        return switch (m) {
            case Expr.While w -> {
                List<HostData> state = w.initial().stream().map(v::get).toList();
                while (scope.region(w.condition(), state, v).get(0).getLong(DType.U8, 0) != 0) {
                    state = scope.region(w.body(), state, v);
                }
                yield state;
            }
            case Expr.Cond c -> {
                long index = v.get(c.index()).getLong(c.index().type(), 0);
                int n = c.branches().size();
                // stablehlo.case runs the last branch for an index out of range.
                int branch = index < 0 || index >= n ? n - 1 : (int) index;
                yield scope.region(c.branches().get(branch), List.of(), v);
            }
        };
    }

    private static final class Out {
        final byte[] bytes;
        final MemorySegment seg;
        final DType type;

        Out(Shape shape, DType type) {
            this.type = type;
            this.bytes = new byte[shape.size() * type.byteSize()];
            this.seg = MemorySegment.ofArray(bytes);
        }

        void setDouble(int i, double x) {
            HostData.setDouble(seg, type, i, x);
        }

        void setLong(int i, long x) {
            HostData.setLong(seg, type, i, x);
        }

        HostData done() {
            return new HostData(bytes);
        }
    }

    private static HostData iota(Expr.Iota e) {
        Shape s = e.shape();
        Out out = new Out(s, e.type());
        int[] strides = s.strides();
        for (int i = 0; i < s.size(); i++) {
            long idx = e.axis() < 0 ? i : (i / strides[e.axis()]) % s.dim(e.axis());
            if (e.type().isInteger()) {
                out.setLong(i, idx);
            } else {
                out.setDouble(i, idx);
            }
        }
        return out.done();
    }

    /** {@code Nx.reduce} with a user function: the region folds each group in row-major order. */
    private static HostData reduceFn(Expr.ReduceFn r, Scope scope) {
        Map<Expr, HostData> v = scope.values();
        HostData x = v.get(r.x());
        DType t = r.type();
        Shape in = r.x().shape();
        int[] outStrideOnIn = SortEval.outStridesOnInput(in, r.axes());
        int[] inStrides = in.strides();
        int w = t.byteSize();
        byte[] src = x.toByteArray();
        HostData[] accs = new HostData[r.shape().size()];
        java.util.Arrays.fill(accs, v.get(r.init()));
        for (int i = 0; i < in.size(); i++) {
            int o = project(i, inStrides, in, outStrideOnIn);
            HostData elem = new HostData(java.util.Arrays.copyOfRange(src, i * w, (i + 1) * w));
            accs[o] = scope.region(r.fn(), List.of(accs[o], elem), v).get(0);
        }
        byte[] dst = new byte[accs.length * w];
        for (int o = 0; o < accs.length; o++) {
            System.arraycopy(accs[o].toByteArray(), 0, dst, o * w, w);
        }
        return new HostData(dst);
    }

    private static HostData reduce(Expr.Reduce r, HostData x) {
        Shape in = r.x().shape();
        int[] outStrideOnIn = SortEval.outStridesOnInput(in, r.axes());
        int[] inStrides = in.strides();
        Accumulator[] accs = new Accumulator[r.shape().size()];
        for (int o = 0; o < accs.length; o++) {
            accs[o] = new Accumulator(r.type()).reset(r.op());
        }
        for (int i = 0; i < in.size(); i++) {
            accs[project(i, inStrides, in, outStrideOnIn)].accept(x, i);
        }
        Out out = new Out(r.shape(), r.type());
        for (int o = 0; o < accs.length; o++) {
            accs[o].store(out.seg, o);
        }
        return out.done();
    }

    /** Maps linear index {@code i} of a tensor with {@code strides} through other per-dimension strides. */
    static int project(int i, int[] strides, Shape shape, int[] target) {
        int o = 0;
        for (int d = 0; d < strides.length; d++) {
            int idx = (i / strides[d]) % shape.dim(d);
            o += idx * target[d];
        }
        return o;
    }

    private static HostData dot(Expr.Dot d, HostData x, HostData y) {
        DType t = d.type();
        Shape sa = d.a().shape();
        Shape sb = d.b().shape();
        int[] stA = sa.strides();
        int[] stB = sb.strides();
        int[] freeA = free(sa.rank(), d.contractA(), d.batchA());
        int[] freeB = free(sb.rank(), d.contractB(), d.batchB());
        Shape out = d.shape();
        int[] stOut = out.strides();
        int nc = d.contractA().length;
        int[] cDims = new int[nc];
        int cSize = 1;
        for (int k = 0; k < nc; k++) {
            cDims[k] = sa.dim(d.contractA()[k]);
            cSize *= cDims[k];
        }
        Out res = new Out(out, t);
        Accumulator acc = new Accumulator(t);
        int nb = d.batchA().length;
        for (int o = 0; o < out.size(); o++) {
            int baseA = 0;
            int baseB = 0;
            int pos = 0;
            for (int k = 0; k < nb; k++, pos++) {
                int idx = (o / stOut[pos]) % out.dim(pos);
                baseA += idx * stA[d.batchA()[k]];
                baseB += idx * stB[d.batchB()[k]];
            }
            for (int k : freeA) {
                baseA += ((o / stOut[pos]) % out.dim(pos)) * stA[k];
                pos++;
            }
            for (int k : freeB) {
                baseB += ((o / stOut[pos]) % out.dim(pos)) * stB[k];
                pos++;
            }
            acc.reset(Expr.ReduceOp.SUM);
            for (int c = 0; c < cSize; c++) {
                int ia = baseA;
                int ib = baseB;
                int rem = c;
                for (int k = nc - 1; k >= 0; k--) {
                    int idx = rem % cDims[k];
                    rem /= cDims[k];
                    ia += idx * stA[d.contractA()[k]];
                    ib += idx * stB[d.contractB()[k]];
                }
                acc.acceptProduct(x, ia, y, ib);
            }
            acc.store(res.seg, o);
        }
        return res.done();
    }

    private static int[] free(int rank, int[] contract, int[] batch) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(a -> java.util.Arrays.stream(contract).noneMatch(c -> c == a)
                        && java.util.Arrays.stream(batch).noneMatch(c -> c == a))
                .toArray();
    }

    private static HostData transpose(Expr.Transpose t, HostData x) {
        Shape in = t.x().shape();
        int[] inStrides = in.strides();
        // Result dimension i walks operand dimension axes[i].
        int[] target = new int[in.rank()];
        int[] outStrides = t.shape().strides();
        for (int i = 0; i < in.rank(); i++) {
            target[t.axes()[i]] = outStrides[i];
        }
        return permute(x, in, inStrides, target, t.shape(), t.type());
    }

    private static HostData permute(HostData x, Shape in, int[] inStrides, int[] target, Shape outShape, DType type) {
        int es = type.byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[outShape.size() * es];
        for (int i = 0; i < in.size(); i++) {
            int o = project(i, inStrides, in, target);
            System.arraycopy(src, i * es, dst, o * es, es);
        }
        return new HostData(dst);
    }

    private static HostData broadcast(Expr.Broadcast b, HostData x) {
        Shape out = b.shape();
        Shape in = b.x().shape();
        int[] inStrides = in.strides();
        // Operand strides laid over the result's dimensions; 0 where a dimension is new or expanded.
        int[] target = new int[out.rank()];
        for (int i = 0; i < in.rank(); i++) {
            target[b.axes()[i]] = in.dim(i) == 1 ? 0 : inStrides[i];
        }
        int es = b.type().byteSize();
        byte[] src = x.toByteArray();
        byte[] dst = new byte[out.size() * es];
        int[] outStrides = out.strides();
        for (int o = 0; o < out.size(); o++) {
            int i = project(o, outStrides, out, target);
            System.arraycopy(src, i * es, dst, o * es, es);
        }
        return new HostData(dst);
    }

    private static HostData convert(Expr.Convert c, HostData x) {
        return ElementwiseEval.convert(c.shape(), c.x().type(), c.type(), x);
    }
}
