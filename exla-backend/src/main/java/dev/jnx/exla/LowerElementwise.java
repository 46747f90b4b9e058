package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.defn.Expr;
import dev.jnx.exla.FunctionBuilder.BinaryOp;
import dev.jnx.exla.FunctionBuilder.ComparisonType;
import dev.jnx.exla.FunctionBuilder.UnaryOp;
import dev.jnx.exla.PlatformQuirks.Quirk;

import java.util.List;
import java.util.function.Function;

import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.EQ;
import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.GE;
import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.GT;
import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.LE;
import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.LT;
import static dev.jnx.exla.FunctionBuilder.ComparisonDirection.NE;

/**
 * StableHLO lowerings of the element-wise family: math, comparisons, bit, complex, select,
 * convert and bitcast. Ops without a StableHLO form go to CHLO ({@code chlo.erf},
 * {@code chlo.asin}, ...), which XLA expands; every op used here was checked to compile and run
 * through the bundled CPU plugin. Nx predicates are {@code u8}: comparisons compare to {@code i1}
 * and convert to {@code ui8}.
 *
 * @param b the builder the ops go to
 * @param get the value of each node already lowered
 * @param quirks the workarounds the target platform needs
 */
record LowerElementwise(FunctionBuilder b, Function<Expr, Value> get, PlatformQuirks quirks) {
    /** A splat constant of {@code v} shaped like {@code like}. */
    private Value splat(double v, TensorType like, DType t) {
        return b.splat(v, t, like);
    }

    /** One-operand math, bit and complex ops; integers pass through the rounding ops unchanged. */
    Value unary(Expr.Unary u) {
        Value x = get.apply(u.x());
        DType in = u.x().type();
        TensorType rt = TensorType.of(u);
        TensorType predType = x.type().withElement("i1");
        return switch (u.op()) {
            case NEGATE -> b.unary(UnaryOp.NEGATE, x);
            case EXP -> b.unary(UnaryOp.EXPONENTIAL, x);
            // A barrier keeps log from the op under it where XLA's simplifier would rewrite the pair:
            // log(pow(a, b)) to b·log(|a|), finite where pow of a negative a is NaN; and, on a platform
            // with Quirk.LOG_KERNEL_SHADOWS_LIBM, log(sqrt(a)) and log(rsqrt(a)) to ±0.5·log(a).
            case LOG -> b.unary(UnaryOp.LOG, xlaRewritesLogOf(u.x()) ? b.optimizationBarrier(x) : x);
            // XLA's simplifier rewrites sqrt(a·a) to |a|, which holds for real a only (complex sqrt((1.25-1.75i)²)
            // gave 2.15 + 0i); the barrier hides the product, which pow(a, 2) may become too.
            case SQRT -> b.unary(UnaryOp.SQRT, in.isComplex() ? b.optimizationBarrier(x) : x);
            case TANH -> b.unary(UnaryOp.TANH, x);
            case ABS -> in.isComplex() ? complexAbs(x, in) : b.unary(UnaryOp.ABS, x, rt);
            // stablehlo.sign takes signed, float and complex types; unsigned is x != 0.
            case SIGN -> in.isUnsigned() ? b.convert(b.compare(NE, ComparisonType.UNSIGNED, x, splat(0, x.type(), in)), rt)
                    : in.isComplex() ? complexSign(x, in) : b.unary(UnaryOp.SIGN, x);
            case CEIL -> in.isInteger() ? x : b.unary(UnaryOp.CEIL, x);
            case FLOOR -> in.isInteger() ? x : b.unary(UnaryOp.FLOOR, x);
            case ROUND -> in.isInteger() ? x : b.unary(UnaryOp.ROUND_NEAREST_AFZ, x);
            case EXPM1 -> b.unary(UnaryOp.EXPONENTIAL_MINUS_ONE, x);
            case LOG1P -> in.isComplex() ? complexLog1p(x, in) : b.unary(UnaryOp.LOG_PLUS_ONE, x);
            case SIGMOID -> b.unary(UnaryOp.LOGISTIC, x);
            case RSQRT -> b.unary(UnaryOp.RSQRT, x);
            case CBRT -> b.unary(UnaryOp.CBRT, x);
            case SIN -> b.unary(UnaryOp.SINE, x);
            case COS -> b.unary(UnaryOp.COSINE, x);
            case TAN -> b.unary(UnaryOp.TAN, x);
            case ASIN -> in.isComplex() ? conjugateSymmetric(UnaryOp.ASIN, x, in) : b.unary(UnaryOp.ASIN, x, rt);
            case ACOS -> in.isComplex() ? conjugateSymmetric(UnaryOp.ACOS, x, in) : b.unary(UnaryOp.ACOS, x, rt);
            case ATAN -> in.isComplex() ? complexAtan(x, in) : b.unary(UnaryOp.ATAN, x, rt);
            case SINH -> b.unary(UnaryOp.SINH, x, rt);
            case COSH -> b.unary(UnaryOp.COSH, x, rt);
            case ASINH -> b.unary(UnaryOp.ASINH, x, rt);
            case ACOSH -> b.unary(UnaryOp.ACOSH, x, rt);
            case ATANH -> in.isComplex() ? complexAtanh(x, in) : b.unary(UnaryOp.ATANH, x, rt);
            case ERF -> b.unary(UnaryOp.ERF, x, rt);
            case ERFC -> b.unary(UnaryOp.ERFC, x, rt);
            case ERF_INV -> b.unary(UnaryOp.ERF_INV, x, rt);
            case IS_NAN -> {
                if (in.isInteger()) {
                    yield splat(0, rt, DType.U8);
                }
                if (in.isComplex()) {
                    yield b.convert(eitherNan(parts(x, in), predType), rt);
                }
                yield b.convert(b.compare(NE, ComparisonType.FLOAT, x, x), rt);
            }
            case IS_INFINITY -> {
                if (in.isInteger()) {
                    yield splat(0, rt, DType.U8);
                }
                if (in.isComplex()) {
                    yield b.convert(eitherInf(parts(x, in), in.toReal(), predType), rt);
                }
                yield b.convert(isInf(x, in), rt);
            }
            case BITWISE_NOT -> b.unary(UnaryOp.NOT, x);
            case POPULATION_COUNT -> b.unary(UnaryOp.POPCNT, x);
            case COUNT_LEADING_ZEROS -> b.unary(UnaryOp.COUNT_LEADING_ZEROS, x);
            case REAL -> in.isComplex() ? b.unary(UnaryOp.REAL, x, rt) : x;
            case IMAG -> in.isComplex() ? b.unary(UnaryOp.IMAG, x, rt) : splat(0, rt, u.type());
            case CONJUGATE -> conjugate(parts(x, in), rt);
        };
    }

    /**
     * Complex log1p: XLA's {@code log_plus_one} only near 0, where it keeps precision, and
     * {@code log(1 + z)} elsewhere, since XLA's loses the pole ({@code log1p(-1+0i)} gave 0, not -Inf).
     */
    private Value complexLog1p(Value z, DType t) {
        TensorType part = z.type().withElement(TensorType.elementType(t.toReal()));
        Value small = b.compare(LT, ComparisonType.FLOAT, b.unary(UnaryOp.ABS, z, part), splat(0.5, part, t.toReal()));
        Value onePlus = b.binary(BinaryOp.ADD, z, splat(1, z.type(), t));
        return b.select(small, b.unary(UnaryOp.LOG_PLUS_ONE, z), b.unary(UnaryOp.LOG, onePlus));
    }

    /**
     * A complex function f with f(conj z) = conj(f z) (C99 Annex G's casin, cacos, catanh), computed as
     * f at |im z| then conjugated where im z has its sign bit set: XLA's expansion reads a -0
     * imaginary part as +0, and so takes the wrong side of the branch cut.
     */
    private Value conjugateSymmetric(UnaryOp op, Value z, DType t) {
        Parts p = parts(z, t);
        Value w = b.unary(op, b.binary(BinaryOp.COMPLEX, p.re(), b.unary(UnaryOp.ABS, p.im()), z.type()));
        return b.select(signBit(p.im(), t.toReal()), conjugate(parts(w, t), z.type()), w);
    }

    /**
     * Complex atanh: XLA's expansion beside a NaN part gives ±π/2 for the imaginary part (and NaN
     * for the real one even at an infinite part), and at an infinite imaginary part +0 whatever the
     * real part's sign; C99 Annex G's catanh is ±0 (the real part's sign) + i·(±π/2) at an infinite
     * part, NaN beside a NaN one (a ±0 real part kept), which is selected where either part is NaN or
     * infinite. Elsewhere XLA's expansion, conjugate-symmetric: it read a -0 imaginary part as +0
     * (atanh(2 - 0i) and atanh(-∞ - 0i) took the +π/2 side).
     */
    private Value complexAtanh(Value z, DType t) {
        DType real = t.toReal();
        Parts p = parts(z, t);
        TensorType part = p.type();
        TensorType pred = z.type().withElement("i1");
        Value re = p.re();
        Value im = p.im();
        Value zero = splat(0, part, real);
        Value nan = splat(Double.NaN, part, real);
        Value anyNan = eitherNan(p, pred);
        Value anyInf = eitherInf(p, real, pred);
        Value signedZero = b.select(signBit(re, real), splat(-0.0, part, real), zero);
        Value halfPi = b.select(signBit(im, real), splat(-Math.PI / 2, part, real),
                splat(Math.PI / 2, part, real));
        Value zeroReal = b.binary(BinaryOp.OR, anyInf, b.compare(EQ, ComparisonType.FLOAT, re, zero), pred);
        Value imaginaryHalfPi = b.binary(BinaryOp.OR, isInf(im, real),
                b.binary(BinaryOp.AND, isInf(re, real), b.compare(EQ, ComparisonType.FLOAT, im, im), pred), pred);
        Value special = b.binary(BinaryOp.COMPLEX, b.select(zeroReal, signedZero, nan),
                b.select(imaginaryHalfPi, halfPi, nan), z.type());
        return b.select(b.binary(BinaryOp.OR, anyNan, anyInf, pred), special, conjugateSymmetric(UnaryOp.ATANH, z, t));
    }

    /**
     * Complex atan as -i·atanh(iz), C99 Annex G's definition, through {@link #complexAtanh}: XLA's
     * chlo.atan gave -π/2 at NaN + i∞ (C99: NaN ± 0i) and π/2 + NaN·i at 0 + NaN·i (C99: NaN + NaN·i).
     */
    private Value complexAtan(Value z, DType t) {
        Parts p = parts(z, t);
        Parts w = parts(complexAtanh(b.binary(BinaryOp.COMPLEX, b.unary(UnaryOp.NEGATE, p.im()), p.re(), z.type()), t), t);
        return b.binary(BinaryOp.COMPLEX, w.im(), b.unary(UnaryOp.NEGATE, w.re()), z.type());
    }

    /**
     * Complex abs as C99's cabs = hypot: +Inf at an infinite part even beside a NaN, NaN beside a
     * NaN otherwise. XLA's gave NaN at NaN + i∞ and |x|·√2 at x + NaN·i (max and min that drop the NaN).
     */
    private Value complexAbs(Value z, DType t) {
        DType real = t.toReal();
        Parts p = parts(z, t);
        TensorType pred = z.type().withElement("i1");
        return b.select(eitherInf(p, real, pred), splat(Double.POSITIVE_INFINITY, p.type(), real),
                b.select(eitherNan(p, pred), splat(Double.NaN, p.type(), real), b.unary(UnaryOp.ABS, z, p.type())));
    }

    /**
     * Complex sign z / |z| (Nx), NaN + NaN·i beside a NaN part: XLA's gave -0.707 + NaN·i at -x + NaN·i,
     * dividing by its |z| of x·√2 (see {@link #complexAbs}).
     */
    private Value complexSign(Value z, DType t) {
        Parts p = parts(z, t);
        Value nan = splat(Double.NaN, p.type(), t.toReal());
        return b.select(eitherNan(p, z.type().withElement("i1")), b.binary(BinaryOp.COMPLEX, nan, nan, z.type()),
                b.unary(UnaryOp.SIGN, z));
    }

    private boolean xlaRewritesLogOf(Expr e) {
        return e instanceof Expr.Binary p && p.op() == Expr.BinaryOp.POW && !p.type().isComplex()
                || e instanceof Expr.Unary u && (u.op() == Expr.UnaryOp.SQRT || u.op() == Expr.UnaryOp.RSQRT)
                && quirks.has(Quirk.LOG_KERNEL_SHADOWS_LIBM);
    }

    /** x's sign bit as i1: set for -0 too, where {@code x < 0} is false. */
    private Value signBit(Value x, DType t) {
        TensorType bits = x.type().withElement(t.bits() == 32 ? "i32" : "i64");
        return b.compare(LT, ComparisonType.SIGNED, b.bitcastConvert(x, bits),
                splat(0, bits, t.bits() == 32 ? DType.S32 : DType.S64));
    }

    /** The real and imaginary parts of a complex value of type {@code t}, and their tensor type. */
    private record Parts(TensorType type, Value re, Value im) {
    }

    private Parts parts(Value z, DType t) {
        TensorType part = z.type().withElement(TensorType.elementType(t.toReal()));
        return new Parts(part, b.unary(UnaryOp.REAL, z, part), b.unary(UnaryOp.IMAG, z, part));
    }

    /** Whether either part is NaN, as i1. */
    private Value eitherNan(Parts p, TensorType pred) {
        return b.binary(BinaryOp.OR, b.compare(NE, ComparisonType.FLOAT, p.re(), p.re()),
                b.compare(NE, ComparisonType.FLOAT, p.im(), p.im()), pred);
    }

    /** Whether either part is ±Inf, as i1. */
    private Value eitherInf(Parts p, DType real, TensorType pred) {
        return b.binary(BinaryOp.OR, isInf(p.re(), real), isInf(p.im(), real), pred);
    }

    /** re − i·im as a complex value of type {@code type}. */
    private Value conjugate(Parts p, TensorType type) {
        return b.binary(BinaryOp.COMPLEX, p.re(), b.unary(UnaryOp.NEGATE, p.im()), type);
    }

    /** |x| == +Inf as i1. */
    private Value isInf(Value x, DType t) {
        return b.compare(EQ, ComparisonType.FLOAT, b.unary(UnaryOp.ABS, x), splat(Double.POSITIVE_INFINITY, x.type(), t));
    }

    /**
     * {@code atan2(y, x)}; on a platform with {@link Quirk#FLUSHED_SUBNORMAL_ATAN2}, given its
     * flushed answer where both operands are subnormal or 0: atan2(±0, ±0) (±0, or ±π for a
     * negative x), as XLA's other subnormal results are (docs/coverage.md, XLA:CPU differences). The
     * test reads the bits: a float compare is folded without DAZ for a constant operand, and LLVM
     * folds a select of y·0 where y == 0 back to y.
     */
    private Value atan2(Expr.Binary e, Value y, Value x) {
        DType t = e.a().type();
        Value atan2 = b.binary(BinaryOp.ATAN2, y, x);
        if (t != DType.F32 && t != DType.F64 || !quirks.has(Quirk.FLUSHED_SUBNORMAL_ATAN2)) {
            return atan2;
        }
        DType bits = t == DType.F32 ? DType.S32 : DType.S64;
        TensorType integers = TensorType.of(e.shape(), bits);
        Value magnitudeMask = splat(t == DType.F32 ? Integer.MAX_VALUE : Long.MAX_VALUE, integers, bits);
        Value smallestNormal = splat(t == DType.F32 ? Float.floatToRawIntBits(Float.MIN_NORMAL)
                : Double.doubleToRawLongBits(Double.MIN_NORMAL), integers, bits);
        Value intZero = splat(0, integers, bits);
        Value yBits = b.bitcastConvert(y, integers);
        Value xBits = b.bitcastConvert(x, integers);
        Value bothFlushed = b.binary(BinaryOp.AND,
                b.compare(LT, ComparisonType.SIGNED, b.binary(BinaryOp.AND, yBits, magnitudeMask), smallestNormal),
                b.compare(LT, ComparisonType.SIGNED, b.binary(BinaryOp.AND, xBits, magnitudeMask), smallestNormal));
        Value yNegative = b.compare(LT, ComparisonType.SIGNED, yBits, intZero);
        Value onZeros = b.select(b.compare(LT, ComparisonType.SIGNED, xBits, intZero),
                b.select(yNegative, splat(-Math.PI, y.type(), t), splat(Math.PI, y.type(), t)),
                b.select(yNegative, splat(-0.0, y.type(), t), splat(0, y.type(), t)));
        return b.select(bothFlushed, onZeros, atan2);
    }

    /** Arithmetic, comparisons, max/min, pow, bit, shift and complex construction. */
    Value binary(Expr.Binary e) {
        Value x = get.apply(e.a());
        Value y = get.apply(e.b());
        DType t = e.a().type();
        return switch (e.op()) {
            case ADD -> b.binary(BinaryOp.ADD, x, y);
            case SUBTRACT -> b.binary(BinaryOp.SUBTRACT, x, y);
            case MULTIPLY -> b.binary(BinaryOp.MULTIPLY, x, y);
            case DIVIDE -> b.binary(BinaryOp.DIVIDE, x, y);
            case EQUAL -> comparison(e, EQ, x, y);
            case NOT_EQUAL -> comparison(e, NE, x, y);
            case LESS -> comparison(e, LT, x, y);
            case LESS_EQUAL -> comparison(e, LE, x, y);
            case GREATER -> comparison(e, GT, x, y);
            case GREATER_EQUAL -> comparison(e, GE, x, y);
            case MAX -> extremum(true, x, y, t);
            case MIN -> extremum(false, x, y, t);
            case POW -> t.isInteger() ? integerPow(x, y, t) : t.isComplex() ? complexPow(x, y, t)
                    : b.binary(BinaryOp.POWER, x, y);
            case REMAINDER -> b.binary(BinaryOp.REMAINDER, x, y);
            case ATAN2 -> atan2(e, x, y);
            case BITWISE_AND -> b.binary(BinaryOp.AND, x, y);
            case BITWISE_OR -> b.binary(BinaryOp.OR, x, y);
            case BITWISE_XOR -> b.binary(BinaryOp.XOR, x, y);
            case LEFT_SHIFT -> b.binary(BinaryOp.SHIFT_LEFT, x, y);
            case RIGHT_SHIFT -> b.binary(t.isUnsigned() ? BinaryOp.SHIFT_RIGHT_LOGICAL : BinaryOp.SHIFT_RIGHT_ARITHMETIC, x, y);
            case COMPLEX -> b.binary(BinaryOp.COMPLEX, x, y, TensorType.of(e));
        };
    }

    /** A comparison as Nx's u8 predicate; only EQ and NE for complex operands. */
    private Value comparison(Expr.Binary e, FunctionBuilder.ComparisonDirection direction, Value x, Value y) {
        DType t = e.a().type();
        if (t.isComplex() && direction != EQ && direction != NE) {
            throw new IllegalArgumentException(e.op() + " is not defined for complex type " + t + ", got operands "
                    + t + e.a().shape() + " and " + e.b().type() + e.b().shape());
        }
        return b.convert(b.compare(direction, ComparisonType.of(t), x, y), TensorType.of(e));
    }

    /**
     * {@code stablehlo.convert}, except between integer types of different signedness: XLA folds
     * {@code convert(convert(x, T1), T2)} to {@code convert(x, T2)} when T1 is wider than x, also
     * when the sign changes ({@code s8 -1 → u16 → s64} gave -1, not 65535). Such a conversion
     * resizes within the source's signedness and reinterprets the bits, which XLA leaves alone.
     */
    Value convert(Expr.Convert c) {
        DType from = c.x().type();
        DType to = c.type();
        Value x = get.apply(c.x());
        if (from == to) {
            return x;
        }
        if (!from.isInteger() || !to.isInteger() || from.isUnsigned() == to.isUnsigned()) {
            return b.convert(x, TensorType.of(c));
        }
        DType resized = DType.of(from.kind(), to.bits());
        Value same = resized == from ? x : b.convert(x, TensorType.of(c.shape(), resized));
        return b.bitcastConvert(same, TensorType.of(c));
    }

    /**
     * Nx's max or min: NaN when either operand is NaN, which StableHLO's maximum and minimum are;
     * on a platform with {@link Quirk#NAN_DROPPING_EXTREMUM} the NaN of a float is selected
     * explicitly. Every max and min of the lowering goes through here.
     */
    Value extremum(boolean max, Value x, Value y, DType t) {
        if (t.isComplex()) {
            // XLA aborts the process on a complex maximum it constant-folds (window_reduce of a padded empty tensor).
            throw new IllegalArgumentException((max ? "max" : "min") + " is not defined for complex type " + t
                    + ", got operands " + x.type() + " and " + y.type());
        }
        Value m = b.binary(max ? BinaryOp.MAXIMUM : BinaryOp.MINIMUM, x, y);
        if (!t.isFloat() || !quirks.has(Quirk.NAN_DROPPING_EXTREMUM)) {
            return m;
        }
        Value r = b.select(b.compare(NE, ComparisonType.FLOAT, x, x), x, m);
        return b.select(b.compare(NE, ComparisonType.FLOAT, y, y), y, r);
    }

    /** A reduction body of two scalars of type {@code t} folding with {@link #extremum}. */
    FunctionBuilder.Region extremumBody(boolean max, DType t) {
        TensorType scalar = TensorType.scalar(t);
        return new FunctionBuilder.Region(List.of(scalar, scalar), args -> List.of(extremum(max, args.get(0), args.get(1), t)));
    }

    /**
     * Integer pow by squaring over every bit of the exponent, wrapping as the reference backend
     * does. XLA:CPU's own loop stops after six bits ({@code 3^64} gave 1) and gives 0 for a
     * negative exponent unless the base is 1; here a negative exponent gives the truncated
     * {@code 1 / x^-y}: 1 for base 1, ±1 for base -1, else 0.
     */
    private Value integerPow(Value x, Value y, DType t) {
        ComparisonType cmp = ComparisonType.of(t);
        Value one = splat(1, x.type(), t);
        Value zero = splat(0, x.type(), t);
        Value result = one;
        Value base = x;
        Value exponent = y;
        for (int i = 0; i < t.bits(); i++) {
            Value bit = b.compare(NE, cmp, b.binary(BinaryOp.AND, exponent, one), zero);
            result = b.select(bit, b.binary(BinaryOp.MULTIPLY, result, base), result);
            if (i + 1 < t.bits()) {
                base = b.binary(BinaryOp.MULTIPLY, base, base);
                exponent = b.binary(BinaryOp.SHIFT_RIGHT_LOGICAL, exponent, one);
            }
        }
        if (t.isUnsigned()) {
            return result;
        }
        Value minusOne = splat(-1, x.type(), t);
        Value odd = b.compare(NE, cmp, b.binary(BinaryOp.AND, y, one), zero);
        Value inverse = b.select(b.compare(EQ, cmp, x, one), one,
                b.select(b.compare(EQ, cmp, x, minusOne), b.select(odd, minusOne, one), zero));
        return b.select(b.compare(LT, cmp, y, zero), inverse, result);
    }

    /** Complex pow with {@code 0^w = 0} for {@code re(w) > 0}, where XLA's exp(w·log 0) gives NaN. */
    private Value complexPow(Value x, Value y, DType t) {
        Value p = b.binary(BinaryOp.POWER, x, y);
        TensorType part = x.type().withElement(TensorType.elementType(t.toReal()));
        Value zero = splat(0, x.type(), t);
        Value positive = b.compare(GT, ComparisonType.FLOAT, b.unary(UnaryOp.REAL, y, part), splat(0, part, t.toReal()));
        Value zeroBase = b.compare(EQ, ComparisonType.FLOAT, x, zero);
        return b.select(b.binary(BinaryOp.AND, zeroBase, positive, positive.type()), zero, p);
    }

    /** {@code onTrue} where the Nx predicate is non-zero, else {@code onFalse}. */
    Value select(Expr.Select s) {
        Value p = get.apply(s.pred());
        Value pred = b.compare(NE, ComparisonType.of(s.pred().type()), p, splat(0, p.type(), s.pred().type()));
        return b.select(pred, get.apply(s.onTrue()), get.apply(s.onFalse()));
    }

    /** The same bits read as another type of equal width. */
    Value bitcast(Expr.Bitcast c) {
        return b.bitcastConvert(get.apply(c.x()), TensorType.of(c));
    }
}
