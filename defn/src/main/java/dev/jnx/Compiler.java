package dev.jnx;

import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Executable;
import dev.jnx.defn.TracedFunction;

/**
 * Turns a traced function into something that runs: the SPI behind {@link Defn#jit}
 * (Nx's {@code __compile__}). The reference {@link Evaluator} and Exla implement it.
 */
public interface Compiler {
    /**
     * Compiles {@code function}; called once per input template (shapes, types, structure).
     *
     * @throws IllegalArgumentException if the function uses something this compiler cannot do
     */
    @SuppressWarnings("exports") // the graph package is exported to the modules that implement compilers
    Executable compile(TracedFunction function);

    /** A short name for messages and cache keys, e.g. {@code "evaluator"} or {@code "exla(cpu:0)"}. */
    String name();

    /**
     * Where this compiler's executables keep tensors between calls: arguments already there are
     * used without a copy, so loops move long-lived state there once ({@code Nx.backendTransfer}).
     * {@link Backend#HOST} unless the compiler has a device backend (Exla's {@code backend()}).
     */
    default Backend backend() {
        return Backend.HOST;
    }

    /**
     * Where batches of examples should be put before a call (parameters a caller marks
     * {@link TracedFunction#batched()}): {@link #backend()} unless the compiler splits batches
     * across devices (Exla's {@code dataParallel}), whose shards then need no copy.
     */
    default Backend batchBackend() {
        return backend();
    }
}
