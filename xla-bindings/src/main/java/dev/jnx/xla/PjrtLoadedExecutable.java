package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.ExecutableDestroyArgs;
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
                args.set(ADDRESS, ExecutableNumOutputsArgs.EXECUTABLE, exe);
                api.call(ApiSlot.PJRT_Executable_NumOutputs, args);
                return args.get(JAVA_LONG, ExecutableNumOutputsArgs.NUM_OUTPUTS);
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
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment g = LoadedExecutableGetExecutableArgs.STRUCT.allocate(s);
            g.set(ADDRESS, LoadedExecutableGetExecutableArgs.LOADED_EXECUTABLE, h);
            api.call(ApiSlot.PJRT_LoadedExecutable_GetExecutable, g);
            MemorySegment exe = g.get(ADDRESS, LoadedExecutableGetExecutableArgs.EXECUTABLE);
            try {
                return query.apply(exe, s);
            } finally {
                api.destroy(ApiSlot.PJRT_Executable_Destroy, ExecutableDestroyArgs.STRUCT,
                        ExecutableDestroyArgs.EXECUTABLE, exe);
            }
        } finally {
            resource.release();
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
                a.set(ADDRESS, ExecutableOutputElementTypesArgs.EXECUTABLE, exe);
                api.call(ApiSlot.PJRT_Executable_OutputElementTypes, a);
                long n = a.get(JAVA_LONG, ExecutableOutputElementTypesArgs.NUM_OUTPUT_TYPES);
                MemorySegment types = a.get(ADDRESS, ExecutableOutputElementTypesArgs.OUTPUT_TYPES).reinterpret(4 * n);
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
                a.set(ADDRESS, ExecutableOutputDimensionsArgs.EXECUTABLE, exe);
                api.call(ApiSlot.PJRT_Executable_OutputDimensions, a);
                long n = a.get(JAVA_LONG, ExecutableOutputDimensionsArgs.NUM_OUTPUTS);
                long[] ranks = PjrtApi.longs(a.get(ADDRESS, ExecutableOutputDimensionsArgs.DIM_SIZES), n);
                long total = 0;
                for (long rank : ranks) {
                    total += rank;
                }
                long[] flat = PjrtApi.longs(a.get(ADDRESS, ExecutableOutputDimensionsArgs.DIMS), total);
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
        MemorySegment h = resource.acquire();
        int acquired = 0;
        try (Scratch s = Scratch.open()) {
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
            a.set(ADDRESS, LoadedExecutableExecuteArgs.EXECUTABLE, h);
            MemorySegment options = ExecuteOptions.STRUCT.allocate(s);
            if (nonDonatable != null && nonDonatable.length > 0) {
                MemorySegment idx = s.allocate(8L * nonDonatable.length, 8);
                for (int i = 0; i < nonDonatable.length; i++) {
                    idx.setAtIndex(JAVA_LONG, i, nonDonatable[i]);
                }
                options.set(ADDRESS, ExecuteOptions.NON_DONATABLE_INPUT_INDICES, idx);
                options.set(JAVA_LONG, ExecuteOptions.NUM_NON_DONATABLE_INPUT_INDICES, nonDonatable.length);
            }
            a.set(ADDRESS, LoadedExecutableExecuteArgs.OPTIONS, options);
            a.set(ADDRESS, LoadedExecutableExecuteArgs.ARGUMENT_LISTS, argLists);
            a.set(JAVA_LONG, LoadedExecutableExecuteArgs.NUM_DEVICES, nd);
            a.set(JAVA_LONG, LoadedExecutableExecuteArgs.NUM_ARGS, n);
            a.set(ADDRESS, LoadedExecutableExecuteArgs.OUTPUT_LISTS, outLists);
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
            resource.release();
        }
    }

    private void freeRawBuffer(MemorySegment buffer) {
        if (buffer.address() != 0) {
            try {
                api.destroy(ApiSlot.PJRT_Buffer_Destroy, PjrtLayouts.BufferDestroyArgs.STRUCT,
                        PjrtLayouts.BufferDestroyArgs.BUFFER, buffer);
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
            a.set(ADDRESS, ExecutableSerializeArgs.EXECUTABLE, exe);
            api.call(ApiSlot.PJRT_Executable_Serialize, a);
            MemorySegment owner = a.get(ADDRESS, ExecutableSerializeArgs.SERIALIZED_EXECUTABLE);
            MemorySegment deleter = a.get(ADDRESS, ExecutableSerializeArgs.SERIALIZED_EXECUTABLE_DELETER);
            try {
                long size = a.get(JAVA_LONG, ExecutableSerializeArgs.SERIALIZED_BYTES_SIZE);
                return a.get(ADDRESS, ExecutableSerializeArgs.SERIALIZED_BYTES).reinterpret(size).toArray(JAVA_BYTE);
            } finally {
                PjrtApi.callDeleter(deleter, owner);
            }
        });
    }

    /** The devices one execution runs on ({@code PJRT_LoadedExecutable_AddressableDevices}). */
    public List<PjrtDevice> addressableDevices() {
        MemorySegment h = resource.acquire();
        try (Scratch s = Scratch.open()) {
            MemorySegment a = LoadedExecutableAddressableDevicesArgs.STRUCT.allocate(s);
            a.set(ADDRESS, LoadedExecutableAddressableDevicesArgs.EXECUTABLE, h);
            api.call(ApiSlot.PJRT_LoadedExecutable_AddressableDevices, a);
            long n = a.get(JAVA_LONG, LoadedExecutableAddressableDevicesArgs.NUM_ADDRESSABLE_DEVICES);
            MemorySegment list = a.get(ADDRESS, LoadedExecutableAddressableDevicesArgs.ADDRESSABLE_DEVICES);
            List<PjrtDevice> out = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                out.add(client.device(list.reinterpret(8 * n).getAtIndex(ADDRESS, i)));
            }
            return List.copyOf(out);
        } finally {
            resource.release();
        }
    }

    /** The executable's name ({@code PJRT_Executable_Name}), e.g. the module's symbol. */
    public String name() {
        return withExecutable((exe, s) -> {
            MemorySegment a = PjrtLayouts.ExecutableNameArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.ExecutableNameArgs.EXECUTABLE, exe);
            api.call(ApiSlot.PJRT_Executable_Name, a);
            return PjrtApi.string(a.get(ADDRESS, PjrtLayouts.ExecutableNameArgs.EXECUTABLE_NAME),
                    a.get(JAVA_LONG, PjrtLayouts.ExecutableNameArgs.EXECUTABLE_NAME_SIZE));
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
            MemorySegment a = PjrtLayouts.ExecutableFingerprintArgs.STRUCT.allocate(s);
            a.set(ADDRESS, PjrtLayouts.ExecutableFingerprintArgs.EXECUTABLE, exe);
            api.call(ApiSlot.PJRT_Executable_Fingerprint, a);
            return PjrtApi.string(a.get(ADDRESS, PjrtLayouts.ExecutableFingerprintArgs.EXECUTABLE_FINGERPRINT),
                    a.get(JAVA_LONG, PjrtLayouts.ExecutableFingerprintArgs.EXECUTABLE_FINGERPRINT_SIZE));
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
