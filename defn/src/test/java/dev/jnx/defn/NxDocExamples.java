package dev.jnx.defn;

import dev.jnx.Compiler;
import dev.jnx.Complex;
import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Nx's documentation examples as data: each case names the Elixir expression it comes from,
 * Nx's expected type, shape and values (or, for an error example, that the call is refused
 * with an {@link IllegalArgumentException} at trace time). Every case runs eagerly on the
 * reference backend and jitted, every input a parameter, with {@link #compiler()}; backends
 * rerun the subclasses with their own compiler.
 */
public abstract class NxDocExamples {
    /** The compiler the jitted examples run with. */
    protected Compiler compiler() {
        return Evaluator.compiler();
    }

    /** An example's function of its input tensors. */
    @FunctionalInterface
    interface Fn {
        Tensor apply(Tensor[] a);
    }

    record Example(String name, String typeShape, String values, Fn fn, Tensor[] args) {
    }

    private final List<Example> examples = new ArrayList<>();

    protected void ex(String name, String typeShape, String values, Fn fn, Tensor... args) {
        examples.add(new Example(name, typeShape, values, fn, args));
    }

    protected void err(String name, Fn fn, Tensor... args) {
        examples.add(new Example(name, null, null, fn, args));
    }

    @TestFactory
    Stream<DynamicTest> nxDocumentationExamples() {
        examples.clear();
        define();

        return examples.stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> run(e)));
    }

    private void run(Example e) {
        Defn.Variadic traced = a -> e.fn().apply(a);
        if (e.typeShape() == null) {
            assertThrows(IllegalArgumentException.class, () -> e.fn().apply(e.args()), "eager");
            assertThrows(IllegalArgumentException.class, () -> Defn.jit(traced, compiler()).apply(e.args()),
                    "traced");
            return;
        }
        check(e, Defn.jit(traced, compiler()).apply(e.args()), "jitted with " + compiler().name());
        check(e, e.fn().apply(e.args()), "eager");
    }

    private static final Pattern TYPE_SHAPE = Pattern.compile("([a-z]+\\d+)((?:\\[\\d+\\])*)");

    private static void check(Example e, Tensor got, String how) {
        Matcher m = TYPE_SHAPE.matcher(e.typeShape());
        if (!m.matches()) {
            fail("bad expectation " + e.typeShape());
        }
        DType type = DType.of(m.group(1));
        String dims = m.group(2);
        int[] d = dims.isEmpty() ? new int[0]
                : java.util.Arrays.stream(dims.substring(1, dims.length() - 1).split("\\]\\["))
                .mapToInt(Integer::parseInt).toArray();
        assertEquals(type + Shape.of(d).toString(), got.type() + got.shape().toString(), how + ": type and shape");
        String[] want = e.values().isEmpty() ? new String[0] : e.values().split(" ");
        assertEquals(want.length, got.size(), how + ": element count");
        if (type.isInteger()) {
            long[] g = got.toLongArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(Long.parseLong(want[i]), g[i], how + ": element " + i);
            }
            return;
        }
        if (type.isComplex()) {
            checkComplex(want, got, type == DType.C128 ? 1e-12 : 1e-6, how);
            return;
        }
        double[] g = got.toDoubleArray();
        double tol = switch (type) {
            case F64 -> 1e-12;
            case F32 -> 1e-6;
            default -> 1e-2;
        };
        for (int i = 0; i < want.length; i++) {
            double w = switch (want[i]) {
                case "NaN" -> Double.NaN;
                case "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(want[i]);
            };
            if (Double.isNaN(w) || Double.isInfinite(w)) {
                assertEquals(w, g[i], how + ": element " + i);
            } else {
                assertEquals(w, g[i], tol * Math.max(1, Math.abs(w)), how + ": element " + i);
            }
        }
    }

    private static void checkComplex(String[] want, Tensor got, double tol, String how) {
        Complex[] g = got.toComplexArray();
        Pattern p = Pattern.compile("(-?(?:Inf|NaN|[0-9.e+-]+?))([+-](?:Inf|NaN|[0-9.e+-]+))i");
        for (int i = 0; i < want.length; i++) {
            Matcher m = p.matcher(want[i]);
            if (!m.matches()) {
                fail("bad complex expectation " + want[i]);
            }
            assertClose(parse(m.group(1)), g[i].re(), tol, how + ": element " + i + " (real)");
            assertClose(parse(m.group(2)), g[i].im(), tol, how + ": element " + i + " (imaginary)");
        }
    }

    private static double parse(String s) {
        String v = s.startsWith("+") ? s.substring(1) : s;
        return switch (v) {
            case "NaN", "-NaN" -> Double.NaN;
            case "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
    }

    private static void assertClose(double w, double g, double tol, String how) {
        if (Double.isNaN(w) || Double.isInfinite(w)) {
            assertEquals(w, g, how);
        } else {
            assertEquals(w, g, tol * Math.max(1, Math.abs(w)), how);
        }
    }
    /** Adds the cases with {@link #ex} and {@link #err}. */
    protected abstract void define();
}
