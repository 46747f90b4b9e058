package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.BufferDestroyArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableDestroyArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableFingerprintArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableNameArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableSerializeArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableNumOutputsArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableOutputDimensionsArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableOutputElementTypesArgs;
import dev.jnx.xla.PjrtLayouts.ExecuteOptions;
import dev.jnx.xla.PjrtLayouts.LoadedExecutableAddressableDevicesArgs;
import dev.jnx.xla.PjrtLayouts.LoadedExecutableDestroyArgs;
import dev.jnx.xla.PjrtLayouts.LoadedExecutableExecuteArgs;
import dev.jnx.xla.PjrtLayouts.LoadedExecutableGetExecutableArgs;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled program loaded on its client's devices. Owned by the {@link PjrtClient} that
 * compiled it; thread-safe.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
public final class PjrtLoadedExecutable implements AutoCloseable {
    final PjrtClient client;
    private final PjrtApi api;
    private final NativeResource resource;
    private final Cleaner.Cleanable cleanable;
    private final int numOutputs;
    private volatile List<ElementType> outputTypes;
    private volatile List<long[]> outputDims;
    /** Per output, or null when the plugin cannot say; the arrays are shared by output buffers, never mutated. */
    private ElementType[] knownOutputTypes;
    private long[][] knownOutputDims;

    PjrtLoadedExecutable(PjrtClient client, MemorySegment handle) {
        this.client = client;
        this.api = client.api;
        PjrtApi a = client.api;
        this.resource = new NativeResource("PjrtLoadedExecutable", handle,
                h -> a.destroy(ApiSlot.PJRT_LoadedExecutable_Destroy, LoadedExecutableDestroyArgs.STRUCT,
                        LoadedExecutableDestroyArgs.EXECUTABLE, h),
                client.resource, false);
        this.cleanable = PjrtClient.CLEANER.register(this, resource::close);
        try {
            // Cached: execute needs it on every call to size the output list.
            long n = withExecutable((exe, s) -> {
                MemorySegment args = ExecutableNumOutputsArgs.STRUCT.allocate(s);
                ExecutableNumOutputsArgs.EXECUTABLE.set(args, exe);
                api.call(ApiSlot.PJRT_Executable_NumOutputs, args);
                return ExecutableNumOutputsArgs.NUM_OUTPUTS.get(args);
            });
            this.numOutputs = Math.toIntExact(n);
            // Known up front, so that each output buffer starts with its type and dims instead
            // of asking the plugin for them on first use (two native calls per output per run).
            if (api.has(ApiSlot.PJRT_Executable_OutputElementTypes) && api.has(ApiSlot.PJRT_Executable_OutputDimensions)) {
                List<ElementType> types = outputElementTypes();
                List<long[]> dims = outputDimensions();
                if (types.size() == numOutputs && dims.size() == numOutputs) {
                    knownOutputTypes = types.toArray(ElementType[]::new);
                    knownOutputDims = dims.toArray(long[][]::new);
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A query on the PJRT_Executable behind this loaded executable. */
    private interface ExecutableQuery<T> {
        T apply(MemorySegment executable, Scratch scratch);
    }

    private <T> T withExecutable(ExecutableQuery<T> query) {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment g = LoadedExecutableGetExecutableArgs.STRUCT.allocate(s);
            LoadedExecutableGetExecutableArgs.LOADED_EXECUTABLE.set(g, h);
            api.call(ApiSlot.PJRT_LoadedExecutable_GetExecutable, g);
            MemorySegment exe = LoadedExecutableGetExecutableArgs.EXECUTABLE.get(g);
            try {
                return query.apply(exe, s);
            } finally {
                api.destroy(ApiSlot.PJRT_Executable_Destroy, ExecutableDestroyArgs.STRUCT,
                        ExecutableDestroyArgs.EXECUTABLE, exe, s);
            }
        }
    }

    /** The number of outputs one execution produces (a tuple result counts its elements). */
    public int numOutputs() {
        return numOutputs;
    }

    /**
     * The element type of each output ({@code PJRT_Executable_OutputElementTypes}).
     *
     * @throws UnsupportedOperationException if the plugin does not implement the call
     */
    public List<ElementType> outputElementTypes() {
        List<ElementType> r = outputTypes;
        if (r == null) {
            r = withExecutable((exe, s) -> {
                MemorySegment a = ExecutableOutputElementTypesArgs.STRUCT.allocate(s);
                ExecutableOutputElementTypesArgs.EXECUTABLE.set(a, exe);
                api.call(ApiSlot.PJRT_Executable_OutputElementTypes, a);
                long n = ExecutableOutputElementTypesArgs.NUM_OUTPUT_TYPES.get(a);
                MemorySegment types = ExecutableOutputElementTypesArgs.OUTPUT_TYPES.get(a).reinterpret(4 * n);
                List<ElementType> out = new ArrayList<>();
                for (long i = 0; i < n; i++) {
                    out.add(ElementType.of(types.getAtIndex(JAVA_INT, i)));
                }
                return List.copyOf(out);
            });
            outputTypes = r;
        }
        return r;
    }

    /**
     * The dimensions of each output ({@code PJRT_Executable_OutputDimensions}); the arrays are
     * copies.
     *
     * @throws UnsupportedOperationException if the plugin does not implement the call
     */
    public List<long[]> outputDimensions() {
        List<long[]> r = outputDims;
        if (r == null) {
            r = withExecutable((exe, s) -> {
                MemorySegment a = ExecutableOutputDimensionsArgs.STRUCT.allocate(s);
                ExecutableOutputDimensionsArgs.EXECUTABLE.set(a, exe);
                api.call(ApiSlot.PJRT_Executable_OutputDimensions, a);
                long n = ExecutableOutputDimensionsArgs.NUM_OUTPUTS.get(a);
                long[] ranks = PjrtApi.longs(ExecutableOutputDimensionsArgs.DIM_SIZES.get(a), n);
                long total = 0;
                for (long rank : ranks) {
                    total += rank;
                }
                long[] flat = PjrtApi.longs(ExecutableOutputDimensionsArgs.DIMS.get(a), total);
                List<long[]> out = new ArrayList<>();
                int at = 0;
                for (long rank : ranks) {
                    out.add(java.util.Arrays.copyOfRange(flat, at, at + (int) rank));
                    at += (int) rank;
                }
                return List.copyOf(out);
            });
            outputDims = r;
        }
        List<long[]> copy = new ArrayList<>(r.size());
        for (long[] d : r) {
            copy.add(d.clone());
        }
        return copy;
    }

    /**
     * Runs the program once on its device with {@code arguments}
     * ({@code PJRT_LoadedExecutable_Execute}, one replica). No completion event is requested:
     * like JAX, the results may still be in flight on an asynchronous plugin, and reading them
     * ({@link PjrtBuffer#toByteArray()} and friends) waits for them; the bundled CPU plugin
     * runs synchronously. Undonated arguments stay valid; the returned buffers belong to the
     * caller (and the client).
     *
     * @throws IllegalArgumentException if an argument is null or belongs to another client
     * @throws IllegalStateException if this executable or an argument is closed
     * @throws PjrtException if the plugin rejects the arguments or the run fails
     */
    public PjrtBuffer[] execute(PjrtBuffer... arguments) {
        return execute(null, arguments);
    }

    /**
     * Like {@link #execute(PjrtBuffer...)}, with the inputs at {@code nonDonatable} protected
     * from donation ({@code PJRT_ExecuteOptions.non_donatable_input_indices}).
     *
     * <p>Donation is decided by the compiled program: an input the module aliases to an output
     * (e.g. {@code tf.aliasing_output} / {@code jax.buffer_donor} argument attributes) may be
     * consumed by the run, after which its buffer {@link PjrtBuffer#isDeleted() is deleted} and
     * must only be closed. Programs without such attributes never donate.
     *
     * @param nonDonatable indices of inputs that must survive the run; null or empty for none
     * @throws IllegalArgumentException for an index out of range
     */
    public PjrtBuffer[] execute(int[] nonDonatable, PjrtBuffer... arguments) {
        Objects.requireNonNull(arguments, "arguments");
        return run(nonDonatable, new PjrtBuffer[][] {arguments})[0];
    }

    /**
     * Runs a partitioned program once over its {@link #addressableDevices()}: {@code perDevice[d]}
     * holds partition {@code d}'s arguments (shards, on that device); the result is likewise
     * {@code [device][output]}.
     *
     * @throws IllegalArgumentException if the lists are ragged, null, or of another client
     * @throws IllegalStateException if this executable or an argument is closed
     * @throws PjrtException if the plugin rejects the arguments or the run fails
     */
    public PjrtBuffer[][] executeOnDevices(PjrtBuffer[][] perDevice) {
        Objects.requireNonNull(perDevice, "perDevice");
        return run(null, perDevice.clone());
    }

    private PjrtBuffer[][] run(int[] nonDonatable, PjrtBuffer[][] perDevice) {
        int nd = perDevice.length;
        int n = nd == 0 ? 0 : perDevice[0].length;
        if (nonDonatable != null) {
            for (int i : nonDonatable) {
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException("execute: non-donatable index " + i + " is not an argument index (0.."
                            + (n - 1) + ")");
                }
            }
        }
        for (int d = 0; d < nd; d++) {
            if (perDevice[d] == null || perDevice[d].length != n) {
                throw new IllegalArgumentException("execute: device " + d + " has " + (perDevice[d] == null ? "no"
                        : perDevice[d].length) + " arguments, device 0 has " + n);
            }
            for (int i = 0; i < n; i++) {
                PjrtBuffer b = perDevice[d][i];
                if (b == null) {
                    throw new IllegalArgumentException("execute: argument " + i + (nd > 1 ? " of device " + d : "") + " is null");
                }
                if (b.client != client) {
                    throw new IllegalArgumentException("execute: argument " + i + " belongs to another PjrtClient");
                }
            }
        }
        int acquired = 0;
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            int m = numOutputs;
            // argument_lists and output_lists: one pointer per device to its list.
            MemorySegment argLists = s.allocate(8L * Math.max(1, nd), 8);
            MemorySegment outLists = s.allocate(8L * Math.max(1, nd), 8);
            MemorySegment outs = s.allocate(8L * Math.max(1, nd * m), 8);
            MemorySegment args = s.allocate(8L * Math.max(1, nd * n), 8);
            for (; acquired < nd * n; acquired++) {
                MemorySegment arg;
                try {
                    arg = perDevice[acquired / n][acquired % n].resource.acquire();
                } catch (IllegalStateException e) {
                    throw new IllegalStateException("execute: argument " + acquired % n + " (a PjrtBuffer) is closed", e);
                }
                args.setAtIndex(ADDRESS, acquired, arg);
            }
            for (int d = 0; d < nd; d++) {
                argLists.setAtIndex(ADDRESS, d, args.asSlice(8L * d * n));
                outLists.setAtIndex(ADDRESS, d, outs.asSlice(8L * d * m));
            }

            MemorySegment a = LoadedExecutableExecuteArgs.STRUCT.allocate(s);
            LoadedExecutableExecuteArgs.EXECUTABLE.set(a, h);
            MemorySegment options = ExecuteOptions.STRUCT.allocate(s);
            if (nonDonatable != null && nonDonatable.length > 0) {
                MemorySegment idx = s.allocate(8L * nonDonatable.length, 8);
                for (int i = 0; i < nonDonatable.length; i++) {
                    idx.setAtIndex(JAVA_LONG, i, nonDonatable[i]);
                }
                ExecuteOptions.NON_DONATABLE_INPUT_INDICES.set(options, idx);
                ExecuteOptions.NUM_NON_DONATABLE_INPUT_INDICES.set(options, nonDonatable.length);
            }
            LoadedExecutableExecuteArgs.OPTIONS.set(a, options);
            LoadedExecutableExecuteArgs.ARGUMENT_LISTS.set(a, argLists);
            LoadedExecutableExecuteArgs.NUM_DEVICES.set(a, nd);
            LoadedExecutableExecuteArgs.NUM_ARGS.set(a, n);
            LoadedExecutableExecuteArgs.OUTPUT_LISTS.set(a, outLists);
            api.call(ApiSlot.PJRT_LoadedExecutable_Execute, a);

            PjrtBuffer[][] results = new PjrtBuffer[nd][m];
            int built = 0;
            try {
                // A PjrtBuffer that fails to construct has already freed its handle.
                for (; built < nd * m; built++) {
                    int j = built % m;
                    results[built / m][j] = new PjrtBuffer(client, outs.getAtIndex(ADDRESS, built),
                            knownOutputTypes == null ? null : knownOutputTypes[j],
                            knownOutputDims == null ? null : knownOutputDims[j]);
                }
            } catch (RuntimeException e) {
                for (int k = 0; k < built; k++) {
                    results[k / m][k % m].close();
                }
                for (int k = built + 1; k < nd * m; k++) {
                    freeRawBuffer(outs.getAtIndex(ADDRESS, k));
                }
                throw e;
            }
            return results;
        } finally {
            for (int i = 0; i < acquired; i++) {
                perDevice[i / n][i % n].resource.release();
            }
        }
    }

    private void freeRawBuffer(MemorySegment buffer) {
        if (buffer.address() != 0) {
            try {
                api.destroy(ApiSlot.PJRT_Buffer_Destroy, BufferDestroyArgs.STRUCT,
                        BufferDestroyArgs.BUFFER, buffer);
            } catch (RuntimeException ignored) {
                // Already failing; the first error is the one worth reporting.
            }
        }
    }

    /**
     * The compiled program as bytes ({@code PJRT_Executable_Serialize}) that
     * {@link PjrtClient#deserialize(byte[])} loads again without compiling, in this process or
     * another with the same plugin and runtime (a persistent compile cache stores them).
     *
     * @throws UnsupportedOperationException if the plugin cannot serialize executables
     * @throws PjrtException if the plugin fails to
     */
    public byte[] serialize() {
        return withExecutable((exe, s) -> {
            MemorySegment a = ExecutableSerializeArgs.STRUCT.allocate(s);
            ExecutableSerializeArgs.EXECUTABLE.set(a, exe);
            api.call(ApiSlot.PJRT_Executable_Serialize, a);
            MemorySegment owner = ExecutableSerializeArgs.SERIALIZED_EXECUTABLE.get(a);
            MemorySegment deleter = ExecutableSerializeArgs.SERIALIZED_EXECUTABLE_DELETER.get(a);
            try {
                long size = ExecutableSerializeArgs.SERIALIZED_BYTES_SIZE.get(a);
                return ExecutableSerializeArgs.SERIALIZED_BYTES.get(a).reinterpret(size).toArray(JAVA_BYTE);
            } finally {
                PjrtApi.callDeleter(deleter, owner);
            }
        });
    }

    /** The devices one execution runs on ({@code PJRT_LoadedExecutable_AddressableDevices}). */
    public List<PjrtDevice> addressableDevices() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = LoadedExecutableAddressableDevicesArgs.STRUCT.allocate(s);
            LoadedExecutableAddressableDevicesArgs.EXECUTABLE.set(a, h);
            api.call(ApiSlot.PJRT_LoadedExecutable_AddressableDevices, a);
            long n = LoadedExecutableAddressableDevicesArgs.NUM_ADDRESSABLE_DEVICES.get(a);
            MemorySegment list = LoadedExecutableAddressableDevicesArgs.ADDRESSABLE_DEVICES.get(a);
            List<PjrtDevice> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(client.device(list.reinterpret(8 * n).getAtIndex(ADDRESS, i)));
            }
            return List.copyOf(out);
        }
    }

    /** The executable's name ({@code PJRT_Executable_Name}), e.g. the module's symbol. */
    public String name() {
        return withExecutable((exe, s) -> {
            MemorySegment a = ExecutableNameArgs.STRUCT.allocate(s);
            ExecutableNameArgs.EXECUTABLE.set(a, exe);
            api.call(ApiSlot.PJRT_Executable_Name, a);
            return PjrtApi.string(ExecutableNameArgs.EXECUTABLE_NAME.get(a),
                    ExecutableNameArgs.EXECUTABLE_NAME_SIZE.get(a));
        });
    }

    /**
     * A fingerprint of the compiled program ({@code PJRT_Executable_Fingerprint}): equal for
     * equal programs and options, e.g. to key a persistent cache. Empty if the plugin offers none.
     */
    public String fingerprint() {
        if (!api.has(ApiSlot.PJRT_Executable_Fingerprint)) {
            return "";
        }
        return withExecutable((exe, s) -> {
            MemorySegment a = ExecutableFingerprintArgs.STRUCT.allocate(s);
            ExecutableFingerprintArgs.EXECUTABLE.set(a, exe);
            api.call(ApiSlot.PJRT_Executable_Fingerprint, a);
            return PjrtApi.string(ExecutableFingerprintArgs.EXECUTABLE_FINGERPRINT.get(a),
                    ExecutableFingerprintArgs.EXECUTABLE_FINGERPRINT_SIZE.get(a));
        });
    }

    /** The client that compiled this executable. */
    public PjrtClient client() {
        return client;
    }

    /** Whether this executable is closed. */
    public boolean isClosed() {
        return resource.isClosed();
    }

    /** Frees the executable; idempotent. Buffers it produced stay valid. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
