package dev.jnx.defn;

import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Numerical definitions: {@code jit} traces a plain Java function over tensors into an
 * expression graph and hands it to a {@link Compiler} ({@code Nx.Defn.jit}). Without an
 * explicit compiler the default one is used: the reference {@link Evaluator} unless
 * {@link #setDefaultCompiler} chose another (Nx's {@code @default_defn_compiler}).
 */
public final class Defn {
    private static volatile Compiler defaultCompiler = Evaluator.compiler();

    private Defn() {
    }

    /** A function of any number of tensors, for {@link #jitVarargs}. */
    @FunctionalInterface
    public interface Variadic {
        /** Computes the result from {@code args}. */
        Tensor apply(Tensor... args);
    }

    /** Sets the compiler that {@code jit} uses when none is given; {@code null} restores the evaluator. */
    public static void setDefaultCompiler(Compiler compiler) {
        defaultCompiler = compiler == null ? Evaluator.compiler() : compiler;
    }

    /** The compiler that {@code jit} uses when none is given. */
    public static Compiler defaultCompiler() {
        return defaultCompiler;
    }

    /** Jits {@code f} with the default compiler (resolved now, not per call). */
    public static Jitted.Unary jit(Function<Tensor, Tensor> f) {
        return jit(f, defaultCompiler);
    }

    /** Jits {@code f} with {@code compiler}. */
    public static Jitted.Unary jit(Function<Tensor, Tensor> f, Compiler compiler) {
        return new Jitted.Unary(nameOf(f), f, compiler);
    }

    /** Jits a function of two tensors with the default compiler. */
    public static Jitted.Binary jit(BiFunction<Tensor, Tensor, Tensor> f) {
        return jit(f, defaultCompiler);
    }

    /** Jits a function of two tensors with {@code compiler}. */
    public static Jitted.Binary jit(BiFunction<Tensor, Tensor, Tensor> f, Compiler compiler) {
        return new Jitted.Binary(nameOf(f), f, compiler);
    }

    /** Jits a function of any number of tensors with the default compiler. */
    public static Jitted.Varargs jitVarargs(Variadic f) {
        return jitVarargs(f, defaultCompiler);
    }

    /** Jits a function of any number of tensors with {@code compiler}. */
    public static Jitted.Varargs jitVarargs(Variadic f, Compiler compiler) {
        return new Jitted.Varargs(nameOf(f), f, compiler);
    }

    /** Traces {@code f} for an argument shaped like {@code x} (its values are not used). */
    public static TracedFunction trace(Function<Tensor, Tensor> f, Tensor x) {
        return trace(nameOf(f), args -> f.apply((Tensor) args[0]), template(x)).function();
    }

    /** Traces {@code f} for arguments shaped like {@code x} and {@code y}. */
    public static TracedFunction trace(BiFunction<Tensor, Tensor, Tensor> f, Tensor x, Tensor y) {
        return trace(nameOf(f), args -> f.apply((Tensor) args[0], (Tensor) args[1]), template(x, y)).function();
    }

    /** Traces {@code f} for arguments shaped like {@code args}. */
    public static TracedFunction traceVarargs(Variadic f, Tensor... args) {
        return trace(nameOf(f), a -> f.apply(Arrays.copyOf(a, a.length, Tensor[].class)),
                template((Object[]) args)).function();
    }

    /** A traced function and the structure of its result. */
    record Trace(TracedFunction function, Tree outputs) {
    }

    /** Traces {@code f} over symbolic arguments built from {@code template}, a list of the arguments' trees. */
    static Trace trace(String name, Function<Object[], Object> f, Tree template) {
        List<Expr.Parameter> params = new ArrayList<>();
        List<Tensor> symbolic = new ArrayList<>();
        collectParameters(template, params, symbolic);
        List<?> args = (List<?>) template.unflatten(symbolic, new int[1]);
        Object result = f.apply(args.toArray());
        List<Tensor> outLeaves = new ArrayList<>();
        Tree outputs = Tree.flatten(Objects.requireNonNull(result, name + " returned null"), outLeaves);
        List<Expr> outs = new ArrayList<>();
        for (Tensor t : outLeaves) {
            outs.add(t.data() instanceof Expr e ? e : new Expr.Constant(t));
        }
        return new Trace(new TracedFunction(name, params, outs), outputs);
    }

    private static void collectParameters(Tree t, List<Expr.Parameter> params, List<Tensor> symbolic) {
        switch (t) {
            case Tree.Leaf l -> {
                Expr.Parameter p = new Expr.Parameter(params.size(), l.shape(), l.type());
                params.add(p);
                symbolic.add(Tensor.of(l.shape(), l.type(), p));
            }
            case Tree.ListNode l -> l.items().forEach(i -> collectParameters(i, params, symbolic));
            case Tree.ArrayNode a -> a.items().forEach(i -> collectParameters(i, params, symbolic));
            case Tree.MapNode m -> m.values().forEach(i -> collectParameters(i, params, symbolic));
            case Tree.RecordNode r -> r.components().forEach(i -> collectParameters(i, params, symbolic));
        }
    }

    private static Tree template(Object... args) {
        return Tree.flatten(List.of(args), new ArrayList<>());
    }

    /** A name for module and error messages: the lambda's defining class, e.g. {@code Softmax}. */
    private static String nameOf(Object f) {
        String n = f.getClass().getSimpleName();
        int lambda = n.indexOf("$$Lambda");
        String base = lambda >= 0 ? n.substring(0, lambda) : n;
        base = base.replaceAll("[^A-Za-z0-9_]", "_");
        return base.isEmpty() ? "fn" : base;
    }
}
