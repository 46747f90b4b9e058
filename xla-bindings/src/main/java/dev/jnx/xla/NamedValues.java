package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.NamedValue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Converts between Java maps and {@code PJRT_NamedValue} arrays. */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
final class NamedValues {
    private NamedValues() {}

    /**
     * Encodes {@code values} into an array of PJRT_NamedValue allocated (with the strings and
     * arrays it points to) from {@code allocator}, which must outlive the call using it.
     */
    static MemorySegment encode(Map<String, ?> values, SegmentAllocator allocator) {
        long stride = NamedValue.STRUCT.layout().byteSize();
        MemorySegment array = allocator.allocate(stride * Math.max(1, values.size()), 8);
        long i = 0;
        for (Map.Entry<String, ?> e : values.entrySet()) {
            MemorySegment nv = array.asSlice(i++ * stride, stride);
            nv.set(JAVA_LONG, 0, NamedValue.STRUCT.structSize());
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            nv.set(ADDRESS, NamedValue.NAME, bytes(name, allocator));
            nv.set(JAVA_LONG, NamedValue.NAME_SIZE, name.length);
            Object v = e.getValue();
            switch (v) {
                case String str -> {
                    byte[] b = str.getBytes(StandardCharsets.UTF_8);
                    put(nv, NamedValue.K_STRING, b.length);
                    nv.set(ADDRESS, NamedValue.VALUE, bytes(b, allocator));
                }
                case Long l -> {
                    put(nv, NamedValue.K_INT64, 1);
                    nv.set(JAVA_LONG, NamedValue.VALUE, l);
                }
                case Integer n -> {
                    put(nv, NamedValue.K_INT64, 1);
                    nv.set(JAVA_LONG, NamedValue.VALUE, n.longValue());
                }
                case long[] a -> {
                    put(nv, NamedValue.K_INT64_LIST, a.length);
                    MemorySegment arr = allocator.allocate(JAVA_LONG, Math.max(1, a.length));
                    MemorySegment.copy(a, 0, arr, JAVA_LONG, 0, a.length);
                    nv.set(ADDRESS, NamedValue.VALUE, arr);
                }
                case Float f -> {
                    put(nv, NamedValue.K_FLOAT, 1);
                    nv.set(JAVA_FLOAT, NamedValue.VALUE, f);
                }
                case Double d -> {
                    put(nv, NamedValue.K_FLOAT, 1);
                    nv.set(JAVA_FLOAT, NamedValue.VALUE, d.floatValue());
                }
                case Boolean b -> {
                    put(nv, NamedValue.K_BOOL, 1);
                    nv.set(JAVA_BOOLEAN, NamedValue.VALUE, b);
                }
                case null -> throw new IllegalArgumentException("Option '" + e.getKey() + "' is null");
                default -> throw new IllegalArgumentException("Option '" + e.getKey() + "' has unsupported type "
                        + v.getClass().getName() + "; use String, Long, Integer, long[], Float, Double or Boolean");
            }
        }
        return array;
    }

    private static void put(MemorySegment nv, int type, long valueSize) {
        nv.set(JAVA_INT, NamedValue.TYPE, type);
        nv.set(JAVA_LONG, NamedValue.VALUE_SIZE, valueSize);
    }

    private static MemorySegment bytes(byte[] b, SegmentAllocator allocator) {
        MemorySegment s = allocator.allocate(Math.max(1, b.length), 1);
        MemorySegment.copy(b, 0, s, JAVA_BYTE, 0, b.length);
        return s;
    }

    /** Copies a plugin-owned PJRT_NamedValue array into an unmodifiable, ordered map. */
    static Map<String, Object> decode(MemorySegment array, long count) {
        if (count == 0 || array.address() == 0) {
            return Map.of();
        }
        long stride = NamedValue.STRUCT.layout().byteSize();
        MemorySegment all = array.reinterpret(stride * count);
        Map<String, Object> out = new LinkedHashMap<>();
        for (long i = 0; i < count; i++) {
            MemorySegment nv = all.asSlice(i * stride, stride);
            String name = PjrtApi.string(nv.get(ADDRESS, NamedValue.NAME), nv.get(JAVA_LONG, NamedValue.NAME_SIZE));
            long size = nv.get(JAVA_LONG, NamedValue.VALUE_SIZE);
            Object value = switch (nv.get(JAVA_INT, NamedValue.TYPE)) {
                case NamedValue.K_STRING -> PjrtApi.string(nv.get(ADDRESS, NamedValue.VALUE), size);
                case NamedValue.K_INT64 -> nv.get(JAVA_LONG, NamedValue.VALUE);
                case NamedValue.K_INT64_LIST -> PjrtApi.longs(nv.get(ADDRESS, NamedValue.VALUE), size);
                case NamedValue.K_FLOAT -> nv.get(JAVA_FLOAT, NamedValue.VALUE);
                case NamedValue.K_BOOL -> nv.get(JAVA_BOOLEAN, NamedValue.VALUE);
                default -> null; // a newer value type: skipped rather than failing the whole query
            };
            if (value != null) {
                out.put(name, value);
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
