package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.TracedFunction;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lowers a {@link TracedFunction} to a StableHLO module in MLIR text, the form PJRT plugins
 * compile: {@code module @jit_<name> { func.func public @main(...) -> (...) { ... } }}.
 *
 * <p>One pass over the graph, operands before users (iterative, so any depth is fine); a node
 * shared by several users is emitted once. Each primitive has its rule in an exhaustive
 * {@code switch}, so a new {@link Expr} primitive is a compile error here until it has one.
 * Nx predicates are {@code u8}: comparisons compare to {@code i1} and convert to {@code ui8}.
 */
public final class StableHlo {
    /** Constants with more elements than this are written as one hex blob of their bytes. */
    private static final int BLOB_THRESHOLD = 256;

    private final FunctionBuilder builder;
    /** Lowers the shape and indexing primitives. */
    private final LowerIndexing indexing;
    /** Lowers the element-wise math, select, bitcast and sort primitives. */
    private final LowerElementwise elementwise;
    /** Values of the graph or region being lowered; a region gets its own, seeded with its inputs. */
    private Map<Expr, Value> values = new IdentityHashMap<>();
    private Map<Expr.Multi, List<Value>> multis = new IdentityHashMap<>();
    private final TracedFunction function;
    /** Constants of the graph read as arguments of {@code @main}, after the parameters. */
    private final List<Expr.Constant> captured;

    private StableHlo(TracedFunction function, List<Expr.Constant> captured) {
        this.function = function;
        this.captured = captured;
        List<TensorType> params = new ArrayList<>(function.parameters().size() + captured.size());
        for (Expr.Parameter p : function.parameters()) {
            params.add(TensorType.of(p.shape(), p.type()));
        }
        for (Expr.Constant c : captured) {
            params.add(type(c));
        }
        this.builder = new FunctionBuilder(moduleName(function.name()), params);
        this.elementwise = new LowerElementwise(builder, this::get);
        this.indexing = new LowerIndexing(builder, this::get, elementwise);
    }

    /**
     * The StableHLO module of {@code function}, named {@code jit_<name>} with its entry point
     * {@code @main} taking the parameters in order and returning the outputs in order.
     *
     * @throws IllegalArgumentException if the graph uses something StableHLO lowering cannot
     *                                  express (a complex max, a foreign parameter, ...)
     */
    public static String lower(TracedFunction function) {
        return lower(function, FunctionBuilder.Partitioning.NONE);
    }

    /**
     * The module of {@code function} whose {@code @main} also takes {@code captured}, constants
     * of its graph outside any region, as arguments after the parameters (closure conversion:
     * their values are passed at each call instead of written into the module).
     */
    static String lower(TracedFunction function, List<Expr.Constant> captured) {
        return new StableHlo(function, captured).run(FunctionBuilder.Partitioning.NONE);
    }

    /** The module of {@code function} split over devices as {@code partitioning} says. */
    static String lower(TracedFunction function, FunctionBuilder.Partitioning partitioning) {
        return new StableHlo(function, List.of()).run(partitioning);
    }

    /** The module symbol for a function name: {@code jit_} then the name with odd characters as {@code _}. */
    public static String moduleName(String functionName) {
        StringBuilder s = new StringBuilder("jit_");
        for (int i = 0; i < functionName.length(); i++) {
            char c = functionName.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
            s.append(ok ? c : '_');
        }
        return s.toString();
    }

    private String run(FunctionBuilder.Partitioning partitioning) {
        for (int k = 0; k < captured.size(); k++) {
            values.put(captured.get(k), builder.argument(function.parameters().size() + k));
        }
        for (Expr e : Graph.postOrder(function.outputs(), values.keySet())) {
            put(e);
        }
        List<Value> results = new ArrayList<>(function.outputs().size());
        for (Expr out : function.outputs()) {
            results.add(values.get(out));
        }
        return builder.finish(results, donations(), partitioning);
    }

    /**
     * How each donated parameter is offered to XLA: the index of the first unclaimed output of
     * its type and shape (its buffer can become that output's, {@code tf.aliasing_output}), or
     * -1 when none matches (XLA may still use it for temporaries, {@code jax.buffer_donor}).
     */
    private Map<Integer, Integer> donations() {
        Map<Integer, Integer> aliases = new java.util.TreeMap<>();
        boolean[] claimed = new boolean[function.outputs().size()];
        for (int p : function.donated()) {
            Expr.Parameter param = function.parameters().get(p);
            int match = -1;
            for (int j = 0; j < claimed.length && match < 0; j++) {
                Expr out = function.outputs().get(j);
                if (!claimed[j] && out.type() == param.type() && out.shape().equals(param.shape())) {
                    match = j;
                    claimed[j] = true;
                }
            }
            aliases.put(p, match);
        }
        return aliases;
    }

    private Value get(Expr e) {
        return values.get(e);
    }

    private Value lower(Expr e) {
        if (e.shape().size() == 0 && !(e instanceof Expr.Parameter)) {
            // An empty result needs no computation, and XLA mishandles many empty forms: a gather
            // from a zero-size axis is an invalid module, empty gathers of takeAlongAxis and
            // makeDiagonal are refused, folding an empty scatter crashes the canonicalizer.
            return builder.constant("", type(e));
        }
        return switch (e) {
            case Expr.Parameter p -> parameter(p);
            case Expr.Constant c -> builder.constant(denseLiteral(c.value()), type(c));
            case Expr.Iota i -> iota(i);
            case Expr.Unary u -> elementwise.unary(u);
            case Expr.Select s -> elementwise.select(s);
            case Expr.Bitcast c -> elementwise.bitcast(c);
            case Expr.Sort s -> elementwise.sort(s);
            case Expr.ReduceFn r -> reduceFn(r);
            case Expr.Binary b -> binary(b);
            case Expr.Reduce r -> reduce(r);
            case Expr.Dot d -> builder.dotGeneral(get(d.a()), get(d.b()), d.batchA(), d.batchB(),
                    d.contractA(), d.contractB(), type(d));
            case Expr.Reshape r -> reshapeIfNeeded(get(r.x()), type(r));
            case Expr.Transpose t -> builder.transpose(get(t.x()), t.axes(), type(t));
            case Expr.Broadcast b -> builder.broadcastInDim(get(b.x()), b.axes(), type(b));
            case Expr.Convert c -> convert(c);
            case Expr.StopGrad sg -> get(sg.x());
            case Expr.Metadata m -> get(m.x());
            case Expr.CustomGrad cg -> get(cg.x());
            case Expr.Slice s -> indexing.slice(s);
            case Expr.DynamicSlice s -> indexing.dynamicSlice(s);
            case Expr.DynamicUpdateSlice s -> indexing.dynamicUpdateSlice(s);
            case Expr.Pad p -> indexing.pad(p);
            case Expr.Concatenate c -> indexing.concatenate(c);
            case Expr.Reverse r -> indexing.reverse(r);
            case Expr.Gather g -> indexing.gather(g);
            case Expr.Scatter s -> indexing.scatter(s);
            case Expr.Conv c -> indexing.conv(c);
            case Expr.ReduceWindow w -> indexing.reduceWindow(w);
            case Expr.ReduceWindowFn w -> reduceWindowFn(w);
            case Expr.SelectAndScatter s -> indexing.selectAndScatter(s);
            case Expr.Fft f -> builder.generic("stablehlo.fft", List.of(get(f.x())), "{fft_type = #stablehlo<fft_type "
                    + (f.inverse() ? "IFFT" : "FFT") + ">, fft_length = array<i64: " + f.shape().dim(f.shape().rank() - 1)
                    + ">}", type(f));
            // XLA leaves the other triangle unspecified: LinAlg masks it (lowers to a select).
            case Expr.Cholesky c -> builder.generic("stablehlo.cholesky", List.of(get(c.x())), "{lower = true}", type(c));
            case Expr.TriangularSolve t -> builder.generic("stablehlo.triangular_solve", List.of(get(t.a()), get(t.b())),
                    "{left_side = " + t.leftSide() + ", lower = " + t.lower() + ", transpose_a = #stablehlo<transpose "
                    + (t.transposeA() ? "TRANSPOSE" : "NO_TRANSPOSE") + ">, unit_diagonal = false}", type(t));
            case Expr.Element el -> multis.get(el.source()).get(el.index());
            case Expr.Multi m -> throw new IllegalStateException(m.getClass().getSimpleName() + " is lowered by put");
        };
    }

    /** Lowers {@code e}; a node with several results keeps them apart, for its elements. */
    private void put(Expr e) {
        if (e instanceof Expr.Multi m) {
            multis.put(m, switch (m) {
                case Expr.While w -> whileLoop(w);
                case Expr.Cond c -> cond(c);
            });
        } else {
            values.put(e, lower(e));
        }
    }

    /**
     * {@code stablehlo.while} carrying the state and, unchanged, the values both regions
     * capture, so that each region reads only its own block arguments.
     */
    private List<Value> whileLoop(Expr.While w) {
        List<Value> carried = new ArrayList<>();
        w.initial().forEach(e -> carried.add(get(e)));
        w.condition().captured().forEach(e -> carried.add(get(e)));
        w.body().captured().forEach(e -> carried.add(get(e)));
        List<TensorType> types = carried.stream().map(Value::type).toList();
        int n = w.initial().size();
        int nc = w.condition().captured().size();
        FunctionBuilder.Region condition = new FunctionBuilder.Region(types, args -> {
            Value p = region(w.condition(), seeds(w.condition(), args.subList(0, n), args.subList(n, n + nc))).get(0);
            return List.of(builder.compare("NE", "UNSIGNED", p, builder.constant("0", p.type())));
        });
        FunctionBuilder.Region body = new FunctionBuilder.Region(types, args -> {
            List<Value> out = new ArrayList<>(region(w.body(), seeds(w.body(), args.subList(0, n), args.subList(n + nc, args.size()))));
            out.addAll(args.subList(n, args.size()));
            return out;
        });
        return builder.regionOp("stablehlo.while", carried, types, List.of(condition, body)).subList(0, n);
    }

    /** {@code stablehlo.case}; branches read captured values of the enclosing function directly. */
    private List<Value> cond(Expr.Cond c) {
        Value index = get(c.index());
        List<TensorType> results = c.outputs().stream().map(StableHlo::type).toList();
        List<FunctionBuilder.Region> branches = new ArrayList<>();
        for (Expr.Region r : c.branches()) {
            List<Value> captured = r.captured().stream().map(this::get).toList();
            branches.add(new FunctionBuilder.Region(List.of(), args -> region(r, seeds(r, List.of(), captured))));
        }
        return builder.regionOp("stablehlo.case", List.of(index), results, branches);
    }

    private static Map<Expr, Value> seeds(Expr.Region r, List<Value> params, List<Value> captured) {
        Map<Expr, Value> seeds = new IdentityHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            seeds.put(r.parameters().get(i), params.get(i));
        }
        for (int i = 0; i < captured.size(); i++) {
            seeds.put(r.captured().get(i), captured.get(i));
        }
        return seeds;
    }

    /** Lowers a region's graph in a scope of its own; returns the values of its outputs. */
    private List<Value> region(Expr.Region r, Map<Expr, Value> seeds) {
        Map<Expr, Value> outerValues = values;
        Map<Expr.Multi, List<Value>> outerMultis = multis;
        values = new IdentityHashMap<>(seeds);
        multis = new IdentityHashMap<>();
        try {
            for (Expr e : Graph.postOrder(r.outputs(), seeds.keySet())) {
                put(e);
            }
            return r.outputs().stream().map(values::get).toList();
        } finally {
            values = outerValues;
            multis = outerMultis;
        }
    }

    private Value parameter(Expr.Parameter p) {
        List<Expr.Parameter> ps = function.parameters();
        if (p.index() < 0 || p.index() >= ps.size() || !ps.get(p.index()).shape().equals(p.shape())
                || ps.get(p.index()).type() != p.type()) {
            throw new IllegalArgumentException(function.name() + ": the graph reads parameter " + p.index()
                    + " " + p.type() + p.shape() + ", which is not among the function's " + ps.size() + " parameters");
        }
        return builder.argument(p.index());
    }

    private Value iota(Expr.Iota i) {
        TensorType t = type(i);
        if (i.axis() >= 0) {
            return builder.iota(i.axis(), t);
        }
        // Nx's iota without an axis counts over the flattened tensor.
        Value flat = builder.iota(0, t.withDims(i.shape().size()));
        return reshapeIfNeeded(flat, t);
    }

    /**
     * {@code stablehlo.convert}, except between integer types of different signedness: XLA folds
     * {@code convert(convert(x, T1), T2)} to {@code convert(x, T2)} when T1 is wider than x, also
     * when the sign changes ({@code s8 -1 → u16 → s64} gave -1, not 65535). Such a conversion
     * resizes within the source's signedness and reinterprets the bits, which XLA leaves alone.
     */
    private Value convert(Expr.Convert c) {
        DType from = c.x().type();
        DType to = c.type();
        Value x = get(c.x());
        if (from == to) {
            return x;
        }
        if (!from.isInteger() || !to.isInteger() || from.isUnsigned() == to.isUnsigned()) {
            return builder.convert(x, type(c));
        }
        DType resized = DType.of(from.kind(), to.bits());
        Value same = resized == from ? x : builder.convert(x, TensorType.of(c.shape(), resized));
        return builder.generic("stablehlo.bitcast_convert", List.of(same), "", type(c));
    }

    private Value binary(Expr.Binary b) {
        Value extra = elementwise.binary(b);
        if (extra != null) {
            return extra;
        }
        Value x = get(b.a());
        Value y = get(b.b());
        String arithmetic = switch (b.op()) {
            case ADD -> "stablehlo.add";
            case SUBTRACT -> "stablehlo.subtract";
            case MULTIPLY -> "stablehlo.multiply";
            case DIVIDE -> "stablehlo.divide";
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> null;
            case MAX, MIN, POW, REMAINDER, ATAN2, BITWISE_AND, BITWISE_OR, BITWISE_XOR, LEFT_SHIFT, RIGHT_SHIFT, COMPLEX ->
                    throw new AssertionError(b.op());
        };
        if (arithmetic != null) {
            return builder.binary(arithmetic, x, y);
        }
        String direction = switch (b.op()) {
            case EQUAL -> "EQ";
            case NOT_EQUAL -> "NE";
            case LESS -> "LT";
            case LESS_EQUAL -> "LE";
            case GREATER -> "GT";
            case GREATER_EQUAL -> "GE";
            default -> throw new AssertionError(b.op());
        };
        DType t = b.a().type();
        if (t.isComplex() && !direction.equals("EQ") && !direction.equals("NE")) {
            throw new IllegalArgumentException(function.name() + ": " + b.op() + " is not defined for complex type " + t);
        }
        String comparison = switch (t.kind()) {
            case FLOAT, BFLOAT, COMPLEX -> "FLOAT";
            case SIGNED -> "SIGNED";
            case UNSIGNED -> "UNSIGNED";
        };
        return builder.convert(builder.compare(direction, comparison, x, y), type(b));
    }

    /**
     * {@code Nx.reduce}: the user function folds each group, then once more with the initial
     * value in front. XLA treats a reduction's initial value as an identity, applying it any
     * number of times or not at all (a max from 5 over {@code [0.0]} gave 0), so the reduction
     * itself starts from an identity made for the purpose: each element is paired with a
     * "present" flag, and the initial pair, flagged absent, leaves the other operand as it is.
     * A group with nothing present (an empty axis) is the initial value, as in Nx.
     */
    private Value reduceFn(Expr.ReduceFn r) {
        Value x = get(r.x());
        TensorType out = type(r);
        if (r.axes().length == 0) {
            return foldInit(r.fn(), get(r.init()), x, null, out);
        }
        List<Value> folded = builder.regionOp("stablehlo.reduce", flagged(x, get(r.init())),
                List.of(out, out.withElement("i1")), List.of(presentFold(r.fn(), r.type())), dimensions(r.axes()));
        return foldInit(r.fn(), get(r.init()), folded.get(0), folded.get(1), out);
    }

    /**
     * {@code Nx.window_reduce}: each window folded by the user function from a made identity,
     * then with the initial value in front, as {@link #reduceFn} does; padding holds the initial
     * value and counts as present, as in Nx.
     */
    private Value reduceWindowFn(Expr.ReduceWindowFn w) {
        Value init = get(w.init());
        Value x = indexing.padWithInit(w, get(w.x()), init);
        TensorType out = type(w);
        List<Value> folded = indexing.reduceWindowFn(w, flagged(x, init), List.of(out, out.withElement("i1")),
                presentFold(w.fn(), w.type()));
        return foldInit(w.fn(), init, folded.get(0), folded.get(1), out);
    }

    /** The operands of a present-flagged reduction: {@code x}, all present, and {@code init}, absent. */
    private List<Value> flagged(Value x, Value init) {
        TensorType flag = TensorType.of(Shape.scalar(), DType.U8).withElement("i1");
        return List.of(x, builder.constant("true", x.type().withElement("i1")), init, builder.constant("false", flag));
    }

    /** The body folding two (value, present) pairs: {@code fn} of both when both are present, else the present one. */
    private FunctionBuilder.Region presentFold(Expr.Region fn, DType t) {
        TensorType scalar = TensorType.of(Shape.scalar(), t);
        TensorType flag = scalar.withElement("i1");
        return new FunctionBuilder.Region(List.of(scalar, flag, scalar, flag), args -> {
            Value a = args.get(0);
            Value b = args.get(2);
            Value both = builder.binary("stablehlo.and", args.get(1), args.get(3));
            Value either = builder.binary("stablehlo.or", args.get(1), args.get(3));
            Value one = builder.select(args.get(1), a, b);
            return List.of(builder.select(both, region(fn, seeds(fn, List.of(a, b), List.of())).get(0), one), either);
        });
    }

    /**
     * {@code fn(init, folded)} element by element ({@code stablehlo.map}); where {@code present}
     * is false (nothing was folded) the initial value itself. A null {@code present} means all present.
     */
    private Value foldInit(Expr.Region fn, Value init, Value folded, Value present, TensorType out) {
        TensorType scalar = out.withDims();
        Value inits = builder.broadcastInDim(init, new int[0], out);
        FunctionBuilder.Region apply = new FunctionBuilder.Region(List.of(scalar, scalar),
                args -> region(fn, seeds(fn, args, List.of())));
        int[] all = new int[out.dims().length];
        java.util.Arrays.setAll(all, i -> i);
        Value applied = builder.regionOp("stablehlo.map", List.of(inits, folded), List.of(out), List.of(apply),
                dimensions(all)).get(0);
        return present == null ? applied : builder.select(present, applied, inits);
    }

    /** {@code {dimensions = array<i64: ...>}}. */
    private static String dimensions(int[] dims) {
        StringBuilder s = new StringBuilder("{dimensions = array<i64");
        for (int i = 0; i < dims.length; i++) {
            s.append(i == 0 ? ": " : ", ").append(dims[i]);
        }
        return s.append(">}").toString();
    }

    private Value reduce(Expr.Reduce r) {
        Value x = get(r.x());
        TensorType result = type(r);
        if (r.axes().length == 0) {
            return reshapeIfNeeded(x, result);
        }
        DType t = r.type();
        int[] in = r.x().shape().dims();
        int[] out = new int[in.length - r.axes().length];
        for (int d = 0, k = 0, a = 0; d < in.length; d++) {
            if (a < r.axes().length && r.axes()[a] == d) {
                a++;
            } else {
                out[k++] = in[d];
            }
        }
        Value init = builder.constant(identity(r.op(), t), TensorType.of(Shape.scalar(), t));
        Value reduced = switch (r.op()) {
            case SUM -> builder.reduce(x, init, "stablehlo.add", r.axes(), result.withDims(out));
            case PRODUCT -> builder.reduce(x, init, "stablehlo.multiply", r.axes(), result.withDims(out));
            case MAX, MIN -> builder.regionOp("stablehlo.reduce", List.of(x, init), List.of(result.withDims(out)),
                    List.of(elementwise.extremumBody(r.op() == Expr.ReduceOp.MAX, t)), dimensions(r.axes())).get(0);
        };
        return reshapeIfNeeded(reduced, result);
    }

    /** The identity of a reduction as a scalar literal: 0, 1, -inf/min or +inf/max. */
    private String identity(Expr.ReduceOp op, DType t) {
        if (t.isComplex() && (op == Expr.ReduceOp.MAX || op == Expr.ReduceOp.MIN)) {
            throw new IllegalArgumentException(function.name() + ": reduce " + op + " is not defined for complex type " + t);
        }
        byte[] bytes = new byte[t.byteSize()];
        var seg = java.lang.foreign.MemorySegment.ofArray(bytes);
        if (t.isComplex()) {
            if (op == Expr.ReduceOp.PRODUCT) {
                HostData.setDouble(seg, t == DType.C64 ? DType.F32 : DType.F64, 0, 1.0);
            }
            return blob(bytes);
        }
        switch (op) {
            case SUM -> HostData.setLong(seg, t, 0, 0);
            case PRODUCT -> HostData.setLong(seg, t, 0, 1);
            case MAX, MIN -> {
                boolean max = op == Expr.ReduceOp.MAX;
                if (t.isFloat()) {
                    HostData.setDouble(seg, t, 0, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
                } else if (t.isUnsigned()) {
                    HostData.setLong(seg, t, 0, max ? 0 : -1L);
                } else {
                    long bound = 1L << (t.bits() - 1);
                    HostData.setLong(seg, t, 0, max ? -bound : bound - 1);
                }
            }
        }
        return element(new HostData(bytes), t, 0);
    }

    private Value reshapeIfNeeded(Value x, TensorType t) {
        return x.type().equals(t) ? x : builder.reshape(x, t);
    }

    private static TensorType type(Expr e) {
        return TensorType.of(e.shape(), e.type());
    }

    /**
     * What goes inside {@code dense<...>} for a tensor's values, bit-exact: integers in decimal,
     * floats as hex bit patterns, one element for a splat, nothing for an empty tensor, and one
     * hex blob of the little-endian bytes for complex or large tensors.
     */
    static String denseLiteral(Tensor value) {
        DType t = value.type();
        int n = value.size();
        if (n == 0) {
            return "";
        }
        HostData h = value.host();
        byte[] bytes = h.toByteArray();
        int w = t.byteSize();
        boolean splat = true;
        for (int i = w; i < bytes.length && splat; i++) {
            splat = bytes[i] == bytes[i % w];
        }
        if (splat) {
            return t.isComplex() ? blob(java.util.Arrays.copyOf(bytes, w)) : element(h, t, 0);
        }
        if (t.isComplex() || n > BLOB_THRESHOLD) {
            return blob(bytes);
        }
        StringBuilder s = new StringBuilder(n * 12);
        nested(s, h, t, value.shape().dims(), 0, 0);
        return s.toString();
    }

    private static int nested(StringBuilder s, HostData h, DType t, int[] dims, int axis, int index) {
        if (axis == dims.length) {
            s.append(element(h, t, index));
            return index + 1;
        }
        s.append('[');
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) {
                s.append(", ");
            }
            index = nested(s, h, t, dims, axis + 1, index);
        }
        s.append(']');
        return index;
    }

    /** One element: decimal for integers (u64 unsigned), the hex bit pattern for floats. */
    private static String element(HostData h, DType t, int i) {
        return switch (t) {
            case S8, S16, S32, S64, U8, U16, U32 -> Long.toString(h.getLong(t, i));
            case U64 -> Long.toUnsignedString(h.getLong(t, i));
            case F16, BF16 -> "0x" + HEX.toHexDigits(h.segment().getAtIndex(LE_SHORT, i));
            case F32 -> "0x" + HEX.toHexDigits(h.segment().getAtIndex(LE_INT, i));
            case F64 -> "0x" + HEX.toHexDigits(h.segment().getAtIndex(LE_LONG, i));
            case C64, C128 -> throw new AssertionError("complex elements are written as a blob");
        };
    }

    private static String blob(byte[] bytes) {
        return "\"0x" + HEX.formatHex(bytes) + "\"";
    }

    /** Upper-case hex digits; String.format's parsing is the slow way to write them. */
    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    private static final java.lang.foreign.ValueLayout.OfShort LE_SHORT =
            java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfInt LE_INT =
            java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.foreign.ValueLayout.OfLong LE_LONG =
            java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);
}
