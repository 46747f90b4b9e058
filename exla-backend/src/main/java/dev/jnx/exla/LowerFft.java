package dev.jnx.exla;

import dev.jnx.defn.Expr;

import java.util.function.Function;

/**
 * The StableHLO lowering of the FFT family: {@code stablehlo.fft} along the last axis.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 */
record LowerFft(FunctionBuilder b, Function<Expr, Value> get) {
    /** FFT or IFFT (scaled by 1/n, as Nx's) of each vector along the last axis. */
    Value fft(Expr.Fft f) {
        return b.fft(get.apply(f.x()), f.inverse(), f.shape().dim(f.shape().rank() - 1), TensorType.of(f));
    }
}
