package dev.jnx.defn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

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
        // One map holds both marks (FALSE: its operands are being visited; TRUE: listed), so a
        // node costs one table, not two.
        IdentityHashMap<Expr, Boolean> marks = new IdentityHashMap<>();
        for (Expr b : boundary) {
            marks.put(b, Boolean.TRUE);
        }
        Deque<Expr> stack = new ArrayDeque<>();
        for (int r = roots.size() - 1; r >= 0; r--) {
            stack.push(roots.get(r));
        }
        while (!stack.isEmpty()) {
            Expr e = stack.peek();
            Boolean mark = marks.get(e);
            if (mark == null) {
                marks.put(e, Boolean.FALSE);
                List<Expr> ops = e.operands();
                for (int i = ops.size() - 1; i >= 0; i--) {
                    if (marks.get(ops.get(i)) != Boolean.TRUE) {
                        stack.push(ops.get(i));
                    }
                }
            } else {
                stack.pop();
                if (!mark) {
                    marks.put(e, Boolean.TRUE);
                    order.add(e);
                }
            }
        }
        return order;
    }

    /**
     * A node reachable from {@code roots} that passes {@code test}, or null: the walk of
     * {@link #postOrder(List)} without building its order, for checks over a whole graph.
     */
    public static Expr find(List<? extends Expr> roots, Predicate<Expr> test) {
        Set<Expr> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Expr> stack = new ArrayDeque<>(roots);
        while (!stack.isEmpty()) {
            Expr e = stack.pop();
            if (seen.add(e)) {
                if (test.test(e)) {
                    return e;
                }
                for (Expr o : e.operands()) {
                    stack.push(o);
                }
            }
        }
        return null;
    }
}
