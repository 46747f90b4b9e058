package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Executable;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.ElementType;
import dev.jnx.xla.PjrtBuffer;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtDevice;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.Arrays;
import java.util.List;

/**
 * A traced function compiled by a PJRT plugin. {@link #run} checks the arguments against the
 * template before any native call; host arguments are copied to device buffers, device
 * arguments of this executable's client ({@link DeviceData}) are used in place. Results are
 * device tensors or host tensors as the {@link ExlaCompiler.OutputPlacement} says; every
 * buffer this call made and does not hand out is closed before it returns. Device tensors the
 * function captured (constants of its graph held by its backend) are arguments of the module
 * after the parameters, passed by every call: they stay on the device, not in the module text.
 */
public final class ExlaExecutable implements Executable {
    private final String functionName;
    private final String moduleName;
    private final String moduleText;
    private final PjrtLoadedExecutable executable;
    private final ExlaBackend backend;
    private final ExlaCompiler.OutputPlacement placement;
    private final PjrtClient client;
    private final PjrtDevice device;

    private final Shape[] inShapes;
    private final DType[] inTypes;
    private final ElementType[] inElements;
    private final long[][] inDims;

    /** Per argument: whether the caller donates it (its device tensor is closed by a call). */
    private final boolean[] donated;
    /** The captured device tensors, passed after the caller's arguments. */
    private final List<Tensor> captured;

    private final Shape[] outShapes;
    private final DType[] outTypes;
    private final long[] outBytes;
    /**
     * The first output too large for a host tensor, or -1: known at compile time, so a call
     * placing results on the host checks one int instead of sizing each output.
     */
    private final int hostUnreadableOutput;

    ExlaExecutable(TracedFunction function, List<Tensor> captured, String moduleText, PjrtLoadedExecutable executable,
                   ExlaBackend backend, ExlaCompiler.OutputPlacement placement) {
        this.functionName = function.name();
        this.moduleName = StableHlo.moduleName(function.name());
        this.moduleText = moduleText;
        this.executable = executable;
        this.backend = backend;
        this.placement = placement;
        this.client = executable.client();
        this.device = backend.device();
        this.captured = List.copyOf(captured);
        int parameters = function.parameters().size();
        int n = parameters + captured.size();
        inShapes = new Shape[n];
        inTypes = new DType[n];
        inElements = new ElementType[n];
        inDims = new long[n][];
        for (int i = 0; i < n; i++) {
            Shape shape = i < parameters ? function.parameters().get(i).shape() : captured.get(i - parameters).shape();
            DType type = i < parameters ? function.parameters().get(i).type() : captured.get(i - parameters).type();
            inShapes[i] = shape;
            inTypes[i] = type;
            inElements[i] = elementType(type);
            inDims[i] = Arrays.stream(shape.dims()).asLongStream().toArray();
        }
        donated = new boolean[n];
        function.donated().forEach(i -> donated[i] = true);
        int m = function.outputs().size();
        outShapes = new Shape[m];
        outTypes = new DType[m];
        outBytes = new long[m];
        for (int j = 0; j < m; j++) {
            Expr e = function.outputs().get(j);
            outShapes[j] = e.shape();
            outTypes[j] = e.type();
            outBytes[j] = e.shape().byteSize(e.type());
        }
        int unreadable = 0;
        while (unreadable < m && outBytes[unreadable] <= HostData.MAX_BYTES) {
            unreadable++;
        }
        hostUnreadableOutput = unreadable < m ? unreadable : -1;
        int produced = executable.numOutputs();
        if (produced != m) {
            throw new IllegalStateException(functionName + ": the compiled module has " + produced
                    + " outputs, the traced function " + m + "\n" + moduleText);
        }
    }

    /** The traced function's name. */
    public String functionName() {
        return functionName;
    }

    /** The StableHLO module text this executable was compiled from. */
    public String moduleText() {
        return moduleText;
    }

    /** The compiled program; owned by this executable. */
    public PjrtLoadedExecutable loadedExecutable() {
        return executable;
    }

    /**
     * Runs on {@code arguments}: host tensors are uploaded for the call, device tensors of this
     * client are passed as they are.
     *
     * @throws ExlaException            if the plugin fails the run (its {@link ExlaException#code()}
     *                                  is the PJRT error code), e.g. compiling the module on its first execution
     * @throws IllegalArgumentException naming the function and argument index if the count, a
     *                                  type or a shape does not match the template, or a device
     *                                  tensor lives on another client
     * @throws IllegalStateException    if a device tensor argument is closed
     */
    @Override
    public List<Tensor> run(List<Tensor> arguments) {
        int n = inShapes.length;
        if (arguments.size() != n - captured.size()) {
            throw new IllegalArgumentException(functionName + ": expected " + (n - captured.size()) + " arguments, got "
                    + arguments.size());
        }
        if (!captured.isEmpty()) {
            List<Tensor> all = new java.util.ArrayList<>(arguments);
            all.addAll(captured);
            arguments = all;
        }
        boolean anyDevice = false;
        for (int i = 0; i < n; i++) {
            Tensor t = arguments.get(i);
            if (t.type() != inTypes[i] || !t.shape().equals(inShapes[i])) {
                throw new IllegalArgumentException(functionName + ": argument " + i + " expected " + inTypes[i]
                        + inShapes[i] + ", got " + t.type() + t.shape());
            }
            if (t.data() instanceof DeviceData d) {
                if (d.isClosed()) {
                    throw new IllegalStateException(functionName + ": " + argumentName(i) + " is a closed tensor on "
                            + d.backend().name());
                }
                if (d.rawBuffer().client() != client || d.backend().device() != device) {
                    throw new IllegalArgumentException(functionName + ": argument " + i + " lives on " + d.backend().name()
                            + (d.rawBuffer().client() != client ? " (another PJRT client)" : " (another device)")
                            + " but this function runs on " + backend.name()
                            + "; move it with Nx.backendTransfer(t, backend)");
                }
                anyDevice = true;
            }
        }
        boolean deviceOutputs = placement == ExlaCompiler.OutputPlacement.DEVICE
                || placement == ExlaCompiler.OutputPlacement.FOLLOW_INPUTS && anyDevice;
        if (!deviceOutputs && hostUnreadableOutput >= 0) {
            int j = hostUnreadableOutput;
            HostData.hostByteSize(functionName + ": output " + j
                    + " (ExlaCompiler.withOutputs(DEVICE) keeps it on the device)", outShapes[j], outTypes[j]);
        }
        PjrtBuffer[] in = new PjrtBuffer[n];
        boolean[] uploaded = new boolean[n];
        PjrtBuffer[] out = null;
        boolean handedOut = false;
        try {
            for (int i = 0; i < n; i++) {
                Tensor t = arguments.get(i);
                if (t.data() instanceof DeviceData d) {
                    in[i] = d.rawBuffer();
                } else {
                    // The bindings stage heap segments in native scratch memory for the call.
                    in[i] = client.bufferFromHost(t.host().segment(), inElements[i], inDims[i], device);
                    uploaded[i] = true;
                }
            }
            try {
                out = executable.execute(in);
            } catch (PjrtException e) {
                throw new ExlaException("running", moduleName, moduleText, e);
            }
            closeDonated(arguments);
            Tensor[] results = new Tensor[out.length];
            if (deviceOutputs) {
                for (int j = 0; j < out.length; j++) {
                    results[j] = Tensor.of(outShapes[j], outTypes[j], backend.wrap(out[j]));
                }
                handedOut = true;
                return List.of(results);
            }
            for (int j = 0; j < out.length; j++) {
                byte[] bytes = out[j].toByteArray();
                if (bytes.length != outBytes[j]) {
                    throw new IllegalStateException(functionName + ": output " + j + " has " + bytes.length
                            + " bytes, expected " + outTypes[j] + outShapes[j] + " (" + outBytes[j] + " bytes)");
                }
                results[j] = Tensor.of(outShapes[j], outTypes[j], new HostData(bytes));
            }
            return List.of(results);
        } catch (IllegalStateException e) {
            // A device argument closed by another thread after the checks above.
            for (int i = 0; i < n; i++) {
                if (!uploaded[i] && in[i] != null && in[i].isClosed()) {
                    throw new IllegalStateException(functionName + ": " + argumentName(i) + " is a closed tensor on "
                            + backend.name(), e);
                }
            }
            throw e;
        } finally {
            for (int i = 0; i < n; i++) {
                if (uploaded[i]) {
                    in[i].close();
                }
            }
            if (out != null && !handedOut) {
                closeAll(out);
            }
        }
    }

    /** Argument {@code i} in messages: a caller's argument, or a captured tensor, which the caller cannot see. */
    private String argumentName(int i) {
        int parameters = inShapes.length - captured.size();
        return i < parameters ? "argument " + i : "captured device tensor " + (i - parameters) + " " + inTypes[i]
                + inShapes[i] + " (read by the function from outside its arguments; keep it open while the function is used)";
    }

    /** The caller gave donated device tensors up: XLA may have reused their memory, so they are closed. */
    private void closeDonated(List<Tensor> arguments) {
        for (int i = 0; i < donated.length; i++) {
            if (donated[i] && arguments.get(i).data() instanceof DeviceData d) {
                d.close();
            }
        }
    }

    private static void closeAll(PjrtBuffer[] buffers) {
        for (PjrtBuffer b : buffers) {
            if (b != null) {
                b.close();
            }
        }
    }

    /** The PJRT element type of an Nx type. */
    static ElementType elementType(DType t) {
        return switch (t) {
            case S8 -> ElementType.S8;
            case S16 -> ElementType.S16;
            case S32 -> ElementType.S32;
            case S64 -> ElementType.S64;
            case U8 -> ElementType.U8;
            case U16 -> ElementType.U16;
            case U32 -> ElementType.U32;
            case U64 -> ElementType.U64;
            case F16 -> ElementType.F16;
            case BF16 -> ElementType.BF16;
            case F32 -> ElementType.F32;
            case F64 -> ElementType.F64;
            case C64 -> ElementType.C64;
            case C128 -> ElementType.C128;
        };
    }

    @Override
    public String toString() {
        return "ExlaExecutable[" + functionName + "]";
    }
}
