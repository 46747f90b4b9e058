package dev.jnx.exla;

import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@link ExlaCompiler#validating}: XLA checked against the evaluator on every call. */
class ValidatingCompilerTest {
    @BeforeAll
    static void pluginPresent() {
        String p = System.getProperty(CpuPlugin.PLUGIN_PROPERTY);
        assumeTrue(p != null && Files.isRegularFile(Path.of(p)), "CPU PJRT plugin not built: " + p);
    }

    static Tensor affine(Tensor x, Tensor y) {
        return Nx.add(Nx.multiply(x, 2), y);
    }

    static List<Tensor> pair(Tensor x, Tensor y) {
        return List.of(Nx.multiply(x, y), Nx.add(x, y));
    }

    @Test
    void agreeingResultsAreReturned() {
        var f = Defn.jit(ValidatingCompilerTest::affine, Exla.compiler().validating(Tolerance.defaults()));
        Tensor r = f.apply(Nx.tensor(new float[] {1, 2, 3}), Nx.tensor(new float[] {10, 20, 30}));
        assertArrayEquals(new float[] {12, 24, 36}, r.toFloatArray());
    }

    @Test
    void aWrongLoweringIsCaughtWithTheFunctionOutputElementAndBothValues() {
        var wrong = new ValidatingCompiler(WrongLowering.of("stablehlo.add", "stablehlo.subtract"), Tolerance.defaults());
        var f = Defn.jit(ValidatingCompilerTest::affine, wrong);
        ValidationException e = assertThrows(ValidationException.class,
                () -> f.apply(Nx.tensor(new float[] {1, 2, 3}), Nx.tensor(new float[] {10, 20, 30})));
        assertEquals("ValidatingCompilerTest.affine", e.function());
        assertEquals(0, e.output());
        assertArrayEquals(new int[] {0}, e.difference().index());
        assertEquals("12.0", e.difference().expected()); // 2·1 + 10
        assertEquals("-8.0", e.difference().actual()); // 2·1 − 10
        assertTrue(e.getMessage().contains("function ValidatingCompilerTest.affine, output 0 differs from the reference "
                + "evaluator: element [0]: expected 12.0, got -8.0"), e.getMessage());
    }

    @Test
    void theOutputIndexAndCoordinatesNameTheFirstDifference() {
        var wrong = new ValidatingCompiler(WrongLowering.of("stablehlo.add", "stablehlo.maximum"), Tolerance.defaults());
        var f = Defn.jit(ValidatingCompilerTest::pair, wrong);
        // products agree (output 0); x + y and max(x, y) first differ at [1, 0]: 3 + 4 = 7 vs 4
        ValidationException e = assertThrows(ValidationException.class, () -> f.apply(
                Nx.tensor(new float[] {0, 1, 3, 5}, 2, 2), Nx.tensor(new float[] {2, 0, 4, 0}, 2, 2)));
        assertEquals(1, e.output());
        assertArrayEquals(new int[] {1, 0}, e.difference().index());
        assertEquals("7.0", e.difference().expected());
        assertEquals("4.0", e.difference().actual());
    }

    @Test
    void withoutValidationTheSameWrongLoweringGoesUnnoticed() {
        var f = Defn.jit(ValidatingCompilerTest::affine, WrongLowering.of("stablehlo.add", "stablehlo.subtract"));
        Tensor r = f.apply(Nx.tensor(new float[] {1, 2, 3}), Nx.tensor(new float[] {10, 20, 30}));
        assertArrayEquals(new float[] {-8, -16, -24}, r.toFloatArray());
    }

    @Test
    void integerResultsMustBeExact() {
        var wrong = new ValidatingCompiler(WrongLowering.of("stablehlo.add", "stablehlo.or"), Tolerance.defaults());
        var f = Defn.jit((Tensor x, Tensor y) -> Nx.add(x, y), wrong);
        // 1 + 2 = 3 = 1 | 2 agrees; 3 + 1 = 4 but 3 | 1 = 3
        ValidationException e = assertThrows(ValidationException.class,
                () -> f.apply(Nx.tensor(new int[] {1, 3}), Nx.tensor(new int[] {2, 1})));
        assertArrayEquals(new int[] {1}, e.difference().index());
        assertEquals("4", e.difference().expected());
        assertEquals("3", e.difference().actual());
    }

    @Test
    void nameAndNullTolerance() {
        assertEquals("exla(cpu:0)+validating", Exla.compiler().validating(Tolerance.defaults()).name());
        NullPointerException e = assertThrows(NullPointerException.class, () -> Exla.compiler().validating(null));
        assertEquals("validating: tolerance", e.getMessage());
    }
}
