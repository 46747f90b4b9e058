package dev.jnx.grad;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.Arrays;
import java.util.List;

/**
 * Gradient rules of the element-wise, select and sort primitives, as in Nx's
 * {@code Nx.Defn.Grad}. Ops that round, compare, test or work on bits have zero gradient.
 */
final class ElementwiseGrad {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ElementwiseGrad() {
    }

    /** The cotangent of the operand {@code x} of {@code u} (whose value is {@code ans}); null for zero. */
    static Tensor unary(Expr.Unary u, Tensor x, Tensor ans, Tensor g) {
        return switch (u.op()) {
            case NEGATE -> Nx.negate(g);
            case EXP -> Nx.multiply(g, ans);
            case LOG -> Nx.divide(g, x);
            case SQRT -> Nx.divide(Nx.multiply(g, 0.5), ans);
            case TANH -> Nx.multiply(g, Nx.subtract(1, Nx.multiply(ans, ans)));
            case ABS -> x.type().isComplex()
                    ? Nx.divide(Nx.multiply(Nx.real(g), Nx.conjugate(x)), Nx.select(Nx.equal(ans, 0), Nx.scalar(1, ans.type()), ans))
                    : Nx.select(Nx.greaterEqual(x, 0), g, Nx.negate(g));
            case SIGN, CEIL, FLOOR, ROUND, IS_NAN, IS_INFINITY, BITWISE_NOT, POPULATION_COUNT, COUNT_LEADING_ZEROS -> null;
            case EXPM1 -> Nx.multiply(g, Nx.add(ans, 1));
            case LOG1P -> Nx.divide(g, Nx.add(x, 1));
            case SIGMOID -> Nx.multiply(g, Nx.multiply(ans, Nx.subtract(1, ans)));
            case RSQRT -> Nx.multiply(g, Nx.multiply(-0.5, Nx.multiply(ans, Nx.multiply(ans, ans))));
            case CBRT -> Nx.divide(g, Nx.multiply(3, Nx.multiply(ans, ans)));
            case SIN -> Nx.multiply(g, Nx.cos(x));
            case COS -> Nx.negate(Nx.multiply(g, Nx.sin(x)));
            case TAN -> Nx.multiply(g, Nx.add(1, Nx.multiply(ans, ans)));
            case ASIN -> Nx.multiply(g, Nx.rsqrt(Nx.subtract(1, Nx.multiply(x, x))));
            case ACOS -> Nx.negate(Nx.multiply(g, Nx.rsqrt(Nx.subtract(1, Nx.multiply(x, x)))));
            case ATAN -> Nx.divide(g, Nx.add(1, Nx.multiply(x, x)));
            case SINH -> Nx.multiply(g, Nx.cosh(x));
            case COSH -> Nx.multiply(g, Nx.sinh(x));
            case ASINH -> Nx.multiply(g, Nx.rsqrt(Nx.add(Nx.multiply(x, x), 1)));
            case ACOSH -> Nx.multiply(g, Nx.rsqrt(Nx.subtract(Nx.multiply(x, x), 1)));
            case ATANH -> Nx.divide(g, Nx.subtract(1, Nx.multiply(x, x)));
            case ERF -> Nx.multiply(g, Nx.multiply(TWO_OVER_SQRT_PI, Nx.exp(Nx.negate(Nx.multiply(x, x)))));
            case ERFC -> Nx.multiply(g, Nx.multiply(-TWO_OVER_SQRT_PI, Nx.exp(Nx.negate(Nx.multiply(x, x)))));
            case ERF_INV -> Nx.multiply(g, Nx.multiply(1 / TWO_OVER_SQRT_PI, Nx.exp(Nx.multiply(ans, ans))));
            case REAL -> Nx.real(g);
            case IMAG -> Nx.imag(g);
            case CONJUGATE -> x.type().isComplex() ? Nx.conjugate(g) : Nx.real(g);
        };
    }

    /** Cotangents of {@code x} and {@code y} for pow, remainder, atan2 and complex. */
    static List<Tensor> binary(Expr.Binary b, Tensor x, Tensor y, Tensor ans, Tensor g) {
        return switch (b.op()) {
            case POW -> {
                Tensor exponent = Nx.select(Nx.equal(y, 0), Nx.scalar(1, y.type()), Nx.subtract(y, 1));
                Tensor base = Nx.select(Nx.equal(x, 0), Nx.scalar(1, x.type()), x);
                yield List.of(Nx.multiply(g, Nx.multiply(y, Nx.pow(x, exponent))),
                        Nx.multiply(g, Nx.multiply(Nx.log(base), ans)));
            }
            case REMAINDER -> List.of(g, Nx.multiply(g, Nx.negate(Nx.floor(Nx.divide(x, y)))));
            case ATAN2 -> {
                Tensor den = Nx.add(Nx.multiply(x, x), Nx.multiply(y, y));
                yield List.of(Nx.multiply(g, Nx.divide(y, den)), Nx.multiply(g, Nx.negate(Nx.divide(x, den))));
            }
            case COMPLEX -> List.of(Nx.real(g), Nx.imag(g));
            default -> Arrays.asList(null, null);
        };
    }

    /** Cotangents of a select's predicate (none) and branches (the cotangent where each was chosen). */
    static List<Tensor> select(Expr.Select s, Tensor pred, Tensor g) {
        Tensor zero = Nx.scalar(0, g.type());
        return Arrays.asList(null, Nx.select(pred, g, zero), Nx.select(pred, zero, g));
    }

    /**
     * A sort moves values: the cotangent of the values is {@code g} moved back, i.e. {@code g}
     * sorted by the permutation the sort applied. The keys only choose the order: no gradient.
     */
    static List<Tensor> sort(Expr.Sort s, Tensor g) {
        Tensor keys = Tracing.tensor(s.keys());
        Tensor perm = Nx.argsort(keys, s.axis(), s.descending());
        Expr back = new Expr.Sort(Tracing.nodeOf(perm), Tracing.nodeOf(g), s.axis(), false);
        return Arrays.asList(null, Tracing.bind(back, perm, g));
    }
}
