package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Defn;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The graph printout, checked line by line against listings written by hand. */
class GraphPrinterTest {
    private static final Tensor F32_3 = Nx.tensor(new float[] {1, 2, 3});

    static Tensor softmax(Tensor x) {
        Tensor maxVal = Nx.reduceMax(x);
        return Nx.divide(Nx.exp(Nx.subtract(x, maxVal)), Nx.sum(Nx.exp(Nx.subtract(x, maxVal))));
    }

    @Test
    void softmaxListsEachNodeOnceWithItsOpAttributesAndType() {
        // maxVal is one node, read by both subtractions; each subtraction broadcasts it anew.
        assertEquals("""
                #Nx.Tensor<
                  f32[3]
                  Nx.Defn.Expr
                  parameter a:0                 f32[3]
                  b = reduce_max a, axes: [0]   f32
                  c = broadcast b, axes: []     f32[3]
                  d = subtract a, c             f32[3]
                  e = exp d                     f32[3]
                  f = broadcast b, axes: []     f32[3]
                  g = subtract a, f             f32[3]
                  h = exp g                     f32[3]
                  i = sum h, axes: [0]          f32
                  j = broadcast i, axes: []     f32[3]
                  k = divide e, j               f32[3]
                >""", Defn.inspect(GraphPrinterTest::softmax, F32_3));
    }

    @Test
    void aSharedNodeIsPrintedOnceAndReferredToByName() {
        assertEquals("""
                #Nx.Tensor<
                  f32[3]
                  Nx.Defn.Expr
                  parameter a:0       f32[3]
                  parameter b:1       f32[3]
                  c = multiply a, b   f32[3]
                  d = multiply c, c   f32[3]
                  e = add d, c        f32[3]
                >""", Defn.inspect((x, y) -> {
            Tensor t = Nx.multiply(x, y);
            return Nx.add(Nx.multiply(t, t), t);
        }, F32_3, F32_3));
    }

    @Test
    void parametersAreNamedInTheOrderTheyAreReached() {
        // As in Nx: y is reached first, so it is a, and parameter 0 is b.
        assertEquals("""
                #Nx.Tensor<
                  f32[3]
                  Nx.Defn.Expr
                  parameter a:1       f32[3]
                  parameter b:0       f32[3]
                  c = exp b           f32[3]
                  d = subtract a, c   f32[3]
                >""", Defn.inspect((x, y) -> Nx.subtract(y, Nx.exp(x)), F32_3, F32_3));
    }

    @Test
    void attributesArePrintedByName() {
        assertEquals("""
                #Nx.Tensor<
                  f32[2][4]
                  Nx.Defn.Expr
                  parameter a:0                                                  f32[2][3]
                  parameter b:1                                                  f32[3][2]
                  c = dot a, [1], [], b, [0], []                                 f32[2][2]
                  d = slice a, starts: [0, 1], limits: [2, 3], strides: [1, 1]   f32[2][2]
                  e = reverse d, axes: [1]                                       f32[2][2]
                  f = concatenate [c, e], axis: 1                                f32[2][4]
                >""", Defn.inspect((a, b) -> Nx.concatenate(List.of(Nx.dot(a, b),
                Nx.reverse(Nx.slice(a, new int[] {0, 1}, new int[] {2, 2}), 1)), 1),
                Nx.iota(Shape.of(2, 3), DType.F32), Nx.iota(Shape.of(3, 2), DType.F32)));
    }

    @Test
    void aWhileLoopPrintsItsRegionsIndentedUnderIt() {
        assertEquals("""
                #Nx.Tensor<
                  f32[3]
                  Nx.Defn.Expr
                  parameter a:0                     f32[3]
                  b = while {a, 0}                  {f32[3], s32}
                    condition:
                      parameter c:0                 f32[3]
                      parameter d:1                 s32
                      e = less d, 3                 u8
                      return e
                    body:
                      parameter f:0                 f32[3]
                      parameter g:1                 s32
                      h = broadcast 2.0, axes: []   f32[3]
                      i = multiply f, h             f32[3]
                      j = add g, 1                  s32
                      return {i, j}
                  k = elem b, 0                     f32[3]
                >""", Defn.inspect(x -> Defn.whileLoop(List.of(x, Nx.scalar(0)),
                s -> Nx.less(s.get(1), 3),
                s -> List.of(Nx.multiply(s.get(0), 2f), Nx.add(s.get(1), 1))).get(0), F32_3));
    }

    @Test
    void aConditionalPrintsEachBranchAndAReductionItsFunction() {
        // cond's index is 1 + (x > 0 as s32) * (0 - 1), the constant part folded eagerly.
        assertEquals("""
                #Nx.Tensor<
                  f32[3]
                  Nx.Defn.Expr
                  parameter a:0          f32[3]
                  b = sum a, axes: [0]   f32
                  c = greater b, 0.0     u8
                  d = as_type c          s32
                  e = multiply d, -1     s32
                  f = add 1, e           s32
                  g = cond f             {f32[3]}
                    branch 0:
                      h = exp a          f32[3]
                      return h
                    branch 1:
                      return a
                  i = elem g, 0          f32[3]
                >""", Defn.inspect(x -> Defn.cond(Nx.greater(Nx.sum(x), 0f), () -> Nx.exp(x), () -> x), F32_3));
        assertEquals("""
                #Nx.Tensor<
                  f32
                  Nx.Defn.Expr
                  parameter a:0                  f32[3]
                  b = reduce a, 0.0, axes: [0]   f32
                    fn:
                      parameter c:0              f32
                      parameter d:1              f32
                      e = max c, d               f32
                      return e
                >""", Defn.inspect(x -> Nx.reduce(x, 0, (acc, v) -> Nx.max(acc, v)), F32_3));
    }

    @Test
    void scalarConstantsAreInlineAndLargerOnesListedWithoutTheirValues() {
        Tensor big = Nx.iota(Shape.of(1000), DType.F32);
        assertEquals("""
                #Nx.Tensor<
                  f32[1000]
                  Nx.Defn.Expr
                  parameter a:0                  f32[1000]
                  tensor b                       f32[1000]
                  c = add a, b                   f32[1000]
                  d = broadcast -1.5, axes: []   f32[1000]
                  e = multiply c, d              f32[1000]
                >""", Defn.inspect(x -> Nx.multiply(Nx.add(x, big), -1.5f), big));
    }

    @Test
    void aScalarConstantResultIsItsValue() {
        assertEquals("""
                #Nx.Tensor<
                  s32
                  Nx.Defn.Expr
                  7
                >""", Defn.inspect(x -> Nx.scalar(7), F32_3));
    }

    @Test
    void severalOutputsShareNamesAndEndInAReturnOfAll() {
        assertEquals("""
                #Nx.Tensor<
                  {f32[3], f32[3], f32}
                  Nx.Defn.Expr
                  parameter a:0          f32[3]
                  b = exp a              f32[3]
                  c = sum b, axes: [0]   f32
                  return {b, a, c}
                >""", Defn.inspectContainers(args -> {
            Tensor e = Nx.exp((Tensor) args[0]);
            return List.of(e, args[0], Nx.sum(e));
        }, F32_3));
    }

    @Test
    void aTracedTensorPrintsItsGraphAndIntArraysAsLists() {
        String[] seen = new String[1];
        TracedFunction f = Defn.trace(x -> {
            Tensor t = Nx.transpose(x, new int[] {1, 0});
            seen[0] = t.toString();
            return t;
        }, Nx.iota(Shape.of(2, 3), DType.S32));
        String expected = """
                #Nx.Tensor<
                  s32[3][2]
                  Nx.Defn.Expr
                  parameter a:0                   s32[2][3]
                  b = transpose a, axes: [1, 0]   s32[3][2]
                >""";
        assertEquals(expected, seen[0]);
        assertEquals(expected, f.toString());
        assertFalse(seen[0].contains("[I@"));
    }

    @Test
    void namesGoOnPastZAsNxCountsThem() {
        // Nx's counter_to_name: 0..25 are a..z, 26 is "ba" (a base-26 numeral with digits a..z).
        String[] lines = negations(27).split("\n");
        assertEquals("  z = negate y     f32[3]", lines[28]);
        assertEquals("  ba = negate z    f32[3]", lines[29]);
        assertEquals("  bb = negate ba   f32[3]", lines[30]);
    }

    @Test
    void aGraphDeeperThanTheStackPrints() {
        assertEquals(3 + 1 + 50_000 + 1, negations(50_000).split("\n").length);
    }

    /** The printout of {@code n} negations in a row. */
    private static String negations(int n) {
        return Defn.inspect(x -> {
            Tensor t = x;
            for (int i = 0; i < n; i++) {
                t = Nx.negate(t);
            }
            return t;
        }, F32_3);
    }

    @Test
    void everyNameIsDefinedInScopeBeforeItIsRead() {
        // Gradients through loops and conditionals build regions over their own and the
        // forward graph's nodes; every operand must be named where it is read.
        Defn.TensorFunction loop = x -> Defn.whileLoop(List.of(x, Nx.scalar(0)),
                s -> Nx.less(s.get(1), 3),
                s -> List.of(Nx.sin(Nx.multiply(s.get(0), x)), Nx.add(s.get(1), 1))).get(0);
        Defn.TensorFunction branchy = x -> Defn.cond(Nx.greater(Nx.sum(x), 0f),
                () -> Nx.exp(x), () -> Nx.multiply(x, x));
        for (Defn.TensorFunction f : List.of(loop, branchy)) {
            checkScopes(Defn.inspect(x -> Defn.grad(x, p -> Nx.sum(f.apply(p))), F32_3));
            checkScopes(Defn.inspect(x -> Defn.grad(x, p -> Nx.sum(Defn.grad(p, q -> Nx.sum(f.apply(q))))), F32_3));
        }
    }

    /**
     * Reads a printout back: each name an operand or return reads was defined above it, at its
     * own indentation or an enclosing one (a region's names are not visible after it).
     */
    private static void checkScopes(String printed) {
        java.util.Map<String, Integer> defined = new java.util.HashMap<>();
        java.util.regex.Pattern name = java.util.regex.Pattern.compile("\\b[a-z]+\\b(?!:)");
        String[] lines = printed.split("\n");
        int definitions = 0;
        for (int i = 3; i < lines.length - 1; i++) {
            String line = lines[i].substring(2);
            int indent = line.length() - line.stripLeading().length();
            String text = line.strip().split(" {3,}")[0];
            defined.values().removeIf(d -> d > indent);
            String reads;
            if (text.startsWith("parameter ") || text.startsWith("tensor ")) {
                defined.put(text.split("[ :]")[1], indent);
                definitions++;
                continue;
            } else if (text.startsWith("return ")) {
                reads = text.substring("return ".length());
            } else if (text.contains(" = ")) {
                String[] sides = text.split(" = ", 2);
                reads = sides[1].substring(sides[1].indexOf(' ') + 1);
                defined.put(sides[0], indent);
                definitions++;
            } else {
                continue;
            }
            java.util.regex.Matcher m = name.matcher(reads.replaceAll("\\b(true|false)\\b", ""));
            while (m.find()) {
                if (!defined.containsKey(m.group())) {
                    throw new AssertionError("line " + i + " reads " + m.group() + ", not defined in scope:\n" + printed);
                }
            }
        }
        assertTrue(definitions > 10, printed);
    }

    @Test
    void nullArgumentsAreNamed() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Defn.inspect(x -> x, null));
        assertEquals("Defn.inspect: argument x", e.getMessage());
    }
}
