package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * StableHLO lowerings of the shape and indexing primitives: {@code slice}, {@code dynamic_slice},
 * {@code dynamic_update_slice}, {@code pad}, {@code concatenate}, {@code reverse},
 * {@code gather}, {@code scatter}, {@code convolution}, {@code reduce_window} and
 * {@code select_and_scatter}, written in MLIR's generic syntax (attributes spelled out) so
 * that the text parses on any StableHLO version the plugin carries.
 */
final class LowerIndexing {
    private final FunctionBuilder b;
    private final Function<Expr, Value> get;
    /** For the max and min of window bodies. */
    private final LowerElementwise elementwise;

    LowerIndexing(FunctionBuilder b, Function<Expr, Value> get, LowerElementwise elementwise) {
        this.b = b;
        this.get = get;
        this.elementwise = elementwise;
    }

    private static TensorType type(Expr e) {
        return TensorType.of(e.shape(), e.type());
    }

    private static TensorType scalarType(DType t) {
        return TensorType.of(Shape.scalar(), t);
    }

    private static String array(int[] xs) {
        StringBuilder s = new StringBuilder("array<i64");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? ": " : ", ").append(xs[i]);
        }
        return s.append('>').toString();
    }

    private static String list(int[] xs) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(xs[i]);
        }
        return s.append(']').toString();
    }

    private static String padding(int[] lo, int[] hi) {
        StringBuilder s = new StringBuilder("dense<[");
        for (int i = 0; i < lo.length; i++) {
            s.append(i == 0 ? "" : ", ").append('[').append(lo[i]).append(", ").append(hi[i]).append(']');
        }
        // A rank-0 window has no padding pairs: MLIR spells that empty literal dense<>, not dense<[]>.
        return (lo.length == 0 ? "dense<>" : s.append("]>").toString()) + " : tensor<" + lo.length + "x2xi64>";
    }

    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    Value slice(Expr.Slice s) {
        return b.generic("stablehlo.slice", List.of(get.apply(s.x())), "{start_indices = " + array(s.starts())
                + ", limit_indices = " + array(s.limits()) + ", strides = " + array(s.strides()) + "}", type(s));
    }

    Value dynamicSlice(Expr.DynamicSlice s) {
        List<Value> ops = new ArrayList<>();
        ops.add(get.apply(s.x()));
        s.starts().forEach(e -> ops.add(get.apply(e)));
        return b.generic("stablehlo.dynamic_slice", ops, "{slice_sizes = " + array(s.sizes()) + "}", type(s));
    }

    Value dynamicUpdateSlice(Expr.DynamicUpdateSlice s) {
        if (s.update().shape().size() == 0) {
            return get.apply(s.x());
        }
        List<Value> ops = new ArrayList<>();
        ops.add(get.apply(s.x()));
        ops.add(get.apply(s.update()));
        s.starts().forEach(e -> ops.add(get.apply(e)));
        return b.generic("stablehlo.dynamic_update_slice", ops, "", type(s));
    }

    Value pad(Expr.Pad p) {
        return b.generic("stablehlo.pad", List.of(get.apply(p.x()), get.apply(p.value())),
                "{edge_padding_low = " + array(p.lo()) + ", edge_padding_high = " + array(p.hi())
                        + ", interior_padding = " + array(p.interior()) + "}", type(p));
    }

    Value concatenate(Expr.Concatenate c) {
        List<Expr> pieces = c.xs().stream().filter(x -> x.shape().size() > 0).toList();
        if (pieces.size() == 1) {
            return get.apply(pieces.get(0));
        }
        return b.generic("stablehlo.concatenate", pieces.stream().map(get).toList(),
                "{dimension = " + c.axis() + " : i64}", type(c));
    }

    Value reverse(Expr.Reverse r) {
        return b.generic("stablehlo.reverse", List.of(get.apply(r.x())), "{dimensions = " + array(r.axes()) + "}",
                type(r));
    }

    /** Indices as s32 or s64: XLA clamps signed indices, and unsigned ones widen to s64 losslessly below 2^63. */
    private Value indices(Expr indices) {
        Value v = get.apply(indices);
        DType t = indices.type();
        if (t == DType.S32 || t == DType.S64) {
            return v;
        }
        return b.convert(v, TensorType.of(indices.shape(), DType.S64));
    }

    private static int[] windowAxes(int rank, int[] axes) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(d -> java.util.Arrays.stream(axes).noneMatch(a -> a == d)).toArray();
    }

    private static void field(StringBuilder s, String name, int[] xs) {
        if (xs.length > 0) {
            s.append(name).append(" = ").append(list(xs)).append(", ");
        }
    }

    Value gather(Expr.Gather g) {
        for (int a : g.axes()) {
            if (g.x().shape().dim(a) == 0) {
                // Nx.gather refuses this; a graph built from Expr records directly can still hold it, and
                // XLA would be handed an invalid module (an empty result is returned before this).
                throw new IllegalArgumentException("gather: cannot take " + g.type() + g.shape() + " from the zero-size axis "
                        + a + " of " + g.x().type() + g.x().shape());
            }
        }
        int rank = g.x().shape().rank();
        int nb = g.indices().shape().rank() - 1;
        int[] win = windowAxes(rank, g.axes());
        int[] sizes = g.x().shape().dims();
        for (int a : g.axes()) {
            sizes[a] = 1;
        }
        StringBuilder dn = new StringBuilder("#stablehlo.gather<");
        field(dn, "offset_dims", range(nb, nb + win.length));
        field(dn, "collapsed_slice_dims", g.axes());
        field(dn, "start_index_map", g.axes());
        dn.append("index_vector_dim = ").append(nb).append('>');
        return b.generic("stablehlo.gather", List.of(get.apply(g.x()), indices(g.indices())),
                "{dimension_numbers = " + dn + ", slice_sizes = " + array(sizes) + ", indices_are_sorted = false}",
                type(g));
    }

    Value scatter(Expr.Scatter s) {
        if (s.updates().shape().size() == 0) {
            // No rows to scatter; XLA's canonicalizer crashes folding such a scatter (ScatterOp::fold).
            return get.apply(s.x());
        }
        int rank = s.x().shape().rank();
        int nb = s.indices().shape().rank() - 1;
        int[] win = windowAxes(rank, s.axes());
        StringBuilder dn = new StringBuilder("#stablehlo.scatter<");
        field(dn, "update_window_dims", range(nb, nb + win.length));
        field(dn, "inserted_window_dims", s.axes());
        field(dn, "scatter_dims_to_operand_dims", s.axes());
        dn.append("index_vector_dim = ").append(nb).append('>');
        TensorType st = scalarType(s.type());
        FunctionBuilder.Region combine = new FunctionBuilder.Region(List.of(st, st), args -> List.of(switch (s.op()) {
            case ADD -> b.binary("stablehlo.add", args.get(0), args.get(1));
            case PUT -> args.get(1);
        }));
        return b.regionOp("stablehlo.scatter",
                List.of(get.apply(s.x()), indices(s.indices()), get.apply(s.updates())), List.of(type(s)),
                List.of(combine), "{scatter_dimension_numbers = " + dn
                        + ", indices_are_sorted = false, unique_indices = false}").get(0);
    }

    Value conv(Expr.Conv c) {
        int r = c.shape().rank();
        String numbers = "#stablehlo.conv<" + layout(c.inputPermutation(), "b", "f", r) + "x"
                + layout(c.kernelPermutation(), "o", "i", r) + "->" + layout(c.outputPermutation(), "b", "f", r) + ">";
        return b.generic("stablehlo.convolution", List.of(get.apply(c.x()), get.apply(c.kernel())),
                "{window_strides = " + array(c.strides()) + ", padding = " + padding(c.padLo(), c.padHi())
                        + ", lhs_dilation = " + array(c.inputDilation()) + ", rhs_dilation = "
                        + array(c.kernelDilation()) + ", dimension_numbers = " + numbers
                        + ", feature_group_count = " + c.featureGroups() + " : i64, batch_group_count = "
                        + c.batchGroups() + " : i64}", type(c));
    }

    /** {@code [b, f, 0, 1]}: the role of each actual axis, from the role → axis permutation. */
    private static String layout(int[] perm, String first, String second, int rank) {
        String[] roles = new String[rank];
        roles[perm[0]] = first;
        roles[perm[1]] = second;
        for (int j = 2; j < rank; j++) {
            roles[perm[j]] = Integer.toString(j - 2);
        }
        return "[" + String.join(", ", roles) + "]";
    }

    Value reduceWindow(Expr.ReduceWindow w) {
        DType t = w.type();
        TensorType st = scalarType(t);
        Value init = b.constant(StableHlo.denseLiteral(identity(w.op(), t)), st);
        FunctionBuilder.Region body = switch (w.op()) {
            case SUM -> new FunctionBuilder.Region(List.of(st, st),
                    args -> List.of(b.binary("stablehlo.add", args.get(0), args.get(1))));
            case PRODUCT -> new FunctionBuilder.Region(List.of(st, st),
                    args -> List.of(b.binary("stablehlo.multiply", args.get(0), args.get(1))));
            case MAX -> elementwise.extremumBody(true, t);
            case MIN -> elementwise.extremumBody(false, t);
        };
        return b.regionOp("stablehlo.reduce_window", List.of(get.apply(w.x()), init), List.of(type(w)), List.of(body),
                reduceWindowAttributes(w.window(), w.strides(), w.windowDilations(), w.padLo(), w.padHi())).get(0);
    }

    /**
     * The operand of {@code Nx.window_reduce} with its padding made explicit, filled with the
     * initial value: XLA's reduce_window skips padded positions (taking the initial value for an
     * identity), whereas StableHLO's spec and Nx fold the initial value in at each of them.
     */
    Value padWithInit(Expr.ReduceWindowFn w, Value x, Value init) {
        int r = w.window().length;
        int[] padded = w.x().shape().dims();
        boolean pads = false;
        for (int d = 0; d < r; d++) {
            padded[d] += w.padLo()[d] + w.padHi()[d];
            pads |= w.padLo()[d] != 0 || w.padHi()[d] != 0;
        }
        if (!pads) {
            return x;
        }
        return b.generic("stablehlo.pad", List.of(x, init), "{edge_padding_low = " + array(w.padLo())
                + ", edge_padding_high = " + array(w.padHi()) + ", interior_padding = " + array(new int[r]) + "}",
                TensorType.of(Shape.of(padded), w.type()));
    }

    /**
     * The {@code stablehlo.reduce_window} of {@code Nx.window_reduce} over {@code operands} (inputs,
     * then initial values, the inputs already padded by {@link #padWithInit}) folded by {@code body}.
     */
    List<Value> reduceWindowFn(Expr.ReduceWindowFn w, List<Value> operands, List<TensorType> results,
                               FunctionBuilder.Region body) {
        int[] none = new int[w.window().length];
        return b.regionOp("stablehlo.reduce_window", operands, results, List.of(body),
                reduceWindowAttributes(w.window(), w.strides(), w.windowDilations(), none, none));
    }

    private static String reduceWindowAttributes(int[] window, int[] strides, int[] dilations, int[] padLo,
                                                 int[] padHi) {
        return "{window_dimensions = " + array(window) + ", window_strides = " + array(strides)
                + ", window_dilations = " + array(dilations) + ", padding = " + padding(padLo, padHi) + "}";
    }

    Value selectAndScatter(Expr.SelectAndScatter s) {
        if (s.window().length == 0) {
            // XLA aborts on a rank-0 select_and_scatter (hlo_computation.cc "Check failed"); its one window selects its one element
            return b.binary("stablehlo.add", get.apply(s.init()), get.apply(s.source()));
        }
        DType t = s.type();
        TensorType st = scalarType(t);
        String kind = switch (t.kind()) {
            case FLOAT, BFLOAT, COMPLEX -> "FLOAT";
            case SIGNED -> "SIGNED";
            case UNSIGNED -> "UNSIGNED";
        };
        FunctionBuilder.Region select = new FunctionBuilder.Region(List.of(st, st),
                args -> List.of(b.compare(s.max() ? "GE" : "LE", kind, args.get(0), args.get(1))));
        FunctionBuilder.Region scatter = new FunctionBuilder.Region(List.of(st, st),
                args -> List.of(b.binary("stablehlo.add", args.get(0), args.get(1))));
        return b.regionOp("stablehlo.select_and_scatter",
                List.of(get.apply(s.x()), get.apply(s.source()), get.apply(s.init())), List.of(type(s)),
                List.of(select, scatter), "{window_dimensions = " + array(s.window()) + ", window_strides = "
                        + array(s.strides()) + ", padding = " + padding(s.padLo(), s.padHi()) + "}").get(0);
    }

    /** The identity of a window reduction as a scalar tensor: 0, 1, -inf/min or +inf/max. */
    private static Tensor identity(Expr.ReduceOp op, DType t) {
        byte[] bytes = new byte[t.byteSize()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        if (t.isInteger()) {
            HostData.setLong(seg, t, 0, switch (op) {
                case SUM -> 0;
                case PRODUCT -> 1;
                case MAX -> t.isUnsigned() ? 0 : t.bits() == 64 ? Long.MIN_VALUE : -(1L << (t.bits() - 1));
                case MIN -> t.isUnsigned() ? -1L : t.bits() == 64 ? Long.MAX_VALUE : (1L << (t.bits() - 1)) - 1;
            });
        } else if (t.isComplex()) {
            if (op == Expr.ReduceOp.MAX || op == Expr.ReduceOp.MIN) {
                throw new IllegalArgumentException("window " + op + " is not defined for complex type " + t);
            }
            if (op == Expr.ReduceOp.PRODUCT) {
                HostData.setDouble(seg, t == DType.C64 ? DType.F32 : DType.F64, 0, 1.0);
            }
        } else {
            HostData.setDouble(seg, t, 0, switch (op) {
                case SUM -> 0.0;
                case PRODUCT -> 1.0;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            });
        }
        return Tensor.of(Shape.scalar(), t, new HostData(bytes));
    }
}
