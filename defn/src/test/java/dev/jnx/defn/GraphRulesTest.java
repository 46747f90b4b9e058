package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graph's node kinds for the passes over it: a gradient's variable is a metadata node, and
 * a node with several results is a node of the graph, computed once however many of its
 * results are read.
 */
class GraphRulesTest {
    @Test
    void theVariableOfAGradientIsAMetadataNode() {
        TracedFunction f = Defn.trace((Tensor x) -> Defn.grad(x, v -> Nx.sum(Nx.multiply(v, Nx.sin(v)))),
                Nx.tensor(new double[] {0.5, -1, 2}));
        List<Expr> nodes = Graph.postOrder(f.outputs());
        List<Expr.Metadata> variables = nodes.stream()
                .filter(e -> e instanceof Expr.Metadata m && m.tag().equals(Expr.Metadata.GRAD_VARIABLE))
                .map(e -> (Expr.Metadata) e).toList();
        assertEquals(1, variables.size(), "one variable, read by the gradient's graph");
        assertSame(f.parameters().get(0), variables.get(0).x());
        assertTrue(nodes.stream().noneMatch(e -> e instanceof Expr.Reshape r && r.shape().equals(r.x().shape())),
                "no identity reshape stands in for the variable");
        // d/dx x·sin x = sin x + x·cos x
        double[] got = Evaluator.compiler().compile(f).run(List.of(Nx.tensor(new double[] {0.5, -1, 2})))
                .get(0).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double x = new double[] {0.5, -1, 2}[i];
            assertEquals(Math.sin(x) + x * Math.cos(x), got[i], 1e-12);
        }
    }

    /** A scalar f64 of 1 that counts how often its values are read. */
    private static final class CountingOne implements TensorData {
        int reads;

        @Override
        public Backend backend() {
            return Nx.scalar(1.0).backend();
        }

        @Override
        public HostData toHost(Shape shape, DType type) {
            reads++;
            return Nx.scalar(1.0).host();
        }
    }

    @Test
    void aLoopIsOneNodeComputedOnceForAllItsResults() {
        CountingOne one = new CountingOne();
        Tensor step = Tensor.of(Shape.scalar(), DType.F64, one);
        TracedFunction f = Defn.trace((Tensor x) -> {
            List<Tensor> r = Defn.whileLoop(List.of(x, Nx.scalar(0)), s -> Nx.less(s.get(1), Nx.scalar(3)),
                    s -> List.of(Nx.add(s.get(0), step), Nx.add(s.get(1), Nx.scalar(1))));
            return Nx.add(r.get(0), Nx.asType(r.get(1), DType.F64));
        }, Nx.scalar(0.5));
        List<Expr> order = Graph.postOrder(f.outputs());
        List<Expr> loops = order.stream().filter(e -> e instanceof Expr.While).toList();
        assertEquals(1, loops.size());
        int at = order.indexOf(loops.get(0));
        List<Expr> elements = order.stream().filter(e -> e instanceof Expr.Element).toList();
        assertEquals(2, elements.size());
        for (Expr el : elements) {
            assertSame(loops.get(0), ((Expr.Element) el).source());
            assertTrue(order.indexOf(el) > at, "the loop comes before its elements");
        }
        one.reads = 0;
        Tensor out = Evaluator.compiler().compile(f).run(List.of(Nx.scalar(0.5))).get(0);
        assertEquals(6.5, out.toDoubleArray()[0], 0);
        assertEquals(3, one.reads, "the body ran three times in all, not once per result read");
    }

    @Test
    void aConditionalIsOneNodeComputedOnceForAllItsResults() {
        CountingOne one = new CountingOne();
        Tensor c = Tensor.of(Shape.scalar(), DType.F64, one);
        TracedFunction f = Defn.trace((Tensor x) -> {
            List<Tensor> r = Defn.cond(Nx.greater(x, Nx.scalar(0.0)),
                    () -> List.of(Nx.add(x, c), Nx.multiply(x, Nx.scalar(2.0))), () -> List.of(x, x));
            return Nx.add(r.get(0), r.get(1));
        }, Nx.scalar(0.5));
        List<Expr> order = Graph.postOrder(f.outputs());
        assertEquals(1, order.stream().filter(e -> e instanceof Expr.Cond).count());
        one.reads = 0;
        Tensor out = Evaluator.compiler().compile(f).run(List.of(Nx.scalar(0.5))).get(0);
        assertEquals(0.5 + 1 + 1, out.toDoubleArray()[0], 0);
        assertEquals(1, one.reads, "the branch ran once for both results");
    }

    @Test
    void aLoopsGradientRunsItsRuleOnceForAllResults() {
        // d/dx of (x·2³ + 3) read through both results: 8, with one reverse loop for the rule.
        TracedFunction f = Defn.trace((Tensor x) -> Defn.grad(x, v -> {
            List<Tensor> r = Defn.whileLoop(List.of(v, Nx.scalar(0.0)), s -> Nx.less(s.get(1), Nx.scalar(3.0)),
                    s -> List.of(Nx.multiply(s.get(0), Nx.scalar(2.0)), Nx.add(s.get(1), Nx.scalar(1.0))));
            return Nx.add(r.get(0), r.get(1));
        }), Nx.scalar(0.5));
        assertArrayEquals(new double[] {8}, Evaluator.compiler().compile(f).run(List.of(Nx.scalar(0.5))).get(0).toDoubleArray(), 1e-12);
        // The trip counter, the state before the last trip, and the reverse loop: one rule, not one per result.
        long topLevelLoops = Graph.postOrder(f.outputs()).stream().filter(e -> e instanceof Expr.While).count();
        assertEquals(3, topLevelLoops);
    }

    @Test
    void aNodeWithSeveralResultsHasNoSingleShape() {
        Expr.Cond cond = new Expr.Cond(new Expr.Constant(Nx.scalar(0)),
                List.of(new Expr.Region(List.of(), List.of(new Expr.Constant(Nx.scalar(1.0))), List.of())));
        var e = assertThrows(UnsupportedOperationException.class, cond::shape);
        assertTrue(e.getMessage().contains("cond has 1 results") && e.getMessage().contains("Expr.Element"), e.getMessage());
        assertInstanceOf(Expr.class, cond);
    }
}
