package dev.jnx.grad;

import dev.jnx.Nx;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.List;

/**
 * Gradient rules of the element-wise primitives (unary, binary, select, bitcast, convert), as
 * in Nx's {@code Nx.Defn.Grad}. Ops that round, compare, test or work on bits have zero gradient.
 */
final class ElementwiseGrad {
    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    private ElementwiseGrad() {
    }

    /** The cotangent of {@code u}'s operand, none for the ops whose derivative is zero. */
    static List<Cotangent> unary(Expr.Unary u, Tensor g) {
        Tensor x = Tracing.tensor(u.x());
        Tensor ans = Tracing.tensor(u);
        return switch (u.op()) {
            case NEGATE -> dx(u, Nx.negate(g));
            case EXP -> dx(u, Nx.multiply(g, ans));
            case LOG -> dx(u, Nx.divide(g, x));
            case SQRT -> dx(u, Nx.divide(Nx.multiply(g, 0.5), ans));
            case TANH -> dx(u, Nx.multiply(g, Nx.subtract(1, Nx.multiply(ans, ans))));
            case ABS -> dx(u, x.type().isComplex()
                    ? Nx.divide(Nx.multiply(Nx.real(g), Nx.conjugate(x)), Nx.select(Nx.equal(ans, 0), Nx.scalar(1, ans.type()), ans))
                    : Nx.select(Nx.greaterEqual(x, 0), g, Nx.negate(g)));
            // Piecewise constant, a test, or bits of an integer (which carries no gradient): zero, as in Nx.
            case SIGN, CEIL, FLOOR, ROUND, IS_NAN, IS_INFINITY, BITWISE_NOT, POPULATION_COUNT, COUNT_LEADING_ZEROS -> List.of();
            case EXPM1 -> dx(u, Nx.multiply(g, Nx.add(ans, 1)));
            case LOG1P -> dx(u, Nx.divide(g, Nx.add(x, 1)));
            case SIGMOID -> dx(u, Nx.multiply(g, Nx.multiply(ans, Nx.subtract(1, ans))));
            case RSQRT -> dx(u, Nx.multiply(g, Nx.multiply(-0.5, Nx.multiply(ans, Nx.multiply(ans, ans)))));
            case CBRT -> dx(u, Nx.divide(g, Nx.multiply(3, Nx.multiply(ans, ans))));
            case SIN -> dx(u, Nx.multiply(g, Nx.cos(x)));
            case COS -> dx(u, Nx.negate(Nx.multiply(g, Nx.sin(x))));
            case TAN -> dx(u, Nx.multiply(g, Nx.add(1, Nx.multiply(ans, ans))));
            case ASIN -> dx(u, Nx.multiply(g, Nx.rsqrt(Nx.subtract(1, Nx.multiply(x, x)))));
            case ACOS -> dx(u, Nx.negate(Nx.multiply(g, Nx.rsqrt(Nx.subtract(1, Nx.multiply(x, x))))));
            case ATAN -> dx(u, Nx.divide(g, Nx.add(1, Nx.multiply(x, x))));
            case SINH -> dx(u, Nx.multiply(g, Nx.cosh(x)));
            case COSH -> dx(u, Nx.multiply(g, Nx.sinh(x)));
            case ASINH -> dx(u, Nx.multiply(g, Nx.rsqrt(Nx.add(Nx.multiply(x, x), 1))));
            case ACOSH -> dx(u, Nx.multiply(g, Nx.rsqrt(Nx.subtract(Nx.multiply(x, x), 1))));
            case ATANH -> dx(u, Nx.divide(g, Nx.subtract(1, Nx.multiply(x, x))));
            case ERF -> dx(u, Nx.multiply(g, Nx.multiply(TWO_OVER_SQRT_PI, Nx.exp(Nx.negate(Nx.multiply(x, x))))));
            case ERFC -> dx(u, Nx.multiply(g, Nx.multiply(-TWO_OVER_SQRT_PI, Nx.exp(Nx.negate(Nx.multiply(x, x))))));
            case ERF_INV -> dx(u, Nx.multiply(g, Nx.multiply(1 / TWO_OVER_SQRT_PI, Nx.exp(Nx.multiply(ans, ans)))));
            case REAL -> dx(u, Nx.real(g));
            case IMAG -> dx(u, Nx.imag(g));
            case CONJUGATE -> dx(u, x.type().isComplex() ? Nx.conjugate(g) : Nx.real(g));
        };
    }

    /** The cotangents of {@code b}'s operands, none for the ops whose derivative is zero. */
    static List<Cotangent> binary(Expr.Binary b, Tensor g) {
        Tensor x = Tracing.tensor(b.a());
        Tensor y = Tracing.tensor(b.b());
        Tensor ans = Tracing.tensor(b);
        return switch (b.op()) {
            case ADD -> dxy(b, g, g);
            case SUBTRACT -> dxy(b, g, Nx.negate(g));
            case MULTIPLY -> dxy(b, Nx.multiply(g, y), Nx.multiply(g, x));
            case DIVIDE -> dxy(b, Nx.divide(g, y), Nx.negate(Nx.divide(Nx.multiply(g, ans), y)));
            case MAX, MIN -> {
                // Nx splits the gradient evenly between operands that tie for the result.
                Tensor xWins = Nx.asType(Nx.equal(x, ans), g.type());
                Tensor yWins = Nx.asType(Nx.equal(y, ans), g.type());
                yield dxy(b, Nx.multiply(g, Nx.divide(xWins, Nx.add(yWins, 1))),
                        Nx.multiply(g, Nx.divide(yWins, Nx.add(xWins, 1))));
            }
            case POW -> {
                Tensor exponent = Nx.select(Nx.equal(y, 0), Nx.scalar(1, y.type()), Nx.subtract(y, 1));
                Tensor base = Nx.select(Nx.equal(x, 0), Nx.scalar(1, x.type()), x);
                yield dxy(b, Nx.multiply(g, Nx.multiply(y, Nx.pow(x, exponent))),
                        Nx.multiply(g, Nx.multiply(Nx.log(base), ans)));
            }
            case REMAINDER -> dxy(b, g, Nx.multiply(g, Nx.negate(Nx.floor(Nx.divide(x, y)))));
            case ATAN2 -> {
                Tensor den = Nx.add(Nx.multiply(x, x), Nx.multiply(y, y));
                yield dxy(b, Nx.multiply(g, Nx.divide(y, den)), Nx.multiply(g, Nx.negate(Nx.divide(x, den))));
            }
            case COMPLEX -> dxy(b, Nx.real(g), Nx.imag(g));
            // Defined on integers only, which carry no gradient.
            case BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT -> List.of();
            // A u8 predicate, piecewise constant in both operands: zero, as in Nx.
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> List.of();
        };
    }

    /** The cotangent where each branch was chosen; the predicate, piecewise constant, gets none. */
    static List<Cotangent> select(Expr.Select s, Tensor g) {
        Tensor pred = Tracing.tensor(s.pred());
        Tensor zero = Nx.scalar(0, g.type());
        return List.of(new Cotangent(s.onTrue(), Nx.select(pred, g, zero)),
                new Cotangent(s.onFalse(), Nx.select(pred, zero, g)));
    }

    /** Reinterpreted bits are not a differentiable function of the value: none, as in Nx. */
    static List<Cotangent> bitcast(Expr.Bitcast b, Tensor g) {
        return List.of();
    }

    /** The cotangent converted back to the operand's type (by {@link Grad}, as for every input). */
    static List<Cotangent> convert(Expr.Convert c, Tensor g) {
        return List.of(new Cotangent(c.x(), g));
    }

    private static List<Cotangent> dx(Expr.Unary u, Tensor gx) {
        return List.of(new Cotangent(u.x(), gx));
    }

    private static List<Cotangent> dxy(Expr.Binary b, Tensor ga, Tensor gb) {
        return List.of(new Cotangent(b.a(), ga), new Cotangent(b.b(), gb));
    }
}
