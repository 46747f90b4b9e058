package dev.jnx;

import dev.jnx.defn.Executable;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TemplateDifferences;
import dev.jnx.defn.TracedFunction;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.Tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A function compiled by {@link Defn#jit}: traced and compiled once per input template
 * (container structure, shapes and types), then run from its cache. Thread-safe; a template
 * seen by several threads at once is traced and compiled once. Called while another function
 * is traced (inside a jitted function, or on a gradient's traced parameters), it is inlined:
 * its ops are recorded into the caller's graph and its own cache is not touched.
 *
 * <p>Its {@link JitOptions} are set with covariant methods that return a new jitted function
 * of the same kind with an empty cache: {@code Defn.jit(f, c).named("train_step")}. A function
 * that compiles more than {@link JitOptions#warnAfterTemplates()} templates logs one warning
 * through {@link System.Logger} (logger {@code dev.jnx.Jitted}) naming it and where its
 * templates differ: every new shape recompiles, and a last partial batch is the usual cause.
 */
public abstract class Jitted {
    private static final System.Logger LOG = System.getLogger(Jitted.class.getName());

    private final Function<Object[], Object> function;
    private final int arity;
    private final Compiler compiler;
    private final JitOptions options;
    private final ConcurrentHashMap<Tree, Compiled> cache = new ConcurrentHashMap<>();
    private final AtomicLong traces = new AtomicLong();
    private final AtomicBoolean warned = new AtomicBoolean();

    /**
     * An executable for one template; {@code vectorizedIn} when an argument is vectorized (the
     * executable takes every entry), {@code vectorizedOut} each output's vectorized axes or null.
     */
    private record Compiled(Executable executable, Tree outputs, boolean vectorizedIn,
                            List<List<VectorizedAxis>> vectorizedOut) {
    }

    /** {@code function} taking {@code arity} arguments. */
    Jitted(Function<Object[], Object> function, int arity, Compiler compiler, JitOptions options) {
        this.function = function;
        this.arity = arity;
        this.compiler = compiler;
        // Every withOptions funnels here; Defn.jit has checked the function and the compiler.
        this.options = Objects.requireNonNull(options, "Jitted.withOptions: argument options");
    }

    /** The same function and compiler under {@code options}, with an empty cache. */
    Jitted(Jitted from, JitOptions options) {
        this(from.function, from.arity, from.compiler, options);
    }

    /** The compiler this function was jitted with. */
    public Compiler compiler() {
        return compiler;
    }

    /** The options this function was jitted with. */
    public JitOptions options() {
        return options;
    }

    /** The name in messages, warnings and the StableHLO module ({@link JitOptions#name()}). */
    public String name() {
        return options.name();
    }

    /** This function under other options: a new jitted function with an empty cache. */
    public abstract Jitted withOptions(JitOptions options);

    /** This function called {@code name} in messages, warnings and its StableHLO module: a new jitted function. */
    public Jitted named(String name) {
        Objects.requireNonNull(name, "Jitted.named: argument name");
        return withOptions(options.named(name));
    }

    /**
     * This function donating the arguments at {@code positions} (jax.jit's
     * {@code donate_argnums}): each call gives their buffers up, so a compiler may write results
     * into them (Exla aliases a donated buffer to an output of the same type and shape) and
     * closes the caller's device tensors afterwards. A training step that donates its state
     * updates it in place. Host arguments are not affected.
     */
    public Jitted donating(int... positions) {
        Objects.requireNonNull(positions, "Jitted.donating: argument positions");
        return withOptions(options.donating(positions));
    }

    /** How many times the function has been traced (and compiled): once per distinct template. */
    public long traceCount() {
        return traces.get();
    }

    /** Number of compiled templates held. */
    public int cacheSize() {
        return cache.size();
    }

    /** Calls the function on any containers of tensors and numbers; returns its result container. */
    public Object invoke(Object... args) {
        Objects.requireNonNull(args, () -> options.name() + ": argument args");
        if (args.length != arity) {
            throw new IllegalArgumentException(options.name() + ": expected " + arity + " argument"
                    + (arity == 1 ? "" : "s") + ", got " + args.length);
        }
        List<Tensor> leaves = new ArrayList<>();
        Tree template = Tree.flattenArguments(options.name(), args, leaves);
        if (Tracing.isTracing() || anyTraced(leaves)) {
            // Called inside another jitted function or a gradient: its ops join the caller's
            // graph (Nx inlines a nested defn call), with no compile and nothing cached here.
            return Objects.requireNonNull(function.apply(args), () -> options.name() + " returned null");
        }
        Compiled c = cache.get(template);
        if (c == null) {
            c = cache.computeIfAbsent(template, this::compile);
            warnIfManyTemplates();
        }
        if (c.vectorizedIn()) {
            leaves = leaves.stream().map(Nx::devectorize).toList();
        }
        List<Tensor> outs = c.executable().run(leaves);
        if (c.vectorizedOut() != null) {
            List<Tensor> tagged = new ArrayList<>(outs.size());
            for (int i = 0; i < outs.size(); i++) {
                tagged.add(Nx.vectorize(outs.get(i), c.vectorizedOut().get(i)));
            }
            outs = tagged;
        }
        return c.outputs().unflatten(outs, new int[1]);
    }

    private static boolean anyTraced(List<Tensor> leaves) {
        for (Tensor t : leaves) {
            if (t.data() instanceof Expr) {
                return true;
            }
        }
        return false;
    }

    private Compiled compile(Tree template) {
        traces.incrementAndGet();
        Defn.Trace trace = Defn.trace(options.name(), function, template);
        TracedFunction traced = trace.function();
        if (!options.donatedArguments().isEmpty()) {
            traced = traced.donating(donatedLeaves(template));
        }
        return new Compiled(compiler.compile(traced), trace.outputs(), template.anyVectorized(), trace.vectorized());
    }

    /** The flat parameter indices of every leaf of the donated arguments. */
    private Set<Integer> donatedLeaves(Tree template) {
        List<Tree> arguments = ((Tree.ListNode) template).items();
        int last = java.util.Collections.max(options.donatedArguments());
        if (last >= arguments.size()) {
            throw new IllegalArgumentException(options.name() + ": argument " + last + " is donated, but the function was "
                    + "called with " + arguments.size() + " arguments");
        }
        Set<Integer> leaves = new java.util.TreeSet<>();
        int at = 0;
        for (int a = 0; a < arguments.size(); a++) {
            int n = arguments.get(a).leafCount();
            if (options.donatedArguments().contains(a)) {
                for (int k = 0; k < n; k++) {
                    leaves.add(at + k);
                }
            }
            at += n;
        }
        return leaves;
    }

    private void warnIfManyTemplates() {
        if (cache.size() > options.warnAfterTemplates() && warned.compareAndSet(false, true)) {
            List<Tree> templates = List.copyOf(cache.keySet());
            LOG.log(System.Logger.Level.WARNING, () -> options.name() + ": jitted function compiled "
                    + templates.size() + " templates, more than " + options.warnAfterTemplates()
                    + "; each new combination of argument shapes, types or structure is traced and compiled again."
                    + " The templates differ at " + String.join("; ", TemplateDifferences.describe(templates))
                    + ". A last partial batch is the usual cause: drop it or pad it to the batch shape"
                    + " (or raise the limit with withOptions(options().warningAfter(n))).");
        }
    }

    /**
     * A jitted function of a typed kind: its options methods return that kind {@code J}, so
     * {@code Defn.jit(f, c).named("step")} is still a {@link Unary}. A new option is one
     * method here and in {@link Jitted}.
     *
     * @param <J> the kind itself
     */
    public abstract static class Typed<J extends Typed<J>> extends Jitted {
        Typed(Function<Object[], Object> function, int arity, Compiler compiler, JitOptions options) {
            super(function, arity, compiler, options);
        }

        Typed(Jitted from, JitOptions options) {
            super(from, options);
        }

        @Override
        public abstract J withOptions(JitOptions options);

        @Override
        public J named(String name) {
            Objects.requireNonNull(name, "Jitted.named: argument name");
            return withOptions(options().named(name));
        }

        @Override
        public J donating(int... positions) {
            Objects.requireNonNull(positions, "Jitted.donating: argument positions");
            return withOptions(options().donating(positions));
        }
    }

    /** A jitted {@code Function<Tensor, Tensor>}. */
    public static final class Unary extends Typed<Unary> implements Function<Tensor, Tensor> {
        Unary(Function<Tensor, Tensor> f, Compiler c, JitOptions options) {
            super(args -> f.apply((Tensor) args[0]), 1, c, options);
        }

        private Unary(Unary from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Unary withOptions(JitOptions options) {
            return new Unary(this, options);
        }

        @Override
        public Tensor apply(Tensor x) {
            return (Tensor) invoke(x);
        }
    }

    /** A jitted {@code BiFunction<Tensor, Tensor, Tensor>}. */
    public static final class Binary extends Typed<Binary> implements BiFunction<Tensor, Tensor, Tensor> {
        Binary(BiFunction<Tensor, Tensor, Tensor> f, Compiler c, JitOptions options) {
            super(args -> f.apply((Tensor) args[0], (Tensor) args[1]), 2, c, options);
        }

        private Binary(Binary from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Binary withOptions(JitOptions options) {
            return new Binary(this, options);
        }

        @Override
        public Tensor apply(Tensor x, Tensor y) {
            return (Tensor) invoke(x, y);
        }
    }

    /** A jitted {@link Defn.Fn1} of one container: {@code apply} returns the result container. */
    public static final class Function1<A, R> extends Typed<Function1<A, R>> implements Defn.Fn1<A, R> {
        @SuppressWarnings("unchecked")
        Function1(Defn.Fn1<A, R> f, Compiler c, JitOptions options) {
            super(args -> f.apply((A) args[0]), 1, c, options);
        }

        private Function1(Function1<A, R> from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Function1<A, R> withOptions(JitOptions options) {
            return new Function1<>(this, options);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a) {
            return (R) invoke(a);
        }
    }

    /** A jitted {@link Defn.Fn2} of two containers: {@code apply} returns the result container. */
    public static final class Function2<A, B, R> extends Typed<Function2<A, B, R>> implements Defn.Fn2<A, B, R> {
        @SuppressWarnings("unchecked")
        Function2(Defn.Fn2<A, B, R> f, Compiler c, JitOptions options) {
            super(args -> f.apply((A) args[0], (B) args[1]), 2, c, options);
        }

        private Function2(Function2<A, B, R> from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Function2<A, B, R> withOptions(JitOptions options) {
            return new Function2<>(this, options);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a, B b) {
            return (R) invoke(a, b);
        }
    }

    /** A jitted {@link Defn.Fn3} of three containers: {@code apply} returns the result container. */
    public static final class Function3<A, B, C, R> extends Typed<Function3<A, B, C, R>> implements Defn.Fn3<A, B, C, R> {
        @SuppressWarnings("unchecked")
        Function3(Defn.Fn3<A, B, C, R> f, Compiler c, JitOptions options) {
            super(args -> f.apply((A) args[0], (B) args[1], (C) args[2]), 3, c, options);
        }

        private Function3(Function3<A, B, C, R> from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Function3<A, B, C, R> withOptions(JitOptions options) {
            return new Function3<>(this, options);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a, B b, C c) {
            return (R) invoke(a, b, c);
        }
    }

    /** A jitted {@link Defn.Fn4} of four containers: {@code apply} returns the result container. */
    public static final class Function4<A, B, C, D, R> extends Typed<Function4<A, B, C, D, R>> implements Defn.Fn4<A, B, C, D, R> {
        @SuppressWarnings("unchecked")
        Function4(Defn.Fn4<A, B, C, D, R> f, Compiler c, JitOptions options) {
            super(args -> f.apply((A) args[0], (B) args[1], (C) args[2], (D) args[3]), 4, c, options);
        }

        private Function4(Function4<A, B, C, D, R> from, JitOptions options) {
            super(from, options);
        }

        @Override
        public Function4<A, B, C, D, R> withOptions(JitOptions options) {
            return new Function4<>(this, options);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a, B b, C c, D d) {
            return (R) invoke(a, b, c, d);
        }
    }
}
