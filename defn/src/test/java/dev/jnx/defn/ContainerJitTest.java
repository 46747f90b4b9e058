package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code Defn.jit} over one and two containers with typed results, beside the tensor
 * overloads that lambdas and method references keep resolving to; and the Tree helpers.
 * exla-backend reruns it compiled by XLA.
 */
public class ContainerJitTest {
    /** The compiler the functions are jitted with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    record Params(Tensor w, Tensor b) {
    }

    record Out(Tensor y, Map<String, Tensor> stats) {
    }

    @Test
    void aFunctionOfTwoContainersReturnsATypedRecord() {
        Jitted.Function2<Params, Tensor, Out> f = Defn.jit((Params p, Tensor x) -> {
            Tensor y = Nx.add(Nx.multiply(x, p.w()), p.b());
            return new Out(y, Map.of("sum", Nx.sum(y)));
        }, compiler());
        Out o = f.apply(new Params(Nx.tensor(new float[] {2, 3}), Nx.scalar(1f)), Nx.tensor(new float[] {1, 10}));
        assertArrayEquals(new float[] {3, 31}, o.y().toFloatArray());
        assertEquals(34f, o.stats().get("sum").toFloatArray()[0]);
        f.apply(new Params(Nx.tensor(new float[] {0, 0}), Nx.scalar(0f)), Nx.tensor(new float[] {5, 5}));
        assertEquals(1, f.traceCount());
    }

    @Test
    void aNullInsideAnArgumentNamesTheFunctionTheArgumentAndThePath() {
        Object withNull = java.util.Arrays.asList(Nx.scalar(1f), new Params(null, Nx.scalar(2f)));
        Map<String, Tensor> map = new java.util.HashMap<>();
        map.put("w", null);
        Jitted f = Defn.jit((Object a, Object b) -> a, compiler());
        NullPointerException e = assertThrows(NullPointerException.class, () -> f.invoke(Nx.scalar(0f), withNull));
        assertTrue(e.getMessage().endsWith(": argument 1 holds null at [1].w"), e.getMessage());
        assertTrue(e.getMessage().startsWith(f.name() + ":"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Defn.jit((Object a) -> a, compiler()).invoke(List.of(map)));
        assertTrue(e.getMessage().endsWith(": argument 0 holds null at [0].w"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Defn.traceContainers(a -> a[0], withNull));
        assertTrue(e.getMessage().endsWith(": argument 0 holds null at [1].w"), e.getMessage());
        e = assertThrows(NullPointerException.class, () -> Defn.grad(withNull, p -> Nx.scalar(0f)));
        assertEquals("Defn.value_and_grad: argument params holds null at [1].w", e.getMessage());
    }

    @Test
    void aFunctionOfOneContainer() {
        Jitted.Function1<Map<String, Tensor>, List<Tensor>> f = Defn.jit((Map<String, Tensor> m) ->
                List.of(Nx.subtract(m.get("a"), m.get("b")), Nx.multiply(m.get("a"), m.get("b"))), compiler());
        List<Tensor> r = f.apply(Map.of("a", Nx.tensor(new double[] {5, 7}), "b", Nx.tensor(new double[] {2, 3})));
        assertArrayEquals(new double[] {3, 4}, r.get(0).toDoubleArray());
        assertArrayEquals(new double[] {10, 21}, r.get(1).toDoubleArray());
    }

    @Test
    void lambdasAndMethodReferencesStillResolveToTheTensorOverloads() {
        // Nx::sum also has a three-parameter overload, which makes it match jit's Fn3 form too: a cast picks one.
        Jitted.Unary sum = Defn.jit((Defn.TensorFunction) Nx::sum, compiler());
        assertEquals(6f, sum.apply(Nx.tensor(new float[] {1, 2, 3})).toFloatArray()[0]);
        Jitted.Unary exp = Defn.jit(x -> Nx.exp(x), compiler());
        assertEquals((float) Math.E, exp.apply(Nx.scalar(1f)).toFloatArray()[0], 1e-6f);
        Jitted.Binary add = Defn.jit((x, y) -> Nx.add(x, y), compiler());
        assertEquals(5f, add.apply(Nx.scalar(2f), Nx.scalar(3f)).toFloatArray()[0]);
        Function<Tensor, Tensor> neg = Nx::negate;
        assertEquals(-2f, Defn.jit(neg, compiler()).apply(Nx.scalar(2f)).toFloatArray()[0]);
    }

    @Test
    void typedZipMapLeavesAndClose() {
        Params a = new Params(Nx.tensor(new float[] {1, 2}), Nx.scalar(3f));
        Params b = new Params(Nx.tensor(new float[] {10, 20}), Nx.scalar(30f));
        Params sum = Tree.zip(a, b, Nx::add);
        assertArrayEquals(new float[] {11, 22}, sum.w().toFloatArray());
        assertEquals(33f, sum.b().toFloatArray()[0]);
        Params fma = Tree.zip(a, b, b, (x, y, z) -> Nx.add(Nx.multiply(x, y), z));
        assertArrayEquals(new float[] {20, 60}, fma.w().toFloatArray());
        Params doubled = Tree.map(a, t -> Nx.multiply(t, 2));
        assertEquals(6f, doubled.b().toFloatArray()[0]);
        List<Tensor> leaves = Tree.leaves(Map.of("z", a, "a", List.of(Nx.scalar(7))));
        assertEquals(3, leaves.size());
        assertEquals(7, leaves.get(0).toIntArray()[0]); // map keys in sorted order: "a" first
        var e = assertThrows(IllegalArgumentException.class, () -> Tree.zip(a, List.of(Nx.scalar(1f)), Nx::add));
        assertTrue(e.getMessage().contains("structure"), e.getMessage());
        Tree.close(sum); // host tensors: a no-op that must not fail
        assertInstanceOf(Params.class, Tree.map(sum, t -> t));
    }
}
