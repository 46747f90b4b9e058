package dev.jnx.xla;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Options for {@link PjrtClient#compile(String, CompileOptions)}, serialized as the
 * {@code xla.CompileOptionsProto} that {@code PJRT_Client_Compile} expects.
 *
 * <p>Why a hand encoder rather than protobuf-java: the bindings need five scalar fields in
 * three nested messages, which take 40 lines of varint/length-delimited writing; protobuf-java
 * (about 2 MB) plus XLA's generated classes (which would have to be generated from the .proto
 * files of one XLA version and kept in step) would be the only third-party dependency of this
 * module. The encoded fields, with their numbers from {@code xla/pjrt/proto/compile_options.proto}
 * and {@code xla/xla_data.proto}:
 *
 * <pre>
 * CompileOptionsProto
 *   3: executable_build_options (ExecutableBuildOptionsProto)
 *        1: device_ordinal   int64   -1 ("unset", as XLA's own serializer writes it)
 *        4: num_replicas     int64
 *        5: num_partitions   int64
 *        6: use_spmd_partitioning bool  (written when true)
 *        9: device_assignment (DeviceAssignmentProto)
 *             1: replica_count       int32
 *             2: computation_count   int32
 *             3: computation_devices (repeated ComputationDevice)
 *                  1: replica_device_ids  repeated int64 (packed)
 *   7: env_option_overrides (map&lt;string, OptionOverrideProto&gt;, entries ordered by name)
 *        OptionOverrideProto: 1 string_field, 2 bool_field, 3 int_field (int64), 4 double_field
 * </pre>
 *
 * Every other field keeps its proto3 default. GPU plugins (e.g. the CUDA plugin of
 * jax-cuda12/13-pjrt) require the replica and partition counts and use the device assignment
 * to place the program; the bundled CPU plugin has one device and accepts any options.
 *
 * @param numReplicas replicas (data parallel copies); 1 for a single device
 * @param numPartitions partitions (model parallel shards); 1 for a single device
 * @param deviceAssignment device ids, {@code [partition][replica]}; null to let the plugin choose
 * @param spmdPartitioning whether XLA's SPMD partitioner splits one program over the partitions
 *     (by the {@code mhlo.sharding} attributes of its values)
 * @param overrides XLA {@code DebugOptions} fields by name ({@code xla_cpu_parallel_codegen_split_count}
 *     → 1), applied by the plugin over its defaults as JAX's {@code compiler_options} are; values
 *     are {@code String}, {@code Boolean}, {@code Integer}/{@code Long} or {@code Double}
 */
public record CompileOptions(int numReplicas, int numPartitions, int[][] deviceAssignment, boolean spmdPartitioning,
                             Map<String, Object> overrides) {
    /** Validates the counts, that the assignment has {@code numPartitions × numReplicas} ids, and the overrides' types. */
    public CompileOptions {
        if (numReplicas < 1 || numPartitions < 1) {
            throw new IllegalArgumentException("numReplicas and numPartitions must be >= 1, got "
                    + numReplicas + ", " + numPartitions);
        }
        if (deviceAssignment != null) {
            if (deviceAssignment.length != numPartitions) {
                throw new IllegalArgumentException("deviceAssignment has " + deviceAssignment.length
                        + " partitions, expected " + numPartitions);
            }
            int[][] copy = new int[numPartitions][];
            for (int p = 0; p < numPartitions; p++) {
                if (deviceAssignment[p].length != numReplicas) {
                    throw new IllegalArgumentException("deviceAssignment[" + p + "] has " + deviceAssignment[p].length
                            + " replicas, expected " + numReplicas);
                }
                copy[p] = deviceAssignment[p].clone();
            }
            deviceAssignment = copy;
        }
        for (Map.Entry<String, Object> e : java.util.Objects.requireNonNull(overrides, "overrides").entrySet()) {
            if (!(e.getValue() instanceof String || e.getValue() instanceof Boolean || e.getValue() instanceof Integer
                    || e.getValue() instanceof Long || e.getValue() instanceof Double)) {
                throw new IllegalArgumentException("compile option override " + e.getKey() + " = " + e.getValue()
                        + ": expected a String, Boolean, Integer, Long or Double");
            }
        }
        overrides = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(overrides));
    }

    /** Options without XLA option overrides. */
    public CompileOptions(int numReplicas, int numPartitions, int[][] deviceAssignment, boolean spmdPartitioning) {
        this(numReplicas, numPartitions, deviceAssignment, spmdPartitioning, Map.of());
    }

    /** Options without SPMD partitioning. */
    public CompileOptions(int numReplicas, int numPartitions, int[][] deviceAssignment) {
        this(numReplicas, numPartitions, deviceAssignment, false);
    }

    /** These options with {@code overrides} added to (and replacing same-named) ones already set. */
    public CompileOptions withOverrides(Map<String, ?> more) {
        Map<String, Object> all = new TreeMap<>(overrides);
        all.putAll(more);
        return new CompileOptions(numReplicas, numPartitions, deviceAssignment, spmdPartitioning, all);
    }

    /**
     * One program split by XLA's SPMD partitioner over the devices with these ids, partition
     * {@code p} on {@code deviceIds[p]}: what a sharded jitted call needs.
     */
    public static CompileOptions partitioned(int... deviceIds) {
        int[][] assignment = new int[deviceIds.length][];
        for (int p = 0; p < deviceIds.length; p++) {
            assignment[p] = new int[] {deviceIds[p]};
        }
        return new CompileOptions(1, deviceIds.length, assignment, true);
    }

    /** One replica, one partition, on the device with id {@code deviceId}: what a jitted call needs. */
    public static CompileOptions singleDevice(int deviceId) {
        return new CompileOptions(1, 1, new int[][] {{deviceId}});
    }

    /** The serialized {@code xla.CompileOptionsProto}. */
    public byte[] toProto() {
        ProtoWriter build = new ProtoWriter();
        build.int64(1, -1);
        build.int64(4, numReplicas);
        build.int64(5, numPartitions);
        if (spmdPartitioning) {
            build.int64(6, 1);
        }
        if (deviceAssignment != null) {
            ProtoWriter da = new ProtoWriter();
            da.int64(1, numReplicas);
            da.int64(2, numPartitions);
            for (int[] partition : deviceAssignment) {
                ProtoWriter cd = new ProtoWriter();
                ProtoWriter ids = new ProtoWriter();
                for (int id : partition) {
                    ids.varint(id);
                }
                cd.bytes(1, ids.toByteArray());
                da.bytes(3, cd.toByteArray());
            }
            build.bytes(9, da.toByteArray());
        }
        ProtoWriter options = new ProtoWriter();
        options.bytes(3, build.toByteArray());
        for (Map.Entry<String, Object> e : overrides.entrySet()) {
            ProtoWriter value = new ProtoWriter();
            switch (e.getValue()) {
                case String str -> value.bytes(1, str.getBytes(StandardCharsets.UTF_8));
                case Boolean b -> value.int64(2, b ? 1 : 0);
                case Integer i -> value.int64(3, i);
                case Long l -> value.int64(3, l);
                case Double d -> value.fixed64(4, Double.doubleToRawLongBits(d));
                default -> throw new AssertionError("checked by the constructor: " + e.getValue());
            }
            ProtoWriter entry = new ProtoWriter();
            entry.bytes(1, e.getKey().getBytes(StandardCharsets.UTF_8));
            entry.bytes(2, value.toByteArray());
            options.bytes(7, entry.toByteArray());
        }
        return options.toByteArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompileOptions c && numReplicas == c.numReplicas && numPartitions == c.numPartitions
                && spmdPartitioning == c.spmdPartitioning && Arrays.deepEquals(deviceAssignment, c.deviceAssignment)
                && overrides.equals(c.overrides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * (31 * numReplicas + numPartitions) + Arrays.deepHashCode(deviceAssignment))
                + Boolean.hashCode(spmdPartitioning)) + overrides.hashCode();
    }

    @Override
    public String toString() {
        return "CompileOptions[replicas=" + numReplicas + ", partitions=" + numPartitions + ", devices="
                + Arrays.deepToString(deviceAssignment) + (spmdPartitioning ? ", spmd" : "")
                + (overrides.isEmpty() ? "" : ", overrides=" + overrides) + "]";
    }

    /** The protobuf wire types these messages need: varint (0), fixed64 (1) and length-delimited (2). */
    static final class ProtoWriter {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** An int32/int64/bool field; negative values take ten bytes, as protobuf encodes them. */
        void int64(int field, long value) {
            varint((long) field << 3);
            varint(value);
        }

        /** A fixed64 field (a double's bits), little-endian. */
        void fixed64(int field, long bits) {
            varint(((long) field << 3) | 1);
            for (int k = 0; k < 8; k++) {
                out.write((int) (bits >>> (8 * k)) & 0xFF);
            }
        }

        /** A length-delimited field: a nested message, bytes, or a packed repeated scalar. */
        void bytes(int field, byte[] value) {
            varint(((long) field << 3) | 2);
            varint(value.length);
            out.writeBytes(value);
        }

        void varint(long v) {
            while ((v & ~0x7FL) != 0) {
                out.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.write((int) v);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
