package dev.jnx.exla;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The shape and indexing ops for {@link DifferentialCases}: slices (static and dynamic), pad,
 * reverse, concatenate, gather/take, scatter, conv and window ops over random shapes (size-0
 * dimensions included where the op allows them) and every real dtype each op takes, the
 * complex ones for conv and the window ops that define them. Data
 * movement compares exactly. Several ops share one jitted function per shape and type, since
 * every distinct signature is an XLA compilation.
 */
final class ShapeDifferentialCases {
    /** Where the cases go: {@code DifferentialCases}' case list. */
    interface Sink {
        void add(String name, Defn.Variadic f, Tensor[] args);
    }

    static final List<DType> TYPES = List.of(DType.F32, DType.F64, DType.BF16, DType.F16, DType.S8, DType.S16,
            DType.S32, DType.S64, DType.U8, DType.U16, DType.U32, DType.U64);

    /** Strided, padded (lower and higher, different per axis) and dilated windows. */
    private static final WindowOptions PADDED = WindowOptions.defaults().strides(1, 2, 1).padding(new int[] {0, 1},
            new int[] {2, 1}, new int[] {1, 0}).windowDilations(1, 1, 2);

    private ShapeDifferentialCases() {
    }

    /** Concatenates the flattened results, so several ops travel in one jitted function as one tensor. */
    private static Tensor pack(Tensor... ts) {
        return Nx.concatenate(java.util.Arrays.stream(ts).map(Nx::flatten).toList());
    }

    static void addTo(Sink sink) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<Shape> shapes = List.of(Shape.of(5), Shape.of(3, 4), Shape.of(2, 0, 3), Shape.of(2, 3, 4));
        for (DType t : TYPES) {
            for (Shape s : shapes) {
                Tensor x = DifferentialCases.random(rnd, s, t);
                int r = s.rank();
                int[] starts = new int[r];
                int[] lens = s.dims();
                int[] strides = new int[r];
                int[][] pad = new int[r][];
                for (int d = 0; d < r; d++) {
                    int n = s.dim(d);
                    starts[d] = n > 1 ? 1 : 0;
                    lens[d] = Math.max(n - starts[d] - (n > 2 ? 1 : 0), 0);
                    strides[d] = d % 2 == 0 ? 1 : 2;
                    pad[d] = new int[] {d % 2 == 0 ? 1 : -1, 2, d == r - 1 ? 1 : 0};
                    if (n == 0) {
                        pad[d] = new int[] {1, 1, 0};
                    }
                }
                Tensor[] dynStarts = new Tensor[r];
                for (int d = 0; d < r; d++) {
                    dynStarts[d] = Nx.scalar(d == 0 ? 7 : -1); // clamped on both sides
                }
                int[] dynLens = s.dims();
                dynLens[0] = Math.max(dynLens[0] - 1, 0);
                sink.add("dataMovement", a -> pack(
                        Nx.slice(a[0], starts, lens, strides),
                        Nx.pad(a[0], 3, pad),
                        Nx.reverse(a[0]),
                        Nx.concatenate(List.of(a[0], Nx.reverse(a[0], 0)), r - 1),
                        Nx.slice(a[0], java.util.Arrays.copyOf(new Object[] {a[1], a[2], a[3]}, r), dynLens),
                        Nx.putSlice(a[0], java.util.Arrays.copyOf(new Object[] {a[2], a[1], a[3]}, r),
                                Nx.slice(a[0], new int[r], dynLens)),
                        Nx.tile(a[0], 2)),
                        new Tensor[] {x, dynStarts[0], r > 1 ? dynStarts[1] : Nx.scalar(-1),
                                r > 2 ? dynStarts[2] : Nx.scalar(-1)});
                if (s.size() > 0) {
                    int n0 = s.dim(0);
                    int[][] idx = new int[6][1];
                    for (int i = 0; i < idx.length; i++) {
                        idx[i][0] = rnd.nextInt(-1, n0 + 1); // out of range: gather clamps, scatter skips
                    }
                    int[] upd = s.dims();
                    upd[0] = idx.length;
                    Tensor updates = DifferentialCases.random(rnd, Shape.of(upd), t);
                    int[][] unique = new int[n0][1];
                    for (int i = 0; i < n0; i++) {
                        unique[i][0] = n0 - 1 - i;
                    }
                    int[] upd2 = s.dims();
                    Tensor updates2 = DifferentialCases.random(rnd, Shape.of(upd2), t);
                    sink.add("gatherScatter", a -> pack(
                            Nx.gather(a[0], a[1]),
                            Nx.take(a[0], Nx.reshape(a[1], Shape.of(2, 3)), 0),
                            Nx.indexedAdd(a[0], a[1], a[2]),
                            Nx.indexedPut(a[0], a[3], a[4])),
                            new Tensor[] {x, Nx.tensor(idx), updates, Nx.tensor(unique), updates2});
                }
            }
            if (!t.isInteger() || t.bits() >= 32) {
                // conv and windows over small integer types overflow differently per accumulation order: skip those.
                addConv(sink, rnd, t);
                Tensor w = DifferentialCases.random(rnd, Shape.of(3, 5, 4), t);
                sink.add("windows", a -> pack(
                        Nx.windowSum(a[0], new int[] {2, 2, 2}, PADDED),
                        Nx.windowMax(a[0], new int[] {2, 3, 1}, WindowOptions.defaults().padding("same")),
                        Nx.windowMin(a[0], new int[] {1, 2, 2}, PADDED),
                        Nx.windowScatterMax(a[0], Nx.windowMax(a[0], new int[] {2, 2, 2}, WindowOptions.defaults()
                                .strides(1, 2, 2)), 0, new int[] {2, 2, 2}, WindowOptions.defaults().strides(1, 2, 2)),
                        Nx.windowScatterMin(a[0], Nx.windowMin(a[0], new int[] {2, 2, 2}, WindowOptions.defaults()),
                                0, new int[] {2, 2, 2}, WindowOptions.defaults())),
                        new Tensor[] {w});
            }
        }
        for (DType t : List.of(DType.C64, DType.C128)) {
            // Complex types where the ops define them (no ordering, so no window max/min or
            // window scatters): the evaluator's Accumulator against XLA.
            addConv(sink, rnd, t);
            Tensor w = DifferentialCases.random(rnd, Shape.of(3, 5, 4), t);
            sink.add("windows", a -> pack(
                    Nx.windowSum(a[0], new int[] {2, 2, 2}, PADDED),
                    Nx.windowMean(a[0], new int[] {2, 3, 1}, WindowOptions.defaults().padding("same")),
                    Nx.windowProduct(a[0], new int[] {1, 2, 2}, PADDED),
                    Nx.windowReduce(a[0], 1, new int[] {2, 1, 2}, PADDED, Nx::add)),
                    new Tensor[] {w});
        }
    }

    /** Grouped, batch-grouped, padded, dilated and permuted convolutions over {@code t}. */
    private static void addConv(Sink sink, SplittableRandom rnd, DType t) {
        Tensor img = DifferentialCases.random(rnd, Shape.of(2, 4, 5, 6), t);
        Tensor grouped = DifferentialCases.random(rnd, Shape.of(6, 2, 2, 3), t);
        Tensor full = DifferentialCases.random(rnd, Shape.of(4, 4, 2, 2), t);
        sink.add("conv", a -> pack(
                Nx.conv(a[0], a[1], ConvOptions.defaults().featureGroupSize(2).strides(2, 1)
                        .padding(new int[] {1, 0}, new int[] {-1, 2}).kernelDilation(1, 2)),
                Nx.conv(a[0], a[2], ConvOptions.defaults().batchGroupSize(2).padding("same").inputDilation(2, 1)),
                Nx.conv(a[0], a[2], ConvOptions.defaults().inputPermutation(0, 1, 3, 2)
                        .kernelPermutation(1, 0, 2, 3).outputPermutation(0, 3, 1, 2).strides(2))),
                new Tensor[] {img, grouped, full});
    }
}
