package dev.jnx.defn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
        Set<Expr> done = Collections.newSetFromMap(new IdentityHashMap<>());
        done.addAll(boundary);
        Set<Expr> entered = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Expr> stack = new ArrayDeque<>();
        for (int r = roots.size() - 1; r >= 0; r--) {
            stack.push(roots.get(r));
        }
        while (!stack.isEmpty()) {
            Expr e = stack.peek();
            if (done.contains(e)) {
                stack.pop();
            } else if (entered.add(e)) {
                List<Expr> ops = e.operands();
                for (int i = ops.size() - 1; i >= 0; i--) {
                    if (!done.contains(ops.get(i))) {
                        stack.push(ops.get(i));
                    }
                }
            } else {
                stack.pop();
                done.add(e);
                order.add(e);
            }
        }
        return order;
    }
}
