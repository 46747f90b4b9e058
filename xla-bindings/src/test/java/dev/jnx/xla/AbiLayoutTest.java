package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnx.xla.AbiTable.Row;
import dev.jnx.xla.PjrtLayouts.Struct;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks every hand-written layout, enum value and API slot against the header's ABI table. */
class AbiLayoutTest {

    /** Every {@code static final Struct STRUCT} of a class nested in PjrtLayouts. */
    static Stream<Struct> structs() throws IllegalAccessException {
        List<Struct> out = new ArrayList<>();
        for (Class<?> c : PjrtLayouts.class.getDeclaredClasses()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == Struct.class) {
                    f.setAccessible(true);
                    out.add((Struct) f.get(null));
                }
            }
        }
        return out.stream();
    }

    /** Every static {@link dev.jnx.xla.Field} declared in PjrtLayouts or a class nested in it. */
    static Stream<dev.jnx.xla.Field> fields() throws IllegalAccessException {
        List<dev.jnx.xla.Field> out = new ArrayList<>();
        List<Class<?>> classes = new ArrayList<>(List.of(PjrtLayouts.class.getDeclaredClasses()));
        classes.add(PjrtLayouts.class);
        for (Class<?> c : classes) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) && dev.jnx.xla.Field.class.isAssignableFrom(f.getType())) {
                    f.setAccessible(true);
                    out.add((dev.jnx.xla.Field) f.get(null));
                }
            }
        }
        return out.stream();
    }

    @Test
    void everyLayoutIsFound() throws IllegalAccessException {
        assertTrue(structs().count() >= 38, "reflection found too few structs: " + structs().count());
        assertTrue(fields().count() >= 150, "reflection found too few fields: " + fields().count());
    }

    /**
     * Each field the bindings read or write: offset, size and carrier from the header's table,
     * so that no access can use a width or an offset the header does not have.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fields")
    void fieldMatchesHeader(dev.jnx.xla.Field f) {
        String what = f.owner() + "." + String.join(".", f.path());
        Row row = switch (f.path().size()) {
            case 1 -> AbiTable.fields(f.owner()).stream().filter(r -> r.member().equals(f.path().get(0))).findFirst()
                    .orElseThrow(() -> new AssertionError("abi.tsv has no field " + what));
            case 2 -> {
                assertEquals(PjrtLayouts.UNION, f.path().get(0), what + " is a union arm");
                yield AbiTable.rows("union_member", f.owner()).filter(r -> r.member().equals(f.path().get(1)))
                        .findFirst().orElseThrow(() -> new AssertionError("abi.tsv has no union member " + what));
            }
            default -> throw new AssertionError("unexpected path " + what);
        };
        assertEquals(row.offset(), f.offset(), what + " offset");
        assertEquals(row.size(), f.layout().byteSize(), what + " size");
        switch (f) {
            case dev.jnx.xla.Field.OfStruct nested -> assertFalse(row.typeOrValue().endsWith("*"), what + " is by value");
            case dev.jnx.xla.Field.OfAddress a -> checkCarrier(what, row.typeOrValue(), a.layout());
            case dev.jnx.xla.Field.OfLong l -> checkCarrier(what, row.typeOrValue(), l.layout());
            case dev.jnx.xla.Field.OfInt i -> {
                checkCarrier(what, row.typeOrValue(), i.layout());
                assertTrue(row.typeOrValue().equals("int") || row.typeOrValue().startsWith("PJRT_"), what + " is an int");
            }
            case dev.jnx.xla.Field.OfBoolean b -> checkCarrier(what, row.typeOrValue(), b.layout());
            case dev.jnx.xla.Field.OfFloat x -> checkCarrier(what, row.typeOrValue(), x.layout());
        }
    }

    /** A field is only made for a member of its own kind: the width cannot be chosen wrongly. */
    @Test
    void aFieldOfTheWrongKindIsRefused() {
        Struct s = PjrtLayouts.ClientProcessIndexArgs.STRUCT;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.longField("process_index"));
        assertTrue(e.getMessage().contains("PJRT_Client_ProcessIndex_Args.process_index"), e.getMessage());
        assertTrue(e.getMessage().contains(", not a "), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.intField("client"));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> s.addressField("nope"));
        assertTrue(missing.getMessage().contains("has no member nope"), missing.getMessage());
    }

    /** The field check can fail: a field of a layout that is off by one width is caught. */
    @Test
    void aWrongFieldIsDetected() {
        Struct wrong = PjrtLayouts.args("PJRT_Client_ProcessIndex_Args", PjrtLayouts.ptr("client"),
                PjrtLayouts.i64("process_index"));
        assertThrows(AssertionError.class, () -> fieldMatchesHeader(wrong.longField("process_index")));
        Struct shifted = PjrtLayouts.args("PJRT_Client_Devices_Args", PjrtLayouts.ptr("client"),
                PjrtLayouts.size("num_devices"), PjrtLayouts.ptr("devices"));
        assertThrows(AssertionError.class, () -> fieldMatchesHeader(shifted.addressField("devices")));
    }

    /** Accessors write exactly their member's bytes, in native order. */
    @Test
    void accessorsWriteTheirWidth() {
        try (Scratch s = Scratch.open()) {
            MemorySegment a = PjrtLayouts.ClientProcessIndexArgs.STRUCT.allocate(s);
            PjrtLayouts.ClientProcessIndexArgs.PROCESS_INDEX.set(a, -2);
            assertEquals(28, a.get(ValueLayout.JAVA_LONG, 0), "struct_size: the end of process_index");
            assertEquals(-2, a.get(ValueLayout.JAVA_INT, 24));
            assertEquals(0, a.get(ValueLayout.JAVA_INT, 28), "tail padding untouched");
            PjrtLayouts.ClientProcessIndexArgs.CLIENT.set(a, MemorySegment.ofAddress(0x1234));
            assertEquals(0x1234, a.get(ValueLayout.JAVA_LONG, 16));
            assertEquals(-2, PjrtLayouts.ClientProcessIndexArgs.PROCESS_INDEX.get(a));

            MemorySegment nv = PjrtLayouts.NamedValue.STRUCT.allocate(s);
            PjrtLayouts.NamedValue.FLOAT_VALUE.set(nv, 1.5f);
            assertEquals(Float.floatToIntBits(1.5f), nv.get(ValueLayout.JAVA_INT, 40));
            assertEquals(0, nv.get(ValueLayout.JAVA_INT, 44), "a float arm writes 4 bytes");
            PjrtLayouts.NamedValue.BOOL_VALUE.set(nv, true);
            assertEquals(1, nv.get(ValueLayout.JAVA_BYTE, 40));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("structs")
    void structMatchesHeader(Struct s) {
        String name = s.name();
        assertEquals(name, s.layout().name().orElseThrow());
        assertEquals(AbiTable.structFact(name, "(sizeof)").orElseThrow(() -> new AssertionError("no struct " + name)),
                s.layout().byteSize(), "sizeof " + name);
        assertEquals(AbiTable.structFact(name, "(alignof)").orElseThrow(), s.layout().byteAlignment(), "alignof " + name);
        assertEquals(AbiTable.structFact(name, "(STRUCT_SIZE)").orElseThrow(), s.structSize(), "STRUCT_SIZE " + name);

        List<Row> fields = AbiTable.fields(name);
        List<String> named = s.layout().memberLayouts().stream()
                .filter(m -> !(m instanceof PaddingLayout)).map(m -> m.name().orElse("<unnamed>")).toList();
        assertEquals(fields.stream().map(Row::member).toList(), named, "members of " + name);

        for (Row f : fields) {
            PathElement path = PathElement.groupElement(f.member());
            MemoryLayout m = s.layout().select(path);
            assertEquals(f.offset(), s.layout().byteOffset(path), name + "." + f.member() + " offset");
            assertEquals(f.size(), m.byteSize(), name + "." + f.member() + " size");
            checkCarrier(name + "." + f.member(), f.typeOrValue(), m);
        }
        for (Row u : AbiTable.rows("union_member", name).toList()) {
            PathElement path = PathElement.groupElement(u.member());
            GroupLayout union = (GroupLayout) s.layout().select(PathElement.groupElement(PjrtLayouts.UNION));
            assertInstanceOf(UnionLayout.class, union);
            MemoryLayout m = union.select(path);
            assertEquals(u.offset(), s.layout().byteOffset(PathElement.groupElement(PjrtLayouts.UNION), path),
                    name + "." + u.member() + " offset");
            assertEquals(u.size(), m.byteSize(), name + "." + u.member() + " size");
            checkCarrier(name + "." + u.member(), u.typeOrValue(), m);
        }
        // The (union) pseudo-member must hold exactly the table's union members.
        if (fields.stream().anyMatch(f -> f.member().equals(PjrtLayouts.UNION))) {
            GroupLayout union = (GroupLayout) s.layout().select(PathElement.groupElement(PjrtLayouts.UNION));
            assertEquals(AbiTable.rows("union_member", name).map(Row::member).toList(),
                    union.memberLayouts().stream().map(m -> m.name().orElseThrow()).toList());
        }
    }

    /** Pointers must be addresses, 8-byte integers longs, bools booleans: offsets alone miss these. */
    private static void checkCarrier(String what, String cType, MemoryLayout m) {
        if (cType.endsWith("*") || cType.endsWith("Callback")) {
            assertInstanceOf(AddressLayout.class, m, what + " is a pointer");
        } else if (cType.equals("bool")) {
            assertEquals(boolean.class, ((ValueLayout) m).carrier(), what);
        } else if (cType.equals("float")) {
            assertEquals(float.class, ((ValueLayout) m).carrier(), what);
        } else if (cType.equals("size_t") || cType.equals("int64_t")) {
            assertEquals(long.class, ((ValueLayout) m).carrier(), what);
        } else if (cType.equals("int") || cType.startsWith("PJRT_") && m.byteSize() == 4) {
            assertEquals(int.class, ((ValueLayout) m).carrier(), what);
        }
    }

    @Test
    void structsWithStructSizeFieldStartWithIt() throws IllegalAccessException {
        structs().forEach(s -> assertTrue(s.hasStructSizeField(), s.name()));
    }

    @Test
    void apiHeadOffsets() {
        List<Row> api = AbiTable.fields(PjrtLayouts.Api.NAME);
        assertEquals(PjrtLayouts.Api.FIRST_SLOT, offsetOf(api, "PJRT_Error_Destroy"));
        assertEquals(PjrtLayouts.ApiVersion.STRUCT.layout().byteSize(),
                api.stream().filter(r -> r.member().equals("pjrt_api_version")).findFirst().orElseThrow().size());
        assertEquals(AbiTable.rows("field", PjrtLayouts.Api.NAME).takeWhile(r -> !r.member().equals("PJRT_Error_Destroy"))
                        .map(Row::member).toList(),
                PjrtLayouts.Api.HEAD.memberLayouts().stream().map(m -> m.name().orElseThrow()).toList());
    }

    private static long offsetOf(List<Row> fields, String member) {
        return fields.stream().filter(r -> r.member().equals(member)).findFirst().orElseThrow().offset();
    }

    @ParameterizedTest
    @EnumSource(ApiSlot.class)
    void apiSlotMatchesHeader(ApiSlot slot) {
        Row row = AbiTable.rows("api_slot", PjrtLayouts.Api.NAME).filter(r -> r.member().equals(slot.name()))
                .findFirst().orElseThrow(() -> new AssertionError("no api_slot " + slot.name()));
        assertEquals(Long.parseLong(row.index()), slot.index, slot + " index");
        assertEquals(row.offset(), slot.offset(), slot + " offset");
        assertEquals(8, row.size());
    }

    @Test
    void headerVersion() {
        assertEquals(AbiTable.version("PJRT_API_MAJOR"), PjrtApi.HEADER_MAJOR_VERSION);
        assertEquals(AbiTable.version("PJRT_API_MINOR"), PjrtApi.HEADER_MINOR_VERSION);
        assertTrue(PjrtApi.MIN_MINOR_VERSION <= PjrtApi.HEADER_MINOR_VERSION);
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void elementTypeValues(ElementType t) {
        assertEquals(AbiTable.enumValue("PJRT_Buffer_Type", "PJRT_Buffer_Type_" + t.name()), t.code());
        assertEquals(t, ElementType.of(t.code()));
    }

    @Test
    void elementTypeCoversTheHeader() {
        assertEquals(AbiTable.rows("enum", "PJRT_Buffer_Type").count(), ElementType.values().length);
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void errorCodeValues(ErrorCode c) {
        assertEquals(AbiTable.enumValue("PJRT_Error_Code", "PJRT_Error_Code_" + c.name()), c.value());
        assertEquals(c, ErrorCode.of(c.value()));
    }

    @Test
    void errorCodeCoversTheHeader() {
        assertEquals(AbiTable.rows("enum", "PJRT_Error_Code").count(), ErrorCode.values().length);
        assertEquals(ErrorCode.UNKNOWN, ErrorCode.of(999));
    }

    @Test
    void otherEnumValues() {
        assertEquals(AbiTable.enumValue("PJRT_NamedValue_Type", "PJRT_NamedValue_kString"), PjrtLayouts.NamedValue.K_STRING);
        assertEquals(AbiTable.enumValue("PJRT_NamedValue_Type", "PJRT_NamedValue_kInt64"), PjrtLayouts.NamedValue.K_INT64);
        assertEquals(AbiTable.enumValue("PJRT_NamedValue_Type", "PJRT_NamedValue_kInt64List"),
                PjrtLayouts.NamedValue.K_INT64_LIST);
        assertEquals(AbiTable.enumValue("PJRT_NamedValue_Type", "PJRT_NamedValue_kFloat"), PjrtLayouts.NamedValue.K_FLOAT);
        assertEquals(AbiTable.enumValue("PJRT_NamedValue_Type", "PJRT_NamedValue_kBool"), PjrtLayouts.NamedValue.K_BOOL);
        var b = PjrtLayouts.ClientBufferFromHostBufferArgs.class;
        assertEquals(AbiTable.enumValue("PJRT_HostBufferSemantics", "PJRT_HostBufferSemantics_kImmutableOnlyDuringCall"),
                PjrtLayouts.ClientBufferFromHostBufferArgs.K_IMMUTABLE_ONLY_DURING_CALL, b.getName());
        assertEquals(AbiTable.enumValue("PJRT_HostBufferSemantics",
                        "PJRT_HostBufferSemantics_kImmutableUntilTransferCompletes"),
                PjrtLayouts.ClientBufferFromHostBufferArgs.K_IMMUTABLE_UNTIL_TRANSFER_COMPLETES);
        assertEquals(AbiTable.enumValue("PJRT_HostBufferSemantics", "PJRT_HostBufferSemantics_kImmutableZeroCopy"),
                PjrtLayouts.ClientBufferFromHostBufferArgs.K_IMMUTABLE_ZERO_COPY);
        assertEquals(AbiTable.enumValue("PJRT_HostBufferSemantics", "PJRT_HostBufferSemantics_kMutableZeroCopy"),
                PjrtLayouts.ClientBufferFromHostBufferArgs.K_MUTABLE_ZERO_COPY);
    }

    /** The check itself must be able to fail: a layout off by one field is caught. */
    @Test
    void aWrongLayoutIsDetected() {
        Struct wrong = PjrtLayouts.args("PJRT_Client_ProcessIndex_Args", PjrtLayouts.ptr("client"),
                PjrtLayouts.i64("process_index"));
        assertFalse(wrong.layout().byteSize() == AbiTable.structFact(wrong.name(), "(sizeof)").orElseThrow()
                && wrong.structSize() == AbiTable.structFact(wrong.name(), "(STRUCT_SIZE)").orElseThrow());
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> structMatchesHeader(wrong));
    }
}
