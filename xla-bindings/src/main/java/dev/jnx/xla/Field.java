package dev.jnx.xla;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * One member of a C struct the bindings fill or read, with accessors of the member's own width.
 *
 * <p>A field is made once, by name, from its struct's layout ({@link PjrtLayouts.Struct}): its
 * offset and value layout come from that layout and nowhere else, and asking for the wrong kind
 * (a {@code long} accessor for an {@code int} member) fails when the layout class loads. So no
 * call site chooses a width or an offset, and {@code AbiLayoutTest} checking every declared field
 * against the header's ABI table checks every access the bindings make.
 *
 * <p>The accessors use the canonical {@link ValueLayout} constant of their kind, which the
 * factory checks the member's layout equals but for its name: accessing through the member's
 * own (named) layout measured slower and allocated on the per-call path, while the constant
 * folds like a hand-written {@code segment.get(JAVA_LONG, 16)}.
 */
sealed interface Field permits Field.OfAddress, Field.OfLong, Field.OfInt, Field.OfBoolean, Field.OfFloat,
        Field.OfStruct {
    /** The C struct this member belongs to. */
    String owner();

    /** Member names from the struct down to this member, e.g. {@code [(union), int64_value]}. */
    List<String> path();

    /** The member's layout, as the struct's layout declares it. */
    MemoryLayout layout();

    /** The member's byte offset from the start of the struct. */
    long offset();

    /** A pointer ({@code T*}, a callback). */
    record OfAddress(String owner, List<String> path, AddressLayout layout, long offset) implements Field {
        MemorySegment get(MemorySegment struct) {
            return struct.get(ValueLayout.ADDRESS, offset);
        }

        void set(MemorySegment struct, MemorySegment value) {
            struct.set(ValueLayout.ADDRESS, offset, value);
        }
    }

    /** A {@code size_t} or {@code int64_t}. */
    record OfLong(String owner, List<String> path, ValueLayout.OfLong layout, long offset) implements Field {
        long get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_LONG, offset);
        }

        void set(MemorySegment struct, long value) {
            struct.set(ValueLayout.JAVA_LONG, offset, value);
        }
    }

    /** An {@code int} or a C enum. */
    record OfInt(String owner, List<String> path, ValueLayout.OfInt layout, long offset) implements Field {
        int get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_INT, offset);
        }

        void set(MemorySegment struct, int value) {
            struct.set(ValueLayout.JAVA_INT, offset, value);
        }
    }

    /** A C {@code bool}. */
    record OfBoolean(String owner, List<String> path, ValueLayout.OfBoolean layout, long offset) implements Field {
        boolean get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_BOOLEAN, offset);
        }

        void set(MemorySegment struct, boolean value) {
            struct.set(ValueLayout.JAVA_BOOLEAN, offset, value);
        }
    }

    /** A {@code float}. */
    record OfFloat(String owner, List<String> path, ValueLayout.OfFloat layout, long offset) implements Field {
        float get(MemorySegment struct) {
            return struct.get(ValueLayout.JAVA_FLOAT, offset);
        }

        void set(MemorySegment struct, float value) {
            struct.set(ValueLayout.JAVA_FLOAT, offset, value);
        }
    }

    /** A struct embedded by value, read and written through its own fields on {@link #slice}. */
    record OfStruct(String owner, List<String> path, GroupLayout layout, long offset) implements Field {
        MemorySegment slice(MemorySegment struct) {
            return struct.asSlice(offset, layout.byteSize());
        }
    }

    // Factories: the member at {@code path} of {@code struct}, a C struct named {@code owner}.
    // Each throws IllegalArgumentException if there is no such member or it is of another kind.

    static OfAddress ofAddress(String owner, GroupLayout struct, String... path) {
        return new OfAddress(owner, List.of(path), value(owner, struct, ValueLayout.ADDRESS, path), offset(struct, path));
    }

    static OfLong ofLong(String owner, GroupLayout struct, String... path) {
        return new OfLong(owner, List.of(path), value(owner, struct, ValueLayout.JAVA_LONG, path), offset(struct, path));
    }

    static OfInt ofInt(String owner, GroupLayout struct, String... path) {
        return new OfInt(owner, List.of(path), value(owner, struct, ValueLayout.JAVA_INT, path), offset(struct, path));
    }

    static OfBoolean ofBoolean(String owner, GroupLayout struct, String... path) {
        return new OfBoolean(owner, List.of(path), value(owner, struct, ValueLayout.JAVA_BOOLEAN, path),
                offset(struct, path));
    }

    static OfFloat ofFloat(String owner, GroupLayout struct, String... path) {
        return new OfFloat(owner, List.of(path), value(owner, struct, ValueLayout.JAVA_FLOAT, path), offset(struct, path));
    }

    static OfStruct ofStruct(String owner, GroupLayout struct, String... path) {
        return new OfStruct(owner, List.of(path), member(owner, struct, GroupLayout.class, path), offset(struct, path));
    }

    /** A value member that is {@code canonical} but for its name (same carrier, size, order, alignment). */
    @SuppressWarnings("unchecked")
    private static <L extends ValueLayout> L value(String owner, GroupLayout struct, L canonical, String... path) {
        ValueLayout m = member(owner, struct, ValueLayout.class, path);
        if (!m.withoutName().equals(canonical)) {
            throw new IllegalArgumentException(owner + "." + String.join(".", path) + " is a " + m + ", not a "
                    + canonical);
        }
        return (L) m;
    }

    private static <L extends MemoryLayout> L member(String owner, GroupLayout struct, Class<L> kind, String... path) {
        PathElement[] elements = elements(path);
        MemoryLayout m;
        try {
            m = struct.select(elements);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(owner + " has no member " + String.join(".", path), e);
        }
        if (!kind.isInstance(m)) {
            throw new IllegalArgumentException(owner + "." + String.join(".", path) + " is a " + m
                    + ", not a " + kind.getSimpleName());
        }
        return kind.cast(m);
    }

    private static long offset(GroupLayout struct, String... path) {
        return struct.byteOffset(elements(path));
    }

    private static PathElement[] elements(String... path) {
        PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++) {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return elements;
    }
}
