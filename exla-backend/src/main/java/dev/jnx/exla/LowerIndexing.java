package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.defn.Expr;
import dev.jnx.exla.FunctionBuilder.BinaryOp;

import java.util.List;
import java.util.function.Function;

/**
 * StableHLO lowerings of the shape and indexing family: {@code iota}, {@code reshape},
 * {@code transpose}, {@code broadcast_in_dim}, {@code slice}, {@code dynamic_slice},
 * {@code dynamic_update_slice}, {@code pad}, {@code concatenate}, {@code reverse},
 * {@code gather} and {@code scatter}.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 */
record LowerIndexing(FunctionBuilder b, Function<Expr, Value> get) {
    private static int[] range(int from, int to) {
        int[] a = new int[to - from];
        for (int i = 0; i < a.length; i++) {
            a[i] = from + i;
        }
        return a;
    }

    /** The index along an axis; Nx's iota without an axis counts over the flattened tensor. */
    Value iota(Expr.Iota i) {
        TensorType t = TensorType.of(i);
        if (i.axis() >= 0) {
            return b.iota(i.axis(), t);
        }
        if (i.shape().longSize() <= Integer.MAX_VALUE) {
            return b.reshape(b.iota(0, t.withDims(i.shape().size())), t);
        }
        // No int dimension holds a flat index past 2^31-1: sum each axis's index times its row-major stride.
        Value sum = null;
        long stride = 1;
        for (int k = i.shape().rank() - 1; k >= 0; k--) {
            Value term = b.iota(k, t);
            if (stride != 1) {
                term = b.binary(BinaryOp.MULTIPLY, term, b.constant(Nx.scalar(stride, i.type()), t));
            }
            sum = sum == null ? term : b.binary(BinaryOp.ADD, sum, term);
            stride *= i.shape().dim(k);
        }
        return sum;
    }

    /** {@code stablehlo.reshape}, left out when the shape is unchanged. */
    Value reshape(Expr.Reshape r) {
        return b.reshape(get.apply(r.x()), TensorType.of(r));
    }

    /** {@code stablehlo.transpose} by the node's axes. */
    Value transpose(Expr.Transpose t) {
        return b.transpose(get.apply(t.x()), t.axes(), TensorType.of(t));
    }

    /** {@code stablehlo.broadcast_in_dim}: operand axis i becomes result axis {@code axes[i]}. */
    Value broadcast(Expr.Broadcast c) {
        return b.broadcastInDim(get.apply(c.x()), c.axes(), TensorType.of(c));
    }

    /** {@code stablehlo.slice} with static starts, limits and strides. */
    Value slice(Expr.Slice s) {
        return b.slice(get.apply(s.x()), s.starts(), s.limits(), s.strides(), TensorType.of(s));
    }

    /** {@code stablehlo.dynamic_slice} at scalar starts, which XLA clamps. */
    Value dynamicSlice(Expr.DynamicSlice s) {
        return b.dynamicSlice(get.apply(s.x()), s.starts().stream().map(get).toList(), s.sizes(), TensorType.of(s));
    }

    /** {@code stablehlo.dynamic_update_slice}; an empty update leaves {@code x} as it is. */
    Value dynamicUpdateSlice(Expr.DynamicUpdateSlice s) {
        if (s.update().shape().longSize() == 0) {
            return get.apply(s.x());
        }
        return b.dynamicUpdateSlice(get.apply(s.x()), get.apply(s.update()), s.starts().stream().map(get).toList(),
                TensorType.of(s));
    }

    /** {@code stablehlo.pad}: edge padding (negative crops) and interior padding. */
    Value pad(Expr.Pad p) {
        return b.pad(get.apply(p.x()), get.apply(p.value()), p.lo(), p.hi(), p.interior(), TensorType.of(p));
    }

    /** The non-empty pieces joined; a single one is itself. */
    Value concatenate(Expr.Concatenate c) {
        List<Expr> pieces = c.xs().stream().filter(x -> x.shape().size() > 0).toList();
        if (pieces.size() == 1) {
            return get.apply(pieces.get(0));
        }
        return b.concatenate(pieces.stream().map(get).toList(), c.axis(), TensorType.of(c));
    }

    /** {@code stablehlo.reverse} of the node's axes. */
    Value reverse(Expr.Reverse r) {
        return b.reverse(get.apply(r.x()), r.axes(), TensorType.of(r));
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

    /** {@code stablehlo.gather} of one element along each indexed axis, whole along the others. */
    Value gather(Expr.Gather g) {
        for (int a : g.axes()) {
            if (g.x().shape().dim(a) == 0) {
                // Nx.gather refuses this; a graph built from Expr records directly can still hold it, and
                // XLA would be handed an invalid module (an empty result is returned before this).
                throw new IllegalArgumentException("gather: cannot take " + g.type() + g.shape() + " from the zero-size axis "
                        + a + " of " + g.x().type() + g.x().shape());
            }
        }
        int nb = g.indices().shape().rank() - 1;
        int[] win = windowAxes(g.x().shape().rank(), g.axes());
        int[] sizes = g.x().shape().dims();
        for (int a : g.axes()) {
            sizes[a] = 1;
        }
        return b.gather(get.apply(g.x()), indices(g.indices()), range(nb, nb + win.length), g.axes(), g.axes(), nb,
                sizes, TensorType.of(g));
    }

    /** {@code stablehlo.scatter} adding or putting whole windows at the indices. */
    Value scatter(Expr.Scatter s) {
        if (s.updates().shape().longSize() == 0) {
            // No rows to scatter; XLA's canonicalizer crashes folding such a scatter (ScatterOp::fold).
            return get.apply(s.x());
        }
        int nb = s.indices().shape().rank() - 1;
        int[] win = windowAxes(s.x().shape().rank(), s.axes());
        TensorType st = TensorType.scalar(s.type());
        FunctionBuilder.Region combine = switch (s.op()) {
            case ADD -> b.scalarBody(BinaryOp.ADD, st);
            case PUT -> new FunctionBuilder.Region(List.of(st, st), args -> List.of(args.get(1)));
        };
        return b.scatter(get.apply(s.x()), indices(s.indices()), get.apply(s.updates()), combine,
                range(nb, nb + win.length), s.axes(), s.axes(), nb, TensorType.of(s));
    }
}
