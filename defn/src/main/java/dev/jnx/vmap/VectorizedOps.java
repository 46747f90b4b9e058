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
 * An op on vectorized tensors as the vmap of its one node: the vectorized operands' axes are
 * matched by name and broadcast to their union, flattened into one batch axis, and the node's
 * batching rule runs over it ({@link Batching}); the result's batch axis becomes the union's
 * vectorized axes again. Nodes built with the op between it and its operands (the broadcast
 * of a scalar) are batched with it; plain operands are shared by every entry.
 */
public final class VectorizedOps implements Vectorizer {
    /** For {@link java.util.ServiceLoader}. */
    public VectorizedOps() {
    }

    @Override
    public Tensor bind(Expr node, Tensor[] inputs) {
        Set<Expr> shared = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : inputs) {
            if (!t.isVectorized() && t.data() instanceof Expr e) {
                shared.add(e);
            }
        }
        // The vectorized operands are the constants standing for them in the node's own graph.
        Map<Tensor, List<Expr.Constant>> vectorized = new IdentityHashMap<>();
        for (Expr e : Graph.postOrder(List.of(node), shared)) {
            if (e instanceof Expr.Constant c && c.value().isVectorized()) {
                vectorized.computeIfAbsent(c.value(), k -> new ArrayList<>()).add(c);
            }
        }
        // Axes are ordered as they first appear in the operands, in argument order (Nx's order).
        List<Tensor> operands = new ArrayList<>(vectorized.size());
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor t : inputs) {
            if (vectorized.containsKey(t) && seen.add(t)) {
                operands.add(t);
            }
        }
        for (Tensor t : vectorized.keySet()) {
            if (seen.add(t)) {
                operands.add(t);
            }
        }
        List<List<VectorizedAxis>> axes = operands.stream().map(Tensor::vectorizedAxes).toList();
        List<VectorizedAxis> union = VectorizedAxis.union(Tracing.describe(node), axes);
        int size = 1;
        for (VectorizedAxis a : union) {
            size = Math.multiplyExact(size, a.size());
        }
        List<Tensor> aligned = Nx.broadcastVectors(operands);
        Batching batching = new Batching(size);
        for (int i = 0; i < operands.size(); i++) {
            Tensor t = aligned.get(i);
            Tensor flat = Nx.reshape(Nx.devectorize(t), Batching.insert(t.shape(), 0, size));
            for (Expr.Constant c : vectorized.get(operands.get(i))) {
                batching.put(c, new Batched(flat, 0));
            }
        }
        for (Expr e : shared) {
            batching.put(e, Batched.shared(Tracing.tensor(e)));
        }
        Tensor out = batching.values(List.of(node)).get(0).atFront(size);
        Shape full = VectorizedAxis.fullShape(union, node.shape());
        return Nx.vectorize(Nx.reshape(out, full), union);
    }
}
