package dev.jnx.grad;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

import java.util.List;

/** The gradient rule of {@link Expr.Fft}, as in Nx and JAX's transpose rule. */
final class FftGrad {
    private FftGrad() {
    }

    /**
     * The DFT matrix is symmetric, so the cotangent of fft is fft of the cotangent, and likewise
     * for ifft; Nx's length changes are pads and slices around this primitive.
     */
    static List<Cotangent> fft(Expr.Fft f, Tensor g) {
        int n = f.shape().dim(f.shape().rank() - 1);
        return List.of(new Cotangent(f.x(), f.inverse() ? Nx.ifft(g, n, -1) : Nx.fft(g, n, -1)));
    }
}
