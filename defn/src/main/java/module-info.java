/**
 * jnx's API (package {@code dev.jnx}): tensors and their types, the Nx functions, {@code jit}
 * and {@code grad}. The expression graph, its tracing and the reference evaluator
 * ({@code dev.jnx.defn}) are the compiler SPI: exported only to the XLA backend and the training
 * library, which build on them. The gradient rules ({@code dev.jnx.grad})
 * and the batching rules of {@code vmap} ({@code dev.jnx.vmap}) are not exported.
 */
@SuppressWarnings("module") // the modules named by the qualified export are built after this one
module dev.jnx {
    exports dev.jnx;
    exports dev.jnx.defn to dev.jnx.exla, dev.jnx.train;

    // Ops on vectorized tensors are batched by the vmap rules, a layer above the bind point.
    uses dev.jnx.defn.Vectorizer;
    provides dev.jnx.defn.Vectorizer with dev.jnx.vmap.VectorizedOps;
}
