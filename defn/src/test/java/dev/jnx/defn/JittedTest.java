package dev.jnx.defn;

import dev.jnx.Defn;
import dev.jnx.JitOptions;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Jitted functions' names, options and the recompile warning. */
class JittedTest {
    /** Collects what Jitted logs through System.Logger (java.util.logging underneath in tests). */
    private final List<LogRecord> logged = new ArrayList<>();
    private final Logger jul = Logger.getLogger(Jitted.class.getName());
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        jul.addHandler(handler);
        jul.setUseParentHandlers(false);
    }

    @AfterEach
    void stopListening() {
        jul.removeHandler(handler);
        jul.setUseParentHandlers(true);
    }

    static Tensor square(Tensor x) {
        return Nx.multiply(x, x);
    }

    static Tensor total(Tensor... xs) {
        return Nx.sum(Nx.stack(List.of(xs)));
    }

    static Tensor rowSums(Tensor x) {
        return Nx.sum(x, new int[] {1}, false);
    }

    record State(Map<String, Tensor> params, Tensor step) {
    }

    @Test
    void methodReferencesAreNamedAfterTheirTarget() {
        assertEquals("JittedTest.square", Defn.jit(JittedTest::square).name());
        assertEquals("Nx.exp", Defn.jit(Nx::exp).name());
        assertEquals("Nx.add", Defn.jit(Nx::add, Evaluator.compiler()).name());
        assertEquals("JittedTest.total", Defn.jit((Defn.Variadic) JittedTest::total).name());
    }

    @Test
    void lambdasAreNamedAfterTheMethodTheyAreWrittenIn() {
        assertEquals("lambda in JittedTest.lambdasAreNamedAfterTheMethodTheyAreWrittenIn",
                Defn.jit((Tensor x) -> Nx.exp(x)).name());
        assertEquals("lambda in JittedTest.lambdasAreNamedAfterTheMethodTheyAreWrittenIn",
                Defn.jit((Tensor a, Tensor b, Tensor c) -> Nx.add(a, Nx.add(b, c)), Evaluator.compiler()).name());
    }

    @Test
    void aPlainFunctionIsNamedByItsClassAndWhereItWasJitted() {
        Function<Tensor, Tensor> f = JittedTest::square;
        String name = Defn.jit(f).name();
        assertTrue(name.startsWith("lambda of JittedTest, jitted in JittedTest.aPlainFunctionIsNamedByItsClassAndWhereItWasJitted"
                + "(JittedTest.java:"), name);
        Function<Tensor, Tensor> named = new Function<>() {
            @Override
            public Tensor apply(Tensor x) {
                return x;
            }
        };
        String anonymous = Defn.jit(named).name();
        assertTrue(anonymous.matches("JittedTest\\$\\d+, jitted in JittedTest\\.aPlainFunction.*"), anonymous);
    }

    @Test
    void namedGivesAFreshFunctionOfTheSameKindUnderThatName() {
        Jitted.Unary f = Defn.jit(JittedTest::square);
        assertEquals(9f, f.apply(Nx.scalar(3f)).toDouble());
        Jitted.Unary g = f.named("train_step");
        assertEquals("train_step", g.name());
        assertEquals("train_step", g.options().name());
        assertEquals(0, g.cacheSize());
        assertEquals(1, f.cacheSize());
        assertSame(f.compiler(), g.compiler());
        assertEquals(16f, g.apply(Nx.scalar(4f)).toDouble());
        Jitted.Function3<Tensor, Tensor, Tensor, Tensor> t =
                Defn.jit((Tensor a, Tensor b, Tensor c) -> Nx.add(a, b), Evaluator.compiler()).named("t");
        assertEquals("t", t.name());
        Jitted.Function1<Map<String, Tensor>, Tensor> m = Defn.jit((Map<String, Tensor> p) -> Nx.exp(p.get("a")));
        assertEquals("lambda in JittedTest.namedGivesAFreshFunctionOfTheSameKindUnderThatName", m.name());
        Jitted.Function1<Map<String, Tensor>, Tensor> mn = m.named("model");
        assertEquals("model", mn.name());
        assertEquals(1.0, mn.apply(Map.of("a", Nx.scalar(0f))).toDouble());
        // The name reaches messages of the compiled function: here Defn.trace's check of the result.
        var e = assertThrows(NullPointerException.class, () -> Defn.jit((Tensor x) -> null).named("nothing").apply(Nx.scalar(1f)));
        assertEquals("nothing returned null", e.getMessage());
    }

    @Test
    void optionsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> JitOptions.of(" "));
        assertEquals("Jitted.named: argument name",
                assertThrows(NullPointerException.class, () -> Defn.jit(JittedTest::square).named(null)).getMessage());
        var e = assertThrows(IllegalArgumentException.class, () -> JitOptions.of("f").warningAfter(0));
        assertTrue(e.getMessage().contains("warnAfterTemplates") && e.getMessage().contains("0"), e.getMessage());
        assertEquals(JitOptions.DEFAULT_WARN_AFTER_TEMPLATES, JitOptions.of("f").warnAfterTemplates());
    }

    @Test
    void moreTemplatesThanTheLimitLogOneWarningNamingWhereTheyDiffer() {
        Jitted.Unary f = Defn.jit(JittedTest::rowSums).named("batch_sums");
        for (int batch = 10; batch < 18; batch++) {
            f.apply(Nx.iota(Shape.of(batch, 4), dev.jnx.DType.F32));
        }
        assertEquals(8, f.cacheSize());
        assertTrue(logged.isEmpty(), "8 templates are within the default limit");
        f.apply(Nx.iota(Shape.of(18, 4), dev.jnx.DType.F32));
        f.apply(Nx.iota(Shape.of(19, 4), dev.jnx.DType.F32));
        f.apply(Nx.iota(Shape.of(10, 4), dev.jnx.DType.F32));
        assertEquals(10, f.cacheSize());
        assertEquals(10, f.traceCount());
        assertEquals(1, logged.size(), "one warning per function");
        LogRecord r = logged.get(0);
        assertEquals(Level.WARNING, r.getLevel());
        String m = r.getMessage();
        assertTrue(m.startsWith("batch_sums: jitted function compiled 9 templates, more than 8"), m);
        assertTrue(m.contains("differ at argument 0: "), m);
        for (int batch = 10; batch <= 18; batch++) {
            assertTrue(m.contains("f32[" + batch + "][4]"), batch + " in " + m);
        }
        assertTrue(m.contains("partial batch"), m);
    }

    @Test
    void theWarningPointsIntoContainers() {
        var step = Defn.jit((State s, Tensor x, Tensor y) -> Nx.add(Nx.sum(s.params().get("w")), Nx.sum(Nx.add(x, y))),
                Evaluator.compiler());
        step = step.withOptions(step.options().named("step").warningAfter(2));
        Tensor y = Nx.scalar(1f);
        step.apply(new State(Map.of("w", Nx.iota(Shape.of(3), dev.jnx.DType.F32), "b", y), y), Nx.iota(Shape.of(2), dev.jnx.DType.F32), y);
        step.apply(new State(Map.of("w", Nx.iota(Shape.of(3), dev.jnx.DType.F32), "b", y), y), Nx.iota(Shape.of(5), dev.jnx.DType.F32), y);
        assertTrue(logged.isEmpty());
        step.apply(new State(Map.of("w", Nx.iota(Shape.of(4), dev.jnx.DType.F32), "b", y), y), Nx.iota(Shape.of(2), dev.jnx.DType.F32), y);
        assertEquals(1, logged.size());
        String m = logged.get(0).getMessage();
        assertTrue(m.contains("argument 0.params[w]: f32[3] in 2 templates, f32[4] in 1"), m);
        assertTrue(m.contains("argument 1: f32[2] in 2 templates, f32[5] in 1"), m);
        assertFalse(m.contains("argument 2") || m.contains("params[b]") || m.contains(".step"), m);
    }

    @Test
    void structuralDifferencesAreReportedWhereTheyStart() {
        List<Tree> templates = new ArrayList<>();
        for (Object[] args : new Object[][] {
                {List.of(Nx.scalar(1f), Nx.scalar(2f)), Nx.scalar(1)},
                {List.of(Nx.scalar(1f)), Nx.scalar(1)},
                {List.of(Nx.scalar(1f)), Nx.scalar(1L)}}) {
            templates.add(Tree.flatten(List.of(args), new ArrayList<>()));
        }
        assertEquals(List.of("argument 0: [f32] in 2 templates, [f32, f32] in 1", "argument 1: s32 in 2 templates, s64 in 1"),
                TemplateDifferences.describe(templates));
        List<Tree> arities = List.of(Tree.flatten(List.of(Nx.scalar(1f)), new ArrayList<>()),
                Tree.flatten(List.of(Nx.scalar(1f), Nx.scalar(1f)), new ArrayList<>()));
        assertEquals(List.of("the argument list: [f32, f32] in 1 template, [f32] in 1"), TemplateDifferences.describe(arities));
    }
}
