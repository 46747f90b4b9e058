package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.defn.Expr;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * StableHLO lowerings of the element-wise math, bit, complex, select, bitcast and sort
 * primitives. Ops without a StableHLO form go to CHLO ({@code chlo.erf}, {@code chlo.asin},
 * ...), which XLA expands; every op used here was checked to compile and run through the
 * bundled CPU plugin. Typed ops are written in MLIR's generic syntax.
 */
final class LowerElementwise {
    private final FunctionBuilder b;
    private final Function<Expr, Value> get;

    LowerElementwise(FunctionBuilder b, Function<Expr, Value> get) {
        this.b = b;
        this.get = get;
    }

    private static TensorType type(Expr e) {
        return TensorType.of(e.shape(), e.type());
    }

    private Value op1(String op, Value x, TensorType result) {
        return b.generic(op, List.of(x), "", result);
    }

    private Value op2(String op, Value x, Value y, TensorType result) {
        return b.generic(op, List.of(x, y), "", result);
    }

    /** A splat constant of {@code v} shaped like {@code like}. */
    private Value splat(double v, TensorType like, DType t) {
        byte[] bytes = new byte[t.byteSize()];
        MemorySegment s = MemorySegment.ofArray(bytes);
        if (t.isInteger()) {
            HostData.setLong(s, t, 0, (long) v);
        } else {
            HostData.setDouble(s, t, 0, v);
        }
        return b.constant(StableHlo.denseLiteral(dev.jnx.Tensor.of(Shape.scalar(), t, new HostData(bytes))), like);
    }

    private static String comparisonType(DType t) {
        return switch (t.kind()) {
            case FLOAT, BFLOAT, COMPLEX -> "FLOAT";
            case SIGNED -> "SIGNED";
            case UNSIGNED -> "UNSIGNED";
        };
    }

    Value unary(Expr.Unary u) {
        Value x = get.apply(u.x());
        DType in = u.x().type();
        TensorType rt = type(u);
        TensorType predType = x.type().withElement("i1");
        return switch (u.op()) {
            case NEGATE -> b.unary("stablehlo.negate", x);
            case EXP -> b.unary("stablehlo.exponential", x);
            // A barrier keeps log from the op under it where XLA's simplifier would rewrite the pair:
            // log(pow(a, b)) to b·log(|a|), finite where pow of a negative a is NaN; log(sqrt(a)) and
            // log(rsqrt(a)) to ±0.5·log(a), whose new instruction is named "log" — on XLA:CPU's thunk
            // runtime a kernel of that name shadows libm's log and calls itself until the stack runs out.
            case LOG -> b.unary("stablehlo.log", xlaRewritesLogOf(u.x()) ? b.generic("stablehlo.optimization_barrier",
                    List.of(x), "", x.type()) : x);
            // XLA's simplifier rewrites sqrt(a·a) to |a|, which holds for real a only (complex sqrt((1.25-1.75i)²)
            // gave 2.15 + 0i); the barrier hides the product, which pow(a, 2) may become too.
            case SQRT -> b.unary("stablehlo.sqrt", in.isComplex() ? b.generic("stablehlo.optimization_barrier",
                    List.of(x), "", x.type()) : x);
            case TANH -> b.unary("stablehlo.tanh", x);
            case ABS -> in.isComplex() ? complexAbs(x, in) : op1("stablehlo.abs", x, rt);
            // stablehlo.sign takes signed, float and complex types; unsigned is x != 0.
            case SIGN -> in.isUnsigned() ? b.convert(b.compare("NE", "UNSIGNED", x, splat(0, x.type(), in)), rt)
                    : in.isComplex() ? complexSign(x, in) : b.unary("stablehlo.sign", x);
            case CEIL -> in.isInteger() ? x : b.unary("stablehlo.ceil", x);
            case FLOOR -> in.isInteger() ? x : b.unary("stablehlo.floor", x);
            case ROUND -> in.isInteger() ? x : b.unary("stablehlo.round_nearest_afz", x);
            case EXPM1 -> b.unary("stablehlo.exponential_minus_one", x);
            case LOG1P -> in.isComplex() ? complexLog1p(x, in) : b.unary("stablehlo.log_plus_one", x);
            case SIGMOID -> b.unary("stablehlo.logistic", x);
            case RSQRT -> b.unary("stablehlo.rsqrt", x);
            case CBRT -> b.unary("stablehlo.cbrt", x);
            case SIN -> b.unary("stablehlo.sine", x);
            case COS -> b.unary("stablehlo.cosine", x);
            case TAN -> b.unary("stablehlo.tan", x);
            case ASIN -> in.isComplex() ? conjugateSymmetric("chlo.asin", x, in) : op1("chlo.asin", x, rt);
            case ACOS -> in.isComplex() ? conjugateSymmetric("chlo.acos", x, in) : op1("chlo.acos", x, rt);
            case ATAN -> in.isComplex() ? complexAtan(x, in) : op1("chlo.atan", x, rt);
            case SINH -> op1("chlo.sinh", x, rt);
            case COSH -> op1("chlo.cosh", x, rt);
            case ASINH -> op1("chlo.asinh", x, rt);
            case ACOSH -> op1("chlo.acosh", x, rt);
            case ATANH -> in.isComplex() ? complexAtanh(x, in) : op1("chlo.atanh", x, rt);
            case ERF -> op1("chlo.erf", x, rt);
            case ERFC -> op1("chlo.erfc", x, rt);
            case ERF_INV -> op1("chlo.erf_inv", x, rt);
            case IS_NAN -> {
                if (in.isInteger()) {
                    yield splat(0, rt, DType.U8);
                }
                if (in.isComplex()) {
                    yield b.convert(eitherNan(parts(x, in), predType), rt);
                }
                yield b.convert(b.compare("NE", "FLOAT", x, x), rt);
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
            case BITWISE_NOT -> b.unary("stablehlo.not", x);
            case POPULATION_COUNT -> b.unary("stablehlo.popcnt", x);
            case COUNT_LEADING_ZEROS -> b.unary("stablehlo.count_leading_zeros", x);
            case REAL -> in.isComplex() ? op1("stablehlo.real", x, rt) : x;
            case IMAG -> in.isComplex() ? op1("stablehlo.imag", x, rt) : splat(0, rt, u.type());
            case CONJUGATE -> conjugate(parts(x, in), rt);
        };
    }

    /**
     * Complex log1p: XLA's {@code log_plus_one} only near 0, where it keeps precision, and
     * {@code log(1 + z)} elsewhere, since XLA's loses the pole ({@code log1p(-1+0i)} gave 0, not -Inf).
     */
    private Value complexLog1p(Value z, DType t) {
        TensorType part = z.type().withElement(TensorType.elementType(t.toReal()));
        Value small = b.compare("LT", "FLOAT", op1("stablehlo.abs", z, part), splat(0.5, part, t.toReal()));
        Value onePlus = b.binary("stablehlo.add", z, splat(1, z.type(), t));
        return b.select(small, b.unary("stablehlo.log_plus_one", z), b.unary("stablehlo.log", onePlus));
    }

    /**
     * A complex function f with f(conj z) = conj(f z) (C99 Annex G's casin, cacos, catanh), computed as
     * f at |im z| then conjugated where im z has its sign bit set: XLA's expansion reads a -0
     * imaginary part as +0, and so takes the wrong side of the branch cut.
     */
    private Value conjugateSymmetric(String op, Value z, DType t) {
        Parts p = parts(z, t);
        Value w = op1(op, op2("stablehlo.complex", p.re(), b.unary("stablehlo.abs", p.im()), z.type()), z.type());
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
        Value zeroReal = op2("stablehlo.or", anyInf, b.compare("EQ", "FLOAT", re, zero), pred);
        Value imaginaryHalfPi = op2("stablehlo.or", isInf(im, real),
                op2("stablehlo.and", isInf(re, real), b.compare("EQ", "FLOAT", im, im), pred), pred);
        Value special = op2("stablehlo.complex", b.select(zeroReal, signedZero, nan),
                b.select(imaginaryHalfPi, halfPi, nan), z.type());
        return b.select(op2("stablehlo.or", anyNan, anyInf, pred), special, conjugateSymmetric("chlo.atanh", z, t));
    }

    /**
     * Complex atan as -i·atanh(iz), C99 Annex G's definition, through {@link #complexAtanh}: XLA's
     * chlo.atan gave -π/2 at NaN + i∞ (C99: NaN ± 0i) and π/2 + NaN·i at 0 + NaN·i (C99: NaN + NaN·i).
     */
    private Value complexAtan(Value z, DType t) {
        Parts p = parts(z, t);
        Parts w = parts(complexAtanh(op2("stablehlo.complex", b.unary("stablehlo.negate", p.im()), p.re(), z.type()), t), t);
        return op2("stablehlo.complex", w.im(), b.unary("stablehlo.negate", w.re()), z.type());
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
                b.select(eitherNan(p, pred), splat(Double.NaN, p.type(), real), op1("stablehlo.abs", z, p.type())));
    }

    /**
     * Complex sign z / |z| (Nx), NaN + NaN·i beside a NaN part: XLA's gave -0.707 + NaN·i at -x + NaN·i,
     * dividing by its |z| of x·√2 (see {@link #complexAbs}).
     */
    private Value complexSign(Value z, DType t) {
        Parts p = parts(z, t);
        Value nan = splat(Double.NaN, p.type(), t.toReal());
        return b.select(eitherNan(p, z.type().withElement("i1")), op2("stablehlo.complex", nan, nan, z.type()),
                b.unary("stablehlo.sign", z));
    }

    private static boolean xlaRewritesLogOf(Expr e) {
        return e instanceof Expr.Binary p && p.op() == Expr.BinaryOp.POW && !p.type().isComplex()
                || e instanceof Expr.Unary u && (u.op() == Expr.UnaryOp.SQRT || u.op() == Expr.UnaryOp.RSQRT);
    }

    /** x's sign bit as i1: set for -0 too, where {@code x < 0} is false. */
    private Value signBit(Value x, DType t) {
        TensorType bits = x.type().withElement(t.bits() == 32 ? "i32" : "i64");
        return b.compare("LT", "SIGNED", op1("stablehlo.bitcast_convert", x, bits),
                splat(0, bits, t.bits() == 32 ? DType.S32 : DType.S64));
    }

    /** re or im NaN, as i1. */
    /** The real and imaginary parts of a complex value of type {@code t}, and their tensor type. */
    private record Parts(TensorType type, Value re, Value im) {
    }

    private Parts parts(Value z, DType t) {
        TensorType part = z.type().withElement(TensorType.elementType(t.toReal()));
        return new Parts(part, op1("stablehlo.real", z, part), op1("stablehlo.imag", z, part));
    }

    /** Whether either part is NaN, as i1. */
    private Value eitherNan(Parts p, TensorType pred) {
        return op2("stablehlo.or", b.compare("NE", "FLOAT", p.re(), p.re()), b.compare("NE", "FLOAT", p.im(), p.im()), pred);
    }

    /** Whether either part is ±Inf, as i1. */
    private Value eitherInf(Parts p, DType real, TensorType pred) {
        return op2("stablehlo.or", isInf(p.re(), real), isInf(p.im(), real), pred);
    }

    /** re − i·im as a complex value of type {@code type}. */
    private Value conjugate(Parts p, TensorType type) {
        return op2("stablehlo.complex", p.re(), b.unary("stablehlo.negate", p.im()), type);
    }

    /** |x| == +Inf as i1. */
    private Value isInf(Value x, DType t) {
        return b.compare("EQ", "FLOAT", b.unary("stablehlo.abs", x), splat(Double.POSITIVE_INFINITY, x.type(), t));
    }

    /**
     * {@code atan2(y, x)}, given its flushed answer where both operands are subnormal or 0: XLA:CPU
     * flushes f32/f64 subnormals in arithmetic (DAZ) but its atan2 expansion tells them from 0, so
     * atan2 of two subnormals divided 0 by 0 (NaN). There the answer is atan2(±0, ±0) (±0, or ±π for a
     * negative x), as XLA's other subnormal results are (docs/coverage.md, XLA:CPU differences). The
     * test reads the bits: a float compare is folded without DAZ for a constant operand, and LLVM
     * folds a select of y·0 where y == 0 back to y.
     */
    private Value atan2(Expr.Binary e, Value y, Value x) {
        DType t = e.a().type();
        Value atan2 = b.binary("stablehlo.atan2", y, x);
        if (t != DType.F32 && t != DType.F64) {
            return atan2;
        }
        DType bits = t == DType.F32 ? DType.S32 : DType.S64;
        TensorType integers = TensorType.of(e.shape(), bits);
        Value magnitudeMask = splat(t == DType.F32 ? Integer.MAX_VALUE : Long.MAX_VALUE, integers, bits);
        Value smallestNormal = splat(t == DType.F32 ? Float.floatToRawIntBits(Float.MIN_NORMAL)
                : Double.doubleToRawLongBits(Double.MIN_NORMAL), integers, bits);
        Value intZero = splat(0, integers, bits);
        Value yBits = op1("stablehlo.bitcast_convert", y, integers);
        Value xBits = op1("stablehlo.bitcast_convert", x, integers);
        Value bothFlushed = b.binary("stablehlo.and",
                b.compare("LT", "SIGNED", b.binary("stablehlo.and", yBits, magnitudeMask), smallestNormal),
                b.compare("LT", "SIGNED", b.binary("stablehlo.and", xBits, magnitudeMask), smallestNormal));
        Value yNegative = b.compare("LT", "SIGNED", yBits, intZero);
        Value onZeros = b.select(b.compare("LT", "SIGNED", xBits, intZero),
                b.select(yNegative, splat(-Math.PI, y.type(), t), splat(Math.PI, y.type(), t)),
                b.select(yNegative, splat(-0.0, y.type(), t), splat(0, y.type(), t)));
        return b.select(bothFlushed, onZeros, atan2);
    }

    /** The binary ops beyond arithmetic and comparisons; null for the others. */
    Value binary(Expr.Binary e) {
        Value x = get.apply(e.a());
        Value y = get.apply(e.b());
        DType t = e.a().type();
        return switch (e.op()) {
            case MAX -> extremum(true, x, y, t);
            case MIN -> extremum(false, x, y, t);
            case POW -> t.isInteger() ? integerPow(x, y, t) : t.isComplex() ? complexPow(x, y, t)
                    : b.binary("stablehlo.power", x, y);
            case REMAINDER -> b.binary("stablehlo.remainder", x, y);
            case ATAN2 -> atan2(e, x, y);
            case BITWISE_AND -> b.binary("stablehlo.and", x, y);
            case BITWISE_OR -> b.binary("stablehlo.or", x, y);
            case BITWISE_XOR -> b.binary("stablehlo.xor", x, y);
            case LEFT_SHIFT -> b.binary("stablehlo.shift_left", x, y);
            case RIGHT_SHIFT -> b.binary(t.isUnsigned() ? "stablehlo.shift_right_logical" : "stablehlo.shift_right_arithmetic", x, y);
            case COMPLEX -> op2("stablehlo.complex", x, y, type(e));
            default -> null;
        };
    }

    /**
     * Nx's max or min: NaN when either operand is NaN. XLA:CPU's maximum and minimum drop a NaN
     * second operand (TF 2.18), element-wise and in reduction bodies alike, so for floats the NaN
     * is selected explicitly; every max and min of the lowering goes through here.
     */
    Value extremum(boolean max, Value x, Value y, DType t) {
        if (t.isComplex()) {
            // XLA aborts the process on a complex maximum it constant-folds (window_reduce of a padded empty tensor).
            throw new IllegalArgumentException((max ? "max" : "min") + " is not defined for complex type " + t
                    + ", got operands " + x.type() + " and " + y.type());
        }
        Value m = b.binary(max ? "stablehlo.maximum" : "stablehlo.minimum", x, y);
        if (!t.isFloat()) {
            return m;
        }
        Value r = b.select(b.compare("NE", "FLOAT", x, x), x, m);
        return b.select(b.compare("NE", "FLOAT", y, y), y, r);
    }

    /** A reduction body of two scalars of type {@code t} folding with {@link #extremum}. */
    FunctionBuilder.Region extremumBody(boolean max, DType t) {
        TensorType scalar = TensorType.of(Shape.scalar(), t);
        return new FunctionBuilder.Region(List.of(scalar, scalar), args -> List.of(extremum(max, args.get(0), args.get(1), t)));
    }

    /**
     * Integer pow by squaring over every bit of the exponent, wrapping as the reference backend
     * does. XLA:CPU's own loop stops after six bits ({@code 3^64} gave 1) and gives 0 for a
     * negative exponent unless the base is 1; here a negative exponent gives the truncated
     * {@code 1 / x^-y}: 1 for base 1, ±1 for base -1, else 0.
     */
    private Value integerPow(Value x, Value y, DType t) {
        String cmp = comparisonType(t);
        Value one = splat(1, x.type(), t);
        Value zero = splat(0, x.type(), t);
        Value result = one;
        Value base = x;
        Value exponent = y;
        for (int i = 0; i < t.bits(); i++) {
            Value bit = b.compare("NE", cmp, b.binary("stablehlo.and", exponent, one), zero);
            result = b.select(bit, b.binary("stablehlo.multiply", result, base), result);
            if (i + 1 < t.bits()) {
                base = b.binary("stablehlo.multiply", base, base);
                exponent = b.binary("stablehlo.shift_right_logical", exponent, one);
            }
        }
        if (t.isUnsigned()) {
            return result;
        }
        Value minusOne = splat(-1, x.type(), t);
        Value odd = b.compare("NE", cmp, b.binary("stablehlo.and", y, one), zero);
        Value inverse = b.select(b.compare("EQ", cmp, x, one), one,
                b.select(b.compare("EQ", cmp, x, minusOne), b.select(odd, minusOne, one), zero));
        return b.select(b.compare("LT", cmp, y, zero), inverse, result);
    }

    /** Complex pow with {@code 0^w = 0} for {@code re(w) > 0}, where XLA's exp(w·log 0) gives NaN. */
    private Value complexPow(Value x, Value y, DType t) {
        Value p = b.binary("stablehlo.power", x, y);
        TensorType part = x.type().withElement(TensorType.elementType(t.toReal()));
        Value zero = splat(0, x.type(), t);
        Value positive = b.compare("GT", "FLOAT", op1("stablehlo.real", y, part), splat(0, part, t.toReal()));
        Value zeroBase = b.compare("EQ", "FLOAT", x, zero);
        return b.select(op2("stablehlo.and", zeroBase, positive, positive.type()), zero, p);
    }

    Value select(Expr.Select s) {
        Value p = get.apply(s.pred());
        Value pred = b.compare("NE", comparisonType(s.pred().type()), p, splat(0, p.type(), s.pred().type()));
        return b.select(pred, get.apply(s.onTrue()), get.apply(s.onFalse()));
    }

    Value bitcast(Expr.Bitcast c) {
        return op1("stablehlo.bitcast_convert", get.apply(c.x()), type(c));
    }

    /**
     * {@code stablehlo.sort}, stable, comparing the keys only: {@code LT} (or {@code GT}) with
     * {@code TOTALORDER} for floats, so NaNs and signed zeros have a fixed place.
     */
    Value sort(Expr.Sort s) {
        Value keys = get.apply(s.keys());
        boolean same = s.keys() == s.values();
        List<Value> operands = new ArrayList<>();
        operands.add(keys);
        if (!same) {
            operands.add(get.apply(s.values()));
        }
        List<TensorType> argTypes = new ArrayList<>();
        for (Value v : operands) {
            TensorType scalar = v.type().withDims();
            argTypes.add(scalar);
            argTypes.add(scalar);
        }
        DType kt = s.keys().type();
        String cmp = kt.isInteger() ? comparisonType(kt) : "TOTALORDER";
        FunctionBuilder.Region comparator = new FunctionBuilder.Region(argTypes,
                args -> List.of(b.compare(s.descending() ? "GT" : "LT", cmp, args.get(0), args.get(1))));
        List<TensorType> results = operands.stream().map(Value::type).toList();
        List<Value> sorted = b.regionOp("stablehlo.sort", operands, results, List.of(comparator),
                "{dimension = " + s.axis() + " : i64, is_stable = true}");
        return sorted.get(same ? 0 : 1);
    }
}
