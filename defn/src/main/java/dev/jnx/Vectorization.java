package dev.jnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Nx's vectorization functions ({@code vectorize}, {@code devectorize}, {@code revectorize},
 * {@code reshape_vectors}, {@code broadcast_vectors}): they only relabel a tensor's leading
 * axes as vectorized or back, or reshape and broadcast them, with the data unchanged. How ops
 * then run on vectorized tensors is {@code Tracing.bind}'s (docs/architecture.md).
 */
final class Vectorization {
    private Vectorization() {
    }

    static Tensor vectorize(Tensor t, List<VectorizedAxis> spec) {
        Objects.requireNonNull(t, "vectorize: argument t");
        Objects.requireNonNull(spec, "vectorize: argument axes");
        if (spec.isEmpty()) {
            return t;
        }
        if (t.rank() == 0) {
            throw new IllegalArgumentException("vectorize: cannot vectorize tensor of rank 0 (" + t.type() + t.shape() + ")");
        }
        if (spec.size() > t.rank()) {
            throw new IllegalArgumentException("vectorize: " + spec.size() + " vectorized axes " + names(spec) + " for "
                    + t.type() + t.shape() + ": the number of vectorized axes must not be greater than the rank");
        }
        List<VectorizedAxis> axes = new ArrayList<>(t.vectorizedAxes());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < spec.size(); i++) {
            VectorizedAxis a = Objects.requireNonNull(spec.get(i), "vectorize: axis " + i);
            int size = t.shape().dim(i);
            if (a.size() != VectorizedAxis.AUTO && a.size() != size) {
                throw new IllegalArgumentException("vectorize: expected vectorized axis " + a.name() + " to have size "
                        + a.size() + ", got " + size + " (axis " + i + " of " + t.type() + t.shape() + ")");
            }
            if (VectorizedAxis.indexOf(t.vectorizedAxes(), a.name()) >= 0 || !seen.add(a.name())) {
                throw new IllegalArgumentException("vectorize: cannot use name " + a.name() + " for new vectorized axes"
                        + " because there's already a vectorized axis with the same name (" + VectorizedAxis.describe(t.vectorizedAxes())
                        + ", new " + names(spec) + ")");
            }
            axes.add(new VectorizedAxis(a.name(), size));
        }
        Shape inner = Shape.of(Arrays.copyOfRange(t.shape().dims(), spec.size(), t.rank()));
        return Tensor.of(inner, t.type(), t.data(), axes);
    }

    static Tensor devectorize(Tensor t) {
        Objects.requireNonNull(t, "devectorize: argument t");
        return t.isVectorized() ? Tensor.of(t.dataShape(), t.type(), t.data()) : t;
    }

    static Tensor revectorize(Tensor t, List<VectorizedAxis> target, Shape targetShape) {
        Objects.requireNonNull(t, "revectorize: argument t");
        Objects.requireNonNull(target, "revectorize: argument targetAxes");
        Shape inner = targetShape == null ? t.shape() : targetShape;
        long total = t.dataShape().longSize();
        long known = inner.longSize();
        int auto = -1;
        for (int i = 0; i < target.size(); i++) {
            VectorizedAxis a = Objects.requireNonNull(target.get(i), "revectorize: axis " + i);
            if (a.size() != VectorizedAxis.AUTO) {
                known *= a.size();
            } else if (auto >= 0) {
                throw new IllegalArgumentException("revectorize: cannot have more than one AUTO axis in " + target);
            } else {
                auto = i;
            }
        }
        int[] dims = new int[target.size() + inner.rank()];
        for (int i = 0; i < target.size(); i++) {
            dims[i] = target.get(i).size();
        }
        if (auto >= 0) {
            if (known == 0 || total % known != 0) {
                throw new IllegalArgumentException("revectorize: the " + total + " elements of " + describe(t)
                        + " do not divide into " + target + " with shape " + inner);
            }
            dims[auto] = Math.toIntExact(total / known);
        } else if (known != total) {
            throw new IllegalArgumentException("revectorize: " + target + " with shape " + inner + " hold " + known
                    + " elements, " + describe(t) + " has " + total);
        }
        System.arraycopy(inner.dims(), 0, dims, target.size(), inner.rank());
        List<VectorizedAxis> axes = new ArrayList<>(target.size());
        for (int i = 0; i < target.size(); i++) {
            axes.add(new VectorizedAxis(target.get(i).name(), dims[i]));
        }
        return vectorize(Nx.reshape(devectorize(t), Shape.of(dims)), axes);
    }

    /**
     * Each tensor with the union of all their vectorized axes in one order (absent ones of
     * size 1) and, with {@code alignRanks}, leading 1s making their inner ranks equal.
     */
    static List<Tensor> reshapeVectors(List<Tensor> tensors, boolean alignRanks, boolean broadcast) {
        String what = broadcast ? "broadcast_vectors" : "reshape_vectors";
        Objects.requireNonNull(tensors, what + ": argument tensors");
        List<List<VectorizedAxis>> all = new ArrayList<>(tensors.size());
        int rank = 0;
        for (int i = 0; i < tensors.size(); i++) {
            Tensor t = Objects.requireNonNull(tensors.get(i), what + ": tensor " + i);
            all.add(t.vectorizedAxes());
            rank = Math.max(rank, t.rank());
        }
        List<VectorizedAxis> canonical = VectorizedAxis.union(what, all);
        if (canonical.isEmpty() || tensors.size() == 1) {
            return List.copyOf(tensors);
        }
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(align(t, canonical, alignRanks ? rank : t.rank(), broadcast));
        }
        return out;
    }

    /**
     * {@code t} with the vectorized axes {@code canonical} (a superset of its own, in the order
     * to have), its own at their size (or, with {@code broadcast}, the canonical one) and the
     * others of size 1 (or broadcast), and its inner shape padded with leading 1s to {@code rank}.
     */
    private static Tensor align(Tensor t, List<VectorizedAxis> canonical, int rank, boolean broadcast) {
        List<VectorizedAxis> own = t.vectorizedAxes();
        Tensor full = devectorize(t);
        // Matching is by name: the tensor's own axes first go into canonical order.
        int[] perm = new int[full.rank()];
        int k = 0;
        for (VectorizedAxis c : canonical) {
            int at = VectorizedAxis.indexOf(own, c.name());
            if (at >= 0) {
                perm[k++] = at;
            }
        }
        for (int d = own.size(); d < full.rank(); d++) {
            perm[k++] = d;
        }
        if (!isIdentity(perm)) {
            full = Nx.transpose(full, perm);
        }
        int pad = rank - t.rank();
        int[] dims = new int[canonical.size() + pad + t.rank()];
        List<VectorizedAxis> axes = new ArrayList<>(canonical.size());
        for (int i = 0; i < canonical.size(); i++) {
            int at = VectorizedAxis.indexOf(own, canonical.get(i).name());
            dims[i] = at >= 0 ? own.get(at).size() : 1;
            axes.add(new VectorizedAxis(canonical.get(i).name(), dims[i]));
        }
        Arrays.fill(dims, canonical.size(), canonical.size() + pad, 1);
        System.arraycopy(t.shape().dims(), 0, dims, canonical.size() + pad, t.rank());
        full = Nx.reshape(full, Shape.of(dims));
        if (broadcast) {
            for (int i = 0; i < canonical.size(); i++) {
                dims[i] = canonical.get(i).size();
            }
            full = Nx.broadcast(full, Shape.of(dims));
            axes = canonical;
        }
        return vectorize(full, axes);
    }

    /** {@code t} broadcast to the vectorized axes {@code canonical}, which include its own, in that order. */
    static Tensor broadcastTo(Tensor t, List<VectorizedAxis> canonical) {
        return align(t, canonical, t.rank(), true);
    }

    private static boolean isIdentity(int[] perm) {
        for (int i = 0; i < perm.length; i++) {
            if (perm[i] != i) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(List<VectorizedAxis> axes) {
        return axes.stream().map(VectorizedAxis::name).toList();
    }

    /** {@code vectorized[x: 2] f32[3]}, as Nx prints the head of a tensor. */
    static String describe(Tensor t) {
        return (t.isVectorized() ? VectorizedAxis.describe(t.vectorizedAxes()) + " " : "") + t.type() + t.shape();
    }
}
