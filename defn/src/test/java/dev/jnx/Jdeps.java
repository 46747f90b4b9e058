package dev.jnx;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Class dependencies as {@code jdeps} reads them from class files, for the tests that keep modules layered. */
public final class Jdeps {
    private static final Pattern EDGE = Pattern.compile("^\\s+(dev\\.jnx\\.[\\w.$]+)\\s+->\\s+(dev\\.jnx\\.[\\w.$]+)\\s");

    private Jdeps() {
    }

    /** The top-level class of {@code name}: {@code dev.jnx.defn.Expr$Add} is {@code dev.jnx.defn.Expr}. */
    private static String topLevel(String name) {
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    /** Where {@code c}'s class files are: a classes directory or a jar. */
    public static Path classesOf(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code jdeps -verbose:class} edges between jnx classes, top-level class to top-level
     * class, from {@code arguments} (the classes to read, and options such as {@code --module-path}).
     */
    public static Map<String, Set<String>> classEdges(String... arguments) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-verbose:class", "-filter:none"));
        args.addAll(List.of(arguments));
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, rc, () -> "jdeps " + args + " failed: " + err + out);
        Map<String, Set<String>> edges = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            Matcher m = EDGE.matcher(line);
            if (m.find()) {
                String from = topLevel(m.group(1));
                String to = topLevel(m.group(2));
                if (!from.equals(to)) {
                    edges.computeIfAbsent(from, k -> new TreeSet<>()).add(to);
                }
            }
        }
        return edges;
    }
}
