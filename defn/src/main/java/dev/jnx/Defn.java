package dev.jnx;

import dev.jnx.defn.Evaluator;
import dev.jnx.defn.Expr;
import dev.jnx.defn.GraphPrinter;
import dev.jnx.defn.Graph;
import dev.jnx.defn.TracedFunction;
import dev.jnx.defn.Tracing;
import dev.jnx.defn.Tree;
import dev.jnx.grad.Grad;
import dev.jnx.vmap.Vmap;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Numerical definitions: {@code jit} traces a plain Java function over tensors into an
 * expression graph and hands it to a {@link Compiler} ({@code Nx.Defn.jit}). Without an
 * explicit compiler the default one is used: the reference {@link Evaluator} unless
 * {@link #setDefaultCompiler} chose another (Nx's {@code @default_defn_compiler}).
 */
public final class Defn {
    private static volatile Compiler defaultCompiler = Evaluator.compiler();
    /** How many {@link #valueAndGrad} calls are running their function on this thread. */
    private static final ThreadLocal<Integer> GRAD_DEPTH = ThreadLocal.withInitial(() -> 0);

    private Defn() {
    }

    /**
     * A function of any number of tensors, passed as one array: {@code jit} takes it as the
     * {@link Fn1} it is ({@code Defn.jit((Tensor... args) -> ...)} is one too), and
     * {@link #traceVarargs} traces it for given arguments.
     */
    @FunctionalInterface
    public interface Variadic extends Fn1<Tensor[], Tensor> {
    }

    /** Sets the compiler that {@code jit} uses when none is given; {@code null} restores the evaluator. */
    public static void setDefaultCompiler(Compiler compiler) {
        defaultCompiler = compiler == null ? Evaluator.compiler() : compiler;
    }

    /** The compiler that {@code jit} uses when none is given. */
    public static Compiler defaultCompiler() {
        return defaultCompiler;
    }

    /**
     * A function of one argument (a tensor, number or container), for {@link #jit(Fn1, Compiler)}.
     * Like every function interface jit takes ({@link Fn1} .. {@link Fn4}), it is
     * {@link Serializable} only so that javac records which method a lambda or method reference
     * calls, and jit names the function after it ({@code Softmax.softmax}); jnx never serializes
     * functions.
     */
    @FunctionalInterface
    public interface Fn1<A, R> extends Serializable {
        /** Computes the result. */
        R apply(A a);
    }

    /** A function of two arguments (tensors, numbers or containers), for {@link #jit(Fn2, Compiler)}; serializable for its name. */
    @FunctionalInterface
    public interface Fn2<A, B, R> extends Serializable {
        /** Computes the result. */
        R apply(A a, B b);
    }

    /** A function of three arguments (tensors, numbers or containers), for {@link #jit(Fn3, Compiler)}; serializable for its name. */
    @FunctionalInterface
    public interface Fn3<A, B, C, R> extends Serializable {
        /** Computes the result. */
        R apply(A a, B b, C c);
    }

    /** A function of four arguments (tensors, numbers or containers), for {@link #jit(Fn4, Compiler)}; serializable for its name. */
    @FunctionalInterface
    public interface Fn4<A, B, C, D, R> extends Serializable {
        /** Computes the result. */
        R apply(A a, B b, C c, D d);
    }

    /**
     * A function of one tensor. It is both a {@code Function<Tensor, Tensor>} and an
     * {@code Fn1<Tensor, Tensor>}, which makes {@code jit}'s tensor overload the most specific
     * one for implicitly typed lambdas ({@code x -> Nx.exp(x)}) and overloaded method references
     * ({@code Nx::sum}); the container overload takes explicitly typed ones ({@code (Params p) -> ...}).
     */
    @FunctionalInterface
    public interface TensorFunction extends Function<Tensor, Tensor>, Fn1<Tensor, Tensor> {
    }

    /** A function of two tensors; see {@link TensorFunction} for why it exists. */
    @FunctionalInterface
    public interface TensorBiFunction extends BiFunction<Tensor, Tensor, Tensor>, Fn2<Tensor, Tensor, Tensor> {
    }

    /**
     * Jits a function of one tensor with the default compiler; lambdas resolve here (see
     * {@link TensorFunction}). Every {@code jit} overload comes with and without a compiler
     * (without one, the {@link #defaultCompiler()} of now) and returns a {@link Jitted} of its
     * arity: {@link Jitted.Unary} and {@link Jitted.Binary} for tensors, {@link Jitted.Function1}
     * .. {@link Jitted.Function4} for containers, and for any number of arguments a
     * {@code Function1} of an array ({@code Defn.jit((Tensor... xs) -> ...)},
     * {@code Defn.jit((Object[] args) -> ...)}). A method reference or lambda written here names the function in
     * messages and the StableHLO module: {@code Softmax.softmax} for {@code Softmax::softmax},
     * {@code lambda in Train.main} for a lambda written in {@code Train.main};
     * {@link Jitted.Unary#named} gives another name.
     */
    public static Jitted.Unary jit(TensorFunction f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit((Function<Tensor, Tensor>) f, defaultCompiler);
    }

    /** Jits a function of one tensor with {@code compiler}, named as {@link #jit(TensorFunction)}. */
    public static Jitted.Unary jit(TensorFunction f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return jit((Function<Tensor, Tensor>) f, compiler);
    }

    /** Jits a function of two tensors with the default compiler; lambdas resolve here. */
    public static Jitted.Binary jit(TensorBiFunction f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit((BiFunction<Tensor, Tensor, Tensor>) f, defaultCompiler);
    }

    /** Jits a function of two tensors with {@code compiler}. */
    public static Jitted.Binary jit(TensorBiFunction f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return jit((BiFunction<Tensor, Tensor, Tensor>) f, compiler);
    }

    /**
     * Jits a function of one container with the default compiler, e.g.
     * {@code Defn.jit((Params p) -> model(p))}; the result may be a container too.
     */
    public static <A, R> Jitted.Function1<A, R> jit(Fn1<A, R> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /**
     * Jits a function of one container with {@code compiler}. Declare the lambda's parameter
     * type: an implicitly typed lambda resolves to the tensor overload. A function of an array
     * ({@code (Tensor... xs) -> ...}, a {@link Variadic}) takes any number of arguments, as one
     * array container: {@code f.apply(new Tensor[] {a, b, c})}. The result is rebuilt
     * with the structure the function returned, so {@code R} should be a record, {@code Tensor},
     * {@code List}, {@code Map} or array type, not a concrete collection class.
     */
    public static <A, R> Jitted.Function1<A, R> jit(Fn1<A, R> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Function1<>(f, compiler, options(f));
    }

    /** Jits a function of two containers with the default compiler, e.g. {@code Defn.jit((Params p, Tensor x) -> ...)}. */
    public static <A, B, R> Jitted.Function2<A, B, R> jit(Fn2<A, B, R> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /** Jits a function of two containers with {@code compiler}; see {@link #jit(Fn1, Compiler)}. */
    public static <A, B, R> Jitted.Function2<A, B, R> jit(Fn2<A, B, R> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Function2<>(f, compiler, options(f));
    }

    /** Jits {@code f} with the default compiler (resolved now, not per call). */
    public static Jitted.Unary jit(Function<Tensor, Tensor> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /**
     * Jits {@code f} with {@code compiler}. A {@code Function} that is not serializable shows
     * only its defining class, so its name adds where it was jitted ({@code lambda of Train,
     * jitted in Train.main(Train.java:42)}); {@link Jitted.Unary#named} gives a better one.
     */
    public static Jitted.Unary jit(Function<Tensor, Tensor> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Unary(f, compiler, options(f));
    }

    /** Jits a function of two tensors with the default compiler. */
    public static Jitted.Binary jit(BiFunction<Tensor, Tensor, Tensor> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /** Jits a function of two tensors with {@code compiler}, named as {@link #jit(Function, Compiler)}. */
    public static Jitted.Binary jit(BiFunction<Tensor, Tensor, Tensor> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Binary(f, compiler, options(f));
    }

    /**
     * Jits a function of three arguments (tensors, numbers or containers) with the default
     * compiler; declare the lambda's parameter types. A method reference to an overloaded
     * method with one and three parameters ({@code Nx::sum}) is ambiguous among the
     * {@code jit} overloads: write the lambda ({@code x -> Nx.sum(x)}) or cast it.
     */
    public static <A, B, C, R> Jitted.Function3<A, B, C, R> jit(Fn3<A, B, C, R> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /** Jits a function of three arguments with {@code compiler}; see {@link #jit(Fn1, Compiler)}. */
    public static <A, B, C, R> Jitted.Function3<A, B, C, R> jit(Fn3<A, B, C, R> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Function3<>(f, compiler, options(f));
    }

    /** Jits a function of four arguments (tensors, numbers or containers) with the default compiler. */
    public static <A, B, C, D, R> Jitted.Function4<A, B, C, D, R> jit(Fn4<A, B, C, D, R> f) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        return jit(f, defaultCompiler);
    }

    /** Jits a function of four arguments with {@code compiler}; see {@link #jit(Fn1, Compiler)}. */
    public static <A, B, C, D, R> Jitted.Function4<A, B, C, D, R> jit(Fn4<A, B, C, D, R> f, Compiler compiler) {
        Objects.requireNonNull(f, "Defn.jit: argument f");
        Objects.requireNonNull(compiler, "Defn.jit: argument compiler");
        return new Jitted.Function4<>(f, compiler, options(f));
    }

    /** Traces {@code f} for an argument shaped like {@code x} (its values are not used). */
    @SuppressWarnings("exports") // TracedFunction is the compiler SPI's, exported to compiler modules
    public static TracedFunction trace(Function<Tensor, Tensor> f, Tensor x) {
        Objects.requireNonNull(f, "Defn.trace: argument f");
        Objects.requireNonNull(x, "Defn.trace: argument x");
        return trace(FunctionNames.of(f), args -> f.apply((Tensor) args[0]), template(f, x)).function();
    }

    /** Traces {@code f} for arguments shaped like {@code x} and {@code y}. */
    @SuppressWarnings("exports") // TracedFunction is the compiler SPI's, exported to compiler modules
    public static TracedFunction trace(BiFunction<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) {
        Objects.requireNonNull(f, "Defn.trace: argument f");
        Objects.requireNonNull(x, "Defn.trace: argument x");
        Objects.requireNonNull(y, "Defn.trace: argument y");
        return trace(FunctionNames.of(f), args -> f.apply((Tensor) args[0], (Tensor) args[1]), template(f, x, y)).function();
    }

    /** Traces {@code f} for arguments shaped like {@code args}. */
    @SuppressWarnings("exports") // TracedFunction is the compiler SPI's, exported to compiler modules
    public static TracedFunction traceVarargs(Variadic f, Tensor... args) {
        Objects.requireNonNull(f, "Defn.trace_varargs: argument f");
        Objects.requireNonNull(args, "Defn.trace_varargs: argument args");
        return trace(FunctionNames.of(f), a -> f.apply(Arrays.copyOf(a, a.length, Tensor[].class)),
                template(f, (Object[]) args)).function();
    }

    /**
     * Traces a function of containers for arguments shaped like {@code args}, as a jitted
     * function does for a new template (its values are not used).
     */
    @SuppressWarnings("exports") // TracedFunction is the compiler SPI's, exported to compiler modules
    public static TracedFunction traceContainers(Function<Object[], Object> f, Object... args) {
        Objects.requireNonNull(f, "Defn.trace_containers: argument f");
        Objects.requireNonNull(args, "Defn.trace_containers: argument args");
        return trace(FunctionNames.of(f), f, template(f, args)).function();
    }

    /**
     * The graph of {@code f} traced for an argument shaped like {@code x}, printed as Nx
     * inspects an {@code Nx.Defn.Expr} ({@link GraphPrinter}; {@code jax.make_jaxpr}).
     */
    public static String inspect(Function<Tensor, Tensor> f, Tensor x) {
        Objects.requireNonNull(f, "Defn.inspect: argument f");
        Objects.requireNonNull(x, "Defn.inspect: argument x");
        return GraphPrinter.print(trace(f, x));
    }

    /** The graph of {@code f} traced for arguments shaped like {@code x} and {@code y}, printed. */
    public static String inspect(BiFunction<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) {
        Objects.requireNonNull(f, "Defn.inspect: argument f");
        Objects.requireNonNull(x, "Defn.inspect: argument x");
        Objects.requireNonNull(y, "Defn.inspect: argument y");
        return GraphPrinter.print(trace(f, x, y));
    }

    /** The graph of {@code f} traced for arguments shaped like {@code args}, printed. */
    public static String inspectVarargs(Variadic f, Tensor... args) {
        Objects.requireNonNull(f, "Defn.inspect_varargs: argument f");
        Objects.requireNonNull(args, "Defn.inspect_varargs: argument args");
        return GraphPrinter.print(traceVarargs(f, args));
    }

    /** The graph of a function of containers traced for arguments shaped like {@code args}, printed; outputs in flattened order. */
    public static String inspectContainers(Function<Object[], Object> f, Object... args) {
        Objects.requireNonNull(f, "Defn.inspect_containers: argument f");
        Objects.requireNonNull(args, "Defn.inspect_containers: argument args");
        return GraphPrinter.print(traceContainers(f, args));
    }

    /**
     * The value of {@code f(params)} and its gradient with respect to {@code params}.
     *
     * @param value the scalar value
     * @param grad  the gradient, a container of the same structure as the parameters
     * @param <T>   the container type of the parameters
     */
    public record ValueAndGrad<T>(Tensor value, T grad) {
    }

    /**
     * The gradient of the scalar function {@code f} at {@code params}, a tensor or any
     * container of tensors ({@code Nx.Defn.grad}). Works inside a jitted function (the
     * gradient becomes part of its graph) and outside one (computed on the backend of the
     * parameters: the host's reference evaluator, or the device holding them).
     */
    public static <T> T grad(T params, Function<T, Tensor> f) {
        Objects.requireNonNull(params, "Defn.grad: argument params");
        Objects.requireNonNull(f, "Defn.grad: argument f");
        return valueAndGrad(params, f).grad();
    }

    /**
     * The value of the scalar function {@code f} at {@code params} and its gradient
     * ({@code value_and_grad}). With vectorized parameters, or a function whose value is
     * vectorized, as in Nx: the parameters are first broadcast to the union of their vectorized
     * axes, the value is one scalar per entry and the gradient holds each entry's gradient
     * (vectorized like the parameter; when no parameter is vectorized but the value is, like the value).
     */
    public static <T> ValueAndGrad<T> valueAndGrad(T params, Function<T, Tensor> f) {
        Objects.requireNonNull(params, "Defn.value_and_grad: argument params");
        Objects.requireNonNull(f, "Defn.value_and_grad: argument f");
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = Tree.flatten("Defn.value_and_grad: argument params", params, leaves);
        for (int i = 0; i < leaves.size(); i++) {
            Tensor leaf = leaves.get(i);
            if (!(leaf.type().isFloat() || leaf.type().isComplex())) {
                throw new IllegalArgumentException("valueAndGrad: parameter " + i + " is " + leaf.type() + leaf.shape()
                        + "; gradients need floating-point parameters (convert with Nx.asType)");
            }
        }
        if (leaves.stream().anyMatch(Tensor::isVectorized)) {
            leaves = Nx.broadcastVectors(leaves);
        }
        List<Tensor> vars = variables(leaves);
        Tensor value = call(tree, vars, f);
        if (value.isVectorized() && vars.stream().noneMatch(Tensor::isVectorized)) {
            // Plain parameters shared by the entries of the value get one gradient per entry (as
            // Nx): traced again, broadcast to the value's vectorized axes, each entry has its own copy.
            List<Tensor> spread = new ArrayList<>(leaves.size());
            for (Tensor leaf : leaves) {
                spread.add(Vectorization.broadcastTo(leaf, value.vectorizedAxes()));
            }
            vars = variables(spread);
            return gradients(tree, vars, call(tree, vars, f));
        }
        return gradients(tree, vars, value);
    }

    /** A fresh node per parameter, where its gradient stops, whatever the value depends on; vectorized as the parameter. */
    private static List<Tensor> variables(List<Tensor> leaves) {
        List<Tensor> vars = new ArrayList<>(leaves.size());
        for (Tensor leaf : leaves) {
            Tensor v = Tracing.record(new Expr.Metadata(Tracing.dataNodeOf(leaf), Expr.Metadata.GRAD_VARIABLE));
            vars.add(leaf.isVectorized() ? Nx.vectorize(v, leaf.vectorizedAxes()) : v);
        }
        return vars;
    }

    @SuppressWarnings("unchecked")
    private static <T> Tensor call(Tree tree, List<Tensor> vars, Function<T, Tensor> f) {
        Tensor value;
        GRAD_DEPTH.set(GRAD_DEPTH.get() + 1);
        try {
            value = f.apply((T) tree.unflatten(vars, new int[1]));
        } finally {
            GRAD_DEPTH.set(GRAD_DEPTH.get() - 1);
        }
        if (value.rank() != 0) {
            throw new IllegalArgumentException("valueAndGrad: the function must return a scalar, got "
                    + Vectorization.describe(value) + " (reduce it, e.g. with Nx.sum or Nx.mean)");
        }
        return value;
    }

    /**
     * The value and the gradients with respect to {@code vars}, seeded in the devectorized
     * space: entries are independent, so the gradient of all of them at once is each entry's.
     */
    @SuppressWarnings("unchecked")
    private static <T> ValueAndGrad<T> gradients(Tree tree, List<Tensor> vars, Tensor value) {
        List<Tensor> full = new ArrayList<>(vars.size());
        for (Tensor v : vars) {
            full.add(Nx.devectorize(v));
        }
        List<Tensor> grads = Grad.gradients(Nx.devectorize(value), full);
        List<Tensor> results = new ArrayList<>(grads.size() + 1);
        results.add(Nx.devectorize(value));
        results.addAll(grads);
        results = materializeIfConcrete(results);
        List<Tensor> tagged = new ArrayList<>(results.size());
        tagged.add(Nx.vectorize(results.get(0), value.vectorizedAxes()));
        for (int i = 0; i < vars.size(); i++) {
            tagged.add(Nx.vectorize(results.get(i + 1), vars.get(i).vectorizedAxes()));
        }
        return new ValueAndGrad<>(tagged.get(0), (T) tree.unflatten(tagged.subList(1, tagged.size()), new int[1]));
    }

    /**
     * Computes graphs that depend on no parameter (eager autodiff) on their constants' backend,
     * so a gradient at device tensors is computed on that device; traced ones stay graphs,
     * and so do gradients taken inside another gradient, which must stay differentiable. While
     * a function is traced the graphs stay too, unwalked: the compiler computes them, and the walk
     * cost 2.5% of tracing a new template.
     */
    private static List<Tensor> materializeIfConcrete(List<Tensor> tensors) {
        if (GRAD_DEPTH.get() > 0 || Tracing.isTracing()) {
            return tensors;
        }
        List<Expr> roots = new ArrayList<>();
        for (Tensor t : tensors) {
            if (t.data() instanceof Expr e) {
                roots.add(e);
            }
        }
        for (Expr e : Graph.postOrder(roots)) {
            if (e instanceof Expr.Parameter) {
                return tensors;
            }
        }
        List<Tensor> values = Tracing.evaluate(roots);
        List<Tensor> out = new ArrayList<>(tensors.size());
        int k = 0;
        for (Tensor t : tensors) {
            out.add(t.data() instanceof Expr ? values.get(k++) : t);
        }
        return out;
    }

    /**
     * {@code f} mapped over axis 0 of its argument and of its result ({@code jax.vmap(f)}):
     * {@code vmap(f).apply(xs)} stacks {@code f} of each example of {@code xs}, computed as one
     * batched op per op of {@code f}. See {@link #vmap(Fn1, Object, Object)}.
     */
    public static <A, R> Fn1<A, R> vmap(Fn1<A, R> f) {
        return vmap(f, 0, 0);
    }

    /**
     * The vectorizing map of {@code f} ({@code jax.vmap(f, in_axes, out_axes)}): the returned
     * function takes a batch of examples and returns the batch of {@code f}'s results. {@code f}
     * is traced once, over one example's shapes; each of its primitives is then applied to the
     * whole batch by its batching rule. It composes with {@code jit}, {@code grad} and itself in
     * any order: inside a jitted function the batched ops are traced, {@code grad} differentiates
     * them, and a {@code vmap} of a {@code vmap} maps two axes. A vectorized argument's axes stay
     * vectorized and outside: its axis is one of its entry shape, {@code f} sees each example
     * still vectorized, and a vectorized result gets the examples in its entry shape.
     *
     * @param inAxes  which axis of the argument indexes the examples: an {@code Integer}
     *                (negative counts from the end), {@code null} for a value shared by every
     *                example, or a container matching the argument's structure with one such
     *                entry per leaf or subtree ({@code List}/array for lists and arrays,
     *                {@code Map} for maps, {@code Map} by component name or {@code List} in
     *                component order for records)
     * @param outAxes where the examples go in each leaf of the result, in the same form; a
     *                {@code null} leaf must not differ between examples
     * @throws IllegalArgumentException when called, naming the argument and sizes, if an axis
     *                                  is out of range, the mapped sizes differ or nothing is mapped
     */
    @SuppressWarnings("unchecked")
    public static <A, R> Fn1<A, R> vmap(Fn1<A, R> f, Object inAxes, Object outAxes) {
        Objects.requireNonNull(f, "Defn.vmap: argument f");
        String name = "vmap(" + FunctionNames.of(f) + ")";
        return a -> (R) Vmap.call(name, args -> f.apply((A) args[0]), new Object[] {a},
                java.util.Collections.singletonList(inAxes), outAxes);
    }

    /**
     * The vectorizing map of a function of two arguments, with the axes of each; see
     * {@link #vmap(Fn1, Object, Object)}. {@code vmap((p, x) -> loss(p, x), null, 0, 0)}
     * shares {@code p} and maps {@code x}.
     */
    @SuppressWarnings("unchecked")
    public static <A, B, R> Fn2<A, B, R> vmap(Fn2<A, B, R> f, Object inAxesA, Object inAxesB, Object outAxes) {
        Objects.requireNonNull(f, "Defn.vmap: argument f");
        String name = "vmap(" + FunctionNames.of(f) + ")";
        return (a, b) -> (R) Vmap.call(name, args -> f.apply((A) args[0], (B) args[1]), new Object[] {a, b},
                Arrays.asList(inAxesA, inAxesB), outAxes);
    }

    /** The value of {@code t}, treated as a constant by gradients ({@code stop_grad}). */
    public static Tensor stopGrad(Tensor t) {
        return Kernel.stopGrad(t);
    }

    /**
     * The value of {@code value}, whose gradient with respect to {@code inputs} is
     * {@code gradient} applied to the cotangent of {@code value} ({@code custom_grad}): it must
     * return one tensor per input, shaped like it.
     */
    public static Tensor customGrad(Tensor value, List<Tensor> inputs, Function<Tensor, List<Tensor>> gradient) {
        return Kernel.customGrad(value, inputs, gradient);
    }

    /**
     * {@link #customGrad(Tensor, List, Function)} for a container value ({@code custom_grad} of
     * a tuple): {@code gradient} receives the cotangents as a container of the same structure.
     * It is called once for each result that receives a cotangent, with zeros for the others;
     * the gradients add up to those of one call with all of them, a gradient being linear in the
     * cotangent.
     */
    public static <T> T customGrad(T value, List<Tensor> inputs, Function<T, List<Tensor>> gradient) {
        return Kernel.customGrad(value, inputs, gradient);
    }

    /**
     * {@code state = initial; while (condition(state)) state = body(state)}, compiled to one
     * {@code stablehlo.while}. The state is any container of tensors; the body must return one
     * of the same structure, shapes and types; the condition a scalar (non-zero means go on).
     * Values the functions read from outside are captured.
     *
     * <p>{@link #grad} differentiates through the loop with respect to the initial state and
     * to the values the body captures, exactly for any body, though the trip count n is known
     * only at run time: a reverse loop applies the body's vector-Jacobian product at each step,
     * recomputing the state before step i from the initial state. The gradient therefore costs
     * about n²/2 body evaluations (plus n of the body's gradient) and no memory per step.
     */
    public static <S> S whileLoop(S initial, Function<S, Tensor> condition, Function<S, S> body) {
        return Kernel.whileLoop(initial, condition, body);
    }

    /** {@code predicate ? onTrue.get() : onFalse.get()} as one {@code stablehlo.case} when traced. */
    public static <R> R cond(Tensor predicate, Supplier<R> onTrue, Supplier<R> onFalse) {
        return Kernel.cond(predicate, onTrue, onFalse);
    }

    /**
     * Nx's multi-clause {@code cond}: the branch of the first non-zero predicate, or the last
     * branch if none is ({@code branches.size() == predicates.size() + 1}). Every branch must
     * return the same structure; as in Nx, each result has the merged type and the broadcast
     * shape of what the branches return there (s16 and f32 give f32). A concrete choice runs
     * only that branch and returns what it returns.
     */
    public static <R> R cond(List<Tensor> predicates, List<Supplier<R>> branches) {
        return Kernel.cond(predicates, branches);
    }

    /**
     * A traced function and the structure of its result; {@code vectorized} holds each output's
     * vectorized axes (the function's outputs hold all entries), or is null when none has any.
     */
    record Trace(TracedFunction function, Tree outputs, List<List<VectorizedAxis>> vectorized) {
    }

    /** Traces {@code f} over symbolic arguments built from {@code template}, a list of the arguments' trees. */
    static Trace trace(String name, Function<Object[], Object> f, Tree template) {
        List<Expr.Parameter> params = new ArrayList<>();
        List<Tensor> symbolic = new ArrayList<>();
        Kernel.collectParameters(template, params, symbolic);
        Tracing.own(params, name);
        List<?> args = (List<?>) template.unflatten(symbolic, new int[1]);
        Object result = Tracing.tracing(() -> f.apply(args.toArray()));
        List<Tensor> outLeaves = new ArrayList<>();
        Tree outputs = Tree.flatten(name + ": the result", Objects.requireNonNull(result, name + " returned null"), outLeaves);
        List<Expr> outs = new ArrayList<>();
        List<List<VectorizedAxis>> vectorized = null;
        for (int i = 0; i < outLeaves.size(); i++) {
            Tensor t = outLeaves.get(i);
            outs.add(Tracing.dataNodeOf(t));
            if (t.isVectorized()) {
                if (vectorized == null) {
                    vectorized = new ArrayList<>(java.util.Collections.nCopies(outLeaves.size(), List.of()));
                }
                vectorized.set(i, t.vectorizedAxes());
            }
        }
        Tracing.checkOwnParameters(name, params, outs);
        return new Trace(new TracedFunction(name, params, outs), outputs, vectorized);
    }


    private static Tree template(Object f, Object... args) {
        return Tree.flattenArguments(FunctionNames.of(f), args, new ArrayList<>());
    }


    private static JitOptions options(Object f) {
        return JitOptions.of(FunctionNames.jitted(f));
    }
}
