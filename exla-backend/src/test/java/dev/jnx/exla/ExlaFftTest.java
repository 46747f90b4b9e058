package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.FftTest;

/** Nx's FFT examples compiled by XLA ({@code stablehlo.fft}). */
class ExlaFftTest extends FftTest {
    @Override
    protected Compiler compiler() {
        return Exla.compiler();
    }
}
