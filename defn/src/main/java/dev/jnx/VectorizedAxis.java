package dev.jnx;

import java.util.List;
import java.util.Objects;

/**
 * A named vectorized axis of a tensor (an entry of Nx's {@code :vectorized_axes}): ops apply to
 * each of its {@code size} entries separately, and operands' vectorized axes of the same name
 * are matched by name, whatever their position ({@link Nx#vectorize(Tensor, String...)}).
 *
 * @param name the axis name, unique among a tensor's vectorized axes
 * @param size its size, or {@link #AUTO} in {@link Nx#revectorize} for "whatever is left"
 */
public record VectorizedAxis(String name, int size) {
    /** The size of the one axis of {@link Nx#revectorize}'s target that takes the size left over. */
    public static final int AUTO = -1;

    /** Checks the name and the size ({@link #AUTO} allowed, sizes are otherwise at least 1 as in Nx). */
    public VectorizedAxis {
        Objects.requireNonNull(name, "VectorizedAxis: argument name");
        if (size < 0 && size != AUTO) {
            throw new IllegalArgumentException("VectorizedAxis: axis " + name + " must not have a negative size (but AUTO),"
                    + " got " + size);
        }
    }

    /** The axis {@code name} of {@code size} entries. */
    public static VectorizedAxis of(String name, int size) {
        return new VectorizedAxis(name, size);
    }

    /** The full shape of a tensor with vectorized {@code axes} and per-entry shape {@code inner}: the axes lead. */
    public static Shape fullShape(List<VectorizedAxis> axes, Shape inner) {
        if (axes.isEmpty()) {
            return inner;
        }
        int[] dims = new int[axes.size() + inner.rank()];
        for (int i = 0; i < axes.size(); i++) {
            dims[i] = axes.get(i).size();
        }
        System.arraycopy(inner.dims(), 0, dims, axes.size(), inner.rank());
        return Shape.of(dims);
    }

    /**
     * The vectorized axes of several tensors matched by name, in order of first appearance
     * (Nx's canonical vectorized axes): one name's sizes must be equal or 1, and the axis has
     * the largest.
     *
     * @param what names the op in the message
     * @throws IllegalArgumentException naming {@code what}, the axis and both sizes when they differ and neither is 1
     */
    public static List<VectorizedAxis> union(String what, List<List<VectorizedAxis>> axes) {
        List<VectorizedAxis> out = new java.util.ArrayList<>();
        for (List<VectorizedAxis> list : axes) {
            for (VectorizedAxis a : list) {
                int at = indexOf(out, a.name());
                if (at < 0) {
                    out.add(a);
                    continue;
                }
                int other = out.get(at).size();
                if (other != a.size() && other != 1 && a.size() != 1) {
                    throw new IllegalArgumentException(what + ": vectorized axis " + a.name() + " has size " + other
                            + " in one operand and " + a.size() + " in another; the entries of one name must agree in"
                            + " number (or one operand have 1, which broadcasts)");
                }
                out.set(at, new VectorizedAxis(a.name(), Math.max(other, a.size())));
            }
        }
        return List.copyOf(out);
    }

    /** The position of the axis called {@code name} in {@code axes}, or -1. */
    public static int indexOf(List<VectorizedAxis> axes, String name) {
        for (int i = 0; i < axes.size(); i++) {
            if (axes.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Nx's head of a tensor with vectorized {@code axes}: {@code vectorized[x: 2][y: 3]}. */
    public static String describe(List<VectorizedAxis> axes) {
        StringBuilder s = new StringBuilder("vectorized");
        for (VectorizedAxis a : axes) {
            s.append(a);
        }
        return s.toString();
    }

    /** Nx's notation: {@code [x: 2]}. */
    @Override
    public String toString() {
        return "[" + name + ": " + (size == AUTO ? "auto" : Integer.toString(size)) + "]";
    }
}
