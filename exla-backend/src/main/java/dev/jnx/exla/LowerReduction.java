package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.exla.FunctionBuilder.BinaryOp;
import dev.jnx.exla.FunctionBuilder.ComparisonDirection;
import dev.jnx.exla.FunctionBuilder.ComparisonType;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * StableHLO lowerings of the reduction family: {@code reduce} (by an associative op or a user
 * function), {@code reduce_window} (likewise) and {@code select_and_scatter}.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 * @param elementwise for the max and min of reduction bodies
 * @param regions lowers a region's graph in place
 */
record LowerReduction(FunctionBuilder b, Function<Expr, Value> get,
                      LowerElementwise elementwise, StableHlo.RegionLowering regions) {
    /** The body folding two scalars with {@code op}: the op itself, or Nx's NaN-propagating max and min. */
    private FunctionBuilder.Region body(Expr.ReduceOp op, DType t) {
        TensorType scalar = TensorType.scalar(t);
        return switch (op) {
            case SUM -> b.scalarBody(BinaryOp.ADD, scalar);
            case PRODUCT -> b.scalarBody(BinaryOp.MULTIPLY, scalar);
            case MAX -> elementwise.extremumBody(true, t);
            case MIN -> elementwise.extremumBody(false, t);
        };
    }

    /** A reduction over {@code axes}, then reshaped to the node's shape (which may keep the reduced axes). */
    Value reduce(Expr.Reduce r) {
        Value x = get.apply(r.x());
        TensorType result = TensorType.of(r);
        if (r.axes().length == 0) {
            return b.reshape(x, result);
        }
        DType t = r.type();
        int[] in = r.x().shape().dims();
        int[] out = new int[in.length - r.axes().length];
        for (int d = 0, k = 0, a = 0; d < in.length; d++) {
            if (a < r.axes().length && r.axes()[a] == d) {
                a++;
            } else {
                out[k++] = in[d];
            }
        }
        Value init = b.constant(identity("reduce", r.op(), t), TensorType.scalar(t));
        Value reduced = b.reduce(List.of(x, init), List.of(result.withDims(out)), body(r.op(), t), r.axes()).get(0);
        return b.reshape(reduced, result);
    }

    /**
     * {@code Nx.reduce}: the user function folds each group, then once more with the initial
     * value in front. XLA treats a reduction's initial value as an identity, applying it any
     * number of times or not at all (a max from 5 over {@code [0.0]} gave 0), so the reduction
     * itself starts from an identity made for the purpose: each element is paired with a
     * "present" flag, and the initial pair, flagged absent, leaves the other operand as it is.
     * A group with nothing present (an empty axis) is the initial value, as in Nx.
     */
    Value reduceFn(Expr.ReduceFn r) {
        Value x = get.apply(r.x());
        Value init = get.apply(r.init());
        TensorType out = TensorType.of(r);
        if (r.axes().length == 0) {
            return foldInit(r.fn(), init, x, null, out);
        }
        List<Value> folded = b.reduce(flagged(x, init), List.of(out, out.withElement("i1")),
                presentFold(r.fn(), r.type()), r.axes());
        return foldInit(r.fn(), init, folded.get(0), folded.get(1), out);
    }

    /** {@code stablehlo.reduce_window} by an associative op; padding holds its identity. */
    Value reduceWindow(Expr.ReduceWindow w) {
        DType t = w.type();
        Value init = b.constant(identity("window", w.op(), t), TensorType.scalar(t));
        return b.reduceWindow(List.of(get.apply(w.x()), init), List.of(TensorType.of(w)), body(w.op(), t), w.window(),
                w.strides(), w.windowDilations(), w.padLo(), w.padHi()).get(0);
    }

    /**
     * {@code Nx.window_reduce}: each window folded by the user function from a made identity,
     * then with the initial value in front, as {@link #reduceFn} does. XLA's reduce_window skips
     * padded positions (taking the initial value for an identity), whereas StableHLO's spec and
     * Nx fold the initial value in at each of them: the padding is made explicit, filled with the
     * initial value, and counts as present.
     */
    Value reduceWindowFn(Expr.ReduceWindowFn w) {
        Value init = get.apply(w.init());
        Value x = get.apply(w.x());
        int r = w.window().length;
        int[] none = new int[r];
        if (!Arrays.equals(w.padLo(), none) || !Arrays.equals(w.padHi(), none)) {
            int[] padded = w.x().shape().dims();
            for (int d = 0; d < r; d++) {
                padded[d] += w.padLo()[d] + w.padHi()[d];
            }
            x = b.pad(x, init, w.padLo(), w.padHi(), none, TensorType.of(Shape.of(padded), w.type()));
        }
        TensorType out = TensorType.of(w);
        List<Value> folded = b.reduceWindow(flagged(x, init), List.of(out, out.withElement("i1")),
                presentFold(w.fn(), w.type()), w.window(), w.strides(), w.windowDilations(), none, none);
        return foldInit(w.fn(), init, folded.get(0), folded.get(1), out);
    }

    /** The operands of a present-flagged reduction: {@code x}, all present, and {@code init}, absent. */
    private List<Value> flagged(Value x, Value init) {
        return List.of(x, b.predicate(true, x.type().withElement("i1")), init,
                b.predicate(false, init.type().withElement("i1")));
    }

    /** The body folding two (value, present) pairs: {@code fn} of both when both are present, else the present one. */
    private FunctionBuilder.Region presentFold(Expr.Region fn, DType t) {
        TensorType scalar = TensorType.scalar(t);
        TensorType flag = scalar.withElement("i1");
        return new FunctionBuilder.Region(List.of(scalar, flag, scalar, flag), args -> {
            Value a = args.get(0);
            Value c = args.get(2);
            Value both = b.binary(BinaryOp.AND, args.get(1), args.get(3));
            Value either = b.binary(BinaryOp.OR, args.get(1), args.get(3));
            Value one = b.select(args.get(1), a, c);
            return List.of(b.select(both, regions.lower(fn, List.of(a, c), List.of()).get(0), one), either);
        });
    }

    /**
     * {@code fn(init, folded)} element by element ({@code stablehlo.map}); where {@code present}
     * is false (nothing was folded) the initial value itself. A null {@code present} means all present.
     */
    private Value foldInit(Expr.Region fn, Value init, Value folded, Value present, TensorType out) {
        TensorType scalar = out.withDims();
        Value inits = b.broadcastInDim(init, new int[0], out);
        FunctionBuilder.Region apply = new FunctionBuilder.Region(List.of(scalar, scalar),
                args -> regions.lower(fn, args, List.of()));
        int[] all = new int[out.dims().length];
        Arrays.setAll(all, i -> i);
        Value applied = b.map(List.of(inits, folded), apply, all, out);
        return present == null ? applied : b.select(present, applied, inits);
    }

    /** {@code Nx.window_scatter_max/min}: the first largest (smallest) element of each window takes the source. */
    Value selectAndScatter(Expr.SelectAndScatter s) {
        if (s.window().length == 0) {
            // XLA aborts on a rank-0 select_and_scatter (hlo_computation.cc "Check failed"); its one window selects its one element
            return b.binary(BinaryOp.ADD, get.apply(s.init()), get.apply(s.source()));
        }
        DType t = s.type();
        TensorType st = TensorType.scalar(t);
        ComparisonDirection direction = s.max() ? ComparisonDirection.GE : ComparisonDirection.LE;
        FunctionBuilder.Region select = new FunctionBuilder.Region(List.of(st, st),
                args -> List.of(b.compare(direction, ComparisonType.of(t), args.get(0), args.get(1))));
        return b.selectAndScatter(get.apply(s.x()), get.apply(s.source()), get.apply(s.init()), select,
                b.scalarBody(BinaryOp.ADD, st), s.window(), s.strides(), s.padLo(), s.padHi(), TensorType.of(s));
    }

    /** The identity of a {@code kind} reduction by {@code op} as a scalar tensor: 0, 1, -inf/min or +inf/max. */
    private static Tensor identity(String kind, Expr.ReduceOp op, DType t) {
        Number value;
        if (t.isInteger()) {
            value = switch (op) {
                case SUM -> 0L;
                case PRODUCT -> 1L;
                case MAX -> t.isUnsigned() ? 0 : t.bits() == 64 ? Long.MIN_VALUE : -(1L << (t.bits() - 1));
                case MIN -> t.isUnsigned() ? -1L : t.bits() == 64 ? Long.MAX_VALUE : (1L << (t.bits() - 1)) - 1;
            };
        } else if (t.isComplex() && (op == Expr.ReduceOp.MAX || op == Expr.ReduceOp.MIN)) {
            throw new IllegalArgumentException(kind + " " + op + " is not defined for complex type " + t);
        } else {
            value = switch (op) {
                case SUM -> 0.0;
                case PRODUCT -> 1.0;
                case MAX -> Double.NEGATIVE_INFINITY;
                case MIN -> Double.POSITIVE_INFINITY;
            };
        }
        return Tensor.of(Shape.scalar(), t, HostData.scalar(value, t));
    }
}
