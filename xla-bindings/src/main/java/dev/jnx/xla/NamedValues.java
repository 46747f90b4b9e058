package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
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
            NamedValue.STRUCT.initialize(nv);
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            NamedValue.NAME.set(nv, bytes(name, allocator));
            NamedValue.NAME_SIZE.set(nv, name.length);
            Object v = e.getValue();
            switch (v) {
                case String str -> {
                    byte[] b = str.getBytes(StandardCharsets.UTF_8);
                    put(nv, NamedValue.K_STRING, b.length);
                    NamedValue.STRING_VALUE.set(nv, bytes(b, allocator));
                }
                case Long l -> {
                    put(nv, NamedValue.K_INT64, 1);
                    NamedValue.INT64_VALUE.set(nv, l);
                }
                case Integer n -> {
                    put(nv, NamedValue.K_INT64, 1);
                    NamedValue.INT64_VALUE.set(nv, n.longValue());
                }
                case long[] a -> {
                    put(nv, NamedValue.K_INT64_LIST, a.length);
                    MemorySegment arr = allocator.allocate(JAVA_LONG, Math.max(1, a.length));
                    MemorySegment.copy(a, 0, arr, JAVA_LONG, 0, a.length);
                    NamedValue.INT64_ARRAY_VALUE.set(nv, arr);
                }
                case Float f -> {
                    put(nv, NamedValue.K_FLOAT, 1);
                    NamedValue.FLOAT_VALUE.set(nv, f);
                }
                case Double d -> {
                    put(nv, NamedValue.K_FLOAT, 1);
                    NamedValue.FLOAT_VALUE.set(nv, d.floatValue());
                }
                case Boolean b -> {
                    put(nv, NamedValue.K_BOOL, 1);
                    NamedValue.BOOL_VALUE.set(nv, b);
                }
                case null -> throw new IllegalArgumentException("Option '" + e.getKey() + "' is null");
                default -> throw new IllegalArgumentException("Option '" + e.getKey() + "' has unsupported type "
                        + v.getClass().getName() + "; use String, Long, Integer, long[], Float, Double or Boolean");
            }
        }
        return array;
    }

    private static void put(MemorySegment nv, int type, long valueSize) {
        NamedValue.TYPE.set(nv, type);
        NamedValue.VALUE_SIZE.set(nv, valueSize);
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
            String name = PjrtApi.string(NamedValue.NAME.get(nv), NamedValue.NAME_SIZE.get(nv));
            long size = NamedValue.VALUE_SIZE.get(nv);
            Object value = switch (NamedValue.TYPE.get(nv)) {
                case NamedValue.K_STRING -> PjrtApi.string(NamedValue.STRING_VALUE.get(nv), size);
                case NamedValue.K_INT64 -> NamedValue.INT64_VALUE.get(nv);
                case NamedValue.K_INT64_LIST -> PjrtApi.longs(NamedValue.INT64_ARRAY_VALUE.get(nv), size);
                case NamedValue.K_FLOAT -> NamedValue.FLOAT_VALUE.get(nv);
                case NamedValue.K_BOOL -> NamedValue.BOOL_VALUE.get(nv);
                default -> null; // a newer value type: skipped rather than failing the whole query
            };
            if (value != null) {
                out.put(name, value);
            }
        }
        return Collections.unmodifiableMap(out);
    }
}
