package dev.jnx.defn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Walks of the expression graph shared by the evaluator, the lowerings and autodiff. */
public final class Graph {
    private Graph() {
    }

    /**
     * Every node reachable from {@code roots}, each once, operands before their users; a node
     * with several results ({@link Expr.Multi}) is its elements' operand, so it comes once, before
     * them: each pass computes all its results there. Iterative, so graphs deeper than the Java
     * stack are fine.
     */
    public static List<Expr> postOrder(List<? extends Expr> roots) {
        return postOrder(roots, Set.of());
    }

    /**
     * Like {@link #postOrder(List)}, but the nodes of {@code boundary} (values already known,
     * such as a region's parameters and captures) are neither listed nor walked through.
     */
    public static List<Expr> postOrder(List<? extends Expr> roots, Set<Expr> boundary) {
        List<Expr> order = new ArrayList<>();
        // Marked when first pushed: the graph is acyclic, so a marked node is done or an ancestor's
        // operand still being walked, and either way is not pushed again. One set and each node's
        // operands read once: every pass walks the whole graph, in the interpreter too when a new
        // template is traced.
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.addAll(boundary);
        Expr[] nodes = new Expr[16];
        List<?>[] operands = new List<?>[16];
        int[] next = new int[16];
        for (Expr root : roots) {
            if (!seen.add(root)) {
                continue;
            }
            int top = 0;
            nodes[0] = root;
            operands[0] = root.operands();
            next[0] = 0;
            while (top >= 0) {
                List<?> ops = operands[top];
                if (next[top] < ops.size()) {
                    Expr op = (Expr) ops.get(next[top]++);
                    if (seen.add(op)) {
                        if (++top == nodes.length) {
                            nodes = Arrays.copyOf(nodes, 2 * top);
                            operands = Arrays.copyOf(operands, 2 * top);
                            next = Arrays.copyOf(next, 2 * top);
                        }
                        nodes[top] = op;
                        operands[top] = op.operands();
                        next[top] = 0;
                    }
                } else {
                    order.add(nodes[top]);
                    nodes[top] = null;
                    operands[top] = null;
                    top--;
                }
            }
        }
        return order;
    }
}
