package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.TracedFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.util.List;
import java.util.function.Function;

import static dev.jnx.defn.LargeShapeTest.BIG;
import static dev.jnx.defn.LargeShapeTest.BIG_COUNT;
import static dev.jnx.defn.LargeShapeTest.assertMessage;
import static dev.jnx.defn.LargeShapeTest.unread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tensors past 2^31-1 elements on the XLA path: lowering writes their types, compiling and the
 * run's checks take them, and only copies to the host refuse them. The executions allocate
 * gigabytes and run with {@code -Djnx.bigTests=true} (README's test section).
 */
class LargeShapeExlaTest {
    private static final Shape ROWS = Shape.of(65537, 65536);

    @Test
    void lowersReshapeSliceAndSumOverMoreThan2To31Elements() {
        String text = Exla.toStableHlo(x -> Nx.sum(Nx.slice(Nx.reshape(x, ROWS), new int[] {65536, 0},
                new int[] {1, 65536})), unread(BIG, DType.U8));
        assertTrue(text.contains("@main(%arg0: tensor<65536x65537xui8>) -> (tensor<ui32>)"), text);
        assertTrue(text.contains("\"stablehlo.reshape\"(%arg0) : (tensor<65536x65537xui8>) -> tensor<65537x65536xui8>"), text);
        assertTrue(text.contains("start_indices = array<i64: 65536, 0>, limit_indices = array<i64: 65537, 65536>"), text);

        String sum = Exla.toStableHlo(x -> Nx.sum(Nx.asType(x, DType.U64)), unread(BIG, DType.U8));
        assertTrue(sum.contains("\"stablehlo.convert\"(%arg0) : (tensor<65536x65537xui8>) -> tensor<65536x65537xui64>"), sum);
        assertTrue(sum.contains("{dimensions = array<i64: 0, 1>} : (tensor<65536x65537xi64>, tensor<i64>) -> tensor<i64>"), sum);
    }

    @Test
    void flatIotaPastAnIntDimensionSumsEachAxisTimesItsStride() {
        String text = Exla.toStableHlo(x -> Nx.add(x, Nx.iota(BIG, DType.S64)), unread(BIG, DType.S64));
        String body = "%0 = \"stablehlo.iota\"() {iota_dimension = 1 : i64} : () -> tensor<65536x65537xi64>\n"
                + "    %1 = \"stablehlo.iota\"() {iota_dimension = 0 : i64} : () -> tensor<65536x65537xi64>\n"
                + "    %2 = \"stablehlo.constant\"() {value = dense<65537> : tensor<65536x65537xi64>} : () -> tensor<65536x65537xi64>\n"
                + "    %3 = \"stablehlo.multiply\"(%1, %2) : (tensor<65536x65537xi64>, tensor<65536x65537xi64>) -> tensor<65536x65537xi64>\n"
                + "    %4 = \"stablehlo.add\"(%0, %3) : (tensor<65536x65537xi64>, tensor<65536x65537xi64>) -> tensor<65536x65537xi64>\n";
        assertTrue(text.contains(body), text); // index = i1 + 65537 · i0
        assertFalse(text.contains("4295032832"), text); // no flat dimension
    }

    @Test
    void compilesAndRefusesHostOutputsPastOneJavaArrayBeforeRunning() {
        Tensor x = unread(BIG, DType.U8);
        TracedFunction doubled = Defn.trace(t -> Nx.add(t, t), x);
        ExlaExecutable e = Exla.compiler().compile(doubled);
        // the host argument is not read either: the output is refused first
        assertMessage(() -> e.run(List.of(x)), ": output 0 (ExlaCompiler.withOutputs(DEVICE) keeps it on the device):"
                + " u8[65536][65537] needs 4295032832 bytes, more than the 2147483639");
    }

    @Test
    @EnabledIfSystemProperty(named = "jnx.bigTests", matches = "true")
    void runsOnATensorOfMoreThan2To31Elements() {
        ExlaCompiler device = Exla.compiler().withOutputs(ExlaCompiler.OutputPlacement.DEVICE);
        Function<Tensor, Tensor> ones = Defn.jit(s -> Nx.broadcast(s, BIG), device);
        try (Tensor big = ones.apply(Nx.scalar(1, DType.U8))) {
            assertEquals(BIG_COUNT, big.longSize());
            DeviceData d = assertInstanceOf(DeviceData.class, big.data());
            assertTrue(d.buffer().onDeviceSizeInBytes() >= BIG_COUNT, () -> d.buffer().onDeviceSizeInBytes() + " bytes");
            // every element is 1; reduced in u8, as XLA's CPU backend materializes a widened copy (34 GB in s64)
            assertEquals(1, Defn.jit(t -> Nx.reduceMin(t), Exla.compiler()).apply(big).toLongArray()[0]);
            assertEquals(1, Defn.jit(t -> Nx.reduceMax(t), Exla.compiler()).apply(big).toLongArray()[0]);
            Tensor lastRow = Defn.jit(t -> Nx.sum(Nx.slice(Nx.reshape(t, ROWS), new int[] {65536, 0},
                    new int[] {1, 65536})), Exla.compiler()).apply(big);
            assertEquals(65536, lastRow.toLongArray()[0]);
            assertMessage(big::toFloatArray, "toFloatArray: u8[65536][65537] has 4295032832 elements");
            assertMessage(big::host, "to the host: u8[65536][65537] needs 4295032832 bytes");
        }
        // u8 arithmetic wraps: flat index f holds f mod 256, and the last row starts at 65535 · 65537 ≡ 255
        Function<Tensor, Tensor> iota = Defn.jit(s -> Nx.add(s, Nx.iota(BIG, DType.U8)), device);
        try (Tensor counted = iota.apply(Nx.scalar(0, DType.U8))) {
            long want = 0;
            for (int j = 0; j < 65537; j++) {
                want += (255 + j) % 256;
            }
            Tensor lastRow = Defn.jit(t -> Nx.sum(Nx.slice(t, new int[] {65535, 0}, new int[] {1, 65537})),
                    Exla.compiler()).apply(counted);
            assertEquals(want, lastRow.toLongArray()[0]);
        }
    }
}
