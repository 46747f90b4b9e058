package dev.jnx.grad;

import dev.jnx.Tensor;
import dev.jnx.defn.Expr;

/**
 * One input's share of a node's cotangent: gradient rules return these pairs, as Nx's return
 * {@code {input, cotangent}}. An input a rule leaves out gets nothing from it; one listed twice
 * gets the sum, which {@link Grad} accumulates per input.
 */
record Cotangent(Expr input, Tensor cotangent) {
}
