package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Jitted;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one bind point: record when traced, else dispatch to the operands' backend; nested jit inlines. */
class BindTest {
    /** A backend that computes on the host but keeps its results as its own tensors, and counts what it is asked. */
    static final class CountingBackend implements EagerBackend {
        final String name;
        final List<List<Expr>> asked = new ArrayList<>();

        CountingBackend(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Tensor transfer(Tensor t) {
            return copy(t);
        }

        @Override
        public Tensor copy(Tensor t) {
            return Tensor.of(t.shape(), t.type(), new Held(this, t.host()));
        }

        @Override
        public List<Tensor> evaluate(List<Expr> roots) {
            asked.add(roots);
            return Evaluator.evaluateAll(roots).stream().map(this::copy).toList();
        }
    }

    /** Values held by a {@link CountingBackend}. */
    record Held(CountingBackend backend, HostData values) implements TensorData {
        @Override
        public HostData toHost(Shape shape, DType type) {
            return values;
        }
    }

    @Test
    void concreteHostInputsAreComputedOnTheHost() {
        Tensor x = Nx.tensor(new float[] {1, 4, 9});
        Tensor y = Tracing.bind(new Expr.Unary(Expr.UnaryOp.SQRT, Tracing.nodeOf(x)), x);
        assertInstanceOf(HostData.class, y.data());
        assertArrayEquals(new float[] {1, 2, 3}, y.toFloatArray());
    }

    @Test
    void aTracedInputRecordsTheNode() {
        TracedFunction f = Defn.trace(x -> Nx.exp(x), Nx.tensor(new float[] {1, 2}));
        Expr.Unary exp = assertInstanceOf(Expr.Unary.class, f.outputs().get(0));
        assertEquals(Expr.UnaryOp.EXP, exp.op());
        assertSame(f.parameters().get(0), exp.x());
    }

    @Test
    void opsFollowTheirOperandsBackend() {
        CountingBackend dev = new CountingBackend("dev");
        Tensor x = Nx.backendCopy(Nx.tensor(new float[] {0, 1, 2}), dev);
        Tensor y = Nx.multiply(x, 0.5);
        assertSame(dev, y.data().backend());
        assertArrayEquals(new float[] {0, 0.5f, 1}, y.toFloatArray());
        // One call: the host scalar is broadcast in the device's computation, not on the host first.
        assertEquals(1, dev.asked.size());
        Expr.Binary mul = assertInstanceOf(Expr.Binary.class, dev.asked.get(0).get(0));
        Expr.Broadcast b = assertInstanceOf(Expr.Broadcast.class, mul.b());
        assertEquals(Shape.scalar(), assertInstanceOf(Expr.Constant.class, b.x()).shape());
        // Reductions, indexing and sorts dispatch the same way.
        assertEquals(1.5, Nx.sum(y).toDouble());
        assertArrayEquals(new float[] {1, 0.5f}, Nx.slice(Nx.reverse(y), new int[] {0}, new int[] {2}).toFloatArray());
        assertArrayEquals(new int[] {2, 1, 0}, Nx.argsort(y, 0, true).toIntArray());
        assertTrue(dev.asked.size() >= 5, "every op reached the backend: " + dev.asked.size());
    }

    @Test
    void twoDeviceBackendsInOneOpAreAnError() {
        Tensor a = Nx.backendCopy(Nx.tensor(new float[] {1, 2}), new CountingBackend("left"));
        Tensor b = Nx.backendCopy(Nx.tensor(new float[] {3, 4}), new CountingBackend("right"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nx.add(a, b));
        assertEquals("Binary add: operands live on two backends, f32[2] on left and f32[2] on right; move one with"
                + " Nx.backendTransfer(t, backend) (host tensors mix with either)", e.getMessage());
    }

    @Test
    void eagerGradOfBackendTensorsIsComputedThere() {
        CountingBackend dev = new CountingBackend("dev");
        Tensor x = Nx.backendCopy(Nx.tensor(new double[] {0.5, 2}), dev);
        Tensor g = Defn.grad(x, t -> Nx.sum(Nx.multiply(t, t)));
        assertSame(dev, g.data().backend());
        assertArrayEquals(new double[] {1, 4}, g.toDoubleArray());
    }

    @Test
    void nestedJitUnderGradInlinesAndLeavesTheInnerCacheAlone() {
        Jitted.Unary inner = Defn.jit(x -> Nx.sum(Nx.multiply(Nx.exp(x), x)));
        Jitted.Unary nested = Defn.jit(x -> Defn.grad(x, inner));
        Jitted.Unary flat = Defn.jit(x -> Defn.grad(x, y -> Nx.sum(Nx.multiply(Nx.exp(y), y))));
        Tensor x = Nx.tensor(new double[] {-1, 0, 1.5});
        double[] want = flat.apply(x).toDoubleArray();
        assertArrayEquals(want, nested.apply(x).toDoubleArray(), 0);
        for (int i = 0; i < 3; i++) {
            double xi = x.toDoubleArray()[i];
            assertEquals(Math.exp(xi) * (1 + xi), want[i], 1e-12); // d/dx x e^x
        }
        assertEquals(0, inner.cacheSize());
        assertEquals(0, inner.traceCount());
        // The traced graph holds the inner ops themselves, not a call.
        TracedFunction traced = Defn.trace(t -> Nx.add(inner.apply(t), 1), Nx.tensor(new double[] {1, 2}));
        assertTrue(Graph.postOrder(traced.outputs()).stream().anyMatch(e -> e instanceof Expr.Unary u
                && u.op() == Expr.UnaryOp.EXP));
        assertEquals(0, inner.cacheSize());
        // Called on its own, it compiles as usual.
        assertEquals(Math.E, inner.apply(Nx.tensor(new double[] {1})).toDouble(), 1e-12);
        assertEquals(1, inner.cacheSize());
    }
}
