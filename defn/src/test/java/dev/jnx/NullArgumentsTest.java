package dev.jnx;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code null} anywhere in the public API is a {@link NullPointerException} that names the op
 * (Nx's name: {@code not_equal}, {@code LinAlg.triangular_solve}, {@code Defn.value_and_grad};
 * the Java name for the Java-only {@code Shape}, {@code WindowOptions}, {@code ConvOptions},
 * {@code Tensor}) and the argument, raised before any other work, never the JVM's
 * "Cannot invoke ... because ... is null". Found by reflection over every public method, so a
 * new method without its checks fails here. Relies on the compiler's {@code -parameters}.
 */
class NullArgumentsTest {
    private static final Tensor T = Nx.tensor(new float[] {1, 2, 3, 4}, 2, 2);

    /** Parameters where null is documented to mean a default. */
    private static final Set<String> NULLABLE = Set.of("LinAlg.norm.ord", "LinAlg.norm.axes",
            "Random.choice.axis", "Nx.fft2.lengths", "Nx.ifft2.lengths", "Defn.setDefaultCompiler.compiler",
            // vmap's null axis: the argument (or result) is the same for every example
            "Defn.vmap.inAxes", "Defn.vmap.outAxes", "Defn.vmap.inAxesA", "Defn.vmap.inAxesB");

    /** Classes whose messages use Nx's snake_case names (the others are Java-only API). */
    private static final Set<Class<?>> NX_NAMED = Set.of(Nx.class, LinAlg.class, Random.class, Defn.class);

    private static final Pattern UPPER = Pattern.compile("(?<=[a-z0-9])([A-Z])");

    private static String opName(Class<?> owner, String method) {
        if (!NX_NAMED.contains(owner)) {
            return owner.getSimpleName() + "." + method;
        }
        String snake = UPPER.matcher(method).replaceAll(m -> "_" + m.group(1).toLowerCase(java.util.Locale.ROOT));
        return owner == Nx.class ? snake : owner.getSimpleName() + "." + snake;
    }

    /** A valid-looking non-null value of {@code type}; the checks come first, so its content does not matter. */
    private static Object sample(Class<?> type) {
        if (type == Tensor.class || type == Object.class) {
            return T;
        }
        if (type.isArray()) {
            Object a = Array.newInstance(type.getComponentType(), 1);
            if (!type.getComponentType().isPrimitive()) {
                Array.set(a, 0, sample(type.getComponentType()));
            }
            return a;
        }
        if (type == MemorySegment.class) {
            return MemorySegment.ofArray(new byte[4]);
        }
        if (type == TensorData.class) {
            return new HostData(new byte[16]);
        }
        if (type.isInterface() && type != List.class && type != Map.class) {
            return Proxy.newProxyInstance(NullArgumentsTest.class.getClassLoader(), new Class<?>[] {type},
                    (proxy, m, args) -> switch (m.getName()) {
                        case "hashCode" -> 0;
                        case "equals" -> proxy == args[0];
                        case "toString" -> "sample " + type.getSimpleName();
                        default -> null;
                    });
        }
        Map<Class<?>, Object> values = Map.ofEntries(
                Map.entry(Number.class, 1), Map.entry(Integer.class, 0), Map.entry(String.class, "valid"),
                Map.entry(Shape.class, Shape.of(2, 2)), Map.entry(DType.class, DType.F32),
                Map.entry(List.class, List.of(T)), Map.entry(Map.class, Map.of("a", T)),
                Map.entry(WindowOptions.class, WindowOptions.defaults()), Map.entry(ConvOptions.class, ConvOptions.defaults()),
                Map.entry(ByteBuffer.class, ByteBuffer.allocate(4)), Map.entry(JitOptions.class, JitOptions.of("f")),
                Map.entry(Complex.class, new Complex(1, 0)));
        Object v = values.get(type);
        if (v == null) {
            throw new AssertionError("no sample value for parameter type " + type.getName() + ": add one");
        }
        return v;
    }

    private static Object receiver(Class<?> owner) {
        return switch (owner.getSimpleName()) {
            case "Shape" -> Shape.of(2, 2);
            case "WindowOptions" -> WindowOptions.defaults();
            case "ConvOptions" -> ConvOptions.defaults();
            case "Tensor" -> T;
            case "Jitted" -> Defn.jit((Tensor x) -> x);
            default -> null;
        };
    }

    private static List<Method> publicMethods(Class<?> owner, boolean instanceToo) {
        List<Method> out = new ArrayList<>();
        for (Method m : owner.getDeclaredMethods()) {
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (Modifier.isPublic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                    && (isStatic || instanceToo) && !m.getName().equals("equals")) {
                out.add(m);
            }
        }
        out.sort(Comparator.comparing(Method::toString));
        return out;
    }

    /** Calls {@code m} with null in each reference parameter in turn; returns how many calls were checked. */
    private static int checkEveryPosition(Class<?> owner, Method m, List<String> failures) {
        Parameter[] params = m.getParameters();
        assertTrue(params.length == 0 || params[0].isNamePresent(), "compile with -parameters: " + m);
        int checked = 0;
        for (int i = 0; i < params.length; i++) {
            if (params[i].getType().isPrimitive()) {
                continue;
            }
            Object[] args = new Object[params.length];
            for (int j = 0; j < params.length; j++) {
                Class<?> t = params[j].getType();
                args[j] = j == i ? null : t.isPrimitive() ? primitiveSample(t) : sample(t);
            }
            String key = owner.getSimpleName() + "." + m.getName() + "." + params[i].getName();
            Throwable thrown = null;
            try {
                m.invoke(Modifier.isStatic(m.getModifiers()) ? null : receiver(owner), args);
            } catch (InvocationTargetException e) {
                thrown = e.getCause();
            } catch (IllegalAccessException | IllegalArgumentException e) {
                throw new AssertionError("cannot call " + m + " with " + Arrays.toString(args), e);
            }
            checked++;
            String expected = opName(owner, m.getName()) + ": argument " + params[i].getName();
            if (NULLABLE.contains(key)) {
                if (thrown instanceof NullPointerException) {
                    failures.add(m + " with null " + params[i].getName() + " (documented as allowed): " + thrown);
                }
            } else if (!(thrown instanceof NullPointerException npe) || !expected.equals(npe.getMessage())) {
                failures.add(m + " with null " + params[i].getName() + ": expected NullPointerException(\""
                        + expected + "\"), got " + thrown);
            }
        }
        return checked;
    }

    private static Object primitiveSample(Class<?> t) {
        Map<Class<?>, Object> values = Map.of(boolean.class, false, long.class, 1L, double.class, 1.0,
                float.class, 1f, short.class, (short) 1, byte.class, (byte) 1, char.class, 'a', int.class, 1);
        return values.get(t);
    }

    @Test
    void everyPublicMethodNamesItsNullArgument() {
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (Class<?> c : List.of(Nx.class, LinAlg.class, Random.class, Defn.class)) {
            for (Method m : publicMethods(c, false)) {
                calls += checkEveryPosition(c, m, failures);
            }
        }
        for (Class<?> c : List.of(Shape.class, WindowOptions.class, ConvOptions.class, Tensor.class)) {
            for (Method m : publicMethods(c, true)) {
                calls += checkEveryPosition(c, m, failures);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + calls + " null arguments not reported as expected:\n"
                + String.join("\n", failures));
        // The API has several hundred reference parameters: a small count means the scan broke.
        assertTrue(calls > 500, "only " + calls + " null arguments checked");
    }

    @Test
    void jittedFunctionsNameTheirNullArgument() {
        Jitted.Binary add = Defn.jit((Tensor a, Tensor b) -> Nx.add(a, b)).named("adder");
        NullPointerException second = assertThrows(NullPointerException.class, () -> add.apply(T, null));
        assertEquals("adder: argument 1", second.getMessage());
        NullPointerException all = assertThrows(NullPointerException.class, () -> add.invoke((Object[]) null));
        assertEquals("adder: argument args", all.getMessage());
        assertEquals("Jitted.named: argument name",
                assertThrows(NullPointerException.class, () -> add.named(null)).getMessage());
        assertEquals("Jitted.withOptions: argument options",
                assertThrows(NullPointerException.class, () -> add.withOptions(null)).getMessage());
        assertEquals("Jitted.donating: argument positions",
                assertThrows(NullPointerException.class, () -> add.donating((int[]) null)).getMessage());
    }

    @Test
    void nullElementsOfListArgumentsAreNamedToo() {
        List<Tensor> withNull = Arrays.asList(T, null);
        assertEquals("concatenate: argument tensors[1]",
                assertThrows(NullPointerException.class, () -> Nx.concatenate(withNull)).getMessage());
        assertEquals("stack: argument tensors[1]",
                assertThrows(NullPointerException.class, () -> Nx.stack(withNull, 0)).getMessage());
        assertEquals("Defn.custom_grad: argument inputs[1]",
                assertThrows(NullPointerException.class, () -> Defn.customGrad(T, withNull, g -> List.of(g, g))).getMessage());
        assertEquals("Defn.cond: argument predicates[0]", assertThrows(NullPointerException.class,
                () -> Defn.cond(Arrays.asList((Tensor) null), List.of(() -> T, () -> T))).getMessage());
        assertEquals("Defn.cond: argument branches[1]", assertThrows(NullPointerException.class,
                () -> Defn.cond(List.of(Nx.scalar(1)), Arrays.asList(() -> T, null))).getMessage());
    }

    @Test
    void documentedNullsStillMeanTheDefault() {
        // null ord is the 2-norm: |(3, 4)| = 5.
        assertEquals(5.0, LinAlg.norm(Nx.tensor(new float[] {3, 4}), null).toDouble(), 1e-6);
        // null lengths keep the axis sizes: the 2-D DFT of a 2x2 of ones is 4 at the origin.
        Tensor f = Nx.fft2(Nx.broadcast(Nx.scalar(1f), Shape.of(2, 2)), null, new int[] {0, 1});
        assertEquals(4.0, Nx.real(f).toFloatArray()[0], 1e-6);
        assertEquals(Shape.of(2, 2), f.shape());
    }
}
