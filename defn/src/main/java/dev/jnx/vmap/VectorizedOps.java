package dev.jnx.vmap;

import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.Vectorizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An op on vectorized tensors as the vmap of its node: the vectorized operands' axes are
 * matched by name and broadcast to their union, flattened into one batch axis, and the node's
 * batching rule runs over it ({@link Batching}); the result's batch axis becomes the union's
 * vectorized axes again. Nodes built with the op between it and its operands (the broadcast
 * of a scalar) are batched with it; plain operands are shared by every entry. A loop, a
 * conditional or a custom gradient is one such op: its regions, traced per entry
 * ({@link Tracing#entryRegion}), capture the vectorized tensors they read as constants.
 */
public final class VectorizedOps implements Vectorizer {
    /** For {@link java.util.ServiceLoader}. */
    public VectorizedOps() {
    }

    @Override
    public List<Tensor> bind(List<Expr> roots, List<Tensor> inputs) {
        Set<Expr> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : inputs) {
            if (!t.isVectorized() && t.data() instanceof Expr e) {
                shared.add(e);
            }
        }
        // Axes are ordered as they first appear in the operands, in argument order (Nx's order),
        // then in the constants standing for vectorized tensors in the roots' own graph.
        List<Tensor> operands = new ArrayList<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : inputs) {
            if (t.isVectorized() && seen.add(t)) {
                operands.add(t);
            }
        }
        for (Expr e : Graph.postOrder(roots, shared)) {
            if (e instanceof Expr.Constant c && c.value().isVectorized() && seen.add(c.value())) {
                operands.add(c.value());
            }
        }
        String op = Tracing.describe(roots.get(0));
        List<VectorizedAxis> union = VectorizedAxis.union(op, operands.stream().map(Tensor::vectorizedAxes).toList());
        Entries entries = new Entries(op, union, operands);
        Batching batching = new Batching(entries);
        for (Expr e : shared) {
            batching.put(e, Batched.shared(Tracing.tensor(e)));
        }
        List<Batched> results = batching.values(roots);
        List<Tensor> out = new ArrayList<>(results.size());
        for (int i = 0; i < results.size(); i++) {
            Batched r = results.get(i);
            if (!r.isBatched()) {
                out.add(r.value());
                continue;
            }
            Shape full = VectorizedAxis.fullShape(union, roots.get(i).shape());
            out.add(Nx.vectorize(Nx.reshape(r.atFront(entries.size()), full), union));
        }
        return out;
    }

    /**
     * The entries an op on vectorized tensors maps over: the union of their vectorized axes,
     * flattened into one batch axis. Each vectorized tensor the op reads, met as a constant in
     * its graph or its regions, is broadcast to the union and flattened once.
     */
    static final class Entries {
        private final String op;
        private final List<VectorizedAxis> union;
        private final int size;
        private final Tensor template;
        private final Map<Tensor, Batched> flat = new IdentityHashMap<>();

        Entries(String op, List<VectorizedAxis> union, List<Tensor> operands) {
            this.op = op;
            this.union = union;
            int n = 1;
            for (VectorizedAxis a : union) {
                n = Math.multiplyExact(n, a.size());
            }
            this.size = n;
            List<Tensor> aligned = Nx.broadcastVectors(operands);
            for (int i = 0; i < operands.size(); i++) {
                flat.put(operands.get(i), flatten(aligned.get(i)));
            }
            this.template = aligned.get(0);
        }

        int size() {
            return size;
        }

        /** {@code t}'s entries along axis 0 of one batch of {@link #size()}. */
        Batched of(Tensor t) {
            Batched done = flat.get(t);
            if (done != null) {
                return done;
            }
            for (VectorizedAxis a : t.vectorizedAxes()) {
                if (VectorizedAxis.indexOf(union, a.name()) < 0) {
                    throw new UnsupportedOperationException(op + ": a function it runs per entry reads a tensor"
                            + " vectorized over " + a + ", which is not among the op's vectorized axes " + union
                            + "; pass that tensor to the op (as state or input)");
                }
            }
            Batched b = flatten(Nx.broadcastVectors(List.of(t, template)).get(0));
            flat.put(t, b);
            return b;
        }

        private Batched flatten(Tensor aligned) {
            return new Batched(Nx.reshape(Nx.devectorize(aligned), Batching.insert(aligned.shape(), 0, size)), 0);
        }
    }
}
