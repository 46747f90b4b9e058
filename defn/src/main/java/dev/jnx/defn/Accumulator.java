package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;

import java.lang.foreign.MemorySegment;

/**
 * A running sum, product, maximum or minimum in the arithmetic of one element type: integers
 * in a long (wrapping to the type's width when stored), real floats in a double (rounded to
 * the type when stored), complex numbers as both parts. Every reference kernel that combines
 * elements (reductions, dot, convolution, window reductions, scatter-add) goes through it, so
 * that none reads complex elements through {@link HostData#getDouble}, which returns the real
 * part only.
 */
final class Accumulator {
    private final DType type;
    private Expr.ReduceOp op;
    private long integer;
    private double re;
    private double im;

    Accumulator(DType type) {
        this.type = type;
    }

    /** Starts over at the identity of {@code op}; max and min have none over complex numbers. */
    Accumulator reset(Expr.ReduceOp op) {
        if (type.isComplex() && (op == Expr.ReduceOp.MAX || op == Expr.ReduceOp.MIN)) {
            throw new IllegalArgumentException("reduce " + op + " is not defined for complex type " + type);
        }
        this.op = op;
        integer = integerIdentity(op, type);
        re = switch (op) {
            case SUM -> 0.0;
            case PRODUCT -> 1.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
        im = 0;
        return this;
    }

    /** Combines element {@code i} of {@code x} (of this accumulator's type) into the running value. */
    Accumulator accept(HostData x, int i) {
        if (type.isInteger()) {
            long v = x.getLong(type, i);
            integer = switch (op) {
                case SUM -> integer + v;
                case PRODUCT -> integer * v;
                case MAX -> ElementwiseEval.integerOp(Expr.BinaryOp.MAX, type, integer, v);
                case MIN -> ElementwiseEval.integerOp(Expr.BinaryOp.MIN, type, integer, v);
            };
        } else if (type.isComplex()) {
            double a = x.getDouble(type, i);
            double b = x.getImag(type, i);
            if (op == Expr.ReduceOp.SUM) {
                re += a;
                im += b;
            } else {
                double r = re * a - im * b;
                im = re * b + im * a;
                re = r;
            }
        } else {
            double v = x.getDouble(type, i);
            re = switch (op) {
                case SUM -> re + v;
                case PRODUCT -> re * v;
                case MAX -> Math.max(re, v);
                case MIN -> Math.min(re, v);
            };
        }
        return this;
    }

    /** Adds {@code x[i]·y[j]} to a running sum (dot and convolution). */
    Accumulator acceptProduct(HostData x, int i, HostData y, int j) {
        if (type.isInteger()) {
            integer += x.getLong(type, i) * y.getLong(type, j);
        } else if (type.isComplex()) {
            double a = x.getDouble(type, i);
            double b = x.getImag(type, i);
            double c = y.getDouble(type, j);
            double d = y.getImag(type, j);
            re += a * c - b * d;
            im += a * d + b * c;
        } else {
            re += x.getDouble(type, i) * y.getDouble(type, j);
        }
        return this;
    }

    /** Adds {@code 0·y[j]} to a running sum: nothing, unless {@code y[j]} is NaN or infinite (a padded position of a convolution). */
    Accumulator acceptZeroTimes(HostData y, int j) {
        if (type.isComplex()) {
            double c = y.getDouble(type, j);
            double d = y.getImag(type, j);
            re += 0.0 * c - 0.0 * d;
            im += 0.0 * d + 0.0 * c;
        } else if (!type.isInteger()) {
            re += 0.0 * y.getDouble(type, j);
        }
        return this;
    }

    /** Writes the running value into element {@code o} of {@code out}, rounded or wrapped to the type. */
    void store(MemorySegment out, int o) {
        if (type.isInteger()) {
            HostData.setLong(out, type, o, integer);
        } else if (type.isComplex()) {
            HostData.setComplex(out, type, o, re, im);
        } else {
            HostData.setDouble(out, type, o, re);
        }
    }

    /** The identity of {@code op} in integer type {@code t}, as a bit pattern; unused (0) for other types. */
    private static long integerIdentity(Expr.ReduceOp op, DType t) {
        if (!t.isInteger()) {
            return 0;
        }
        return switch (op) {
            case SUM -> 0;
            case PRODUCT -> 1;
            case MAX -> t.isUnsigned() ? 0 : t.bits() == 64 ? Long.MIN_VALUE : -(1L << (t.bits() - 1));
            case MIN -> t.isUnsigned() ? (t.bits() == 64 ? -1L : (1L << t.bits()) - 1)
                    : t.bits() == 64 ? Long.MAX_VALUE : (1L << (t.bits() - 1)) - 1;
        };
    }
}
