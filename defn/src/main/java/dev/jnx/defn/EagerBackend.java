package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.Tensor;

import java.util.List;

/**
 * A backend that computes eager ops itself (Nx's backend callbacks; EXLA.Backend jits each op):
 * every op on its tensors outside a trace reaches {@link #evaluate} through {@link Tracing#bind}.
 * The graph's SPI, not the value layer's, because it speaks in {@link Expr} nodes; a
 * {@link Backend} without it has its eager ops computed by the reference {@link Evaluator}.
 */
public interface EagerBackend extends Backend {
    /**
     * Computes {@code roots}: graphs without parameters whose constants hold tensors on this
     * backend or the host; shared nodes are computed once. A device backend computes on its
     * device and returns tensors there.
     */
    List<Tensor> evaluate(List<Expr> roots);
}
