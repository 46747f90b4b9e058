package dev.jnx;

import java.util.List;
import java.util.Objects;

/**
 * Pseudo-random numbers with explicit keys ({@code Nx.Random}): a key is a {@code u32[2]}
 * tensor, every function is pure, and the Threefry-2x32 counter generator yields the same
 * bits as Nx's, on the reference backend and compiled by XLA alike.
 *
 * <p>Everything here is written with jnx's {@link Nx} operations (wrapping u32 additions,
 * xor, shifts), so it works eagerly and inside {@code Defn.jit}. Functions that draw values
 * return a {@link Draw}: the values and the key to use next ({@code {value, new_key}} in Nx).
 * The {@code *Split} variants take a key already split and return the values alone.
 */
public final class Random {
    private Random() {
    }

    /**
     * Random values together with the key for the next draw.
     *
     * @param value the values drawn
     * @param key   the next key (the first half of the split of the key given)
     */
    public record Draw(Tensor value, Tensor key) {
    }

    // Threefry-2x32 rotation constants, alternating per outer round (as Nx and JAX).
    private static final int[][] ROTATIONS = {{13, 15, 26, 6}, {17, 29, 16, 24}};

    // ---------------------------------------------------------------- keys

    /** The key of an integer seed: its high and low 32 bits ({@code Nx.Random.key(seed)}). */
    public static Tensor key(long seed) {
        return key(Nx.scalar(seed, DType.U64));
    }

    /** The key of a u64 or s64 scalar seed tensor (s64 is reinterpreted as u64). */
    public static Tensor key(Tensor seed) {
        Objects.requireNonNull(seed, "Random.key: argument seed");
        if (seed.type() == DType.S64) {
            seed = Nx.bitcast(seed, DType.U64);
        }
        if (seed.type() != DType.U64) {
            throw new IllegalArgumentException("Random.key: expected seed to be an integer, u64 tensor or s64 tensor, got "
                    + seed.type() + seed.shape());
        }
        Tensor hi = Nx.rightShift(seed, Nx.scalar(32, DType.U64));
        Tensor lo = Nx.bitwiseAnd(seed, Nx.scalar(0xFFFF_FFFFL, DType.U64));
        return Kernel.stopGrad(Nx.asType(Nx.stack(List.of(hi, lo)), DType.U32));
    }

    /** Two new keys, as a {@code u32[2][2]} tensor ({@code Nx.Random.split(key)}). */
    public static Tensor split(Tensor key) {
        Objects.requireNonNull(key, "Random.split: argument key");
        return split(key, 2);
    }

    /** {@code parts} new keys, as a {@code u32[parts][2]} tensor ({@code Nx.Random.split(key, parts: n)}). */
    public static Tensor split(Tensor key, int parts) {
        Objects.requireNonNull(key, "Random.split: argument key");
        assertKey("split", key);
        if (parts < 1) {
            throw new IllegalArgumentException("Random.split: parts must be positive, got " + parts);
        }
        return Kernel.stopGrad(threefry2x32(key, Shape.of(parts, 2)));
    }

    /**
     * Folds integer {@code data} into a key ({@code Nx.Random.fold_in}): one new key per element,
     * of shape {@code data.shape ++ [2]}.
     */
    public static Tensor foldIn(Tensor key, Tensor data) {
        Objects.requireNonNull(key, "Random.fold_in: argument key");
        Objects.requireNonNull(data, "Random.fold_in: argument data");
        assertKey("foldIn", key);
        if (!data.type().isInteger()) {
            throw new IllegalArgumentException("Random.foldIn: expected integer data, got " + data.type() + data.shape());
        }
        Tensor d = Nx.reshape(Nx.asType(data, DType.U64), Shape.of(data.shape().intSize("Random.foldIn", data.type())));
        Tensor hi = Nx.asType(Nx.rightShift(d, Nx.scalar(32, DType.U64)), DType.U32);
        Tensor lo = Nx.asType(Nx.bitwiseAnd(d, Nx.scalar(0xFFFF_FFFFL, DType.U64)), DType.U32);
        Tensor[] x = threefry2x32Pair(hi, lo, key);
        int[] dims = new int[data.rank() + 1];
        System.arraycopy(data.shape().dims(), 0, dims, 0, data.rank());
        dims[data.rank()] = 2;
        return Kernel.stopGrad(Nx.reshape(Nx.stack(List.of(x[0], x[1]), -1), Shape.of(dims)));
    }

    /** {@link #foldIn(Tensor, Tensor)} with a single integer. */
    public static Tensor foldIn(Tensor key, long data) {
        Objects.requireNonNull(key, "Random.fold_in: argument key");
        return foldIn(key, Nx.scalar(data, DType.S64));
    }

    // ---------------------------------------------------------------- uniform

    /** One f32 in [0, 1) ({@code Nx.Random.uniform(key)}). */
    public static Draw uniform(Tensor key) {
        Objects.requireNonNull(key, "Random.uniform: argument key");
        return uniform(key, Shape.scalar(), DType.F32);
    }

    /** Values in [0, 1) of {@code shape} and float or complex {@code type}. */
    public static Draw uniform(Tensor key, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.uniform: argument key");
        Objects.requireNonNull(shape, "Random.uniform: argument shape");
        Objects.requireNonNull(type, "Random.uniform: argument type");
        return uniform(key, shape, type, 0.0, 1.0);
    }

    /**
     * Values in [min, max) of {@code shape} and float or complex {@code type}
     * ({@code Nx.Random.uniform(key, min, max, shape:, type:)}); min and max are numbers or
     * tensors broadcastable to {@code shape}.
     */
    public static Draw uniform(Tensor key, Shape shape, DType type, Object min, Object max) {
        Objects.requireNonNull(key, "Random.uniform: argument key");
        Objects.requireNonNull(shape, "Random.uniform: argument shape");
        Objects.requireNonNull(type, "Random.uniform: argument type");
        Objects.requireNonNull(min, "Random.uniform: argument min");
        Objects.requireNonNull(max, "Random.uniform: argument max");
        Tensor keys = split(key);
        return new Draw(uniformSplit(row(keys, 1), shape, type, min, max), row(keys, 0));
    }

    /** {@link #uniform(Tensor, Shape, DType, Object, Object)} on a key already split: the values alone. */
    public static Tensor uniformSplit(Tensor key, Shape shape, DType type, Object min, Object max) {
        Objects.requireNonNull(key, "Random.uniform_split: argument key");
        Objects.requireNonNull(shape, "Random.uniform_split: argument shape");
        Objects.requireNonNull(type, "Random.uniform_split: argument type");
        Objects.requireNonNull(min, "Random.uniform_split: argument min");
        Objects.requireNonNull(max, "Random.uniform_split: argument max");
        assertKey("uniform", key);
        return Kernel.stopGrad(floatOrComplex("uniform", type, shape, (t, s) -> {
            int nbits = t.bits();
            DType ut = DType.of(DType.Kind.UNSIGNED, nbits);
            Tensor uOne = Nx.bitcast(Nx.scalar(1.0, t), ut);
            Tensor lo = typed(min, t);
            Tensor hi = typed(max, t);
            Tensor bits = randomBits(key, s, nbits);
            bits = Nx.bitwiseOr(Nx.rightShift(bits, Nx.scalar(nbits - mantissa(t), ut)), uOne);
            Tensor f = Nx.subtract(Nx.bitcast(bits, t), Nx.scalar(1.0, t));
            f = Nx.max(Nx.add(Nx.multiply(f, Nx.subtract(hi, lo)), lo), lo);
            return Nx.reshape(f, s);
        }));
    }

    // ---------------------------------------------------------------- normal

    /** One standard normal f32 ({@code Nx.Random.normal(key)}). */
    public static Draw normal(Tensor key) {
        Objects.requireNonNull(key, "Random.normal: argument key");
        return normal(key, Shape.scalar(), DType.F32);
    }

    /** Standard normal values of {@code shape} and float or complex {@code type}. */
    public static Draw normal(Tensor key, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.normal: argument key");
        Objects.requireNonNull(shape, "Random.normal: argument shape");
        Objects.requireNonNull(type, "Random.normal: argument type");
        return normal(key, shape, type, 0.0, 1.0);
    }

    /**
     * Normal values with the given mean and standard deviation (numbers or tensors)
     * ({@code Nx.Random.normal(key, mean, std, shape:, type:)}): {@code sqrt(2)·erfInv(u)} of a
     * uniform u in (-1, 1). Complex types draw real and imaginary parts independently.
     */
    public static Draw normal(Tensor key, Shape shape, DType type, Object mean, Object standardDeviation) {
        Objects.requireNonNull(key, "Random.normal: argument key");
        Objects.requireNonNull(shape, "Random.normal: argument shape");
        Objects.requireNonNull(type, "Random.normal: argument type");
        Objects.requireNonNull(mean, "Random.normal: argument mean");
        Objects.requireNonNull(standardDeviation, "Random.normal: argument standardDeviation");
        Tensor keys = split(key);
        return new Draw(normalSplit(row(keys, 1), shape, type, mean, standardDeviation), row(keys, 0));
    }

    /** {@link #normal(Tensor, Shape, DType, Object, Object)} on a key already split: the values alone. */
    public static Tensor normalSplit(Tensor key, Shape shape, DType type, Object mean, Object standardDeviation) {
        Objects.requireNonNull(key, "Random.normal_split: argument key");
        Objects.requireNonNull(shape, "Random.normal_split: argument shape");
        Objects.requireNonNull(type, "Random.normal_split: argument type");
        Objects.requireNonNull(mean, "Random.normal_split: argument mean");
        Objects.requireNonNull(standardDeviation, "Random.normal_split: argument standardDeviation");
        assertKey("normal", key);
        return Kernel.stopGrad(floatOrComplex("normal", type, shape, (t, s) -> {
            Tensor u = uniformSplit(key, s, t, nextAfterMinusOne(t), 1);
            Tensor n = Nx.multiply(Nx.sqrt(Nx.scalar(2, t)), Nx.erfInv(u));
            return Nx.add(Nx.multiply(typed(standardDeviation, t), n), typed(mean, t));
        }));
    }

    // ---------------------------------------------------------------- randint

    /** One integer in [min, max) of the type of the bounds ({@code Nx.Random.randint(key, min, max)}). */
    public static Draw randint(Tensor key, Object min, Object max) {
        Objects.requireNonNull(key, "Random.randint: argument key");
        Objects.requireNonNull(min, "Random.randint: argument min");
        Objects.requireNonNull(max, "Random.randint: argument max");
        return randint(key, min, max, Shape.scalar(), DType.merge(asTensor(min).type(), asTensor(max).type()));
    }

    /** Integers in [min, max) (numbers or tensors broadcastable to {@code shape}) of integer {@code type}. */
    public static Draw randint(Tensor key, Object min, Object max, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.randint: argument key");
        Objects.requireNonNull(min, "Random.randint: argument min");
        Objects.requireNonNull(max, "Random.randint: argument max");
        Objects.requireNonNull(shape, "Random.randint: argument shape");
        Objects.requireNonNull(type, "Random.randint: argument type");
        Tensor keys = split(key);
        return new Draw(randintSplit(row(keys, 1), min, max, shape, type), row(keys, 0));
    }

    /** {@link #randint(Tensor, Object, Object, Shape, DType)} on a key already split: the values alone. */
    public static Tensor randintSplit(Tensor key, Object min, Object max, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.randint_split: argument key");
        Objects.requireNonNull(min, "Random.randint_split: argument min");
        Objects.requireNonNull(max, "Random.randint_split: argument max");
        Objects.requireNonNull(shape, "Random.randint_split: argument shape");
        Objects.requireNonNull(type, "Random.randint_split: argument type");
        assertKey("randint", key);
        if (!type.isInteger()) {
            throw new IllegalArgumentException("Random.randint: expected integer type, got type " + type);
        }
        int nbits = type.bits();
        DType ut = DType.of(DType.Kind.UNSIGNED, nbits);
        Tensor lo = Nx.broadcast(asTensor(min), shape);
        Tensor hi = Nx.broadcast(asTensor(max), shape);
        int[] dims = new int[shape.rank() + 1];
        dims[0] = 2;
        System.arraycopy(shape.dims(), 0, dims, 1, shape.rank());
        Tensor bits = randomBits(key, Shape.of(dims), nbits);
        Tensor higher = row(bits, 0);
        Tensor lower = row(bits, 1);
        Tensor span = Nx.asType(Nx.subtract(hi, lo), ut);
        // (2^(nbits/2) mod span)^2 mod span, in the types Nx's expression gives (u64 base, s32 exponent)
        Tensor multiplier = Nx.pow(Nx.scalar(2, DType.U64), Nx.scalar(nbits / 2, DType.S32));
        multiplier = Nx.remainder(Nx.pow(Nx.remainder(multiplier, span), 2), span);
        Tensor offset = Nx.multiply(Nx.remainder(higher, span), multiplier);
        offset = Nx.remainder(Nx.add(offset, Nx.remainder(lower, span)), span);
        return Kernel.stopGrad(Nx.reshape(Nx.asType(Nx.add(lo, offset), type), shape));
    }

    // ---------------------------------------------------------------- gumbel

    /** Gumbel samples {@code -log(-log(u))} of {@code shape} and float {@code type} ({@code Nx.Random.gumbel}). */
    public static Draw gumbel(Tensor key, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.gumbel: argument key");
        Objects.requireNonNull(shape, "Random.gumbel: argument shape");
        Objects.requireNonNull(type, "Random.gumbel: argument type");
        Tensor keys = split(key);
        return new Draw(gumbelSplit(row(keys, 1), shape, type), row(keys, 0));
    }

    /** {@link #gumbel(Tensor, Shape, DType)} on a key already split: the values alone. */
    public static Tensor gumbelSplit(Tensor key, Shape shape, DType type) {
        Objects.requireNonNull(key, "Random.gumbel_split: argument key");
        Objects.requireNonNull(shape, "Random.gumbel_split: argument shape");
        Objects.requireNonNull(type, "Random.gumbel_split: argument type");
        if (!type.isFloat()) {
            throw new IllegalArgumentException("Random.gumbel: output type must be floating-point, got: " + type);
        }
        Tensor u = uniformSplit(key, shape, type, smallestPositiveNormal(type), 1);
        return Kernel.stopGrad(Nx.negate(Nx.log(Nx.negate(Nx.log(u)))));
    }

    // ---------------------------------------------------------------- shuffle, choice

    /** {@code tensor} with its slices along axis 0 in random order ({@code Nx.Random.shuffle}). */
    public static Draw shuffle(Tensor key, Tensor tensor) {
        Objects.requireNonNull(key, "Random.shuffle: argument key");
        Objects.requireNonNull(tensor, "Random.shuffle: argument tensor");
        return shuffle(key, tensor, 0, false);
    }

    /**
     * {@code tensor} with its slices along {@code axis} in random order; with {@code independent},
     * each lane along {@code axis} gets its own permutation ({@code Nx.Random.shuffle(key, t, axis:, independent:)}).
     */
    public static Draw shuffle(Tensor key, Tensor tensor, int axis, boolean independent) {
        Objects.requireNonNull(key, "Random.shuffle: argument key");
        Objects.requireNonNull(tensor, "Random.shuffle: argument tensor");
        assertKey("shuffle", key);
        int ax = tensor.shape().normalizeAxis(axis, "Random.shuffle");
        if (independent) {
            return shuffleIndependent(key, tensor, ax);
        }
        Draw idx = shuffleIndependent(key, Nx.iota(Shape.of(tensor.shape().dim(ax)), DType.S32), 0);
        return new Draw(Nx.take(tensor, idx.value(), ax), idx.key());
    }

    /**
     * {@code samples} elements of {@code tensor} drawn uniformly ({@code Nx.Random.choice(key, t, samples:,
     * axis:, replace:)}); a null {@code axis} flattens the tensor first.
     */
    public static Draw choice(Tensor key, Tensor tensor, int samples, Integer axis, boolean replace) {
        Objects.requireNonNull(key, "Random.choice: argument key");
        Objects.requireNonNull(tensor, "Random.choice: argument tensor");
        Choice c = validateChoice(tensor, samples, axis, replace);
        Tensor t = Nx.reshape(tensor, c.shape);
        if (replace) {
            Draw idx = randint(key, 0, c.inputs, Shape.of(samples), DType.U32);
            return new Draw(Nx.take(t, idx.value(), c.axis), idx.key());
        }
        Draw shuffled = shuffle(key, t, c.axis, false);
        return new Draw(Nx.sliceAlongAxis(shuffled.value(), 0, samples, c.axis), shuffled.key());
    }

    /** One element of the flattened {@code tensor}, drawn uniformly ({@code Nx.Random.choice(key, t)}). */
    public static Draw choice(Tensor key, Tensor tensor) {
        Objects.requireNonNull(key, "Random.choice: argument key");
        Objects.requireNonNull(tensor, "Random.choice: argument tensor");
        return choice(key, tensor, 1, null, true);
    }

    /**
     * {@code samples} elements of {@code tensor} drawn with probabilities {@code p} (rank 1, one per
     * element along {@code axis}) ({@code Nx.Random.choice(key, t, p, samples:, axis:, replace:)}).
     */
    public static Draw choice(Tensor key, Tensor tensor, Tensor p, int samples, Integer axis, boolean replace) {
        Objects.requireNonNull(key, "Random.choice: argument key");
        Objects.requireNonNull(tensor, "Random.choice: argument tensor");
        Objects.requireNonNull(p, "Random.choice: argument p");
        Choice c = validateChoice(tensor, samples, axis, replace);
        Tensor t = Nx.reshape(tensor, c.shape);
        if (p.rank() != 1) {
            throw new IllegalArgumentException("Random.choice: probability tensor must have rank 1, got: " + p.rank());
        }
        if (p.size() != t.shape().dim(c.axis)) {
            throw new IllegalArgumentException("Random.choice: probability tensor of size " + p.size()
                    + " is expected to have size " + t.shape().dim(c.axis));
        }
        if (replace) {
            Tensor cum = Nx.cumulativeSum(p);
            Draw u = uniform(key, Shape.of(samples), cum.type());
            Tensor last = Nx.reshape(Nx.slice(cum, new int[] {cum.size() - 1}, new int[] {1}), Shape.scalar());
            Tensor r = Nx.multiply(last, Nx.subtract(Nx.scalar(1, cum.type()), u.value()));
            // a linear searchsorted, as Nx: the first index whose cumulative sum exceeds r
            Tensor le = Nx.lessEqual(Nx.newAxis(cum, 0), Nx.newAxis(r, 1));
            Tensor idx = Nx.argmin(le, 1, false, false, DType.S32);
            return new Draw(Nx.take(t, idx, c.axis), u.key());
        }
        Draw g = gumbel(key, Shape.of(c.inputs), p.type());
        Tensor scores = Nx.subtract(Nx.negate(g.value()), Nx.log(p));
        Tensor idx = Nx.sliceAlongAxis(Nx.argsort(scores), 0, samples, 0);
        return new Draw(Nx.take(t, idx, c.axis), g.key());
    }

    // ---------------------------------------------------------------- internals

    private record Choice(Shape shape, int inputs, int axis) {
    }

    private static Choice validateChoice(Tensor tensor, int samples, Integer axis, boolean replace) {
        if (tensor.rank() < 1) {
            throw new IllegalArgumentException("Random.choice: tensor must have rank 1 or greater, got " + tensor.type()
                    + tensor.shape());
        }
        if (samples < 1) {
            throw new IllegalArgumentException("Random.choice: must take at least one sample, got samples=" + samples);
        }
        Shape shape = axis == null ? Shape.of(tensor.shape().intSize("Random.choice", tensor.type())) : tensor.shape();
        int ax = axis == null ? 0 : tensor.shape().normalizeAxis(axis, "Random.choice");
        int inputs = shape.dim(ax);
        if (!replace && samples > inputs) {
            throw new IllegalArgumentException("Random.choice: cannot take more samples (" + samples
                    + ") than the input size (" + inputs + ") when replace is false");
        }
        return new Choice(shape, inputs, ax);
    }

    private static Draw shuffleIndependent(Tensor key, Tensor tensor, int axis) {
        // Nx's (and JAX's) round count, computed in f32 as Nx does: enough sort rounds that
        // collisions of the 32-bit sort keys are unlikely.
        int size = tensor.shape().intSize("Random.shuffle", tensor.type());
        float rounds = (float) Math.ceil((float) (3 * (float) Math.log(size)) / (float) Math.log(4294967295.0));
        int n = size == 0 || Float.isNaN(rounds) || rounds < 0 ? 0 : (int) rounds;
        Tensor out = tensor;
        for (int i = 0; i < n; i++) {
            Tensor keys = split(key);
            Tensor sortKeys = randomBits(row(keys, 1), out.shape(), 32);
            out = Nx.takeAlongAxis(out, Nx.argsort(sortKeys, axis, false), axis);
            key = row(keys, 0);
        }
        return new Draw(out, key);
    }

    /** Random bits of {@code shape} as u{bitWidth} (Nx's {@code random_bits}). */
    private static Tensor randomBits(Tensor key, Shape shape, int bitWidth) {
        Tensor bits;
        if (bitWidth == 64) {
            Tensor b = Nx.asType(threefry2x32(key, Shape.of(2, shape.intSize("Random bits", DType.U64))), DType.U64);
            bits = Nx.reshape(Nx.bitwiseOr(Nx.leftShift(row(b, 0), Nx.scalar(32, DType.U64)), row(b, 1)), shape);
        } else {
            bits = threefry2x32(key, shape);
            if (bitWidth != 32) {
                bits = Nx.asType(bits, DType.of(DType.Kind.UNSIGNED, bitWidth));
            }
        }
        return Kernel.stopGrad(bits);
    }

    /** Threefry-2x32 of the counters 0, 1, ..., size-1 under {@code key}, as u32 of {@code shape}. */
    private static Tensor threefry2x32(Tensor key, Shape shape) {
        int n = shape.intSize("Random bits", DType.U32);
        if (n == 0) {
            return Nx.broadcast(Nx.scalar(0, DType.U32), shape);
        }
        // Nx pads an odd count with one 0 counter, splits the counters in two halves (the two
        // words of each block), and drops the padding's output.
        int half = (n + 1) / 2;
        Tensor x0 = Nx.iota(Shape.of(half), DType.U32);
        Tensor x1 = Nx.add(Nx.iota(Shape.of(n / 2), DType.U32), Nx.scalar(half, DType.U32));
        if (n % 2 == 1) {
            x1 = Nx.concatenate(List.of(x1, Nx.tensor(new int[] {0}, DType.U32)));
        }
        Tensor[] y = threefry2x32Pair(x0, x1, key);
        Tensor out = Nx.concatenate(List.of(y[0], y[1]));
        if (n % 2 == 1) {
            out = Nx.slice(out, new int[] {0}, new int[] {n});
        }
        return Nx.reshape(out, shape);
    }

    /** The 20-round Threefry-2x32 block function on word pairs (x0[i], x1[i]) under {@code key}. */
    private static Tensor[] threefry2x32Pair(Tensor x0, Tensor x1, Tensor key) {
        Tensor k1 = Nx.reshape(Nx.slice(key, new int[] {0}, new int[] {1}), Shape.scalar());
        Tensor k2 = Nx.reshape(Nx.slice(key, new int[] {1}, new int[] {1}), Shape.scalar());
        Tensor[] ks = {k2, Nx.bitwiseXor(Nx.bitwiseXor(k1, k2), Nx.scalar(0x1BD11BDA, DType.U32)), k1};
        x0 = Nx.add(x0, k1);
        x1 = Nx.add(x1, k2);
        // Nx rolls these loops in while ops; unrolled here, the bits are the same and XLA
        // fuses the straight-line code well.
        for (int i = 1; i <= 5; i++) {
            for (int r : ROTATIONS[(i - 1) % 2]) {
                x0 = Nx.add(x0, x1);
                x1 = Nx.bitwiseXor(rotateLeft(x1, r), x0);
            }
            x0 = Nx.add(ks[0], x0);
            x1 = Nx.add(Nx.add(ks[1], Nx.scalar(i, DType.U32)), x1);
            ks = new Tensor[] {ks[1], ks[2], ks[0]};
        }
        return new Tensor[] {x0, x1};
    }

    private static Tensor rotateLeft(Tensor x, int r) {
        return Nx.bitwiseOr(Nx.leftShift(x, Nx.scalar(r, DType.U32)), Nx.rightShift(x, Nx.scalar(32 - r, DType.U32)));
    }

    /** Runs {@code fn} on the real type; a complex type takes real and imaginary parts from a trailing axis of 2. */
    private static Tensor floatOrComplex(String op, DType type, Shape shape,
                                         java.util.function.BiFunction<DType, Shape, Tensor> fn) {
        if (type.isFloat()) {
            return fn.apply(type, shape);
        }
        if (!type.isComplex()) {
            throw new IllegalArgumentException("Random." + op + ": expected float or complex type, got type " + type);
        }
        int[] dims = new int[shape.rank() + 1];
        System.arraycopy(shape.dims(), 0, dims, 0, shape.rank());
        dims[shape.rank()] = 2;
        Tensor data = fn.apply(type.toReal(), Shape.of(dims));
        // Nx takes dot(data, [1, i]); x·1 + y·i gives exactly complex(x, y) for finite values.
        Tensor re = Nx.reshape(Nx.sliceAlongAxis(data, 0, 1, shape.rank()), shape);
        Tensor im = Nx.reshape(Nx.sliceAlongAxis(data, 1, 1, shape.rank()), shape);
        return Nx.complex(re, im);
    }

    private static int mantissa(DType t) {
        return switch (t) {
            case BF16 -> 7;
            case F16 -> 10;
            case F32 -> 23;
            case F64 -> 52;
            default -> throw new IllegalArgumentException("expected float type, got type " + t);
        };
    }

    /** The float of type {@code t} just above -1. */
    private static double nextAfterMinusOne(DType t) {
        return switch (t) {
            case BF16 -> Float.intBitsToFloat(0xBF7F0000);
            case F16 -> Float.float16ToFloat((short) 0xBBFF);
            case F32 -> Math.nextUp(-1.0f);
            case F64 -> Math.nextUp(-1.0);
            default -> throw new IllegalArgumentException("expected float type, got type " + t);
        };
    }

    private static double smallestPositiveNormal(DType t) {
        return switch (t) {
            case BF16, F32 -> Float.MIN_NORMAL;
            case F16 -> 0x1p-14;
            case F64 -> Double.MIN_NORMAL;
            default -> throw new IllegalArgumentException("expected float type, got type " + t);
        };
    }

    /** Element {@code i} along axis 0, without that axis ({@code t[i]} in Nx). */
    private static Tensor row(Tensor t, int i) {
        int[] starts = new int[t.rank()];
        int[] lengths = t.shape().dims().clone();
        starts[0] = i;
        lengths[0] = 1;
        int[] rest = new int[t.rank() - 1];
        System.arraycopy(t.shape().dims(), 1, rest, 0, rest.length);
        return Nx.reshape(Nx.slice(t, starts, lengths), Shape.of(rest));
    }

    private static Tensor asTensor(Object v) {
        return switch (v) {
            case Tensor t -> t;
            case Number n -> Nx.scalar(n);
            default -> throw new IllegalArgumentException("expected a number or a tensor, got " + v);
        };
    }

    private static Tensor typed(Object v, DType t) {
        return v instanceof Number n ? Nx.scalar(n, t) : Nx.asType(asTensor(v), t);
    }

    private static void assertKey(String op, Tensor key) {
        if (key.rank() != 1 || key.shape().dim(0) != 2) {
            throw new IllegalArgumentException("Random." + op + ": expected key to have shape [2], got tensor with shape "
                    + key.shape());
        }
        if (key.type() != DType.U32) {
            throw new IllegalArgumentException("Random." + op
                    + ": expected key with 32-bit unsigned integer type, got key with type " + key.type());
        }
    }
}
