/**
 * The XLA compiler and device backend ({@code EXLA}): lowers traced graphs to StableHLO and runs
 * them through PJRT. It implements the compiler SPI, so it reads the graph package that
 * {@code dev.jnx} exports to it alone.
 */
module dev.jnx.exla {
    requires transitive dev.jnx;
    requires transitive dev.jnx.xla;

    exports dev.jnx.exla;
}
