package dev.jnx.xla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jnx.xla.AbiTable.Row;
import dev.jnx.xla.PjrtLayouts.Struct;
import java.lang.foreign.AddressLayout;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
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

    @Test
    void everyLayoutIsFound() throws IllegalAccessException {
        assertTrue(structs().count() >= 38, "reflection found too few structs: " + structs().count());
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
        assertEquals(PjrtLayouts.Api.STRUCT_SIZE, offsetOf(api, "struct_size"));
        assertEquals(PjrtLayouts.Api.PJRT_API_VERSION, offsetOf(api, "pjrt_api_version"));
        assertEquals(PjrtLayouts.Api.FIRST_SLOT, offsetOf(api, "PJRT_Error_Destroy"));
        assertEquals(PjrtLayouts.ApiVersion.STRUCT.layout().byteSize(),
                api.stream().filter(r -> r.member().equals("pjrt_api_version")).findFirst().orElseThrow().size());
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
