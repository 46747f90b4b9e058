package dev.jnx.xla;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.jnx.xla.PjrtLayouts.ClientAddressableDevicesArgs;
import dev.jnx.xla.PjrtLayouts.ClientBufferFromHostBufferArgs;
import dev.jnx.xla.PjrtLayouts.ClientCompileArgs;
import dev.jnx.xla.PjrtLayouts.ClientDestroyArgs;
import dev.jnx.xla.PjrtLayouts.ClientDevicesArgs;
import dev.jnx.xla.PjrtLayouts.ClientPlatformNameArgs;
import dev.jnx.xla.PjrtLayouts.ClientPlatformVersionArgs;
import dev.jnx.xla.PjrtLayouts.ClientProcessIndexArgs;
import dev.jnx.xla.PjrtLayouts.ExecutableDeserializeAndLoadArgs;
import dev.jnx.xla.PjrtLayouts.Program;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A PJRT client: the devices of one platform, and the compiler and memory manager for them.
 *
 * <p>The client owns the executables and buffers it creates: {@link #close()} closes those
 * still open, then destroys the client. Thread-safe.
 */
// Restricted FFM methods are this module's purpose; callers grant --enable-native-access.
@SuppressWarnings("restricted")
public final class PjrtClient implements AutoCloseable {
    static final Cleaner CLEANER = Cleaner.create();

    final PjrtApi api;
    final NativeResource resource;
    private final Cleaner.Cleanable cleanable;
    private final String platformName;
    private final int processIndex;
    private final List<PjrtDevice> devices;
    private final List<PjrtDevice> addressableDevices;
    private final Map<Long, PjrtDevice> devicesByAddress;

    PjrtClient(PjrtPlugin plugin, NativeResource pluginResource, MemorySegment handle) {
        this.api = plugin.api;
        PjrtApi a = plugin.api;
        this.resource = new NativeResource("PjrtClient", handle,
                h -> a.destroy(ApiSlot.PJRT_Client_Destroy, ClientDestroyArgs.STRUCT, ClientDestroyArgs.CLIENT, h),
                pluginResource, true);
        this.cleanable = CLEANER.register(this, resource::close);
        try {
            try (Scratch s = Scratch.open()) {
                MemorySegment n = ClientPlatformNameArgs.STRUCT.allocate(s);
                ClientPlatformNameArgs.CLIENT.set(n, handle);
                api.call(ApiSlot.PJRT_Client_PlatformName, n);
                platformName = PjrtApi.string(ClientPlatformNameArgs.PLATFORM_NAME.get(n),
                        ClientPlatformNameArgs.PLATFORM_NAME_SIZE.get(n));

                MemorySegment p = ClientProcessIndexArgs.STRUCT.allocate(s);
                ClientProcessIndexArgs.CLIENT.set(p, handle);
                api.call(ApiSlot.PJRT_Client_ProcessIndex, p);
                processIndex = ClientProcessIndexArgs.PROCESS_INDEX.get(p);

                MemorySegment d = ClientDevicesArgs.STRUCT.allocate(s);
                ClientDevicesArgs.CLIENT.set(d, handle);
                api.call(ApiSlot.PJRT_Client_Devices, d);
                long[] all = addresses(ClientDevicesArgs.DEVICES.get(d), ClientDevicesArgs.NUM_DEVICES.get(d));

                MemorySegment ad = ClientAddressableDevicesArgs.STRUCT.allocate(s);
                ClientAddressableDevicesArgs.CLIENT.set(ad, handle);
                api.call(ApiSlot.PJRT_Client_AddressableDevices, ad);
                long[] addressable = addresses(ClientAddressableDevicesArgs.ADDRESSABLE_DEVICES.get(ad),
                        ClientAddressableDevicesArgs.NUM_ADDRESSABLE_DEVICES.get(ad));

                Map<Long, PjrtDevice> byAddress = new HashMap<>();
                List<PjrtDevice> allList = new ArrayList<>();
                for (long addr : all) {
                    PjrtDevice dev = new PjrtDevice(this, MemorySegment.ofAddress(addr));
                    byAddress.put(addr, dev);
                    allList.add(dev);
                }
                List<PjrtDevice> addrList = new ArrayList<>();
                for (long addr : addressable) {
                    PjrtDevice dev = byAddress.computeIfAbsent(addr, k -> new PjrtDevice(this, MemorySegment.ofAddress(k)));
                    addrList.add(dev);
                }
                devices = List.copyOf(allList);
                addressableDevices = List.copyOf(addrList);
                devicesByAddress = Map.copyOf(byAddress);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static long[] addresses(MemorySegment array, long count) {
        return count == 0 ? new long[0] : array.reinterpret(count * 8).toArray(JAVA_LONG);
    }

    /** The file of the plugin this client belongs to. */
    public java.nio.file.Path pluginPath() {
        return api.path;
    }

    /** The platform name, e.g. {@code "cpu"} or {@code "cuda"}. */
    public String platformName() {
        return platformName;
    }

    /** The platform version string ({@code PJRT_Client_PlatformVersion}). */
    public String platformVersion() {
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = ClientPlatformVersionArgs.STRUCT.allocate(s);
            ClientPlatformVersionArgs.CLIENT.set(a, h);
            api.call(ApiSlot.PJRT_Client_PlatformVersion, a);
            return PjrtApi.string(ClientPlatformVersionArgs.PLATFORM_VERSION.get(a),
                    ClientPlatformVersionArgs.PLATFORM_VERSION_SIZE.get(a));
        }
    }

    /** This process's index in a multi-process setup; 0 for a single process. */
    public int processIndex() {
        return processIndex;
    }

    /** All devices of the platform, including ones other processes drive. */
    public List<PjrtDevice> devices() {
        return devices;
    }

    /** The devices this process can put buffers on and run programs on. */
    public List<PjrtDevice> addressableDevices() {
        return addressableDevices;
    }

    /**
     * Compiles a StableHLO/MHLO module given as MLIR text ({@code PJRT_Client_Compile}, format
     * {@code "mlir"}).
     *
     * @param mlirModuleText the module; its entry function is {@code main}
     * @param compileOptionsProto a serialized {@code xla.CompileOptionsProto}; null or empty
     *     means the plugin's defaults
     * @throws PjrtException if the plugin rejects the module or options
     * @throws IllegalStateException if this client is closed
     */
    public PjrtLoadedExecutable compile(String mlirModuleText, byte[] compileOptionsProto) {
        Objects.requireNonNull(mlirModuleText, "mlirModuleText");
        byte[] code = mlirModuleText.getBytes(StandardCharsets.UTF_8);
        byte[] options = compileOptionsProto == null ? new byte[0] : compileOptionsProto;
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment program = Program.STRUCT.allocate(s);
            Program.CODE.set(program, copy(code, s));
            Program.CODE_SIZE.set(program, code.length);
            Program.FORMAT.set(program, s.allocateFrom("mlir"));
            Program.FORMAT_SIZE.set(program, 4);

            MemorySegment a = ClientCompileArgs.STRUCT.allocate(s);
            ClientCompileArgs.CLIENT.set(a, h);
            ClientCompileArgs.PROGRAM.set(a, program);
            ClientCompileArgs.COMPILE_OPTIONS.set(a, copy(options, s));
            ClientCompileArgs.COMPILE_OPTIONS_SIZE.set(a, options.length);
            api.call(ApiSlot.PJRT_Client_Compile, a);
            return new PjrtLoadedExecutable(this, ClientCompileArgs.EXECUTABLE.get(a));
        }
    }

    /**
     * Compiles MLIR text with {@code options} serialized as a {@code CompileOptionsProto}; GPU
     * plugins need at least {@link CompileOptions#singleDevice(int)}.
     *
     * @throws PjrtException if the plugin rejects the module or options
     * @throws IllegalStateException if this client is closed
     */
    public PjrtLoadedExecutable compile(String mlirModuleText, CompileOptions options) {
        Objects.requireNonNull(options, "options");
        return compile(mlirModuleText, options.toProto());
    }

    /**
     * Loads an executable {@link PjrtLoadedExecutable#serialize() serialized} earlier
     * ({@code PJRT_Executable_DeserializeAndLoad}), without compiling it again.
     *
     * @throws PjrtException if the bytes are not an executable this plugin and runtime made
     *     (the bundled CPU plugin refuses truncated, corrupt and foreign ones)
     * @throws IllegalStateException if this client is closed
     */
    public PjrtLoadedExecutable deserialize(byte[] serialized) {
        Objects.requireNonNull(serialized, "serialized");
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment a = ExecutableDeserializeAndLoadArgs.STRUCT.allocate(s);
            ExecutableDeserializeAndLoadArgs.CLIENT.set(a, h);
            ExecutableDeserializeAndLoadArgs.SERIALIZED_EXECUTABLE.set(a, copy(serialized, s));
            ExecutableDeserializeAndLoadArgs.SERIALIZED_EXECUTABLE_SIZE.set(a, serialized.length);
            api.call(ApiSlot.PJRT_Executable_DeserializeAndLoad, a);
            return new PjrtLoadedExecutable(this, ExecutableDeserializeAndLoadArgs.LOADED_EXECUTABLE.get(a));
        }
    }

    private static MemorySegment copy(byte[] bytes, SegmentAllocator allocator) {
        MemorySegment s = allocator.allocate(Math.max(1, bytes.length));
        MemorySegment.copy(bytes, 0, s, JAVA_BYTE, 0, bytes.length);
        return s;
    }

    /**
     * Copies dense, row-major host data to a new buffer on {@code device}
     * ({@code PJRT_Client_BufferFromHostBuffer}, semantics {@code kImmutableOnlyDuringCall}: the
     * data may be reused as soon as this returns).
     *
     * @param hostData exactly {@code product(dims) * type.byteSize()} bytes; heap segments are
     *     accepted (copied to native memory first)
     * @param device the target device, or null for the first addressable device
     * @throws IllegalArgumentException for a negative dimension, a size mismatch, a type with
     *     no host representation, or a device of another client
     * @throws PjrtException if the plugin fails the transfer
     */
    public PjrtBuffer bufferFromHost(MemorySegment hostData, ElementType type, long[] dims, PjrtDevice device) {
        Objects.requireNonNull(hostData, "hostData");
        if (hostData.byteSize() < STAGED_UPLOAD_BYTES) {
            return upload(hostData, type, dims, device, null);
        }
        // Large arrays are copied once, into memory the plugin may keep (zero-copy) instead of
        // copying again; small ones go through scratch memory, where a second copy is cheap.
        MemorySegment staged = NativeMemory.allocate(hostData.byteSize()).copyFrom(hostData);
        try {
            return upload(staged, type, dims, device, () -> NativeMemory.free(staged));
        } catch (IllegalArgumentException | NullPointerException e) {
            NativeMemory.free(staged); // rejected before the plugin saw it
            throw e;
        }
    }

    /** Uploads at least this large are staged in memory the plugin may use in place. */
    static final long STAGED_UPLOAD_BYTES = 64 * 1024;

    /**
     * Makes a buffer over native host memory that the plugin may use in place instead of
     * copying it ({@code kImmutableZeroCopy}; a plugin that copies anyway is fine).
     * {@code release} runs exactly once when the plugin no longer reads {@code hostData}: at the
     * latest when the buffer is freed (or, for a buffer donated to an execution, its
     * successor), possibly before this method returns, possibly on a plugin thread. Until then
     * the memory must stay allocated and unchanged.
     *
     * @param hostData native memory, ideally 64-byte aligned, of exactly the array's size
     * @throws IllegalArgumentException as {@link #bufferFromHost}, or for heap memory
     */
    public PjrtBuffer bufferFromHostZeroCopy(MemorySegment hostData, ElementType type, long[] dims, PjrtDevice device,
                                             Runnable release) {
        Objects.requireNonNull(release, "release");
        if (!hostData.isNative()) {
            throw new IllegalArgumentException("bufferFromHostZeroCopy: hostData must be native memory");
        }
        return upload(hostData, type, dims, device, release);
    }

    private PjrtBuffer upload(MemorySegment hostData, ElementType type, long[] dims, PjrtDevice device,
                              Runnable release) {
        Objects.requireNonNull(hostData, "hostData");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dims, "dims");
        long expected = hostByteSize(type, dims);
        if (hostData.byteSize() != expected) {
            throw new IllegalArgumentException("bufferFromHost: " + type + Arrays.toString(dims) + " needs "
                    + expected + " bytes but hostData has " + hostData.byteSize());
        }
        PjrtDevice target = device != null ? device : defaultDevice();
        if (target.client != this) {
            throw new IllegalArgumentException("bufferFromHost: device " + target + " belongs to another PjrtClient");
        }
        long[] shape = dims.clone();
        try (Scratch s = resource.call()) {
            MemorySegment h = s.handle();
            MemorySegment data = hostData;
            if (!hostData.isNative()) {
                data = s.allocate(Math.max(1, expected), 64).copyFrom(hostData);
            }
            MemorySegment dimsSeg = s.allocate(8L * Math.max(1, shape.length), 8);
            MemorySegment.copy(shape, 0, dimsSeg, JAVA_LONG, 0, shape.length);

            MemorySegment a = ClientBufferFromHostBufferArgs.STRUCT.allocate(s);
            ClientBufferFromHostBufferArgs.CLIENT.set(a, h);
            ClientBufferFromHostBufferArgs.DATA.set(a, data);
            ClientBufferFromHostBufferArgs.TYPE.set(a, type.code());
            ClientBufferFromHostBufferArgs.DIMS.set(a, dimsSeg);
            ClientBufferFromHostBufferArgs.NUM_DIMS.set(a, shape.length);
            ClientBufferFromHostBufferArgs.HOST_BUFFER_SEMANTICS.set(a, release == null
                    ? ClientBufferFromHostBufferArgs.K_IMMUTABLE_ONLY_DURING_CALL
                    : ClientBufferFromHostBufferArgs.K_IMMUTABLE_ZERO_COPY);
            ClientBufferFromHostBufferArgs.DEVICE.set(a, target.handle);
            try {
                api.call(ApiSlot.PJRT_Client_BufferFromHostBuffer, a);
            } catch (RuntimeException e) {
                if (release != null) {
                    release.run(); // no buffer, no event: the memory was never handed over
                }
                throw e;
            }
            MemorySegment done = ClientBufferFromHostBufferArgs.DONE_WITH_HOST_BUFFER.get(a);
            MemorySegment raw = ClientBufferFromHostBufferArgs.BUFFER.get(a);
            if (release != null) {
                if (done.address() == 0) {
                    release.run(); // a plugin without the event copied during the call
                } else {
                    HostRelease.whenReady(api, done, release);
                }
                done = MemorySegment.NULL;
            }
            PjrtBuffer buffer;
            try {
                buffer = new PjrtBuffer(this, raw, type, shape);
            } catch (RuntimeException e) {
                if (done.address() != 0) {
                    api.awaitAndDestroy(done, ApiSlot.PJRT_Client_BufferFromHostBuffer.name(), s);
                }
                throw e;
            }
            if (done.address() != 0) {
                try {
                    api.awaitAndDestroy(done, ApiSlot.PJRT_Client_BufferFromHostBuffer.name(), s);
                } catch (RuntimeException e) {
                    buffer.close();
                    throw e;
                }
            }
            return buffer;
        }
    }

    /** Bytes of a dense host array of {@code type} and {@code dims}; validates both. */
    static long hostByteSize(ElementType type, long[] dims) {
        if (type.byteSize() == 0) {
            throw new IllegalArgumentException(type + " has no host representation");
        }
        long elements = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Negative dimension in " + type + Arrays.toString(dims));
            }
            elements = Math.multiplyExact(elements, d);
        }
        return Math.multiplyExact(elements, type.byteSize());
    }

    private PjrtDevice defaultDevice() {
        if (addressableDevices.isEmpty()) {
            throw new IllegalStateException("PjrtClient " + platformName + " has no addressable device");
        }
        return addressableDevices.get(0);
    }

    /** The device object for a PJRT_Device* this client returned. */
    PjrtDevice device(MemorySegment handle) {
        PjrtDevice d = devicesByAddress.get(handle.address());
        if (d == null) {
            throw new IllegalStateException("PJRT returned a device this client does not list: " + handle);
        }
        return d;
    }

    /**
     * How many buffers, executables and events this client owns that are not closed yet: the
     * per-client view of {@link PjrtLiveObjects}, for leak checks.
     */
    public int liveObjects() {
        return resource.openChildren();
    }

    /** Whether this client is closed. */
    public boolean isClosed() {
        return resource.isClosed();
    }

    /** Closes the executables and buffers still open, then destroys the client; idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "PjrtClient[" + platformName + ", " + devices.size() + " devices]";
    }
}
