package dev.jnx.xla;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The PJRT ABI table ({@code pjrt-abi.tsv}, a copy of shared/pjrt/abi.tsv) as rows. */
final class AbiTable {
    record Row(String kind, String owner, String member, String index, long offset, long size, String typeOrValue) {}

    static final List<Row> ROWS = load();

    private static List<Row> load() {
        var in = Objects.requireNonNull(AbiTable.class.getResourceAsStream("/pjrt-abi.tsv"), "pjrt-abi.tsv");
        List<Row> rows = new ArrayList<>();
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            boolean header = true;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header) { // column names
                    header = false;
                    continue;
                }
                String[] c = line.split("\t", -1);
                rows.add(new Row(c[0], c[1], c[2], c[3], num(c[4]), num(c[5]), c[6]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(rows);
    }

    private static long num(String s) {
        return s.equals("-") ? -1 : Long.parseLong(s);
    }

    static Stream<Row> rows(String kind, String owner) {
        return ROWS.stream().filter(r -> r.kind().equals(kind) && r.owner().equals(owner));
    }

    /** Top-level fields of a struct in declaration order ({@code (union)} included). */
    static List<Row> fields(String owner) {
        return rows("field", owner).toList();
    }

    static Optional<Long> structFact(String owner, String fact) {
        return rows("struct", owner).filter(r -> r.member().equals(fact)).map(Row::size).findFirst();
    }

    static long enumValue(String type, String constant) {
        return rows("enum", type).filter(r -> r.member().equals(constant))
                .map(r -> Long.parseLong(r.typeOrValue())).findFirst()
                .orElseThrow(() -> new AssertionError("abi.tsv has no enum constant " + type + "." + constant));
    }

    static long version(String name) {
        return ROWS.stream().filter(r -> r.kind().equals("version") && r.member().equals(name))
                .map(r -> Long.parseLong(r.typeOrValue())).findFirst().orElseThrow();
    }

    /** C macros with every offset, size and slot, for the mock plugin. */
    static String cHeader() {
        StringBuilder b = new StringBuilder("/* generated from abi.tsv by AbiTable.cHeader() */\n");
        for (Row r : ROWS) {
            switch (r.kind()) {
                case "field" -> b.append("#define F_").append(r.owner()).append('_')
                        .append(r.member().equals("(union)") ? "union" : r.member()).append(' ')
                        .append(r.offset()).append('\n');
                case "struct" -> {
                    if (r.member().equals("(sizeof)")) {
                        b.append("#define S_").append(r.owner()).append(' ').append(r.size()).append('\n');
                    } else if (r.member().equals("(STRUCT_SIZE)")) {
                        b.append("#define STRUCT_SIZE_").append(r.owner()).append(' ').append(r.size()).append('\n');
                    }
                }
                case "api_slot" -> b.append("#define SLOT_").append(r.member()).append(' ').append(r.offset()).append('\n');
                default -> { }
            }
        }
        return b.toString();
    }
}
