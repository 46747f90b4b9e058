package dev.jnx;

/**
 * Where tensor values live, and how tensors move there (Nx's backends). {@link #HOST} keeps
 * values in Java memory; a compiler backend such as Exla's ({@code Exla.backend()}) keeps them
 * in device buffers. Move tensors with {@link Nx#backendTransfer} / {@link Nx#backendCopy}.
 */
public interface Backend {
    /** Java heap memory: where {@link Nx#tensor} puts values and where host reads happen. */
    Backend HOST = new HostBackend();

    /** The name in messages and {@link Tensor#toString()}, e.g. {@code "host"} or {@code "exla(cpu:0)"}. */
    String name();

    /**
     * Moves {@code t} here (Nx's {@code backend_transfer}): returns a tensor on this backend and
     * releases the device memory of {@code t} if it came from another backend; a tensor already
     * here is returned as is.
     *
     * @throws IllegalStateException if {@code t} is closed or traced
     */
    Tensor transfer(Tensor t);

    /**
     * Copies {@code t} here (Nx's {@code backend_copy}): returns a tensor on this backend that is
     * independent of {@code t}, which stays valid.
     *
     * @throws IllegalStateException if {@code t} is closed or traced
     */
    Tensor copy(Tensor t);
}
