package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tracing, the template cache and the default compiler. */
class DefnTest {
    static Tensor softmax(Tensor x) {
        Tensor shifted = Nx.subtract(x, Nx.reduceMax(x));
        return Nx.divide(Nx.exp(shifted), Nx.sum(Nx.exp(shifted)));
    }

    @AfterEach
    void restoreDefault() {
        Defn.setDefaultCompiler(null);
    }

    @Test
    void softmaxOfOneTwoThree() {
        float[] r = Defn.jit(DefnTest::softmax).apply(Nx.tensor(new float[] {1, 2, 3})).toFloatArray();
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f}, r, 1e-7f);
    }

    @Test
    void tracedTensorsLiveOnTheExprBackendWhichTakesNothingIn() {
        Tensor host = Nx.tensor(new float[] {1, 2, 3});
        assertSame(Backend.HOST, host.backend());
        assertSame(host, Nx.backendTransfer(host, Nx.scalar(0f).backend()), "already on the host");
        Tensor y = Defn.jit((Tensor x) -> {
            assertEquals("expr", x.backend().name());
            IllegalArgumentException in = assertThrows(IllegalArgumentException.class,
                    () -> Nx.backendTransfer(host, x.backend()));
            assertEquals("backend_transfer: cannot move f32[3] from host to expr, the backend of traced tensors; pass it"
                    + " to the jitted function as an argument, or use it in the traced code directly (it is captured"
                    + " as a constant)", in.getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class, () -> Nx.backendCopy(host, x.backend()))
                    .getMessage().startsWith("backend_copy: cannot move f32[3] from host to expr"));
            assertThrows(IllegalStateException.class, () -> Nx.backendTransfer(x, host.backend()), "no values to read");
            return Nx.add(x, host);
        }).apply(Nx.tensor(new float[] {10, 20, 30}));
        assertSame(Backend.HOST, y.backend());
        assertArrayEquals(new float[] {11, 22, 33}, y.toFloatArray());
    }

    @Test
    void sameTemplateNeitherRetracesNorRecompiles() {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger compiles = new AtomicInteger();
        Compiler counting = new Compiler() {
            @Override
            public Executable compile(TracedFunction function) {
                compiles.incrementAndGet();
                return Evaluator.compiler().compile(function);
            }

            @Override
            public String name() {
                return "counting";
            }
        };
        Jitted.Unary f = Defn.jit(x -> {
            calls.incrementAndGet();
            return softmax(x);
        }, counting);
        f.apply(Nx.tensor(new float[] {1, 2, 3}));
        f.apply(Nx.tensor(new float[] {4, 5, 6}));
        assertEquals(1, calls.get());
        assertEquals(1, compiles.get());
        assertEquals(1, f.traceCount());
        f.apply(Nx.tensor(new double[] {1, 2, 3}));
        f.apply(Nx.tensor(new float[] {1, 2}));
        assertEquals(3, compiles.get());
        assertEquals(3, f.traceCount());
        assertEquals(3, f.cacheSize());
        f.apply(Nx.tensor(new double[] {7, 8, 9}));
        assertEquals(3, compiles.get());
    }

    @Test
    void defaultCompilerIsTheEvaluatorUntilSet() {
        assertSame(Evaluator.compiler(), Defn.defaultCompiler());
        assertSame(Evaluator.compiler(), Defn.jit(DefnTest::softmax).compiler());
        Compiler other = new Compiler() {
            @Override
            public Executable compile(TracedFunction function) {
                return Evaluator.compiler().compile(function);
            }

            @Override
            public String name() {
                return "other";
            }
        };
        Defn.setDefaultCompiler(other);
        assertSame(other, Defn.jit(DefnTest::softmax).compiler());
    }

    @Test
    void binaryAndVarargsForms() {
        Tensor a = Nx.tensor(new int[] {1, 2});
        Tensor b = Nx.tensor(new int[] {10, 20});
        assertArrayEquals(new int[] {11, 22}, Defn.jit(Nx::add).apply(a, b).toIntArray());
        Jitted.Function1<Tensor[], Tensor> sum3 = Defn.jit((Tensor... args) -> Nx.add(Nx.add(args[0], args[1]), args[2]));
        assertArrayEquals(new int[] {12, 24}, sum3.apply(new Tensor[] {a, b, a}).toIntArray());
    }

    @Test
    void overloadedNxMethodsJitByReference() {
        // Nx::sum and Nx::reduceMax also have three-parameter overloads, so they match jit's Fn3
        // form as well (javac reports the call ambiguous); a cast to TensorFunction picks one.
        Tensor t = Nx.tensor(new int[] {3, 1, 2});
        Jitted.Unary sum = Defn.jit((Defn.TensorFunction) Nx::sum);
        assertArrayEquals(new int[] {6}, sum.apply(t).toIntArray());
        assertEquals("Nx.sum", sum.name());
        assertArrayEquals(new int[] {3}, Defn.jit((Defn.TensorFunction) Nx::reduceMax, Evaluator.compiler()).apply(t).toIntArray());
    }

    @Test
    void tracedGraphRecordsPrimitives() {
        TracedFunction f = Defn.trace(DefnTest::softmax, Nx.tensor(new float[] {1, 2, 3}));
        assertEquals(1, f.parameters().size());
        assertEquals(Shape.of(3), f.parameters().get(0).shape());
        Expr out = f.outputs().get(0);
        assertInstanceOf(Expr.Binary.class, out);
        assertEquals(Expr.BinaryOp.DIVIDE, ((Expr.Binary) out).op());
        long exps = Graph.postOrder(f.outputs()).stream()
                .filter(e -> e instanceof Expr.Unary u && u.op() == Expr.UnaryOp.EXP).count();
        assertEquals(2, exps, "the function computes exp twice; nothing merges them implicitly");
    }

    @Test
    void readingATracedValueIsAClearError() {
        var e = assertThrows(IllegalStateException.class,
                () -> Defn.jit((Tensor x) -> Nx.scalar(x.toFloatArray()[0])).apply(Nx.tensor(new float[] {1})));
        assertTrue(e.getMessage().contains("traced"), e.getMessage());
    }

    @Test
    void wrongArgumentToACompiledTemplateNamesExpectedAndActual() {
        TracedFunction f = Defn.trace(DefnTest::softmax, Nx.tensor(new float[] {1, 2, 3}));
        Executable ex = Evaluator.compiler().compile(f);
        var e = assertThrows(IllegalArgumentException.class, () -> ex.run(List.of(Nx.tensor(new float[] {1, 2}))));
        assertTrue(e.getMessage().contains("f32[3]") && e.getMessage().contains("f32[2]"), e.getMessage());
    }

    @Test
    void capturedConstantsAndNumbersAreAllowed() {
        Tensor bias = Nx.tensor(new float[] {10, 20});
        var f = Defn.jit((Tensor x) -> Nx.add(Nx.multiply(x, 2), bias));
        assertArrayEquals(new float[] {12, 24}, f.apply(Nx.tensor(new float[] {1, 2})).toFloatArray());
        // A number argument is traced as a scalar tensor, hence Object.
        var g = Defn.jit((Tensor x, Object n) -> Map.of("b", Nx.add(x, 1), "a", n), Evaluator.compiler());
        @SuppressWarnings("unchecked")
        Map<String, Tensor> out = (Map<String, Tensor>) g.invoke(Nx.tensor(new int[] {1}), 5);
        assertEquals(List.of("a", "b"), List.copyOf(out.keySet()));
        assertEquals(DType.S32, out.get("a").type());
        assertArrayEquals(new int[] {2}, out.get("b").toIntArray());
    }

    /**
     * Numbers and small constants next to traced tensors are broadcast in the graph: tracing
     * must not evaluate x-sized constants (the MLP step spent 40 ms on them), and the values
     * must stay those of eager evaluation.
     */
    @Test
    void constantsNextToTracedTensorsStaySmall() {
        Defn.TensorFunction f = x -> Nx.select(Nx.greater(x, 0f), Nx.multiply(x, 0.9f), Nx.add(Nx.scalar(-1f), Nx.multiply(x, 0)));
        Tensor x = Nx.tensor(new float[] {-2, 0, 1, 3, -0.5f, 10}, 2, 3);
        TracedFunction traced = Defn.trace(f, x);
        int constants = 0;
        for (Expr e : Graph.postOrder(traced.outputs())) {
            if (e instanceof Expr.Constant c) {
                constants++;
                assertEquals(Shape.scalar(), c.value().shape(), "a constant was materialized at " + c.value().shape());
            }
        }
        assertTrue(constants >= 3, constants + " constants");
        float[] eager = f.apply(x).toFloatArray();
        assertArrayEquals(new float[] {-1, -1, 0.9f, 2.7f, -1, 9}, eager, 1e-6f);
        assertArrayEquals(eager, Defn.jit(f).apply(x).toFloatArray(), 0f);
    }

    @Test
    void traceContainersGivesTheGraphJitCompiles() {
        java.util.function.Function<Object[], Object> f =
                args -> Nx.multiply((Tensor) ((List<?>) args[0]).get(1), Nx.add((Tensor) args[1], 1));
        Tensor a = Nx.tensor(new float[] {1, 2}, 2);
        Tensor b = Nx.tensor(new float[] {3, 4}, 2);
        Tensor c = Nx.tensor(new float[] {5, 6}, 2);
        TracedFunction traced = Defn.traceContainers(f, List.of(a, b), c);
        assertEquals(3, traced.parameters().size());
        assertEquals(Shape.of(2), traced.outputs().get(0).shape());
        List<Tensor> out = Evaluator.compiler().compile(traced).run(List.of(a, b, c));
        // b * (c + 1)
        assertArrayEquals(new float[] {18, 28}, out.get(0).toFloatArray());
        assertArrayEquals(new float[] {18, 28},
                ((Tensor) Defn.jit((Object[] args) -> f.apply(args), Evaluator.compiler()).apply(new Object[] {List.of(a, b), c}))
                        .toFloatArray());
    }

    @Test
    void deepGraphsDoNotOverflowTheStack() {
        var f = Defn.jit((Tensor x) -> {
            Tensor y = x;
            for (int i = 0; i < 20_000; i++) {
                y = Nx.add(y, 1);
            }
            return y;
        });
        assertArrayEquals(new int[] {20_000}, f.apply(Nx.tensor(new int[] {0})).toIntArray());
    }
}
