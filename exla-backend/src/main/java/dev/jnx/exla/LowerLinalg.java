package dev.jnx.exla;

import dev.jnx.defn.Expr;

import java.util.function.Function;

/**
 * StableHLO lowerings of the linear algebra family: dot, convolution, Cholesky and triangular solve.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 */
record LowerLinalg(FunctionBuilder b, Function<Expr, Value> get) {
    /** {@code stablehlo.dot_general} over the node's batch and contraction axes. */
    Value dot(Expr.Dot d) {
        return b.dotGeneral(get.apply(d.a()), get.apply(d.b()), d.batchA(), d.batchB(), d.contractA(), d.contractB(),
                TensorType.of(d));
    }

    /** {@code stablehlo.convolution}, the node's permutations as its dimension numbers. */
    Value conv(Expr.Conv c) {
        return b.convolution(get.apply(c.x()), get.apply(c.kernel()), c.strides(), c.padLo(), c.padHi(),
                c.inputDilation(), c.kernelDilation(), c.inputPermutation(), c.kernelPermutation(),
                c.outputPermutation(), c.featureGroups(), c.batchGroups(), TensorType.of(c));
    }

    /** The lower factor; XLA leaves the other triangle unspecified, which LinAlg masks (a select). */
    Value cholesky(Expr.Cholesky c) {
        return b.cholesky(get.apply(c.x()), TensorType.of(c));
    }

    /** {@code stablehlo.triangular_solve} without a unit diagonal. */
    Value triangularSolve(Expr.TriangularSolve t) {
        return b.triangularSolve(get.apply(t.a()), get.apply(t.b()), t.leftSide(), t.lower(), t.transposeA(),
                TensorType.of(t));
    }
}
