package dev.jnx.defn;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.WindowOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input to the shape and indexing functions: an {@link IllegalArgumentException} naming the
 * op, the shapes or types involved and what was expected, raised while tracing (before any
 * compiler sees the graph) as well as eagerly.
 */
class IndexingErrorsTest {
    private static final Tensor M = Nx.iota(Shape.of(2, 3), DType.F32);

    /** Runs {@code f} eagerly on M and traced with M as a parameter; both must fail naming every fragment. */
    private static void refused(java.util.function.Function<Tensor, Tensor> f, String... fragments) {
        Executable eager = () -> f.apply(M);
        Executable traced = () -> Defn.trace(f, M);
        for (Executable e : List.of(eager, traced)) {
            IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
            for (String s : fragments) {
                assertTrue(ex.getMessage().contains(s), "missing '" + s + "' in: " + ex.getMessage());
            }
        }
    }

    @Test
    void shapesAndAxes() {
        refused(x -> Nx.squeeze(x, 1), "squeeze", "f32[2][3]", "expected 1");
        refused(x -> Nx.reverse(x, 2), "reverse", "axis 2", "[2][3]");
        refused(x -> Nx.newAxis(x, 4), "new_axis", "f32[2][3]");
        refused(x -> Nx.flatten(x, 0, 0), "flatten", "twice");
        refused(x -> Nx.concatenate(List.of(x, Nx.reshape(x, Shape.of(3, 2))), 0), "concatenate", "{*, 3}", "f32[3][2]");
        refused(x -> Nx.stack(List.of(x, Nx.transpose(x))), "stack", "[2][3]", "f32[3][2]");
        refused(x -> Nx.pad(x, 0, new int[] {1, 1}), "pad", "2", "f32[2][3]");
        refused(x -> Nx.pad(x, 0, new int[] {0, 0, -1}, new int[] {0, 0}), "pad", "interior", "non-negative");
        refused(x -> Nx.tril(Nx.reshape(x, Shape.of(6)), 0), "tril", "at least 2", "f32[6]");
        refused(x -> Nx.takeDiagonal(x, 3), "take_diagonal", "offset", "3");
        refused(x -> Nx.split(x, 2, 0)[0], "split", "axis 0", "f32[2][3]");
    }

    @Test
    void slices() {
        refused(x -> Nx.slice(x, new int[] {0, -1}, new int[] {1, 1}), "slice", "negative", "axis 1", "f32[2][3]");
        refused(x -> Nx.slice(x, new int[] {0, 0}, new int[] {3, 1}), "slice", "length 3", "axis 0", "f32[2][3]");
        refused(x -> Nx.slice(x, new int[] {0}, new int[] {1}), "slice", "expected 2", "f32[2][3]");
        refused(x -> Nx.slice(x, new Object[] {Nx.scalar(1.0f), 0}, new int[] {1, 1}), "slice", "integer", "f32[] (a scalar)");
        refused(x -> Nx.slice(x, new Object[] {Nx.tensor(new int[] {1, 2}), 0}, new int[] {1, 1}), "slice", "scalar", "s32[2]");
        refused(x -> Nx.putSlice(x, new int[] {0, 0}, Nx.iota(Shape.of(3, 1), DType.F32)), "put_slice", "f32[3][1]", "f32[2][3]");
    }

    @Test
    void indices() {
        refused(x -> Nx.gather(x, Nx.tensor(new float[][] {{0, 0}})), "gather", "integer", "f32[1][2]");
        refused(x -> Nx.gather(x, Nx.scalar(0)), "gather", "rank", "s32[] (a scalar)");
        refused(x -> Nx.gather(x, Nx.tensor(new int[][] {{0, 0, 0}})), "gather", "s32[1][3]", "f32[2][3]");
        refused(x -> Nx.take(x, Nx.tensor(new float[] {0}), 0), "take", "integer", "f32[1]");
        refused(x -> Nx.takeAlongAxis(x, Nx.tensor(new int[] {0}), 1), "take_along_axis", "rank", "s32[1]");
        refused(x -> Nx.indexedAdd(x, Nx.tensor(new int[][] {{0}}), Nx.iota(Shape.of(1, 2), DType.F32)),
                "indexed_add", "expected updates of shape [1][3]", "f32[1][2]");
        refused(x -> Nx.indexedPut(x, Nx.tensor(new int[][][] {{{0}}}), Nx.scalar(1f)), "indexed_put", "rank 1 or 2", "s32[1][1][1]");
        refused(x -> Nx.gather(x, Nx.tensor(new int[][] {{0, 0}}), 1, 0), "gather", "ordered");
    }

    @Test
    void convolutionsAndWindows() {
        Tensor img = Nx.iota(Shape.of(1, 4, 5, 5), DType.F32);
        refused(x -> Nx.conv(x, x), "conv", "at least 3", "f32[2][3]");
        refused(x -> Nx.conv(img, Nx.iota(Shape.of(2, 3, 2, 2), DType.F32)), "conv", "input channels 4", "f32[2][3][2][2]");
        refused(x -> Nx.conv(img, Nx.iota(Shape.of(3, 2, 2, 2), DType.F32), ConvOptions.defaults().featureGroupSize(2)),
                "conv", "output channels 3", "feature groups 2");
        refused(x -> Nx.conv(img, Nx.iota(Shape.of(2, 4, 7, 1), DType.F32)), "conv", "empty", "f32[1][4][5][5]");
        refused(x -> Nx.conv(img, Nx.iota(Shape.of(2, 4, 1, 1), DType.F32), ConvOptions.defaults().strides(1, 2, 3)),
                "conv", "expected 2 strides");
        refused(x -> Nx.windowSum(x, new int[] {2}, WindowOptions.defaults()), "window_sum", "rank", "f32[2][3]");
        refused(x -> Nx.windowMax(x, new int[] {3, 1}, WindowOptions.defaults()), "window_max", "empty", "f32[2][3]");
        refused(x -> Nx.windowScatterMax(x, Nx.iota(Shape.of(2, 2), DType.F32), 0, new int[] {1, 1}, WindowOptions.defaults()),
                "window_scatter_max", "f32[2][2]", "expected [2][3]");
    }
}
