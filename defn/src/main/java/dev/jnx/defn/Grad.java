package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation of an expression graph ({@code Nx.Defn.Grad}): walks the
 * nodes from the output back to the inputs, each primitive's rule turning the cotangent of
 * its result into cotangents of its operands. Rules are written with {@link Nx} functions,
 * so gradients are graphs too: they can be compiled, evaluated, or differentiated again.
 * Integer-typed values carry no gradient, as in Nx.
 */
final class Grad {
    private Grad() {
    }

    /**
     * The gradient of scalar {@code output} with respect to each of {@code wrt}, each of the
     * same shape and type as its variable (zeros where the output does not depend on it).
     */
    static List<Tensor> gradients(Tensor output, List<Tensor> wrt) {
        Map<Expr, Tensor> cotangents = new IdentityHashMap<>();
        if (output.data() instanceof Expr root && isDifferentiable(root.type())) {
            cotangents.put(root, Nx.broadcast(Nx.scalar(1, root.type()), root.shape()));
            List<Expr> order = Graph.postOrder(List.of(root));
            Map<Expr, Boolean> targets = new IdentityHashMap<>();
            for (Tensor w : wrt) {
                targets.put((Expr) w.data(), Boolean.TRUE);
            }
            for (int i = order.size() - 1; i >= 0; i--) {
                Expr node = order.get(i);
                Tensor g = cotangents.get(node);
                if (g == null || targets.containsKey(node)) {
                    continue;
                }
                List<Expr> ops = node.operands();
                List<Tensor> grads = rule(node, g);
                for (int k = 0; k < ops.size(); k++) {
                    Expr op = ops.get(k);
                    Tensor gk = grads.get(k);
                    if (gk != null && isDifferentiable(op.type())) {
                        cotangents.merge(op, Nx.asType(gk, op.type()), Nx::add);
                    }
                }
            }
        }
        List<Tensor> out = new ArrayList<>(wrt.size());
        for (Tensor w : wrt) {
            Tensor g = cotangents.get((Expr) w.data());
            out.add(g != null ? g : Nx.broadcast(Nx.scalar(0, w.type()), w.shape()));
        }
        return out;
    }

    private static boolean isDifferentiable(DType t) {
        return t.isFloat() || t.isComplex();
    }

    private static Tensor t(Expr e) {
        return Tensor.of(e.shape(), e.type(), e);
    }

    /** The cotangents of {@code node}'s operands given its own cotangent {@code g}; null for none. */
    private static List<Tensor> rule(Expr node, Tensor g) {
        return switch (node) {
            case Expr.Parameter p -> List.of();
            case Expr.Constant c -> List.of();
            case Expr.Iota i -> List.of();
            case Expr.Unary u -> List.of(switch (u.op()) {
                case NEGATE -> Nx.negate(g);
                case EXP -> Nx.multiply(g, t(u));
                case LOG -> Nx.divide(g, t(u.x()));
            });
            case Expr.Binary b -> binaryRule(b, g);
            case Expr.Reduce r -> List.of(reduceRule(r, g));
            case Expr.Dot d -> dotRule(d, g);
            case Expr.Reshape r -> List.of(Nx.reshape(g, r.x().shape()));
            case Expr.Transpose tr -> List.of(Nx.transpose(g, inverse(tr.axes())));
            case Expr.Broadcast b -> List.of(unbroadcast(g, b.x().shape(), b.axes()));
            case Expr.Convert c -> List.of(g);
        };
    }

    private static List<Tensor> binaryRule(Expr.Binary b, Tensor g) {
        Tensor x = t(b.a());
        Tensor y = t(b.b());
        return switch (b.op()) {
            case ADD -> List.of(g, g);
            case SUBTRACT -> List.of(g, Nx.negate(g));
            case MULTIPLY -> List.of(Nx.multiply(g, y), Nx.multiply(g, x));
            case DIVIDE -> List.of(Nx.divide(g, y), Nx.negate(Nx.divide(Nx.multiply(g, t(b)), y)));
            case MAX, MIN -> {
                // Nx splits the gradient evenly between operands that tie for the result.
                Tensor ans = t(b);
                Tensor xWins = Nx.asType(Nx.equal(x, ans), g.type());
                Tensor yWins = Nx.asType(Nx.equal(y, ans), g.type());
                yield List.of(Nx.multiply(g, Nx.divide(xWins, Nx.add(yWins, 1))),
                        Nx.multiply(g, Nx.divide(yWins, Nx.add(xWins, 1))));
            }
            case EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL -> Arrays.asList(null, null);
        };
    }

    private static Tensor reduceRule(Expr.Reduce r, Tensor g) {
        Tensor x = t(r.x());
        Tensor gx = restoreReduced(g, r);
        return switch (r.op()) {
            case SUM -> gx;
            case PRODUCT -> Nx.divide(Nx.multiply(gx, restoreReduced(t(r), r)), x);
            case MAX, MIN -> {
                // Ties share the gradient evenly, as in Nx.
                Tensor hits = Nx.asType(Nx.equal(x, restoreReduced(t(r), r)), g.type());
                Tensor count = restoreReduced(Nx.sum(hits, r.axes(), false), r);
                yield Nx.divide(Nx.multiply(gx, hits), count);
            }
        };
    }

    /** Broadcasts a reduced value back over the reduced axes of {@code r}'s operand. */
    private static Tensor restoreReduced(Tensor reduced, Expr.Reduce r) {
        Shape in = r.x().shape();
        int[] kept = in.dims();
        for (int a : r.axes()) {
            kept[a] = 1;
        }
        return Nx.broadcast(Nx.reshape(reduced, Shape.of(kept)), in);
    }

    private static List<Tensor> dotRule(Expr.Dot d, Tensor g) {
        int nb = d.batchA().length;
        int[] freeA = free(d.a().shape().rank(), d.contractA(), d.batchA());
        int[] freeB = free(d.b().shape().rank(), d.contractB(), d.batchB());
        int[] gBatch = range(0, nb);
        int[] gFreeA = range(nb, nb + freeA.length);
        int[] gFreeB = range(nb + freeA.length, nb + freeA.length + freeB.length);
        Tensor a = t(d.a());
        Tensor b = t(d.b());
        Tensor ga = Nx.dot(g, gFreeB, gBatch, b, freeB, d.batchB());
        Tensor gb = Nx.dot(g, gFreeA, gBatch, a, freeA, d.batchA());
        return List.of(
                Nx.transpose(ga, placement(d.a().shape().rank(), d.batchA(), freeA, d.contractA(), d.contractB())),
                Nx.transpose(gb, placement(d.b().shape().rank(), d.batchB(), freeB, d.contractB(), d.contractA())));
    }

    /**
     * The permutation taking a cotangent laid out as [batch, own free, other operand's
     * remaining (contracted) axes in ascending order] back to the operand's own axis order.
     */
    private static int[] placement(int rank, int[] batch, int[] free, int[] ownContract, int[] otherContract) {
        int[] position = new int[rank];
        int p = 0;
        for (int a : batch) {
            position[a] = p++;
        }
        for (int a : free) {
            position[a] = p++;
        }
        Integer[] order = new Integer[otherContract.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Integer.compare(otherContract[i], otherContract[j]));
        for (Integer k : order) {
            position[ownContract[k]] = p++;
        }
        return position;
    }

    private static Tensor unbroadcast(Tensor g, Shape target, int[] axes) {
        Shape out = g.shape();
        List<Integer> summed = new ArrayList<>();
        int[] mapped = new int[out.rank()];
        Arrays.fill(mapped, -1);
        for (int i = 0; i < axes.length; i++) {
            mapped[axes[i]] = i;
        }
        for (int d = 0; d < out.rank(); d++) {
            if (mapped[d] < 0 || (target.dim(mapped[d]) == 1 && out.dim(d) != 1)) {
                summed.add(d);
            }
        }
        Tensor s = summed.isEmpty() ? g : Nx.sum(g, summed.stream().mapToInt(Integer::intValue).toArray(), false);
        return Nx.reshape(s, target);
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    private static int[] free(int rank, int[] contract, int[] batch) {
        return java.util.stream.IntStream.range(0, rank)
                .filter(a -> Arrays.stream(contract).noneMatch(c -> c == a) && Arrays.stream(batch).noneMatch(c -> c == a))
                .toArray();
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }
}
