package dev.jnx.defn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the input templates of one jitted function differ, for its recompile warning: each
 * argument path (such as {@code argument 1} or {@code argument 0.params[w1]}) at which some
 * templates have another shape, type or structure, with the values found there.
 */
public final class TemplateDifferences {
    /** Paths listed before the rest is only counted. */
    private static final int MAX_PATHS = 4;

    private TemplateDifferences() {
    }

    /**
     * One line per differing path of {@code templates} (trees of the argument lists), e.g.
     * {@code argument 1: f32[128][784] in 8 templates, f32[16][784] in 1}.
     */
    public static List<String> describe(List<Tree> templates) {
        List<String> lines = new ArrayList<>();
        walk("", templates, lines);
        if (lines.size() > MAX_PATHS) {
            int more = lines.size() - MAX_PATHS;
            lines = new ArrayList<>(lines.subList(0, MAX_PATHS));
            lines.add("and " + more + " more place" + (more == 1 ? "" : "s"));
        }
        return lines;
    }

    private static void walk(String path, List<Tree> nodes, List<String> lines) {
        Tree first = nodes.get(0);
        if (!nodes.stream().allMatch(n -> sameNode(first, n))) {
            lines.add((path.isEmpty() ? "the argument list" : path) + ": " + counts(nodes));
            return;
        }
        for (int i = 0; i < children(first).size(); i++) {
            final int k = i;
            walk(childPath(path, first, i), nodes.stream().map(n -> children(n).get(k)).toList(), lines);
        }
    }

    private static List<Tree> children(Tree t) {
        return switch (t) {
            case Tree.Leaf l -> List.of();
            case Tree.ListNode l -> l.items();
            case Tree.ArrayNode a -> a.items();
            case Tree.MapNode m -> m.values();
            case Tree.RecordNode r -> r.components();
        };
    }

    /** {@code argument 1}, then {@code [i]} for list and array items, {@code [key]} for map values, {@code .name} for record components. */
    private static String childPath(String path, Tree parent, int i) {
        return switch (parent) {
            case Tree.Leaf l -> path;
            case Tree.ListNode l -> element(path, String.valueOf(i));
            case Tree.ArrayNode a -> element(path, String.valueOf(i));
            case Tree.MapNode m -> element(path, String.valueOf(m.keys().get(i)));
            case Tree.RecordNode r -> path + "." + RecordAccess.of(r.type()).name(i);
        };
    }

    /** The top level is the argument list; below it, items are indexed. */
    private static String element(String path, String index) {
        return path.isEmpty() ? "argument " + index : path + "[" + index + "]";
    }

    /** Same kind of node with the same header (leaf template, size, array type, keys or record class). */
    private static boolean sameNode(Tree a, Tree b) {
        return switch (a) {
            case Tree.Leaf l -> l.equals(b);
            case Tree.ListNode l -> b instanceof Tree.ListNode o && o.items().size() == l.items().size();
            case Tree.ArrayNode x -> b instanceof Tree.ArrayNode o && o.componentType() == x.componentType()
                    && o.items().size() == x.items().size();
            case Tree.MapNode m -> b instanceof Tree.MapNode o && o.keys().equals(m.keys());
            case Tree.RecordNode r -> b instanceof Tree.RecordNode o && o.type() == r.type();
        };
    }

    /** The distinct values, most common first: {@code f32[128][784] in 8 templates, f32[16][784] in 1}. */
    private static String counts(List<Tree> nodes) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Tree n : nodes) {
            counts.merge(n.toString(), 1, Integer::sum);
        }
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()));
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            Map.Entry<String, Integer> e = sorted.get(i);
            s.append(i == 0 ? "" : ", ").append(e.getKey()).append(" in ").append(e.getValue())
                    .append(i == 0 ? e.getValue() == 1 ? " template" : " templates" : "");
        }
        return s.toString();
    }
}
