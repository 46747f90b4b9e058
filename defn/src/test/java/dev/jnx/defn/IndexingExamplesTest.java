package dev.jnx.defn;

import dev.jnx.ConvOptions;
import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.WindowOptions;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The documentation examples of Nx's shape, indexing, window and convolution functions
 * ({@code nx/lib/nx.ex}), with Nx's expected values, run eagerly on the reference backend and
 * jitted (every input tensor a parameter) with {@link #compiler()}; exla-backend reruns them
 * compiled by XLA. The cases below were ported mechanically from the iex examples; each name
 * is the Elixir expression it comes from. Error examples check that the call is refused with
 * an {@link IllegalArgumentException} at trace time.
 */
public class IndexingExamplesTest extends NxDocExamples {
    @Override
    protected void define() {
        ex("squeeze: Nx.squeeze(Nx.tensor([[[[[1]]]]]))", "s32", "1", a -> Nx.squeeze(a[0]), Nx.tensor(new int[][][][][]{{{{{1}}}}}));
        ex("squeeze: Nx.squeeze(Nx.tensor([[[[1]]], [[[2]]]], names: [:x, :y, :z, :i]))", "s32[2]", "1 2", a -> Nx.squeeze(a[0]), Nx.tensor(new int[][][][]{{{{1}}}, {{{2}}}}));
        ex("squeeze: Nx.squeeze(Nx.tensor([[1, 2, 3]], names: [:x, :y]), axes: [:x])", "s32[3]", "1 2 3", a -> Nx.squeeze(a[0], 0), Nx.tensor(new int[][]{{1, 2, 3}}));
        ex("squeeze: Nx.squeeze(Nx.tensor([[1], [2]], names: [:x, :y]), axes: [:y])", "s32[2]", "1 2", a -> Nx.squeeze(a[0], 1), Nx.tensor(new int[][]{{1}, {2}}));
        err("squeeze: Nx.squeeze(Nx.tensor([[1, 2, 3], [4, 5, 6]]), axes: [1])", a -> Nx.squeeze(a[0], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        err("squeeze: Nx.squeeze(Nx.tensor([[[[[1]]]]]), axes: [0, 0])", a -> Nx.squeeze(a[0], 0, 0), Nx.tensor(new int[][][][][]{{{{{1}}}}}));
        ex("new_axis: Nx.new_axis(t, 0, :new)", "s32[1][2][3]", "1 2 3 4 5 6", a -> Nx.newAxis(a[0], 0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("new_axis: Nx.new_axis(t, 1, :new)", "s32[2][1][3]", "1 2 3 4 5 6", a -> Nx.newAxis(a[0], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("new_axis: Nx.new_axis(t, 2, :new)", "s32[2][3][1]", "1 2 3 4 5 6", a -> Nx.newAxis(a[0], 2), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("new_axis: Nx.new_axis(t, -1, :new)", "s32[2][3][1]", "1 2 3 4 5 6", a -> Nx.newAxis(a[0], -1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("flatten: Nx.flatten(t)", "s32[16]", "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", a -> Nx.flatten(a[0]), Nx.iota(Shape.of(2, 2, 2, 2), DType.S32));
        ex("flatten: Nx.flatten(t)", "s32[16]", "0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15", a -> Nx.flatten(a[0]), Nx.iota(Shape.of(16), DType.S32));
        ex("flatten: Nx.flatten(t, axes: [1, 2])", "s32[1][6]", "0 1 2 3 4 5", a -> Nx.flatten(a[0], 1, 2), Nx.iota(Shape.of(1, 2, 3), DType.S32));
        err("flatten: Nx.flatten(t, axes: [0, 2])", a -> Nx.flatten(a[0], 0, 2), Nx.iota(Shape.of(1, 2, 3), DType.S32));
        ex("tile: Nx.tile(a, [2])", "s32[6]", "0 1 2 0 1 2", a -> Nx.tile(a[0], 2), Nx.tensor(new int[]{0, 1, 2}));
        ex("tile: Nx.tile(a, [1, 2])", "s32[1][6]", "0 1 2 0 1 2", a -> Nx.tile(a[0], 1, 2), Nx.tensor(new int[]{0, 1, 2}));
        ex("tile: Nx.tile(a, [2, 2])", "s32[2][6]", "0 1 2 0 1 2 0 1 2 0 1 2", a -> Nx.tile(a[0], 2, 2), Nx.tensor(new int[]{0, 1, 2}));
        ex("tile: Nx.tile(a, [2, 1])", "s32[2][3]", "0 1 2 0 1 2", a -> Nx.tile(a[0], 2, 1), Nx.tensor(new int[]{0, 1, 2}));
        ex("tile: Nx.tile(a, [2, 1, 2])", "s32[2][1][6]", "0 1 2 0 1 2 0 1 2 0 1 2", a -> Nx.tile(a[0], 2, 1, 2), Nx.tensor(new int[]{0, 1, 2}));
        ex("tile: Nx.tile(b, [2])", "s32[2][4]", "1 2 1 2 3 4 3 4", a -> Nx.tile(a[0], 2), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("tile: Nx.tile(b, [2, 1])", "s32[4][2]", "1 2 3 4 1 2 3 4", a -> Nx.tile(a[0], 2, 1), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("tile: Nx.tile(b, [1, 2])", "s32[2][4]", "1 2 1 2 3 4 3 4", a -> Nx.tile(a[0], 1, 2), Nx.tensor(new int[][]{{1, 2}, {3, 4}}));
        ex("tile: Nx.tile(c, [4,1])", "s32[4][4]", "1 2 3 4 1 2 3 4 1 2 3 4 1 2 3 4", a -> Nx.tile(a[0], 4, 1), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("pad: Nx.pad(Nx.tensor(1), 0, [])", "s32", "1", a -> Nx.pad(a[0], 0), Nx.scalar(1));
        ex("pad: Nx.pad(Nx.tensor([1, 2, 3], names: [:data]), 0, [{1, 1, 0}])", "s32[5]", "0 1 2 3 0", a -> Nx.pad(a[0], 0, new int[] {1, 1, 0}), Nx.tensor(new int[]{1, 2, 3}));
        ex("pad: Nx.pad(Nx.tensor([[1, 2, 3], [4, 5, 6]]), 0, [{0, 0, 1}, {0, 0, 1}])", "s32[3][5]", "1 0 2 0 3 0 0 0 0 0 4 0 5 0 6", a -> Nx.pad(a[0], 0, new int[] {0, 0, 1}, new int[] {0, 0, 1}), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("pad: Nx.pad(Nx.tensor([[1, 2, 3], [4, 5, 6]]), 0, [{1, 1, 0}, {1, 1, 0}])", "s32[4][5]", "0 0 0 0 0 0 1 2 3 0 0 4 5 6 0 0 0 0 0 0", a -> Nx.pad(a[0], 0, new int[] {1, 1, 0}, new int[] {1, 1, 0}), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("pad: Nx.pad(tensor, 0, [{0, 2, 0}, {1, 1, 0}, {1, 0, 0}])", "s32[4][4][3]", "0 0 0 0 1 2 0 3 4 0 0 0 0 0 0 0 5 6 0 7 8 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", a -> Nx.pad(a[0], 0, new int[] {0, 2, 0}, new int[] {1, 1, 0}, new int[] {1, 0, 0}), Nx.tensor(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        ex("pad: Nx.pad(tensor, 0, [{1, 0, 0}, {1, 1, 0}, {0, 1, 0}])", "s32[3][4][3]", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 2 0 3 4 0 0 0 0 0 0 0 5 6 0 7 8 0 0 0 0", a -> Nx.pad(a[0], 0, new int[] {1, 0, 0}, new int[] {1, 1, 0}, new int[] {0, 1, 0}), Nx.tensor(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}));
        ex("pad: Nx.pad(tensor, 0.0, [{1, 2, 0}, {1, 0, 0}, {0, 1, 0}])", "f32[5][3][3]", "0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 1.0 2.0 0.0 3.0 4.0 0.0 0.0 0.0 0.0 5.0 6.0 0.0 7.0 8.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0", a -> Nx.pad(a[0], 0.0, new int[] {1, 2, 0}, new int[] {1, 0, 0}, new int[] {0, 1, 0}), Nx.tensor(new float[][][]{{{1.0f, 2.0f}, {3.0f, 4.0f}}, {{5.0f, 6.0f}, {7.0f, 8.0f}}}));
        ex("pad: Nx.pad(Nx.tensor([0, 1, 2, 3, 0]), 0, [{-1, -1, 0}])", "s32[3]", "1 2 3", a -> Nx.pad(a[0], 0, new int[] {-1, -1, 0}), Nx.tensor(new int[]{0, 1, 2, 3, 0}));
        ex("pad: Nx.pad(tensor, 0, [{-1, 0, 0}, {-1, -1, 0}, {0, -1, 0}])", "s32[2][2][2]", "1 2 3 4 5 6 7 8", a -> Nx.pad(a[0], 0, new int[] {-1, 0, 0}, new int[] {-1, -1, 0}, new int[] {0, -1, 0}), Nx.tensor(new int[][][]{{{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {0, 0, 0}}, {{0, 0, 0}, {1, 2, 0}, {3, 4, 0}, {0, 0, 0}}, {{0, 0, 0}, {5, 6, 0}, {7, 8, 0}, {0, 0, 0}}}));
        ex("pad: Nx.pad(tensor, 0, [{0, 0, 0}, {-1, 1, 0}])", "s32[2][4]", "1 2 3 0 4 5 6 0", a -> Nx.pad(a[0], 0, new int[] {0, 0, 0}, new int[] {-1, 1, 0}), Nx.tensor(new int[][]{{0, 1, 2, 3}, {0, 4, 5, 6}}));
        ex("pad: Nx.pad(tensor, 0, [{-1, 2, 0}, {1, -1, 0}])", "f32[3][3]", "0.0 3.0 4.0 0.0 0.0 0.0 0.0 0.0 0.0", a -> Nx.pad(a[0], 0, new int[] {-1, 2, 0}, new int[] {1, -1, 0}), Nx.tensor(new int[][]{{0, 1, 2}, {3, 4, 5}}, DType.F32));
        ex("reverse: Nx.reverse(Nx.tensor([1, 2, 3]))", "s32[3]", "3 2 1", a -> Nx.reverse(a[0]), Nx.tensor(new int[]{1, 2, 3}));
        ex("reverse: Nx.reverse(Nx.tensor([[1, 2, 3], [4, 5, 6]]))", "s32[2][3]", "6 5 4 3 2 1", a -> Nx.reverse(a[0]), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("reverse: Nx.reverse(Nx.tensor([1, 2, 3], names: [:x]), axes: [:x])", "s32[3]", "3 2 1", a -> Nx.reverse(a[0], 0), Nx.tensor(new int[]{1, 2, 3}));
        ex("reverse: Nx.reverse(Nx.tensor([[1, 2, 3], [4, 5, 6]], names: [:x, :y]), axes: [:x])", "s32[2][3]", "4 5 6 1 2 3", a -> Nx.reverse(a[0], 0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("reverse: Nx.reverse(Nx.tensor([[1, 2, 3], [4, 5, 6]], names: [:x, :y]), axes: [:y])", "s32[2][3]", "3 2 1 6 5 4", a -> Nx.reverse(a[0], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("reverse: Nx.reverse(Nx.iota({2, 2, 2}, type: :f32, names: [:x, :y, :z]), axes: [:x, :z])", "f32[2][2][2]", "5.0 4.0 7.0 6.0 1.0 0.0 3.0 2.0", a -> Nx.reverse(a[0], 0, 2), Nx.iota(Shape.of(2, 2, 2), DType.F32));
        ex("concatenate: Nx.concatenate([Nx.tensor([1, 2, 3])])", "s32[3]", "1 2 3", a -> Nx.concatenate(List.of(a[0])), Nx.tensor(new int[]{1, 2, 3}));
        ex("concatenate: Nx.concatenate([Nx.tensor([1, 2, 3]), Nx.tensor([4, 5, 6])])", "s32[6]", "1 2 3 4 5 6", a -> Nx.concatenate(List.of(a[0], a[1])), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("concatenate: Nx.concatenate([t1, t2, t3], axis: :x)", "f32[4][2][2]", "0.0 1.0 2.0 3.0 4.0 5.0 6.0 7.0 0.0 1.0 2.0 3.0 0.0 1.0 2.0 3.0", a -> Nx.concatenate(List.of(a[0], a[1], a[2]), 0), Nx.iota(Shape.of(2, 2, 2), DType.F32), Nx.iota(Shape.of(1, 2, 2), DType.U8), Nx.iota(Shape.of(1, 2, 2), DType.S64));
        ex("concatenate: Nx.concatenate([t1, t2, t3], axis: :y)", "s32[1][6][2]", "0 1 2 3 4 5 0 1 0 1 2 3", a -> Nx.concatenate(List.of(a[0], a[1], a[2]), 1), Nx.iota(Shape.of(1, 3, 2), DType.S32), Nx.iota(Shape.of(1, 1, 2), DType.S32), Nx.iota(Shape.of(1, 2, 2), DType.S32));
        err("concatenate: Nx.concatenate([t1, t2], axis: 0)", a -> Nx.concatenate(List.of(a[0], a[1]), 0), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.iota(Shape.of(1, 1, 3), DType.S32));
        err("concatenate: Nx.concatenate([t1, t2])", a -> Nx.concatenate(List.of(a[0], a[1])), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.iota(Shape.of(1, 1), DType.S32));
        ex("stack: Nx.stack([1, 2, 3])", "s32[3]", "1 2 3", a -> Nx.stack(List.of(a[0], a[1], a[2])), Nx.scalar(1), Nx.scalar(2), Nx.scalar(3));
        ex("stack: Nx.stack([Nx.tensor([1, 2, 3]), Nx.tensor([4, 5, 6])])", "s32[2][3]", "1 2 3 4 5 6", a -> Nx.stack(List.of(a[0], a[1])), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("stack: Nx.stack([t1, t2, t3], axis: -1)", "s32[2][1][4][3]", "0 0 0 1 1 1 2 2 2 3 3 3 4 4 4 5 5 5 6 6 6 7 7 7", a -> Nx.stack(List.of(a[0], a[1], a[2]), -1), Nx.iota(Shape.of(2, 1, 4), DType.S32), Nx.iota(Shape.of(2, 1, 4), DType.S32), Nx.iota(Shape.of(2, 1, 4), DType.S32));
        ex("stack: Nx.stack([Nx.tensor(1), Nx.tensor(2)], name: :x)", "s32[2]", "1 2", a -> Nx.stack(List.of(a[0], a[1])), Nx.scalar(1), Nx.scalar(2));
        ex("split: left", "s32[2][4]", "0 1 2 3 4 5 6 7", a -> Nx.split(a[0], 2, 0)[0], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: right", "s32[1][4]", "8 9 10 11", a -> Nx.split(a[0], 2, 0)[1], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: left", "s32[3][2]", "0 1 4 5 8 9", a -> Nx.split(a[0], 2, 1)[0], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: right", "s32[3][2]", "2 3 6 7 10 11", a -> Nx.split(a[0], 2, 1)[1], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: left", "s32[2][4]", "0 1 2 3 4 5 6 7", a -> Nx.split(a[0], 0.5, 0)[0], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: right", "s32[1][4]", "8 9 10 11", a -> Nx.split(a[0], 0.5, 0)[1], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: left", "s32[3][3]", "0 1 2 4 5 6 8 9 10", a -> Nx.split(a[0], 0.75, 1)[0], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: right", "s32[3][1]", "3 7 11", a -> Nx.split(a[0], 0.75, 1)[1], Nx.tensor(new int[][]{{0, 1, 2, 3}, {4, 5, 6, 7}, {8, 9, 10, 11}}));
        ex("split: left", "s32[3]", "1 2 3", a -> Nx.split(a[0], -1, 0)[0], Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("slice: Nx.slice(Nx.tensor([1, 2, 3, 4, 5, 6]), [0], [3])", "s32[3]", "1 2 3", a -> Nx.slice(a[0], new int[] {0}, new int[] {3}), Nx.tensor(new int[]{1, 2, 3, 4, 5, 6}));
        ex("slice: Nx.slice(Nx.tensor([1, 2, 3, 4, 5, 6]), [0], [6], strides: [2])", "s32[3]", "1 3 5", a -> Nx.slice(a[0], new int[] {0}, new int[] {6}, new int[] {2}), Nx.tensor(new int[]{1, 2, 3, 4, 5, 6}));
        ex("slice: Nx.slice(Nx.tensor([[1, 2], [3, 4], [5, 6]]), [0, 0], [3, 2], strides: [2, 1])", "s32[2][2]", "1 2 5 6", a -> Nx.slice(a[0], new int[] {0, 0}, new int[] {3, 2}, new int[] {2, 1}), Nx.tensor(new int[][]{{1, 2}, {3, 4}, {5, 6}}));
        ex("slice: Nx.slice(t, [0, 0], [3, 2], strides: 2)", "s32[2][1]", "1 5", a -> Nx.slice(a[0], new int[] {0, 0}, new int[] {3, 2}, new int[] {2, 2}), Nx.tensor(new int[][]{{1, 2}, {3, 4}, {5, 6}}));
        ex("slice: Nx.slice(t, [0, 4, 11], [2, 3, 9], strides: [2, 1, 3])", "s32[1][3][3]", "131 134 137 161 164 167 191 194 197", a -> Nx.slice(a[0], new int[] {0, 4, 11}, new int[] {2, 3, 9}, new int[] {2, 1, 3}), Nx.iota(Shape.of(2, 15, 30), DType.S32));
        ex("slice: Nx.slice(Nx.tensor([[1, 2, 3], [4, 5, 6]]), [Nx.tensor(1), Nx.tensor(2)], [1, 1])", "s32[1][1]", "6", a -> Nx.slice(a[2], new Object[] {a[0], a[1]}, new int[] {1, 1}), Nx.scalar(1), Nx.scalar(2), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("slice: Nx.slice(t, [Nx.tensor(0), Nx.tensor(0)], [6, 7], strides: [5, 3])", "f32[2][3]", "0.0 0.0 0.0 1.0 1.0 1.0", a -> Nx.slice(a[2], new Object[] {a[0], a[1]}, new int[] {6, 7}, new int[] {5, 3}), Nx.scalar(0), Nx.scalar(0), Nx.tensor(new float[][]{{0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}, {0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f, 0.0f}, {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}, {1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f}}));
        ex("slice: Nx.slice(Nx.iota({3, 3}), [2, 2], [1, 1])", "s32[1][1]", "8", a -> Nx.slice(a[0], new int[] {2, 2}, new int[] {1, 1}), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("slice: Nx.slice(Nx.iota({3, 3}), [2, 2], [2, 2])", "s32[2][2]", "4 5 7 8", a -> Nx.slice(a[0], new int[] {2, 2}, new int[] {2, 2}), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("slice: Nx.slice(Nx.iota({3, 3}), [Nx.tensor(2), Nx.tensor(2)], [2, 2])", "s32[2][2]", "4 5 7 8", a -> Nx.slice(a[2], new Object[] {a[0], a[1]}, new int[] {2, 2}), Nx.scalar(2), Nx.scalar(2), Nx.iota(Shape.of(3, 3), DType.S32));
        err("slice: Nx.slice(Nx.tensor([[1, 2, 3], [4, 5, 6]]), [Nx.tensor([1, 2]), Nx.tensor(1)], [1, 1])", a -> Nx.slice(a[2], new Object[] {a[0], a[1]}, new int[] {1, 1}), Nx.tensor(new int[]{1, 2}), Nx.scalar(1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        err("slice: Nx.slice(Nx.tensor([[1, 2, 3], [4, 5, 6]]), [Nx.tensor(1.0), Nx.tensor(0)], [1, 1])", a -> Nx.slice(a[2], new Object[] {a[0], a[1]}, new int[] {1, 1}), Nx.scalar(1.0f), Nx.scalar(0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("slice_along_axis: Nx.slice_along_axis(Nx.iota({5, 2}), 1, 2, axis: 0)", "s32[2][2]", "2 3 4 5", a -> Nx.sliceAlongAxis(a[0], 1, 2, 0), Nx.iota(Shape.of(5, 2), DType.S32));
        ex("slice_along_axis: Nx.slice_along_axis(Nx.iota({2, 5}), 1, 2, axis: 1)", "s32[2][2]", "1 2 6 7", a -> Nx.sliceAlongAxis(a[0], 1, 2, 1), Nx.iota(Shape.of(2, 5), DType.S32));
        ex("slice_along_axis: Nx.slice_along_axis(Nx.iota({2, 5}, names: [:x, :y]), 0, 1, axis: :x)", "s32[1][5]", "0 1 2 3 4", a -> Nx.sliceAlongAxis(a[0], 0, 1, 0), Nx.iota(Shape.of(2, 5), DType.S32));
        ex("slice_along_axis: Nx.slice_along_axis(Nx.iota({2, 5}, names: [:x, :y]), Nx.tensor(0), 1, axis: :x)", "s32[1][5]", "0 1 2 3 4", a -> Nx.sliceAlongAxis(a[1], a[0], 1, 0), Nx.scalar(0), Nx.iota(Shape.of(2, 5), DType.S32));
        ex("slice_along_axis: Nx.slice_along_axis(Nx.iota({2, 5}), 0, 3, axis: -1, strides: 2)", "s32[2][2]", "0 2 5 7", a -> Nx.sliceAlongAxis(a[0], 0, 3, -1, 2), Nx.iota(Shape.of(2, 5), DType.S32));
        ex("put_slice: Nx.put_slice(t, [2], Nx.tensor([5, 6]))", "s32[5]", "0 1 5 6 4", a -> Nx.putSlice(a[0], new int[] {2}, a[1]), Nx.tensor(new int[]{0, 1, 2, 3, 4}), Nx.tensor(new int[]{5, 6}));
        ex("put_slice: Nx.put_slice(t, [0, 1], Nx.tensor([[7, 8], [9, 10]]))", "s32[2][3]", "1 7 8 4 9 10", a -> Nx.putSlice(a[0], new int[] {0, 1}, a[1]), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{7, 8}, {9, 10}}));
        ex("put_slice: Nx.put_slice(t, [Nx.tensor(0), Nx.tensor(1)], Nx.tensor([[10.0, 11.0]]))", "f32[2][3]", "1.0 10.0 11.0 4.0 5.0 6.0", a -> Nx.putSlice(a[2], new Object[] {a[0], a[1]}, a[3]), Nx.scalar(0), Nx.scalar(1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new float[][]{{10.0f, 11.0f}}));
        ex("put_slice: Nx.put_slice(t, [1, 1], Nx.tensor([[7, 8], [9, 10]]))", "s32[2][3]", "1 7 8 4 9 10", a -> Nx.putSlice(a[0], new int[] {1, 1}, a[1]), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{7, 8}, {9, 10}}));
        ex("take: Nx.take(t, Nx.tensor([1, 0, 1]))", "s32[3][2]", "3 4 1 2 3 4", a -> Nx.take(a[0], a[1], 0), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[]{1, 0, 1}));
        ex("take: Nx.take(t, Nx.tensor([1, 0, 1]), axis: 1)", "s32[2][3]", "2 1 2 4 3 4", a -> Nx.take(a[0], a[1], 1), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[]{1, 0, 1}));
        ex("take: Nx.take(t, Nx.tensor([1, 0, 1]), axis: :y)", "s32[2][3]", "2 1 2 4 3 4", a -> Nx.take(a[0], a[1], 1), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[]{1, 0, 1}));
        ex("take: Nx.take(t, Nx.tensor([1, 0, 1]), axis: 1)", "s32[2][3][2]", "11 12 1 2 11 12 111 112 101 102 111 112", a -> Nx.take(a[0], a[1], 1), Nx.tensor(new int[][][]{{{1, 2}, {11, 12}}, {{101, 102}, {111, 112}}}), Nx.tensor(new int[]{1, 0, 1}));
        ex("take: Nx.take(t, Nx.tensor([[0, 0], [1, 1], [0, 0]]), axis: 1)", "s32[2][3][2]", "1 1 2 2 1 1 11 11 12 12 11 11", a -> Nx.take(a[0], a[1], 1), Nx.tensor(new int[][]{{1, 2}, {11, 12}}), Nx.tensor(new int[][]{{0, 0}, {1, 1}, {0, 0}}));
        ex("take: Nx.take(t, Nx.tensor([[0, 0, 0], [1, 1, 1], [0, 0, 0]]), axis: 1)", "s32[2][3][3][2]", "1 2 1 2 1 2 11 12 11 12 11 12 1 2 1 2 1 2 101 102 101 102 101 102 111 112 111 112 111 112 101 102 101 102 101 102", a -> Nx.take(a[0], a[1], 1), Nx.tensor(new int[][][]{{{1, 2}, {11, 12}}, {{101, 102}, {111, 112}}}), Nx.tensor(new int[][]{{0, 0, 0}, {1, 1, 1}, {0, 0, 0}}));
        err("take: Nx.take(Nx.tensor([[1, 2], [3, 4]]), Nx.tensor([1, 0, 1], type: :f32))", a -> Nx.take(a[0], a[1], 0), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[]{1, 0, 1}, DType.F32));
        ex("take_along_axis: Nx.take_along_axis(t, Nx.tensor([[0, 0, 2, 2, 1, 1], [2, 2, 1, 1, 0, 0]]), axis: 1)", "s32[2][6]", "1 1 3 3 2 2 6 6 5 5 4 4", a -> Nx.takeAlongAxis(a[0], a[1], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{0, 0, 2, 2, 1, 1}, {2, 2, 1, 1, 0, 0}}));
        ex("take_along_axis: Nx.take_along_axis(t, Nx.tensor([[0, 1, 1], [1, 0, 0], [0, 1, 0]]), axis: 0)", "s32[3][3]", "1 5 6 4 2 3 1 5 3", a -> Nx.takeAlongAxis(a[0], a[1], 0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{0, 1, 1}, {1, 0, 0}, {0, 1, 0}}));
        err("take_along_axis: Nx.take_along_axis(tensor, idx, axis: 1)", a -> Nx.takeAlongAxis(a[0], a[1], 1), Nx.iota(Shape.of(3, 3), DType.S32), Nx.tensor(new float[][]{{2.0f}, {1.0f}, {2.0f}}, DType.F32));
        ex("gather: Nx.gather(t, Nx.tensor([[1, 1], [0, 1], [1, 0]]))", "s32[3]", "4 2 3", a -> Nx.gather(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[][]{{1, 1}, {0, 1}, {1, 0}}));
        ex("gather: Nx.gather(t, Nx.tensor([[[1, 1], [0, 0]], [[1, 0], [0, 1]]]))", "s32[2][2]", "4 1 3 2", a -> Nx.gather(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[][][]{{{1, 1}, {0, 0}}, {{1, 0}, {0, 1}}}));
        ex("gather: Nx.gather(t, Nx.tensor([[0, 0, 0], [0, 1, 1], [1, 1, 1]]))", "s32[3]", "1 12 112", a -> Nx.gather(a[0], a[1]), Nx.tensor(new int[][][]{{{1, 2}, {11, 12}}, {{101, 102}, {111, 112}}}), Nx.tensor(new int[][]{{0, 0, 0}, {0, 1, 1}, {1, 1, 1}}));
        ex("gather: Nx.gather(t, Nx.tensor([[1], [0]]))", "s32[2][3]", "3 4 5 1 2 3", a -> Nx.gather(a[0], a[1]), Nx.tensor(new int[][]{{1, 2, 3}, {3, 4, 5}}), Nx.tensor(new int[][]{{1}, {0}}));
        ex("gather: Nx.gather(t, Nx.tensor([[1], [0], [2], [1]]), axes: [1])", "s32[4][2]", "2 5 1 4 3 6 2 5", a -> Nx.gather(a[0], a[1], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{1}, {0}, {2}, {1}}));
        ex("gather: Nx.gather(t, Nx.tensor([[[1], [0], [2]]]), axes: [2])", "s32[1][3][2][1]", "1 4 0 3 2 5", a -> Nx.gather(a[0], a[1], 2), Nx.iota(Shape.of(2, 1, 3), DType.S32), Nx.tensor(new int[][][]{{{1}, {0}, {2}}}));
        err("gather: Nx.gather(Nx.tensor([[1, 2], [3, 4]]), Nx.tensor([[0, 0]], type: :f32))", a -> Nx.gather(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[][]{{0, 0}}, DType.F32));
        err("gather: Nx.gather(Nx.iota({3}), Nx.tensor(0))", a -> Nx.gather(a[0], a[1]), Nx.iota(Shape.of(3), DType.S32), Nx.scalar(0));
        ex("indexed_add: Nx.indexed_add(Nx.tensor([[1], [2]]), Nx.tensor([1, 0]), 8)", "s32[2][1]", "1 10", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.scalar(8), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[]{1, 0}));
        ex("indexed_add: Nx.indexed_add(t, indices, updates)", "s32[1][2][3]", "2 1 0 3 7 10", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[]{1, 3, 1, -2, 5}), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.tensor(new int[][]{{0, 0, 0}, {0, 1, 1}, {0, 0, 0}, {0, 0, 2}, {0, 1, 2}}));
        ex("indexed_add: Nx.indexed_add(Nx.tensor([1.0]), Nx.tensor([[0], [0]]), Nx.tensor([1, 1]))", "f32[1]", "3.0", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[]{1, 1}), Nx.tensor(new float[]{1.0f}), Nx.tensor(new int[][]{{0}, {0}}));
        ex("indexed_add: Nx.indexed_add(Nx.tensor([1]), Nx.tensor([[0], [0]]), Nx.tensor([1.0, 1.0]))", "f32[1]", "3.0", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new float[]{1.0f, 1.0f}), Nx.tensor(new int[]{1}), Nx.tensor(new int[][]{{0}, {0}}));
        ex("indexed_add: Nx.indexed_add(Nx.tensor([1], type: :s32), Nx.tensor([[0], [0]]), Nx.tensor([1, 1], type: :s64))", "s64[1]", "3", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[]{1, 1}, DType.S64), Nx.tensor(new int[]{1}, DType.S32), Nx.tensor(new int[][]{{0}, {0}}));
        err("indexed_add: Nx.indexed_add(Nx.tensor([[1], [2]]), Nx.tensor([[[1, 2, 3]]]), Nx.tensor([0]))", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[]{0}), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][][]{{{1, 2, 3}}}));
        err("indexed_add: Nx.indexed_add(Nx.tensor([[1], [2]]), Nx.tensor([[1, 2]]), Nx.tensor([0, 1]))", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[]{0, 1}), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{1, 2}}));
        err("indexed_add: Nx.indexed_add(Nx.tensor([[1, 2, 3]]), Nx.tensor([[0]]), Nx.tensor([[1, 2, 3, 4, 5]]))", a -> Nx.indexedAdd(a[1], a[2], a[0]), Nx.tensor(new int[][]{{1, 2, 3, 4, 5}}), Nx.tensor(new int[][]{{1, 2, 3}}), Nx.tensor(new int[][]{{0}}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([[1], [2]]), Nx.tensor([1, 0]), 10)", "s32[2][1]", "1 10", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.scalar(10), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[]{1, 0}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([0, 0, 0]), Nx.tensor([[1], [2]]), Nx.tensor([2, 4]))", "s32[3]", "0 2 4", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{2, 4}), Nx.tensor(new int[]{0, 0, 0}), Nx.tensor(new int[][]{{1}, {2}}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([0, 0, 0]), Nx.tensor([[1], [2]]), Nx.tensor([3, 4]))", "s32[3]", "0 3 4", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{3, 4}), Nx.tensor(new int[]{0, 0, 0}), Nx.tensor(new int[][]{{1}, {2}}));
        ex("indexed_put: Nx.indexed_put(t, indices, updates)", "s32[1][2][3]", "1 1 -2 3 3 5", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{1, 3, -2}), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.tensor(new int[][]{{0, 0, 0}, {0, 1, 1}, {0, 0, 2}}));
        ex("indexed_put: Nx.indexed_put(t, indices, updates)", "s32[1][3][2]", "0 10 2 3 40 50", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[][]{{0, 10}, {40, 50}}), Nx.iota(Shape.of(1, 3, 2), DType.S32), Nx.tensor(new int[][]{{0, 0}, {0, 2}}));
        ex("indexed_put: Nx.indexed_put(t, indices, updates, axes: [0, 2])", "s32[1][2][3]", "0 1 20 30 4 50", a -> Nx.indexedPut(a[1], a[2], a[0], 0, 2), Nx.tensor(new int[][]{{0, 30}, {20, 50}}), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.tensor(new int[][]{{0, 0}, {0, 2}}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([1.0]), Nx.tensor([[0]]), Nx.tensor([3]))", "f32[1]", "3.0", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{3}), Nx.tensor(new float[]{1.0f}), Nx.tensor(new int[][]{{0}}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([1]), Nx.tensor([[0]]), Nx.tensor([3.0]))", "f32[1]", "3.0", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new float[]{3.0f}), Nx.tensor(new int[]{1}), Nx.tensor(new int[][]{{0}}));
        ex("indexed_put: Nx.indexed_put(Nx.tensor([1], type: :s32), Nx.tensor([[0]]), Nx.tensor([3], type: :s64))", "s64[1]", "3", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{3}, DType.S64), Nx.tensor(new int[]{1}, DType.S32), Nx.tensor(new int[][]{{0}}));
        err("indexed_put: Nx.indexed_put(Nx.tensor([[1], [2]]), Nx.tensor([[[1, 2, 3]]]), Nx.tensor([0]))", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{0}), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][][]{{{1, 2, 3}}}));
        err("indexed_put: Nx.indexed_put(Nx.tensor([[1], [2]]), Nx.tensor([[1, 2]]), Nx.tensor([0, 1]))", a -> Nx.indexedPut(a[1], a[2], a[0]), Nx.tensor(new int[]{0, 1}), Nx.tensor(new int[][]{{1}, {2}}), Nx.tensor(new int[][]{{1, 2}}));
        err("indexed_put: Nx.indexed_put(Nx.iota({1, 2, 3}), Nx.tensor([[0, 1, 2]]), 10, axes: [1, 0, 2])", a -> Nx.indexedPut(a[1], a[2], a[0], 1, 0, 2), Nx.scalar(10), Nx.iota(Shape.of(1, 2, 3), DType.S32), Nx.tensor(new int[][]{{0, 1, 2}}));
        ex("diff: Nx.diff(Nx.tensor([1, 2, 4, 7, 0]))", "s32[4]", "1 2 3 -7", a -> Nx.diff(a[0], 1, -1), Nx.tensor(new int[]{1, 2, 4, 7, 0}));
        ex("diff: Nx.diff(Nx.tensor([1, 2, 4, 7, 0]), order: 2)", "s32[3]", "1 1 -10", a -> Nx.diff(a[0], 2, -1), Nx.tensor(new int[]{1, 2, 4, 7, 0}));
        ex("diff: Nx.diff(Nx.tensor([[1, 3, 6, 10], [0, 5, 6, 8]]))", "s32[2][3]", "2 3 4 5 1 2", a -> Nx.diff(a[0], 1, -1), Nx.tensor(new int[][]{{1, 3, 6, 10}, {0, 5, 6, 8}}));
        ex("diff: Nx.diff(Nx.tensor([[1, 3, 6, 10], [0, 5, 6, 8]]), axis: 0)", "s32[1][4]", "-1 2 0 -2", a -> Nx.diff(a[0], 1, 0), Nx.tensor(new int[][]{{1, 3, 6, 10}, {0, 5, 6, 8}}));
        ex("diff: Nx.diff(Nx.tensor([1, 2, 4, 7, 0]), order: 0)", "s32[5]", "1 2 4 7 0", a -> Nx.diff(a[0], 0, -1), Nx.tensor(new int[]{1, 2, 4, 7, 0}));
        err("diff: Nx.diff(Nx.tensor([1, 2, 4, 7, 0]), order: -1)", a -> Nx.diff(a[0], -1, -1), Nx.tensor(new int[]{1, 2, 4, 7, 0}));
        ex("tril: Nx.tril(Nx.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))", "s32[3][3]", "1 0 0 4 5 0 7 8 9", a -> Nx.tril(a[0], 0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        ex("tril: Nx.tril(Nx.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), k: 1)", "s32[3][3]", "1 2 0 4 5 6 7 8 9", a -> Nx.tril(a[0], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        ex("tril: Nx.tril(Nx.iota({2, 3, 4}))", "s32[2][3][4]", "0 0 0 0 4 5 0 0 8 9 10 0 12 0 0 0 16 17 0 0 20 21 22 0", a -> Nx.tril(a[0], 0), Nx.iota(Shape.of(2, 3, 4), DType.S32));
        err("tril: Nx.tril(Nx.iota({6}))", a -> Nx.tril(a[0], 0), Nx.iota(Shape.of(6), DType.S32));
        ex("triu: Nx.triu(Nx.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]))", "s32[3][3]", "1 2 3 0 5 6 0 0 9", a -> Nx.triu(a[0], 0), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        ex("triu: Nx.triu(Nx.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), k: 1)", "s32[3][3]", "0 2 3 0 0 6 0 0 0", a -> Nx.triu(a[0], 1), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        ex("triu: Nx.triu(Nx.iota({2, 3, 4}))", "s32[2][3][4]", "0 1 2 3 0 5 6 7 0 0 10 11 12 13 14 15 0 17 18 19 0 0 22 23", a -> Nx.triu(a[0], 0), Nx.iota(Shape.of(2, 3, 4), DType.S32));
        err("triu: Nx.triu(Nx.iota({6}))", a -> Nx.triu(a[0], 0), Nx.iota(Shape.of(6), DType.S32));
        ex("eye: Nx.eye(2)", "s32[2][2]", "1 0 0 1", a -> Nx.eye(Shape.of(2, 2), DType.S32));
        ex("eye: Nx.eye(3, type: :f32, names: [:height, :width])", "f32[3][3]", "1.0 0.0 0.0 0.0 1.0 0.0 0.0 0.0 1.0", a -> Nx.eye(Shape.of(3, 3), DType.F32));
        ex("eye: Nx.eye({1, 2})", "s32[1][2]", "1 0", a -> Nx.eye(Shape.of(1, 2), DType.S32));
        ex("eye: Nx.eye({2, 4, 3})", "s32[2][4][3]", "1 0 0 0 1 0 0 0 1 0 0 0 1 0 0 0 1 0 0 0 1 0 0 0", a -> Nx.eye(Shape.of(2, 4, 3), DType.S32));
        ex("linspace: Nx.linspace(5, 8, n: 5)", "f32[5]", "5.0 5.75 6.5 7.25 8.0", a -> Nx.linspace(5, 8, 5, DType.F32, true));
        ex("linspace: Nx.linspace(0, 10, n: 5, endpoint: false, name: :x)", "f32[5]", "0.0 2.0 4.0 6.0 8.0", a -> Nx.linspace(0, 10, 5, DType.F32, false));
        ex("linspace: Nx.linspace(0, 24, n: 8, type: {:u, 8}, endpoint: true)", "u8[8]", "0 3 6 10 13 17 20 24", a -> Nx.linspace(0, 24, 8, DType.U8, true));
        ex("linspace: Nx.linspace(0, 24, n: 8, type: {:s, 32}, endpoint: false)", "s32[8]", "0 3 6 9 12 15 18 21", a -> Nx.linspace(0, 24, 8, DType.S32, false));
        ex("linspace: Nx.linspace(Nx.tensor([[[0, 10]]]), Nx.tensor([[[10, 100]]]), n: 10, name: :samples, type: {:u, 8})", "u8[1][1][2][10]", "0 1 2 3 4 5 6 7 8 10 10 20 30 40 50 60 70 80 90 100", a -> Nx.linspace(a[0], a[1], 10, DType.U8, true), Nx.tensor(new int[][][]{{{0, 10}}}), Nx.tensor(new int[][][]{{{10, 100}}}));
        err("linspace: Nx.linspace(Nx.tensor([[0, 1]]), Nx.tensor([1, 2, 3]), n: 2)", a -> Nx.linspace(a[0], a[1], 2, DType.F32, true), Nx.tensor(new int[][]{{0, 1}}), Nx.tensor(new int[]{1, 2, 3}));
        ex("make_diagonal: Nx.make_diagonal(Nx.tensor([1, 2, 3, 4]))", "s32[4][4]", "1 0 0 0 0 2 0 0 0 0 3 0 0 0 0 4", a -> Nx.makeDiagonal(a[0], 0), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("make_diagonal: Nx.make_diagonal(Nx.tensor([1, 2, 3]), offset: 1)", "s32[4][4]", "0 1 0 0 0 0 2 0 0 0 0 3 0 0 0 0", a -> Nx.makeDiagonal(a[0], 1), Nx.tensor(new int[]{1, 2, 3}));
        ex("make_diagonal: Nx.make_diagonal(Nx.tensor([1, 2, 3]), offset: -1)", "s32[4][4]", "0 0 0 0 1 0 0 0 0 2 0 0 0 0 3 0", a -> Nx.makeDiagonal(a[0], -1), Nx.tensor(new int[]{1, 2, 3}));
        ex("make_diagonal: Nx.make_diagonal(Nx.tensor([1, 2, 3]), offset: -4)", "s32[7][7]", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0 3 0 0 0 0", a -> Nx.makeDiagonal(a[0], -4), Nx.tensor(new int[]{1, 2, 3}));
        ex("make_diagonal: Nx.make_diagonal(Nx.tensor([1, 2, 3]), offset: 4)", "s32[7][7]", "0 0 0 0 1 0 0 0 0 0 0 0 2 0 0 0 0 0 0 0 3 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0", a -> Nx.makeDiagonal(a[0], 4), Nx.tensor(new int[]{1, 2, 3}));
        err("make_diagonal: Nx.make_diagonal(Nx.tensor([[0, 0], [0, 1]]))", a -> Nx.makeDiagonal(a[0], 0), Nx.tensor(new int[][]{{0, 0}, {0, 1}}));
        ex("take_diagonal: Nx.take_diagonal(Nx.tensor([ [0, 1, 2], [3, 4, 5], [6, 7, 8] ]))", "s32[3]", "0 4 8", a -> Nx.takeDiagonal(a[0], 0), Nx.tensor(new int[][]{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}));
        ex("take_diagonal: Nx.take_diagonal(Nx.iota({3, 3}), offset: 1)", "s32[2]", "1 5", a -> Nx.takeDiagonal(a[0], 1), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("take_diagonal: Nx.take_diagonal(Nx.iota({3, 3}), offset: -1)", "s32[2]", "3 7", a -> Nx.takeDiagonal(a[0], -1), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("take_diagonal: Nx.take_diagonal(Nx.iota({3, 2, 2}))", "s32[3][2]", "0 3 4 7 8 11", a -> Nx.takeDiagonal(a[0], 0), Nx.iota(Shape.of(3, 2, 2), DType.S32));
        ex("take_diagonal: Nx.take_diagonal(Nx.iota({3, 2, 2}), offset: -1)", "s32[3][1]", "2 6 10", a -> Nx.takeDiagonal(a[0], -1), Nx.iota(Shape.of(3, 2, 2), DType.S32));
        err("take_diagonal: Nx.take_diagonal(Nx.tensor([0, 1, 2]))", a -> Nx.takeDiagonal(a[0], 0), Nx.tensor(new int[]{0, 1, 2}));
        err("take_diagonal: Nx.take_diagonal(Nx.iota({3, 3}), offset: 3)", a -> Nx.takeDiagonal(a[0], 3), Nx.iota(Shape.of(3, 3), DType.S32));
        err("take_diagonal: Nx.take_diagonal(Nx.iota({3, 3}), offset: -4)", a -> Nx.takeDiagonal(a[0], -4), Nx.iota(Shape.of(3, 3), DType.S32));
        ex("put_diagonal: Nx.put_diagonal(t, Nx.tensor([1, 2, 3, 4]))", "s32[4][4]", "1 0 0 0 0 2 0 0 0 0 3 0 0 0 0 4", a -> Nx.putDiagonal(a[0], a[1], 0), Nx.broadcast(Nx.scalar(0), Shape.of(4, 4)), Nx.tensor(new int[]{1, 2, 3, 4}));
        ex("put_diagonal: Nx.put_diagonal(t, Nx.tensor([1, 2, 3]))", "s32[4][3]", "1 0 0 0 2 0 0 0 3 0 0 0", a -> Nx.putDiagonal(a[0], a[1], 0), Nx.broadcast(Nx.scalar(0), Shape.of(4, 3)), Nx.tensor(new int[]{1, 2, 3}));
        ex("put_diagonal: Nx.put_diagonal(Nx.broadcast(0, {4, 4}), Nx.tensor([1, 2, 3]), offset: 1)", "s32[4][4]", "0 1 0 0 0 0 2 0 0 0 0 3 0 0 0 0", a -> Nx.putDiagonal(a[0], a[1], 1), Nx.broadcast(Nx.scalar(0), Shape.of(4, 4)), Nx.tensor(new int[]{1, 2, 3}));
        ex("put_diagonal: Nx.put_diagonal(Nx.broadcast(0, {4, 3}), Nx.tensor([1, 2]), offset: 1)", "s32[4][3]", "0 1 0 0 0 2 0 0 0 0 0 0", a -> Nx.putDiagonal(a[0], a[1], 1), Nx.broadcast(Nx.scalar(0), Shape.of(4, 3)), Nx.tensor(new int[]{1, 2}));
        ex("put_diagonal: Nx.put_diagonal(Nx.broadcast(0, {4, 4}), Nx.tensor([1, 2, 3]), offset: -1)", "s32[4][4]", "0 0 0 0 1 0 0 0 0 2 0 0 0 0 3 0", a -> Nx.putDiagonal(a[0], a[1], -1), Nx.broadcast(Nx.scalar(0), Shape.of(4, 4)), Nx.tensor(new int[]{1, 2, 3}));
        ex("put_diagonal: Nx.put_diagonal(Nx.broadcast(0, {4, 3}), Nx.tensor([1, 2, 3]), offset: -1)", "s32[4][3]", "0 0 0 1 0 0 0 2 0 0 0 3", a -> Nx.putDiagonal(a[0], a[1], -1), Nx.broadcast(Nx.scalar(0), Shape.of(4, 3)), Nx.tensor(new int[]{1, 2, 3}));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3, 3}), Nx.iota({3}))", a -> Nx.putDiagonal(a[0], a[1], 0), Nx.iota(Shape.of(3, 3, 3), DType.S32), Nx.iota(Shape.of(3), DType.S32));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3}), Nx.iota({3, 3}))", a -> Nx.putDiagonal(a[0], a[1], 0), Nx.iota(Shape.of(3, 3), DType.S32), Nx.iota(Shape.of(3, 3), DType.S32));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3}), Nx.iota({2}))", a -> Nx.putDiagonal(a[0], a[1], 0), Nx.iota(Shape.of(3, 3), DType.S32), Nx.iota(Shape.of(2), DType.S32));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3}), Nx.iota({3}), offset: 1)", a -> Nx.putDiagonal(a[0], a[1], 1), Nx.iota(Shape.of(3, 3), DType.S32), Nx.iota(Shape.of(3), DType.S32));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3}), Nx.iota({3}), offset: 4)", a -> Nx.putDiagonal(a[0], a[1], 4), Nx.iota(Shape.of(3, 3), DType.S32), Nx.iota(Shape.of(3), DType.S32));
        err("put_diagonal: Nx.put_diagonal(Nx.iota({3, 3}), Nx.iota({3}), offset: -3)", a -> Nx.putDiagonal(a[0], a[1], -3), Nx.iota(Shape.of(3, 3), DType.S32), Nx.iota(Shape.of(3), DType.S32));
        ex("outer: Nx.outer(Nx.tensor([1, 2, 3], names: [:x]), 100)", "s32[3][1]", "100 200 300", a -> Nx.outer(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.scalar(100));
        ex("outer: Nx.outer(Nx.tensor([1, 2, 3], names: [:x]), Nx.tensor([10, 20], names: [:y]))", "s32[3][2]", "10 20 20 40 30 60", a -> Nx.outer(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{10, 20}));
        ex("outer: Nx.outer(Nx.tensor([[1, 2], [3, 4]], names: [:x, :y]), Nx.tensor([10, 20, 30], names: [:z]))", "s32[4][3]", "10 20 30 20 40 60 30 60 90 40 80 120", a -> Nx.outer(a[0], a[1]), Nx.tensor(new int[][]{{1, 2}, {3, 4}}), Nx.tensor(new int[]{10, 20, 30}));
        ex("conv: Nx.conv(left, right, strides: [1, 1])", "f32[1][4][3][3]", "0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0 1.0 2.0 3.0 4.0 5.0 6.0 7.0 8.0 0.0 2.0 4.0 6.0 8.0 10.0 12.0 14.0 16.0 0.0 3.0 6.0 9.0 12.0 15.0 18.0 21.0 24.0", a -> Nx.conv(a[0], a[1], ConvOptions.defaults().strides(1, 1)), Nx.iota(Shape.of(1, 1, 3, 3), DType.S32), Nx.iota(Shape.of(4, 1, 1, 1), DType.S32));
        ex("conv: Nx.conv(left, right, strides: 2, padding: :same, kernel_dilation: [2, 1])", "f32[1][4][2][2]", "3.0 5.0 0.0 0.0 9.0 15.0 6.0 10.0 15.0 25.0 12.0 20.0 21.0 35.0 18.0 30.0", a -> Nx.conv(a[0], a[1], ConvOptions.defaults().strides(2).kernelDilation(2, 1).padding("same")), Nx.iota(Shape.of(1, 1, 3, 3), DType.S32), Nx.iota(Shape.of(4, 1, 2, 1), DType.S32));
        ex("window_sum: Nx.window_sum(t, {1, 2, 1})", "s32[2][1][3]", "5 7 9 5 7 9", a -> Nx.windowSum(a[0], new int[] {1, 2, 1}, WindowOptions.defaults()), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_sum: Nx.window_sum(t, {2, 2, 1}, strides: [1, 2, 3], padding: [{0, 1}, {2, 0}, {1, 1}])", "s32[2][2][2]", "0 0 0 18 0 0 0 9", a -> Nx.windowSum(a[0], new int[] {2, 2, 1}, WindowOptions.defaults().strides(1, 2, 3).padding(new int[] {0, 1}, new int[] {2, 0}, new int[] {1, 1})), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_sum: Nx.window_sum(t, {2, 1, 1}, strides: [2, 1, 1], padding: [{1, 1}, {0, 0}, {1, 1}])", "f32[2][2][5]", "0.0 4.0 2.0 3.0 0.0 0.0 2.0 5.0 6.5 0.0 0.0 1.2 2.2 3.2 0.0 0.0 4.0 5.0 6.2 0.0", a -> Nx.windowSum(a[0], new int[] {2, 1, 1}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1})), Nx.tensor(new float[][][]{{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}}));
        ex("window_sum: Nx.window_sum(t, {1, 1, 2}, opts)", "s32[1][2][3]", "6 3 4 6 3 8", a -> Nx.windowSum(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 1)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_sum: Nx.window_sum(t, {1, 1, 2}, opts)", "s32[1][2][2]", "5 5 5 9", a -> Nx.windowSum(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_sum: Nx.window_sum(t, {2, 1, 2}, opts)", "s32[2][6][3]", "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 4 11 14 10 15 19 0 0 0", a -> Nx.windowSum(a[0], new int[] {2, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {2, 1}, new int[] {3, 1}, new int[] {1, 0}).windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_mean: Nx.window_mean(t, {1, 2, 1})", "f32[2][1][3]", "2.5 3.5 4.5 2.5 3.5 4.5", a -> Nx.windowMean(a[0], new int[] {1, 2, 1}, WindowOptions.defaults()), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_mean: Nx.window_mean(t, {2, 2, 1}, strides: [1, 2, 3], padding: [{0, 1}, {2, 0}, {1, 1}])", "f32[2][2][2]", "0.0 0.0 0.0 4.5 0.0 0.0 0.0 2.25", a -> Nx.windowMean(a[0], new int[] {2, 2, 1}, WindowOptions.defaults().strides(1, 2, 3).padding(new int[] {0, 1}, new int[] {2, 0}, new int[] {1, 1})), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_mean: Nx.window_mean(t, {2, 1, 1}, strides: [2, 1, 1], padding: [{1, 1}, {0, 0}, {1, 1}])", "f32[2][2][5]", "0.0 2.0 1.0 1.5 0.0 0.0 1.0 2.5 3.25 0.0 0.0 0.6 1.1 1.6 0.0 0.0 2.0 2.5 3.1 0.0", a -> Nx.windowMean(a[0], new int[] {2, 1, 1}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1})), Nx.tensor(new float[][][]{{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}}));
        ex("window_mean: Nx.window_mean(t, {1, 1, 2}, opts)", "f32[1][2][3]", "3.0 1.5 2.0 3.0 1.5 4.0", a -> Nx.windowMean(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 1)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_mean: Nx.window_mean(t, {1, 1, 2}, opts)", "f32[1][2][2]", "2.5 2.5 2.5 4.5", a -> Nx.windowMean(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_max: Nx.window_max(Nx.tensor([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]), {1, 2, 1})", "s32[2][1][3]", "4 5 6 4 5 6", a -> Nx.windowMax(a[0], new int[] {1, 2, 1}, WindowOptions.defaults()), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_max: Nx.window_max(t, {2, 2, 1}, strides: [1, 2, 3], padding: [{0, 1}, {2, 0}, {1, 1}])", "s32[2][2][2]", "-2147483648 -2147483648 -2147483648 6 -2147483648 -2147483648 -2147483648 6", a -> Nx.windowMax(a[0], new int[] {2, 2, 1}, WindowOptions.defaults().strides(1, 2, 3).padding(new int[] {0, 1}, new int[] {2, 0}, new int[] {1, 1})), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_max: Nx.window_max(t, {2, 1, 1}, strides: [2, 1, 1], padding: [{1, 1}, {0, 0}, {1, 1}])", "f32[2][2][5]", "-Inf 4.0 2.0 3.0 -Inf -Inf 2.0 5.0 6.5 -Inf -Inf 1.2 2.2 3.2 -Inf -Inf 4.0 5.0 6.2 -Inf", a -> Nx.windowMax(a[0], new int[] {2, 1, 1}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1})), Nx.tensor(new float[][][]{{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}}));
        ex("window_max: Nx.window_max(t, {1, 1, 2}, opts)", "s32[1][2][2]", "4 3 4 7", a -> Nx.windowMax(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_min: Nx.window_min(Nx.tensor([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]), {1, 2, 1})", "s32[2][1][3]", "1 2 3 1 2 3", a -> Nx.windowMin(a[0], new int[] {1, 2, 1}, WindowOptions.defaults()), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_min: Nx.window_min(t, {2, 2, 1}, strides: [1, 2, 3], padding: [{0, 1}, {2, 0}, {1, 1}])", "s32[2][2][2]", "2147483647 2147483647 2147483647 3 2147483647 2147483647 2147483647 3", a -> Nx.windowMin(a[0], new int[] {2, 2, 1}, WindowOptions.defaults().strides(1, 2, 3).padding(new int[] {0, 1}, new int[] {2, 0}, new int[] {1, 1})), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_min: Nx.window_min(t, {2, 1, 1}, strides: [2, 1, 1], padding: [{1, 1}, {0, 0}, {1, 1}])", "f32[2][2][5]", "Inf 4.0 2.0 3.0 Inf Inf 2.0 5.0 6.5 Inf Inf 1.2 2.2 3.2 Inf Inf 4.0 5.0 6.2 Inf", a -> Nx.windowMin(a[0], new int[] {2, 1, 1}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1})), Nx.tensor(new float[][][]{{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}}));
        ex("window_min: Nx.window_min(t, {1, 1, 2}, opts)", "s32[1][2][2]", "1 2 1 2", a -> Nx.windowMin(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_product: Nx.window_product(Nx.tensor([[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]), {1, 2, 1})", "s32[2][1][3]", "4 10 18 4 10 18", a -> Nx.windowProduct(a[0], new int[] {1, 2, 1}, WindowOptions.defaults()), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_product: Nx.window_product(t, {2, 2, 1}, strides: [1, 2, 3], padding: [{0, 1}, {2, 0}, {1, 1}])", "s32[2][2][2]", "1 1 1 324 1 1 1 18", a -> Nx.windowProduct(a[0], new int[] {2, 2, 1}, WindowOptions.defaults().strides(1, 2, 3).padding(new int[] {0, 1}, new int[] {2, 0}, new int[] {1, 1})), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}}, {{1, 2, 3}, {4, 5, 6}}}));
        ex("window_product: Nx.window_product(t, {2, 1, 1}, strides: [2, 1, 1], padding: [{1, 1}, {0, 0}, {1, 1}])", "f32[2][2][5]", "1.0 4.0 2.0 3.0 1.0 1.0 2.0 5.0 6.5 1.0 1.0 1.2 2.2 3.2 1.0 1.0 4.0 5.0 6.2 1.0", a -> Nx.windowProduct(a[0], new int[] {2, 1, 1}, WindowOptions.defaults().strides(2, 1, 1).padding(new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1})), Nx.tensor(new float[][][]{{{4.0f, 2.0f, 3.0f}, {2.0f, 5.0f, 6.5f}}, {{1.2f, 2.2f, 3.2f}, {4.0f, 5.0f, 6.2f}}}));
        ex("window_product: Nx.window_product(t, {1, 1, 2}, opts)", "s32[1][2][2]", "4 6 4 14", a -> Nx.windowProduct(a[0], new int[] {1, 1, 2}, WindowOptions.defaults().strides(2, 1, 1).padding("valid").windowDilations(1, 2, 2)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        ex("window_reduce: Nx.window_reduce(t, init_value, {2, 2}, fn x, acc -> Nx.max(x, acc) end)", "s32[3][3]", "5 6 7 8 9 10 12 13 14", a -> Nx.windowReduce(a[0], Integer.MIN_VALUE, new int[] {2, 2}, (acc, x) -> Nx.max(x, acc)), Nx.tensor(new int[][]{{1, 2, 3, 4}, {4, 5, 6, 7}, {7, 8, 9, 10}, {11, 12, 13, 14}}));
        ex("window_reduce: Nx.window_reduce(t, init_value, {2, 2}, opts, fn x, acc -> Nx.max(x, acc) end)", "s32[3][3]", "5 6 6 8 9 9 8 9 9", a -> Nx.windowReduce(a[0], Integer.MIN_VALUE, new int[] {2, 2}, WindowOptions.defaults().padding("same").strides(1, 1), (acc, x) -> Nx.max(x, acc)), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}));
        ex("window_reduce: Nx.window_reduce(t, 0, {1, 2}, opts, fn x, acc -> Nx.add(x, acc) end)", "s32[2][3]", "3 5 3 9 11 6", a -> Nx.windowReduce(a[0], 0, new int[] {1, 2}, WindowOptions.defaults().padding("same").strides(1, 1), (acc, x) -> Nx.add(x, acc)), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("window_reduce: Nx.window_reduce(t, 0, {1, 1, 2}, opts, fn x, acc -> Nx.add(x, acc) end)", "s32[1][2][2]", "5 5 5 9", a -> Nx.windowReduce(a[0], 0, new int[] {1, 1, 2}, WindowOptions.defaults().padding("valid").strides(2, 1, 1).windowDilations(1, 1, 2), (acc, x) -> Nx.add(x, acc)), Nx.tensor(new int[][][]{{{4, 2, 1, 3}, {4, 2, 1, 7}}, {{1, 2, 5, 7}, {1, 8, 9, 2}}}));
        // The vectorized example (vectorize(x: 2)), one entry at a time: jnx has no vectorized axes.
        ex("window_reduce: Nx.window_reduce(t, 0, {2, 2}, opts, fn x, acc -> Nx.add(x, acc) end) [x: 0]", "s32[1][3]", "12 16 9", a -> Nx.windowReduce(a[0], 0, new int[] {2, 2}, WindowOptions.defaults().padding(new int[] {0, 0}, new int[] {0, 1}).strides(1, 1), (acc, x) -> Nx.add(x, acc)), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("window_reduce: Nx.window_reduce(t, 0, {2, 2}, opts, fn x, acc -> Nx.add(x, acc) end) [x: 1]", "s32[1][3]", "-8 -12 -7", a -> Nx.windowReduce(a[0], 0, new int[] {2, 2}, WindowOptions.defaults().padding(new int[] {0, 0}, new int[] {0, 1}).strides(1, 1), (acc, x) -> Nx.add(x, acc)), Nx.tensor(new int[][]{{0, -1, -2}, {-3, -4, -5}}));
        // Not from Nx's docs: padding reads the initial value, so a non-identity init counts once per window
        // position outside the tensor as well as once per window (StableHLO's spec and Nx's binary backend; XLA
        // itself skips padded positions, so the lowering pads explicitly).
        ex("window_reduce: Nx.window_reduce(Nx.tensor([1, 2, 3]), 10, {2}, padding: [{1, 0}], &Nx.add/2)", "s32[3]", "21 13 15", a -> Nx.windowReduce(a[0], 10, new int[] {2}, WindowOptions.defaults().padding(new int[] {1, 0}), Nx::add), Nx.tensor(new int[]{1, 2, 3}));
        // Not from Nx's docs: a user function agrees with the built-in window reductions on random input
        // (the difference is zero), with strides, same padding and dilations.
        SplittableRandom rng = new SplittableRandom(42);
        float[][][] rf = new float[3][7][6];
        int[][][] ri = new int[3][7][6];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 7; j++) {
                for (int k = 0; k < 6; k++) {
                    rf[i][j][k] = (float) rng.nextDouble(-10, 10);
                    ri[i][j][k] = rng.nextInt(-3, 4);
                }
            }
        }
        WindowOptions wo = WindowOptions.defaults().strides(1, 2, 1).padding("same").windowDilations(1, 1, 2);
        ex("window_reduce: Nx.window_reduce(t, :neg_infinity, {2, 3, 2}, opts, &Nx.max/2) == Nx.window_max(t, {2, 3, 2}, opts)", "f32[3][4][6]", " 0.0".repeat(72).trim(), a -> Nx.subtract(Nx.windowReduce(a[0], Float.NEGATIVE_INFINITY, new int[] {2, 3, 2}, wo, Nx::max), Nx.windowMax(a[0], new int[] {2, 3, 2}, wo)), Nx.tensor(rf));
        ex("window_reduce: Nx.window_reduce(t, 1, {2, 3, 2}, opts, &Nx.multiply/2) == Nx.window_product(t, {2, 3, 2}, opts)", "s32[3][4][6]", " 0".repeat(72).trim(), a -> Nx.subtract(Nx.windowReduce(a[0], 1, new int[] {2, 3, 2}, wo, Nx::multiply), Nx.windowProduct(a[0], new int[] {2, 3, 2}, wo)), Nx.tensor(ri));
        ex("window_reduce: Nx.window_reduce(t, 0, {2, 3, 2}, opts, fn x, acc -> Nx.add(x, acc) end)", "s32[3][4][6]", " 0".repeat(72).trim(), a -> Nx.subtract(Nx.windowReduce(a[0], 0, new int[] {2, 3, 2}, wo, Nx::add), Nx.windowSum(a[0], new int[] {2, 3, 2}, wo)), Nx.tensor(ri));
        err("window_reduce: Nx.window_reduce(Nx.tensor([1, 2, 3]), 0, {2, 2}, &Nx.add/2)", a -> Nx.windowReduce(a[0], 0, new int[] {2, 2}, Nx::add), Nx.tensor(new int[]{1, 2, 3}));
        err("window_reduce: a function returning another type", a -> Nx.windowReduce(a[0], 0, new int[] {2}, (acc, x) -> Nx.asType(Nx.add(acc, x), DType.F32)), Nx.tensor(new int[]{1, 2, 3}));
        ex("window_scatter_max: Nx.window_scatter_max(t, Nx.tensor([[2, 6], [3, 1]]), 0, {2, 3}, opts)", "s32[4][6]", "0 0 0 0 6 0 0 0 2 0 0 0 0 0 3 0 0 0 0 0 0 0 0 1", a -> Nx.windowScatterMax(a[0], a[1], 0, new int[] {2, 3}, WindowOptions.defaults().strides(2, 3).padding("valid")), Nx.tensor(new int[][]{{7, 2, 5, 3, 10, 2}, {3, 8, 9, 3, 4, 2}, {1, 5, 7, 5, 6, 1}, {0, 6, 2, 7, 2, 8}}), Nx.tensor(new int[][]{{2, 6}, {3, 1}}));
        ex("window_scatter_max: Nx.window_scatter_max(t, Nx.tensor([[2, 6], [3, 1]]), 0, {2, 3}, opts)", "s32[4][5]", "0 0 0 0 0 0 0 8 0 0 0 0 3 0 0 0 0 0 1 0", a -> Nx.windowScatterMax(a[0], a[1], 0, new int[] {2, 3}, WindowOptions.defaults().strides(2, 2).padding("valid")), Nx.tensor(new int[][]{{7, 2, 5, 3, 8}, {3, 8, 9, 3, 4}, {1, 5, 7, 5, 6}, {0, 6, 2, 10, 2}}), Nx.tensor(new int[][]{{2, 6}, {3, 1}}));
        // Nx documents the BinaryBackend, which scatters a tied minimum to the last element of the
        // window; XLA (select_and_scatter with LE, both backends here) picks the first one.
        ex("window_scatter_min: Nx.window_scatter_min(t, Nx.tensor([[2, 6], [3, 1]]), 0, {2, 3}, opts)", "s32[4][6]", "0 2 0 0 0 6 0 0 0 0 0 0 0 0 0 0 0 1 3 0 0 0 0 0", a -> Nx.windowScatterMin(a[0], a[1], 0, new int[] {2, 3}, WindowOptions.defaults().strides(2, 3).padding("valid")), Nx.tensor(new int[][]{{7, 2, 5, 3, 10, 2}, {3, 8, 9, 3, 4, 2}, {1, 5, 7, 5, 6, 1}, {0, 6, 2, 7, 2, 8}}), Nx.tensor(new int[][]{{2, 6}, {3, 1}}));
        // Nx documents the BinaryBackend, which scatters a tied minimum to the last element of the
        // window; XLA (select_and_scatter with LE, both backends here) picks the first one.
        ex("window_scatter_min: Nx.window_scatter_min(t, Nx.tensor([[2, 6], [3, 1]]), 0, {2, 3}, opts)", "s32[4][5]", "0 2 0 6 0 0 0 0 0 0 0 0 0 0 0 3 0 1 0 0", a -> Nx.windowScatterMin(a[0], a[1], 0, new int[] {2, 3}, WindowOptions.defaults().strides(2, 2).padding("valid")), Nx.tensor(new int[][]{{7, 2, 5, 3, 8}, {3, 8, 9, 3, 4}, {1, 5, 7, 5, 6}, {0, 6, 2, 10, 2}}), Nx.tensor(new int[][]{{2, 6}, {3, 1}}));
        ex("dot: Nx.dot(5, 5)", "s32", "25", a -> Nx.dot(a[0], a[1]), Nx.scalar(5), Nx.scalar(5));
        ex("dot: Nx.dot(-2.0, 5.0)", "f32", "-10.0", a -> Nx.dot(a[0], a[1]), Nx.scalar(-2.0f), Nx.scalar(5.0f));
        ex("dot: Nx.dot(2, 2.0)", "f32", "4.0", a -> Nx.dot(a[0], a[1]), Nx.scalar(2), Nx.scalar(2.0f));
        ex("dot: Nx.dot(Nx.tensor([1, 2, 3]), Nx.tensor([4, 5, 6]))", "s32", "32", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{4, 5, 6}));
        ex("dot: Nx.dot(Nx.tensor([2.0, 4.0, 3.0, 5.0]), Nx.tensor([1.0, 2.0, 3.0, 4.0]))", "f32", "39.0", a -> Nx.dot(a[0], a[1]), Nx.tensor(new float[]{2.0f, 4.0f, 3.0f, 5.0f}), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f, 4.0f}));
        ex("dot: Nx.dot(Nx.tensor([1.0, 2.0, 3.0]), Nx.tensor([1, 2, 3]))", "f32", "14.0", a -> Nx.dot(a[0], a[1]), Nx.tensor(new float[]{1.0f, 2.0f, 3.0f}), Nx.tensor(new int[]{1, 2, 3}));
        ex("dot: Nx.dot(left, right)", "s32[2][2]", "58 64 139 154", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new int[][]{{7, 8}, {9, 10}, {11, 12}}));
        ex("dot: Nx.dot(left, right)", "f32[2][2]", "304.0 315.0 548.0 636.0", a -> Nx.dot(a[0], a[1]), Nx.tensor(new float[][]{{10.0f, 13.0f, 14.0f, 15.0f}, {59.0f, 20.0f, 10.0f, 30.0f}}), Nx.tensor(new float[][]{{2.0f, 4.0f}, {5.0f, 1.0f}, {6.0f, 8.0f}, {9.0f, 10.0f}}));
        ex("dot: Nx.dot(left, right)", "f32[2][2]", "58.0 64.0 139.0 154.0", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}), Nx.tensor(new float[][]{{7.0f, 8.0f}, {9.0f, 10.0f}, {11.0f, 12.0f}}));
        ex("dot: Nx.dot(left, right)", "s32[2][2]", "25 55 85 115", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[][][]{{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}}), Nx.tensor(new int[]{5, 10}));
        ex("dot: Nx.dot(left, right)", "s32[3]", "45 60 75", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[]{5, 10}), Nx.tensor(new int[][]{{1, 2, 3}, {4, 5, 6}}));
        ex("dot: Nx.dot(left, right)", "f32[1][1][2][2]", "6.0 14.0 22.0 30.0", a -> Nx.dot(a[0], a[1]), Nx.tensor(new float[][][][][]{{{{{1.0f, 2.0f}, {3.0f, 4.0f}}, {{5.0f, 6.0f}, {7.0f, 8.0f}}}}}), Nx.tensor(new float[]{2.0f, 2.0f}));
        ex("dot: Nx.dot(left, right)", "s32[2][3][1][3]", "22 28 34 49 64 79 76 100 124 22 28 34 49 64 79 76 100 124", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[][][]{{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}}), Nx.tensor(new int[][][]{{{1, 2, 3}, {3, 4, 5}, {5, 6, 7}}}));
        err("dot: Nx.dot(Nx.tensor([1, 2, 3]), Nx.tensor([1, 2]))", a -> Nx.dot(a[0], a[1]), Nx.tensor(new int[]{1, 2, 3}), Nx.tensor(new int[]{1, 2}));
    }
}
