package dev.jnx.defn;

import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A function compiled by {@link Defn#jit}: traced and compiled once per input template
 * (container structure, shapes and types), then run from its cache. Thread-safe; a template
 * seen by several threads at once is traced and compiled once.
 */
public class Jitted {
    private final String name;
    private final Function<Object[], Object> function;
    private final Compiler compiler;
    private final ConcurrentHashMap<Tree, Compiled> cache = new ConcurrentHashMap<>();
    private final AtomicLong traces = new AtomicLong();

    private record Compiled(Executable executable, Tree outputs) {
    }

    Jitted(String name, Function<Object[], Object> function, Compiler compiler) {
        this.name = name;
        this.function = Objects.requireNonNull(function, "function");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    /** The compiler this function was jitted with. */
    public Compiler compiler() {
        return compiler;
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
        List<Tensor> leaves = new ArrayList<>();
        Tree template = Tree.flatten(List.of(args), leaves);
        Compiled c = cache.get(template);
        if (c == null) {
            c = cache.computeIfAbsent(template, this::compile);
        }
        List<Tensor> outs = c.executable().run(leaves);
        return c.outputs().unflatten(outs, new int[1]);
    }

    private Compiled compile(Tree template) {
        traces.incrementAndGet();
        Defn.Trace trace = Defn.trace(name, function, template);
        return new Compiled(compiler.compile(trace.function()), trace.outputs());
    }

    /** A jitted {@code Function<Tensor, Tensor>}. */
    public static final class Unary extends Jitted implements Function<Tensor, Tensor> {
        Unary(String name, Function<Tensor, Tensor> f, Compiler c) {
            super(name, args -> f.apply((Tensor) args[0]), c);
        }

        @Override
        public Tensor apply(Tensor x) {
            return (Tensor) invoke(x);
        }
    }

    /** A jitted {@code BiFunction<Tensor, Tensor, Tensor>}. */
    public static final class Binary extends Jitted implements BiFunction<Tensor, Tensor, Tensor> {
        Binary(String name, BiFunction<Tensor, Tensor, Tensor> f, Compiler c) {
            super(name, args -> f.apply((Tensor) args[0], (Tensor) args[1]), c);
        }

        @Override
        public Tensor apply(Tensor x, Tensor y) {
            return (Tensor) invoke(x, y);
        }
    }

    /** A jitted {@link Defn.Fn1} of one container: {@code apply} returns the result container. */
    public static final class Function1<A, R> extends Jitted implements Defn.Fn1<A, R> {
        @SuppressWarnings("unchecked")
        Function1(String name, Defn.Fn1<A, R> f, Compiler c) {
            super(name, args -> f.apply((A) args[0]), c);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a) {
            return (R) invoke(a);
        }
    }

    /** A jitted {@link Defn.Fn2} of two containers: {@code apply} returns the result container. */
    public static final class Function2<A, B, R> extends Jitted implements Defn.Fn2<A, B, R> {
        @SuppressWarnings("unchecked")
        Function2(String name, Defn.Fn2<A, B, R> f, Compiler c) {
            super(name, args -> f.apply((A) args[0], (B) args[1]), c);
        }

        @Override
        @SuppressWarnings("unchecked")
        public R apply(A a, B b) {
            return (R) invoke(a, b);
        }
    }

    /** A jitted {@link Defn.Variadic} function of any number of tensors. */
    public static final class Varargs extends Jitted implements Defn.Variadic {
        Varargs(String name, Defn.Variadic f, Compiler c) {
            super(name, args -> f.apply(java.util.Arrays.copyOf(args, args.length, Tensor[].class)), c);
        }

        @Override
        public Tensor apply(Tensor... args) {
            return (Tensor) invoke((Object[]) args);
        }
    }
}
