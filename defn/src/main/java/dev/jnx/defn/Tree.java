package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.VectorizedAxis;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The structure of a container of tensors (a pytree): tensors and Java numbers are leaves;
 * {@code List}s, arrays, {@code Map}s (keys in sorted order) and records (components in
 * declaration order) nest. Flattening yields the leaves in a fixed order plus a structure
 * that, with the leaves' shapes and types, is the cache key of a jitted call.
 */
public sealed interface Tree {
    /**
     * A tensor leaf of the given template: the shape of one entry and the vectorized axes
     * (empty for a plain tensor), which a jitted function's cache key tells apart.
     */
    record Leaf(Shape shape, DType type, List<VectorizedAxis> vectorized) implements Tree {
        /** A plain tensor's leaf. */
        public Leaf(Shape shape, DType type) {
            this(shape, type, List.of());
        }

        /** Parameter {@code index} of a traced function taking this leaf: every entry, the vectorized axes leading. */
        public Expr.Parameter parameter(int index) {
            return new Expr.Parameter(index, VectorizedAxis.fullShape(vectorized, shape), type);
        }

        /** What the traced function sees of {@code p}, this leaf's {@link #parameter}: its entries, vectorized. */
        public Tensor symbolic(Expr.Parameter p) {
            return Tensor.of(shape, type, p, vectorized);
        }

        @Override
        public String toString() {
            return (vectorized.isEmpty() ? "" : VectorizedAxis.describe(vectorized) + " ") + type + shape;
        }
    }

    /** A {@code List}. */
    record ListNode(List<Tree> items) implements Tree {
        @Override
        public String toString() {
            return items.toString();
        }
    }

    /** A Java array of {@code componentType}. */
    record ArrayNode(Class<?> componentType, List<Tree> items) implements Tree {
        @Override
        public String toString() {
            return componentType.getSimpleName() + items;
        }
    }

    /** A {@code Map}, keys sorted. */
    record MapNode(List<Object> keys, List<Tree> values) implements Tree {
        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("{");
            for (int i = 0; i < keys.size(); i++) {
                s.append(i == 0 ? "" : ", ").append(keys.get(i)).append(": ").append(values.get(i));
            }
            return s.append('}').toString();
        }
    }

    /** A record of class {@code type}, components in declaration order. */
    record RecordNode(Class<?> type, List<Tree> components) implements Tree {
        @Override
        public String toString() {
            String items = components.toString();
            return type.getSimpleName() + "(" + items.substring(1, items.length() - 1) + ")";
        }
    }

    /** Flattens {@code value}, appending its leaves (numbers become scalar tensors) to {@code leaves}. */
    static Tree flatten(Object value, List<Tensor> leaves) {
        return flatten("a container", value, leaves);
    }

    /**
     * Flattens {@code value} as {@link #flatten(Object, List)}; a null inside it is a
     * {@link NullPointerException} that names {@code what} (the op and argument, say) and the
     * null's path, e.g. {@code train_step: argument 0 holds null at [1].w}.
     */
    static Tree flatten(String what, Object value, List<Tensor> leaves) {
        try {
            return node(value, leaves);
        } catch (NullLeaf e) {
            throw nullAt(what, e);
        }
    }

    /**
     * The arguments of a call of {@code name}, flattened as one list; a null argument is a
     * {@link NullPointerException} naming it ({@code name: argument 1}), a null inside one names
     * its path too. The messages are built only then: this runs on every jitted call.
     */
    static Tree flattenArguments(String name, Object[] args, List<Tensor> leaves) {
        List<Tree> items = new ArrayList<>(args.length);
        for (int i = 0; i < args.length; i++) {
            if (args[i] == null) {
                throw new NullPointerException(name + ": argument " + i);
            }
            try {
                items.add(node(args[i], leaves));
            } catch (NullLeaf e) {
                throw nullAt(name + ": argument " + i, e);
            }
        }
        return new ListNode(items);
    }

    private static NullPointerException nullAt(String what, NullLeaf e) {
        return new NullPointerException(what + (e.path.isEmpty() ? " is null" : " holds null at " + e.path));
    }

    /** {@code value}'s tree at {@code key} (an index or a name) of its container; a null below gains the key. */
    private static Tree child(Object value, List<Tensor> leaves, Object key) {
        try {
            return node(value, leaves);
        } catch (NullLeaf e) {
            e.path.insert(0, key instanceof Integer i ? "[" + i + "]" : "." + key);
            throw e;
        }
    }

    private static Tree node(Object value, List<Tensor> leaves) {
        return switch (value) {
            case Tensor t -> {
                leaves.add(t);
                yield new Leaf(t.shape(), t.type(), t.vectorizedAxes());
            }
            case Number n -> {
                DType type = DType.infer(n);
                yield node(Tensor.of(Shape.scalar(), type, HostData.scalar(n, type)), leaves);
            }
            case List<?> list -> {
                List<Tree> items = new ArrayList<>(list.size());
                for (Object o : list) {
                    items.add(child(o, leaves, items.size()));
                }
                yield new ListNode(items);
            }
            case Map<?, ?> map -> {
                List<Object> keys = new ArrayList<>();
                List<Tree> values = new ArrayList<>();
                for (Map.Entry<?, ?> e : sorted(map).entrySet()) {
                    keys.add(e.getKey());
                    values.add(child(e.getValue(), leaves, String.valueOf(e.getKey())));
                }
                yield new MapNode(keys, values);
            }
            case Record r -> {
                RecordAccess access = RecordAccess.of(r.getClass());
                Object[] values = access.components(r);
                List<Tree> comps = new ArrayList<>(values.length);
                for (int i = 0; i < values.length; i++) {
                    comps.add(child(values[i], leaves, access.name(i)));
                }
                yield new RecordNode(r.getClass(), comps);
            }
            case null -> throw new NullLeaf();
            default -> {
                if (!value.getClass().isArray() || value.getClass().getComponentType().isPrimitive()) {
                    throw new IllegalArgumentException("unsupported container element " + value.getClass().getName()
                            + " (expected Tensor, Number, List, Map, record or an array of those)");
                }
                List<Tree> items = new ArrayList<>();
                for (int i = 0; i < Array.getLength(value); i++) {
                    items.add(child(Array.get(value, i), leaves, i));
                }
                yield new ArrayNode(value.getClass().getComponentType(), items);
            }
        };
    }

    /** Rebuilds a container of this structure from {@code leaves}, consumed in order from {@code next[0]}. */
    default Object unflatten(List<Tensor> leaves, int[] next) {
        return switch (this) {
            case Leaf l -> leaves.get(next[0]++);
            case ListNode l -> {
                List<Object> out = new ArrayList<>(l.items().size());
                for (Tree t : l.items()) {
                    out.add(t.unflatten(leaves, next));
                }
                yield Collections.unmodifiableList(out);
            }
            case ArrayNode a -> {
                Object out = Array.newInstance(a.componentType(), a.items().size());
                for (int i = 0; i < a.items().size(); i++) {
                    Array.set(out, i, a.items().get(i).unflatten(leaves, next));
                }
                yield out;
            }
            case MapNode m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (int i = 0; i < m.keys().size(); i++) {
                    out.put(m.keys().get(i), m.values().get(i).unflatten(leaves, next));
                }
                yield Collections.unmodifiableMap(out);
            }
            case RecordNode r -> {
                Object[] values = new Object[r.components().size()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = r.components().get(i).unflatten(leaves, next);
                }
                yield RecordAccess.of(r.type()).construct(values);
            }
        };
    }

    /** A container of the same structure with {@code f} applied to every tensor leaf. */
    @SuppressWarnings("unchecked")
    static <T> T map(T container, java.util.function.UnaryOperator<Tensor> f) {
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = flatten(container, leaves);
        return (T) tree.unflatten(leaves.stream().map(f).toList(), new int[1]);
    }

    /**
     * A container of the structure of {@code first} whose leaf {@code i} is {@code f} applied to
     * leaf {@code i} of each of the given containers, which must share that structure.
     */
    @SuppressWarnings("unchecked")
    static <T> T zip(java.util.function.Function<List<Tensor>, Tensor> f, T first, Object... others) {
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = flatten(first, leaves);
        List<List<Tensor>> all = new ArrayList<>();
        all.add(leaves);
        for (Object o : others) {
            List<Tensor> l = new ArrayList<>();
            Tree t = flatten(o, l);
            if (!t.equals(tree)) {
                throw new IllegalArgumentException("Tree.zip: containers differ in structure: " + tree + " vs " + t);
            }
            all.add(l);
        }
        List<Tensor> out = new ArrayList<>(leaves.size());
        for (int i = 0; i < leaves.size(); i++) {
            final int k = i;
            out.add(f.apply(all.stream().map(l -> l.get(k)).toList()));
        }
        return (T) tree.unflatten(out, new int[1]);
    }

    /** The tensor leaves of {@code container} in flattening order (numbers become scalar tensors). */
    static List<Tensor> leaves(Object container) {
        List<Tensor> leaves = new ArrayList<>();
        flatten(container, leaves);
        return leaves;
    }

    /**
     * A container of the structure of {@code a} whose leaves are {@code f(a_i, b_i)}, e.g.
     * {@code Tree.zip(params, updates, Nx::add)}; {@code b} must have the same structure.
     */
    static <T> T zip(T a, Object b, java.util.function.BinaryOperator<Tensor> f) {
        return zip(l -> f.apply(l.get(0), l.get(1)), a, b);
    }

    /** A function of three tensors, for {@link #zip(Object, Object, Object, TernaryOperator)}. */
    @FunctionalInterface
    interface TernaryOperator {
        /** Computes the leaf of the result. */
        Tensor apply(Tensor a, Tensor b, Tensor c);
    }

    /** Like {@link #zip(Object, Object, java.util.function.BinaryOperator)} over three containers: {@code f(a_i, b_i, c_i)}. */
    static <T> T zip(T a, Object b, Object c, TernaryOperator f) {
        return zip(l -> f.apply(l.get(0), l.get(1), l.get(2)), a, b, c);
    }

    /** Closes every tensor leaf of {@code container}, releasing device memory now (a no-op for host tensors). */
    static void close(Object container) {
        for (Tensor t : leaves(container)) {
            t.close();
        }
    }

    /** Whether a leaf is a vectorized tensor. */
    default boolean anyVectorized() {
        return switch (this) {
            case Leaf l -> !l.vectorized().isEmpty();
            case ListNode l -> l.items().stream().anyMatch(Tree::anyVectorized);
            case ArrayNode a -> a.items().stream().anyMatch(Tree::anyVectorized);
            case MapNode m -> m.values().stream().anyMatch(Tree::anyVectorized);
            case RecordNode r -> r.components().stream().anyMatch(Tree::anyVectorized);
        };
    }

    /** Number of leaves. */
    default int leafCount() {
        return switch (this) {
            case Leaf l -> 1;
            case ListNode l -> l.items().stream().mapToInt(Tree::leafCount).sum();
            case ArrayNode a -> a.items().stream().mapToInt(Tree::leafCount).sum();
            case MapNode m -> m.values().stream().mapToInt(Tree::leafCount).sum();
            case RecordNode r -> r.components().stream().mapToInt(Tree::leafCount).sum();
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Map<?, ?> sorted(Map<?, ?> map) {
        try {
            return new TreeMap(map);
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("map keys must be mutually comparable to fix the leaf order: " + map.keySet(), e);
        }
    }
}

/**
 * A null met while flattening a {@link Tree}, unwound to the top with its path: it costs nothing
 * on the path without nulls, where flattening runs on every jitted call.
 */
final class NullLeaf extends RuntimeException {
    final StringBuilder path = new StringBuilder();

    NullLeaf() {
        super(null, null, false, false);
    }
}
