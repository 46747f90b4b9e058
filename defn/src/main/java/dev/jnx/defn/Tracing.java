package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.Tensor;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where recorded nodes are created, so that a control-flow region knows which nodes its
 * function built and which it read from the enclosing graph (its captures, passed in
 * explicitly). Every op goes through {@link #bind}, which records its node when an operand is
 * traced and computes it on the operands' backend otherwise.
 */
public final class Tracing {
    private static final ThreadLocal<Deque<Scope>> SCOPES = ThreadLocal.withInitial(ArrayDeque::new);
    private static final ThreadLocal<int[]> TRACE_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

    private static final Owners OWNERS = new Owners();

    /**
     * A region being traced: the nodes it records, its parameters, and whether its function is
     * applied to each entry of the vectorized tensors it reads from outside ({@link #entryRegion}).
     */
    private record Scope(Set<Expr> nodes, Set<Expr> parameters, boolean perEntry) {
    }

    private Tracing() {
    }

    /** Records that {@code function}'s trace created {@code parameters}, to name it if one leaks. */
    public static void own(List<Expr.Parameter> parameters, String function) {
        OWNERS.put(parameters, function);
    }

    /**
     * Checks that the graph of {@code function}'s outputs reads no parameter but its own: a
     * traced tensor kept from another trace (in a field, a captured variable) would otherwise
     * read this function's argument of the same index.
     */
    public static void checkOwnParameters(String function, List<Expr.Parameter> parameters, List<Expr> outputs) {
        Set<Expr> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(parameters);
        if (Graph.find(outputs, e -> e instanceof Expr.Parameter q && !own.contains(q)) instanceof Expr.Parameter p) {
            String owner = OWNERS.get(p);
            throw new IllegalStateException(function + ": reads a traced tensor (" + p.type() + p.shape() + ", from"
                    + " parameter " + p.index() + " of " + (owner != null ? owner : "another trace or control-flow region")
                    + ") that leaked out of that trace, e.g. kept in a field or a captured variable; traced values"
                    + " exist only inside their own function: pass the value as an argument instead");
        }
    }

    /** Traced parameters and their functions, held weakly and compared by identity (parameters are records). */
    private static final class Owners {
        private final ReferenceQueue<Expr.Parameter> cleared = new ReferenceQueue<>();
        private final Map<Key, String> names = new HashMap<>();

        synchronized void put(List<Expr.Parameter> parameters, String function) {
            expunge();
            for (Expr.Parameter p : parameters) {
                names.put(new Key(p, cleared), function);
            }
        }

        synchronized String get(Expr.Parameter p) {
            expunge();
            return names.get(new Key(p, null));
        }

        private void expunge() {
            for (Reference<?> r = cleared.poll(); r != null; r = cleared.poll()) {
                names.remove(r);
            }
        }

        private static final class Key extends WeakReference<Expr.Parameter> {
            private final int hash;

            Key(Expr.Parameter p, ReferenceQueue<Expr.Parameter> queue) {
                super(p, queue);
                hash = System.identityHashCode(p);
            }

            @Override
            public int hashCode() {
                return hash;
            }

            @Override
            public boolean equals(Object o) {
                return o == this || o instanceof Key k && k.hash == hash && k.get() != null && k.get() == get();
            }
        }
    }

    /**
     * The one bind point of every op (JAX's {@code Primitive.bind}): records {@code node} if any
     * of its {@code inputs} is traced, else computes it now on its operands' backend
     * ({@link #evaluate}). While a function is traced, a large result of concrete inputs
     * ({@code Nx.iota} of a big shape) is recorded too: computing it would hold it in memory
     * during tracing and embed it in the compiled module, where the compiler computes it cheaply.
     *
     * @param node   the op over {@link #nodeOf} its operands; nodes between it and those
     *               operands (a broadcast of a concrete scalar) are computed with it
     * @param inputs the tensors the node reads
     * @throws IllegalArgumentException if concrete inputs live on two different device backends
     */
    public static Tensor bind(Expr node, Tensor... inputs) {
        boolean traced = false;
        for (Tensor t : inputs) {
            if (t.isVectorized()) {
                return bindAll(List.of(node), List.of(inputs)).get(0);
            }
            traced |= t.data() instanceof Expr;
        }
        if (traced) {
            return record(node);
        }
        if (isTracing() && node.shape().longSize() > LARGE_TRACE_CONSTANT_BYTES / node.type().byteSize()) {
            // The nodes between it and its constants were built with it: they join the region too.
            Scope scope = SCOPES.get().peek();
            if (scope != null) {
                for (Expr e : Graph.postOrder(List.of(node))) {
                    if (!(e instanceof Expr.Constant)) {
                        scope.nodes().add(e);
                    }
                }
            }
            return tensor(node);
        }
        return evaluate(List.of(node)).get(0);
    }

    /**
     * Binds the results of {@code m} (a loop or conditional), reading its operands: as
     * {@link #bind}, vectorized over the entries of vectorized operands (a vectorized constant
     * among them, such as a region's capture, stands for its tensor).
     */
    public static List<Tensor> bind(Expr.Multi m) {
        List<Expr> elements = new ArrayList<>(m.outputs().size());
        for (int i = 0; i < m.outputs().size(); i++) {
            elements.add(new Expr.Element(m, i));
        }
        List<Tensor> inputs = new ArrayList<>();
        for (Expr e : m.operands()) {
            inputs.add(e instanceof Expr.Constant c ? c.value() : tensor(e));
        }
        return bindAll(elements, inputs);
    }

    private static List<Tensor> bindAll(List<Expr> roots, List<Tensor> inputs) {
        boolean traced = false;
        boolean vectorized = false;
        for (Tensor t : inputs) {
            traced |= t.data() instanceof Expr;
            vectorized |= t.isVectorized();
        }
        if (vectorized && !forEachEntry(roots.get(0), inputs)) {
            return VectorizerHolder.INSTANCE.bind(roots, inputs);
        }
        if (vectorized || traced) {
            // Per entry, a vectorized operand's constant stands for it: the nodes between the
            // roots and their operands (the broadcast of a concrete one) belong to the region.
            Set<Expr> operands = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Tensor t : inputs) {
                if (t.data() instanceof Expr e && !t.isVectorized()) {
                    operands.add(e);
                }
            }
            Scope scope = SCOPES.get().peek();
            if (vectorized && scope != null) {
                for (Expr e : Graph.postOrder(roots, operands)) {
                    if (!(e instanceof Expr.Constant)) {
                        scope.nodes().add(e);
                    }
                }
            }
            return roots.stream().map(Tracing::record).toList();
        }
        return evaluate(roots);
    }

    /**
     * Whether an op over vectorized {@code inputs} is recorded for one entry: inside a region
     * traced per entry, a vectorized tensor from outside it stands for its entry (the region's
     * op is vectorized as a whole). One vectorized inside the region is vectorized on the spot.
     */
    private static boolean forEachEntry(Expr op, List<Tensor> inputs) {
        Scope top = SCOPES.get().peek();
        if (top == null || !top.perEntry()) {
            return false;
        }
        Tensor outer = null;
        Tensor local = null;
        for (Tensor t : inputs) {
            if (t.isVectorized()) {
                if (isLocal(t)) {
                    local = t;
                } else {
                    outer = t;
                }
            }
        }
        if (outer != null && local != null) {
            throw new UnsupportedOperationException(describe(op) + ": mixes a tensor vectorized inside a loop, branch"
                    + " or custom-gradient function (" + local.vectorizedAxes() + " " + local.type() + local.shape()
                    + ") with one vectorized outside it (" + outer.vectorizedAxes() + " " + outer.type() + outer.shape()
                    + "), which the function sees one entry of; vectorize outside the function instead");
        }
        return outer != null;
    }

    /** Whether vectorized {@code t} was built inside the regions being traced per entry. */
    private static boolean isLocal(Tensor t) {
        if (!(t.data() instanceof Expr e)) {
            return false;
        }
        for (Scope s : SCOPES.get()) {
            if (!s.perEntry()) {
                break;
            }
            if (s.nodes().contains(e) || s.parameters().contains(e)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The node of {@code t}, a result of a function traced by {@link #entryRegion}: a vectorized
     * tensor from outside stands for its entry; one vectorized inside the function is refused.
     *
     * @param what names the result in the message
     * @throws UnsupportedOperationException if {@code t} was vectorized inside the function
     */
    public static Expr entryNodeOf(Tensor t, String what) {
        if (t.isVectorized() && isLocal(t)) {
            throw new UnsupportedOperationException(what + " is vectorized inside the function (" + t.vectorizedAxes()
                    + " " + t.type() + t.shape() + "); the function runs per entry of the vectorized values it reads:"
                    + " devectorize its result, or vectorize outside it");
        }
        return nodeOf(t);
    }

    /** {@link #bind(Expr, Tensor...)} over a list of inputs. */
    public static Tensor bind(Expr node, List<Tensor> inputs) {
        return bind(node, inputs.toArray(new Tensor[0]));
    }

    /** Above this size a concrete result met while tracing stays a graph node (see {@link #bind}). */
    private static final long LARGE_TRACE_CONSTANT_BYTES = 1 << 20;

    /** Loaded on the first op over a vectorized tensor. */
    private static final class VectorizerHolder {
        static final Vectorizer INSTANCE = java.util.ServiceLoader.load(Vectorizer.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + Vectorizer.class.getName() + " provider: module"
                        + " dev.jnx provides one; is the jar complete?"));
    }

    /**
     * The node standing for {@code t} in a graph: its traced node, or a constant holding it. A
     * vectorized tensor stands as a constant of one entry's shape, which only {@link #bind}
     * reads (it batches the node over the entries).
     */
    public static Expr nodeOf(Tensor t) {
        return t.data() instanceof Expr e && !t.isVectorized() ? e : new Expr.Constant(t);
    }

    /** The node of all of {@code t}'s data: for a vectorized tensor, every entry, its vectorized axes leading. */
    public static Expr dataNodeOf(Tensor t) {
        if (t.data() instanceof Expr e) {
            return e;
        }
        return new Expr.Constant(t.isVectorized() ? Tensor.of(t.dataShape(), t.type(), t.data()) : t);
    }

    /**
     * Computes graphs without parameters on the backend of the tensors their constants hold
     * (Nx's backend dispatch), computing shared nodes once. Host constants mix freely with those
     * of one device backend: they become arguments of the device computation. With no device
     * constant the reference {@link Evaluator} computes them on the host.
     *
     * @throws IllegalArgumentException naming both backends if constants live on two device backends
     */
    public static List<Tensor> evaluate(List<Expr> roots) {
        Backend backend = Backend.HOST;
        Expr.Constant first = null;
        for (Expr e : Graph.postOrder(roots)) {
            if (e instanceof Expr.Constant c && c.value().isVectorized()) {
                throw new IllegalStateException(describe(roots.get(0)) + ": a vectorized tensor reached evaluation"
                        + " without its op being vectorized (an op that bypasses Tracing.bind)");
            }
            if (e instanceof Expr.Constant c && c.value().data().backend() != Backend.HOST) {
                Backend b = c.value().data().backend();
                if (first == null) {
                    backend = b;
                    first = c;
                } else if (!b.equals(backend)) {
                    throw new IllegalArgumentException(describe(roots.get(0)) + ": operands live on two backends, "
                            + first.type() + first.shape() + " on " + backend.name() + " and " + c.type() + c.shape()
                            + " on " + b.name() + "; move one with Nx.backendTransfer(t, backend) (host tensors mix with"
                            + " either)");
                }
            }
        }
        return backend instanceof EagerBackend eager ? eager.evaluate(roots) : Evaluator.evaluateAll(roots);
    }

    /** An op's name for messages: its node kind, and the element-wise function if it has one. */
    public static String describe(Expr node) {
        if (node instanceof Expr.Element el) {
            return describe(el.source());
        }
        String kind = node.getClass().getSimpleName();
        if (node instanceof Expr.Unary u) {
            return kind + " " + u.op().name().toLowerCase(java.util.Locale.ROOT);
        }
        if (node instanceof Expr.Binary b) {
            return kind + " " + b.op().name().toLowerCase(java.util.Locale.ROOT);
        }
        return kind;
    }

    /** Registers {@code node} with the region being traced, if any, and wraps it as a tensor. */
    public static Tensor record(Expr node) {
        Scope scope = SCOPES.get().peek();
        if (scope != null) {
            scope.nodes().add(node);
            if (node instanceof Expr.Element el) {
                // Created with its elements: a region reading them also computes their source.
                scope.nodes().add(el.source());
            }
        }
        return Tensor.of(node.shape(), node.type(), node);
    }

    /** Runs {@code body}, the tracing of a function: {@link #isTracing()} holds while it runs. */
    public static <T> T tracing(Supplier<T> body) {
        int[] depth = TRACE_DEPTH.get();
        depth[0]++;
        try {
            return body.get();
        } finally {
            depth[0]--;
        }
    }

    /** Whether a function is being traced on this thread (by {@code Defn.jit} or {@code Defn.trace}). */
    public static boolean isTracing() {
        return TRACE_DEPTH.get()[0] > 0;
    }

    /** The wrapper of a node that is already recorded. */
    public static Tensor tensor(Expr node) {
        return Tensor.of(node.shape(), node.type(), node);
    }

    /** A traced region: the nodes returned by {@code body} over {@code parameters}. */
    public static Expr.Region region(List<Expr.Parameter> parameters, Supplier<List<Expr>> body) {
        return region(parameters, body, Set.of());
    }

    /**
     * Traces {@code body} as a region; nodes it creates, and those of {@code alsoInside}, belong
     * to the region. Every other node it reads, except plain constants, becomes a capture (a
     * vectorized constant stands for its tensor's entry, see {@link #entryRegion}).
     */
    public static Expr.Region region(List<Expr.Parameter> parameters, Supplier<List<Expr>> body, Set<Expr> alsoInside) {
        return region(parameters, body, alsoInside, false);
    }

    /**
     * Traces {@code body}, a function applied to each entry of the vectorized tensors it reads
     * (a loop's condition and body, a conditional's branch, a custom gradient): an op on a
     * vectorized tensor from outside is recorded over its entry, a {@link Expr.Constant} of the
     * entry's shape that becomes a capture; the op reading the region is then vectorized as a
     * whole (the vmap of the op over the entries). Regions traced inside it are per entry too.
     */
    public static Expr.Region entryRegion(List<Expr.Parameter> parameters, Supplier<List<Expr>> body,
            Set<Expr> alsoInside) {
        return region(parameters, body, alsoInside, true);
    }

    /** {@link #entryRegion(List, Supplier, Set)} with no nodes given. */
    public static Expr.Region entryRegion(List<Expr.Parameter> parameters, Supplier<List<Expr>> body) {
        return region(parameters, body, Set.of(), true);
    }

    private static Expr.Region region(List<Expr.Parameter> parameters, Supplier<List<Expr>> body, Set<Expr> alsoInside,
            boolean perEntry) {
        Set<Expr> inside = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Expr> own = Collections.newSetFromMap(new IdentityHashMap<>());
        own.addAll(parameters);
        Scope enclosing = SCOPES.get().peek();
        SCOPES.get().push(new Scope(inside, own, perEntry || enclosing != null && enclosing.perEntry()));
        List<Expr> outputs;
        try {
            outputs = body.get();
        } finally {
            SCOPES.get().pop();
        }
        inside.addAll(alsoInside);
        Set<Expr> boundary = Collections.newSetFromMap(new IdentityHashMap<>());
        boundary.addAll(parameters);
        List<Expr> captured = new ArrayList<>();
        Map<Expr, Boolean> seen = new IdentityHashMap<>();
        // Walk from the outputs through the region's own nodes; the first outer node on each path is a capture.
        Deque<Expr> stack = new ArrayDeque<>(outputs);
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            if (boundary.contains(e) || seen.put(e, Boolean.TRUE) != null) {
                continue;
            }
            if (inside.contains(e) || e instanceof Expr.Constant c && !c.value().isVectorized()) {
                stack.addAll(e.operands());
            } else {
                captured.add(e);
            }
        }
        return new Expr.Region(parameters, outputs, captured);
    }

    /** The nodes of {@code region}'s own graph (not its parameters or captures). */
    public static Set<Expr> nodesOf(Expr.Region region) {
        Set<Expr> boundary = Collections.newSetFromMap(new IdentityHashMap<>());
        boundary.addAll(region.parameters());
        boundary.addAll(region.captured());
        Set<Expr> nodes = Collections.newSetFromMap(new IdentityHashMap<>());
        nodes.addAll(Graph.postOrder(region.outputs(), boundary));
        return nodes;
    }
}
