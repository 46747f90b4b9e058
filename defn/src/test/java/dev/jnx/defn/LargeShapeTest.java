package dev.jnx.defn;

import dev.jnx.Backend;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.HostData;
import dev.jnx.Nx;
import dev.jnx.Random;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shapes past 2^31-1 elements, which a device holds: tracing and shape checks count them in
 * longs, and host code (Java arrays, the reference backend) refuses them by name before
 * allocating. Nothing here allocates their values.
 */
public class LargeShapeTest {
    /** 65536 × 65537 = 2^32 + 2^16 elements, past 2^31-1 and past 2^32. */
    public static final Shape BIG = Shape.of(65536, 65537);
    public static final long BIG_COUNT = 4_295_032_832L;

    /** A tensor of {@code shape} whose values are never read: tracing needs only its shape and type. */
    public static Tensor unread(Shape shape, DType type) {
        return Tensor.of(shape, type, new TensorData() {
            @Override
            public Backend backend() {
                return Backend.HOST;
            }

            @Override
            public HostData toHost(Shape s, DType t) {
                throw new AssertionError("the values of " + t + s + " were read");
            }
        });
    }

    public static void assertMessage(Executable call, String... parts) {
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void countsAndBytesAreLongs() {
        assertEquals(BIG_COUNT, BIG.longSize());
        assertEquals(4 * BIG_COUNT, BIG.byteSize(DType.F32));
        assertEquals(BIG_COUNT, unread(BIG, DType.U8).longSize());
        // saturates rather than wrapping: 2^31-1 cubed times 16 bytes is past 2^63
        Shape huge = Shape.of(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(Long.MAX_VALUE, huge.longSize());
        assertEquals(Long.MAX_VALUE, huge.byteSize(DType.C128));
        assertEquals(0, Shape.of(0, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE).byteSize(DType.F64));
        assertMessage(BIG::size, "[65536][65537]", "4295032832 elements", "longSize()");
        assertMessage(() -> BIG.intSize("someOp", DType.U8), "someOp: u8[65536][65537] has 4295032832 elements",
                "2147483647");
    }

    @Test
    void javaArraysOfTooManyElementsFailNamingTheOpBeforeReadingValues() {
        Tensor x = unread(BIG, DType.U8);
        assertMessage(x::toFloatArray, "toFloatArray: u8[65536][65537] has 4295032832 elements", "2147483647");
        assertMessage(x::toDoubleArray, "toDoubleArray: u8[65536][65537]");
        assertMessage(x::toIntArray, "toIntArray: u8[65536][65537]");
        assertMessage(x::toLongArray, "toLongArray: u8[65536][65537]");
        assertMessage(x::toComplexArray, "toComplexArray: u8[65536][65537]");
        assertThrows(IllegalStateException.class, x::toDouble); // one element expected, not 4295032832 mod 2^32
    }

    @Test
    void reshapeComparesLongCounts() {
        TracedFunction ok = Defn.trace(x -> Nx.reshape(x, Shape.of(131072, 32768, 2)), unread(Shape.of(65536, 131072), DType.U8));
        assertEquals(Shape.of(131072, 32768, 2), ok.outputs().get(0).shape());
        // 65536 × 65538 differs from BIG by 65536 elements; both counts are past 2^32, where an int wraps to 65536 and 131072
        assertMessage(() -> Defn.trace(x -> Nx.reshape(x, Shape.of(65536, 65538)), unread(BIG, DType.U8)),
                "reshape: cannot reshape u8[65536][65537] (4295032832 elements) to [65536][65538] (4295098368 elements)");
    }

    @Test
    void meanDividesByTheLongCount() {
        TracedFunction f = Defn.trace(x -> Nx.mean(x), unread(BIG, DType.U8));
        Expr.Binary divide = (Expr.Binary) f.outputs().get(0);
        Expr.Constant count = (Expr.Constant) divide.b();
        // 2^32 + 2^16 is exact in f32; an int count would have wrapped to 65536
        assertEquals(4_295_032_832.0, count.value().toDouble());
    }

    @Test
    void flatteningPastAnIntDimensionFailsNamingTheOp() {
        Tensor x = unread(BIG, DType.S8);
        assertMessage(() -> Defn.trace(t -> Nx.flatten(t), x), "flatten: s8[65536][65537] has 4295032832 elements");
        Tensor y = unread(Shape.of(2, 65536, 65537), DType.S8);
        assertMessage(() -> Defn.trace(t -> Nx.flatten(t, new int[] {1, 2}), y),
                "flatten: s8[65536][65537] has 4295032832 elements");
    }

    @Test
    void referenceBackendRefusesResultsPastOneJavaArray() {
        Tensor x = unread(BIG, DType.U8);
        TracedFunction f = Defn.trace(t -> Nx.sum(t), x);
        assertMessage(() -> Evaluator.compiler().compile(f).run(List.of(x)),
                "parameter: the result u8[65536][65537] (4295032832 elements) needs 4295032832 bytes", "2147483639");
        // eager host ops evaluate there too
        assertMessage(() -> Nx.iota(BIG, DType.U8), "iota: the result u8[65536][65537]");
        assertMessage(() -> Nx.broadcast(Nx.scalar(1, DType.U8), BIG), "broadcast: the result u8[65536][65537]");
    }

    @Test
    void randomDrawsPastIntCountersFailNamingTheOp() {
        assertMessage(() -> Defn.trace(k -> Random.uniformSplit(k, BIG, DType.F32, 0, 1), Random.key(0)),
                "Random bits: u32[65536][65537] has 4295032832 elements");
        assertMessage(() -> Defn.trace(k -> Random.choice(k, unread(BIG, DType.U8)).value(), Random.key(0)),
                "Random.choice: u8[65536][65537] has 4295032832 elements");
    }

    @Test
    void hostTensorsOfArraysRefuseShapesPastTheirLength() {
        assertMessage(() -> Nx.tensor(new float[] {1, 2}, 65536, 65537),
                "Nx.tensor: shape [65536][65537] needs 4295032832 values, got a float[2]");
    }
}
