package dev.jnx.defn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Prints an expression graph as Nx inspects an {@code Nx.Defn.Expr}: the result's type, then
 * the parameters and non-scalar constants ({@code tensor}), then one line per node with its
 * op, operands and attributes, every line ending in the node's type in a common column.
 * <pre>
 * #Nx.Tensor&lt;
 *   f32[3]
 *   Nx.Defn.Expr
 *   parameter a:0                 f32[3]
 *   b = reduce_max a, axes: [0]   f32
 *   c = broadcast b, axes: []     f32[3]
 *   ...
 * &gt;
 * </pre>
 * Nodes are named in the order they are first reached, as Nx names them ({@code a} .. {@code z},
 * then {@code ba}, {@code bb}, ...); a shared node is printed once and then referred to by
 * name; scalar constants are written inline. The regions of loops, conditionals and
 * user-function reductions follow their node, indented, each ending in a {@code return} line.
 */
public final class GraphPrinter {
    private static final String INDENT = "  ";

    /** One line of the listing: its text and its type column (empty for region headers and returns). */
    private record Line(String text, String type) {
    }

    /**
     * The names a region gives, and the enclosing region's names they shadow: regions can share
     * parameters and nodes (a gradient's loops run the forward body's nodes over their own
     * state), and inside a region such a node holds that region's value, so it is defined anew.
     */
    private static final class Scope {
        final Set<Object> own = Collections.newSetFromMap(new IdentityHashMap<>());
        final Map<Object, String> shadowed = new IdentityHashMap<>();
    }

    /** The names in scope, of nodes and of multi-result nodes. */
    private final Map<Object, String> names = new IdentityHashMap<>();
    private Scope scope = new Scope();
    /** How many names were given, the number of the next one (Nx's cache size). */
    private int count;
    /** Parameters of the traced function and non-scalar constants, listed first as in Nx. */
    private final List<Line> inputs = new ArrayList<>();
    private final List<Line> body = new ArrayList<>();

    private GraphPrinter() {
    }

    /** The graph of {@code f}'s outputs; with several outputs the type line and a final {@code return} list them all. */
    public static String print(TracedFunction f) {
        return new GraphPrinter().layout(f.outputs());
    }

    /** The graph that computes {@code e}; {@link dev.jnx.Tensor#toString()} of a traced tensor prints this. */
    public static String print(Expr e) {
        return new GraphPrinter().layout(List.of(e));
    }

    private String layout(List<Expr> outputs) {
        emit(outputs, Set.of(), "");
        String type;
        if (outputs.size() == 1) {
            type = typeOf(outputs.get(0));
            // The last line is the result, except for a scalar constant, which no line defines.
            if (isInline(outputs.get(0))) {
                body.add(new Line(ref(outputs.get(0)), ""));
            }
        } else {
            type = outputs.stream().map(GraphPrinter::typeOf).collect(Collectors.joining(", ", "{", "}"));
            body.add(new Line("return " + tuple(outputs), ""));
        }
        List<Line> lines = new ArrayList<>(inputs);
        lines.addAll(body);
        int width = 0;
        for (Line l : lines) {
            if (!l.type().isEmpty()) {
                width = Math.max(width, l.text().length());
            }
        }
        StringBuilder sb = new StringBuilder("#Nx.Tensor<\n").append(INDENT).append(type).append('\n')
                .append(INDENT).append("Nx.Defn.Expr\n");
        for (Line l : lines) {
            sb.append(INDENT).append(l.text());
            if (!l.type().isEmpty()) {
                sb.append(" ".repeat(width + 3 - l.text().length())).append(l.type());
            }
            sb.append('\n');
        }
        return sb.append('>').toString();
    }

    /**
     * Defines, at {@code indent}, every node that {@code roots} need short of {@code boundary}
     * that this scope has not defined; constants are defined once for the whole graph.
     */
    private void emit(List<Expr> roots, Set<Expr> boundary, String indent) {
        for (Expr e : Graph.postOrder(roots, boundary)) {
            boolean defined = e instanceof Expr.Constant ? isInline(e) || names.containsKey(e) : scope.own.contains(e);
            if (!defined) {
                define(e, indent);
            }
        }
    }

    private void define(Expr e, String indent) {
        switch (e) {
            case Expr.Parameter p -> input(p, "parameter ", ":" + p.index());
            case Expr.Constant c -> input(c, "tensor ", "");
            case Expr.Iota i -> node(i, indent, "iota axis: " + i.axis());
            case Expr.Unary u -> node(u, indent, snake(u.op()) + " " + ref(u.x()));
            case Expr.Binary b -> node(b, indent, snake(b.op()) + " " + ref(b.a()) + ", " + ref(b.b()));
            case Expr.Reduce r -> node(r, indent, reduction(r.op()) + " " + ref(r.x()) + ", axes: " + list(r.axes()));
            case Expr.Dot d -> node(d, indent, "dot " + ref(d.a()) + ", " + list(d.contractA()) + ", " + list(d.batchA())
                    + ", " + ref(d.b()) + ", " + list(d.contractB()) + ", " + list(d.batchB()));
            case Expr.Reshape r -> node(r, indent, "reshape " + ref(r.x()));
            case Expr.Transpose t -> node(t, indent, "transpose " + ref(t.x()) + ", axes: " + list(t.axes()));
            case Expr.Broadcast b -> node(b, indent, "broadcast " + ref(b.x()) + ", axes: " + list(b.axes()));
            case Expr.Convert c -> node(c, indent, "as_type " + ref(c.x()));
            case Expr.StopGrad s -> node(s, indent, "stop_grad " + ref(s.x()));
            case Expr.Metadata m -> node(m, indent, "metadata " + ref(m.x()) + ", " + m.tag());
            case Expr.CustomGrad c -> node(c, indent, "custom_grad " + ref(c.x()) + ", inputs: " + refs(c.inputs()));
            case Expr.Multi m -> defineMulti(m, indent);
            case Expr.Element el -> node(el, indent, "elem " + names.get(el.source()) + ", " + el.index());
            case Expr.Fft f -> node(f, indent, (f.inverse() ? "ifft " : "fft ") + ref(f.x()));
            case Expr.Cholesky c -> node(c, indent, "cholesky " + ref(c.x()));
            case Expr.TriangularSolve t -> node(t, indent, "triangular_solve " + ref(t.a()) + ", " + ref(t.b())
                    + ", left_side: " + t.leftSide() + ", lower: " + t.lower() + ", transpose_a: " + t.transposeA());
            case Expr.Slice s -> node(s, indent, "slice " + ref(s.x()) + ", starts: " + list(s.starts())
                    + ", limits: " + list(s.limits()) + ", strides: " + list(s.strides()));
            case Expr.DynamicSlice s -> node(s, indent, "dynamic_slice " + ref(s.x()) + ", starts: " + refs(s.starts())
                    + ", sizes: " + list(s.sizes()));
            case Expr.DynamicUpdateSlice s -> node(s, indent, "dynamic_update_slice " + ref(s.x()) + ", " + ref(s.update())
                    + ", starts: " + refs(s.starts()));
            case Expr.Pad p -> node(p, indent, "pad " + ref(p.x()) + ", " + ref(p.value()) + ", lo: " + list(p.lo())
                    + ", hi: " + list(p.hi()) + ", interior: " + list(p.interior()));
            case Expr.Concatenate c -> node(c, indent, "concatenate " + refs(c.xs()) + ", axis: " + c.axis());
            case Expr.Reverse r -> node(r, indent, "reverse " + ref(r.x()) + ", axes: " + list(r.axes()));
            case Expr.Gather g -> node(g, indent, "gather " + ref(g.x()) + ", " + ref(g.indices()) + ", axes: " + list(g.axes()));
            case Expr.Scatter s -> node(s, indent, (s.op() == Expr.ScatterOp.ADD ? "indexed_add " : "indexed_put ")
                    + ref(s.x()) + ", " + ref(s.indices()) + ", " + ref(s.updates()) + ", axes: " + list(s.axes()));
            case Expr.Conv c -> node(c, indent, "conv " + ref(c.x()) + ", " + ref(c.kernel()) + ", strides: " + list(c.strides())
                    + ", pad_lo: " + list(c.padLo()) + ", pad_hi: " + list(c.padHi())
                    + ", input_dilation: " + list(c.inputDilation()) + ", kernel_dilation: " + list(c.kernelDilation())
                    + ", feature_group_size: " + c.featureGroups() + ", batch_group_size: " + c.batchGroups()
                    + ", input_permutation: " + list(c.inputPermutation())
                    + ", kernel_permutation: " + list(c.kernelPermutation())
                    + ", output_permutation: " + list(c.outputPermutation()));
            case Expr.ReduceWindow w -> node(w, indent, "window_" + snake(w.op()) + " " + ref(w.x())
                    + window(w.window(), w.strides(), w.padLo(), w.padHi()) + ", window_dilations: " + list(w.windowDilations()));
            case Expr.ReduceWindowFn w -> {
                node(w, indent, "window_reduce " + ref(w.x()) + ", " + ref(w.init())
                        + window(w.window(), w.strides(), w.padLo(), w.padHi()) + ", window_dilations: " + list(w.windowDilations()));
                region("fn", w.fn(), indent);
            }
            case Expr.SelectAndScatter s -> node(s, indent, (s.max() ? "window_scatter_max " : "window_scatter_min ")
                    + ref(s.x()) + ", " + ref(s.source()) + ", " + ref(s.init()) + window(s.window(), s.strides(), s.padLo(), s.padHi()));
            case Expr.Select s -> node(s, indent, "select " + ref(s.pred()) + ", " + ref(s.onTrue()) + ", " + ref(s.onFalse()));
            case Expr.Bitcast b -> node(b, indent, "bitcast " + ref(b.x()));
            case Expr.Sort s -> node(s, indent, "sort " + ref(s.keys()) + ", " + ref(s.values()) + ", axis: " + s.axis()
                    + ", descending: " + s.descending());
            case Expr.ReduceFn r -> {
                node(r, indent, "reduce " + ref(r.x()) + ", " + ref(r.init()) + ", axes: " + list(r.axes()));
                region("fn", r.fn(), indent);
            }
        }
    }

    /** A node of several results: one line for the node, of the tuple of their types, then its regions. */
    private void defineMulti(Expr.Multi m, String indent) {
        String name = name(m);
        String types = m.outputs().stream().map(GraphPrinter::typeOf).collect(Collectors.joining(", ", "{", "}"));
        switch (m) {
            case Expr.While w -> {
                body.add(new Line(indent + name + " = while " + tuple(w.initial()), types));
                region("condition", w.condition(), indent);
                region("body", w.body(), indent);
            }
            case Expr.Cond c -> {
                body.add(new Line(indent + name + " = cond " + ref(c.index()), types));
                for (int i = 0; i < c.branches().size(); i++) {
                    region("branch " + i, c.branches().get(i), indent);
                }
            }
        }
    }

    /**
     * A region under its node: a {@code label:} line, then, indented, its parameters, its own
     * nodes and a {@code return} of its outputs. Its captures are the enclosing graph's nodes,
     * already named, since they are operands of the node that owns the region. Its names go
     * out of scope after it, and those it shadowed come back.
     */
    private void region(String label, Expr.Region r, String indent) {
        Scope enclosing = scope;
        scope = new Scope();
        String inner = indent + INDENT + INDENT;
        body.add(new Line(indent + INDENT + label + ":", ""));
        for (Expr.Parameter p : r.parameters()) {
            body.add(new Line(inner + "parameter " + name(p) + ":" + p.index(), typeOf(p)));
        }
        Set<Expr> boundary = Collections.newSetFromMap(new IdentityHashMap<>());
        boundary.addAll(r.parameters());
        boundary.addAll(r.captured());
        emit(r.outputs(), boundary, inner);
        body.add(new Line(inner + "return " + tuple(r.outputs()), ""));
        names.keySet().removeAll(scope.own);
        names.putAll(scope.shadowed);
        scope = enclosing;
    }

    private void input(Expr e, String kind, String suffix) {
        inputs.add(new Line(kind + name(e) + suffix, typeOf(e)));
    }

    private void node(Expr e, String indent, String definition) {
        body.add(new Line(indent + name(e) + " = " + definition, typeOf(e)));
    }

    /** Gives {@code node} the next name: the count of names so far in base 26 with digits a..z, as Nx's {@code counter_to_name}. */
    private String name(Object node) {
        StringBuilder sb = new StringBuilder();
        for (int n = count++; ; n /= 26) {
            sb.append((char) ('a' + n % 26));
            if (n < 26) {
                break;
            }
        }
        String name = sb.reverse().toString();
        String shadowed = names.put(node, name);
        if (shadowed != null) {
            scope.shadowed.putIfAbsent(node, shadowed);
        }
        if (!(node instanceof Expr.Constant)) {
            scope.own.add(node);
        }
        return name;
    }

    /** Scalar constants have no line: they are written where they are used. */
    private static boolean isInline(Expr e) {
        return e instanceof Expr.Constant c && c.shape().rank() == 0;
    }

    private String ref(Expr e) {
        return isInline(e) ? ((Expr.Constant) e).value().toNumberString() : names.get(e);
    }

    private String refs(List<Expr> es) {
        return es.stream().map(this::ref).collect(Collectors.joining(", ", "[", "]"));
    }

    /** One output by name, several (or none) as an Nx tuple {@code {a, b}}. */
    private String tuple(List<Expr> es) {
        return es.size() == 1 ? ref(es.get(0)) : es.stream().map(this::ref).collect(Collectors.joining(", ", "{", "}"));
    }

    private static String window(int[] window, int[] strides, int[] padLo, int[] padHi) {
        return ", window: " + list(window) + ", strides: " + list(strides) + ", pad_lo: " + list(padLo) + ", pad_hi: " + list(padHi);
    }

    private static String list(int[] values) {
        return Arrays.toString(values);
    }

    /** Nx's name of a reduction: {@code sum}, {@code product}, {@code reduce_max}, {@code reduce_min}. */
    private static String reduction(Expr.ReduceOp op) {
        return switch (op) {
            case SUM, PRODUCT -> snake(op);
            case MAX, MIN -> "reduce_" + snake(op);
        };
    }

    private static String snake(Enum<?> op) {
        return op.name().toLowerCase(Locale.ROOT);
    }

    private static String typeOf(Expr e) {
        return e.type().toString() + e.shape();
    }
}
