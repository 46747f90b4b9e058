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
 * template before any native call, copies them to device buffers, executes, and copies the
 * results back into host tensors; every native buffer is closed before it returns.
 */
public final class ExlaExecutable implements Executable {
    private final String functionName;
    private final String moduleName;
    private final String moduleText;
    private final PjrtLoadedExecutable executable;
    private final PjrtClient client;
    private final PjrtDevice device;

    private final Shape[] inShapes;
    private final DType[] inTypes;
    private final ElementType[] inElements;
    private final long[][] inDims;

    private final Shape[] outShapes;
    private final DType[] outTypes;
    private final long[] outBytes;

    ExlaExecutable(TracedFunction function, String moduleText, PjrtLoadedExecutable executable,
                   PjrtClient client, PjrtDevice device) {
        this.functionName = function.name();
        this.moduleName = StableHlo.moduleName(function.name());
        this.moduleText = moduleText;
        this.executable = executable;
        this.client = client;
        this.device = device;
        int n = function.parameters().size();
        inShapes = new Shape[n];
        inTypes = new DType[n];
        inElements = new ElementType[n];
        inDims = new long[n][];
        for (int i = 0; i < n; i++) {
            Expr.Parameter p = function.parameters().get(i);
            inShapes[i] = p.shape();
            inTypes[i] = p.type();
            inElements[i] = elementType(p.type());
            inDims[i] = Arrays.stream(p.shape().dims()).asLongStream().toArray();
        }
        int m = function.outputs().size();
        outShapes = new Shape[m];
        outTypes = new DType[m];
        outBytes = new long[m];
        for (int j = 0; j < m; j++) {
            Expr e = function.outputs().get(j);
            outShapes[j] = e.shape();
            outTypes[j] = e.type();
            outBytes[j] = (long) e.shape().size() * e.type().byteSize();
        }
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

    /**
     * Runs on host copies of {@code arguments}.
     *
     * @throws ExlaException            if the plugin fails the run, e.g. compiling the module on
     *                                  its first execution
     * @throws IllegalArgumentException naming the function, argument index, expected and actual
     *                                  type and shape, if an argument does not match the template
     */
    @Override
    public List<Tensor> run(List<Tensor> arguments) {
        int n = inShapes.length;
        if (arguments.size() != n) {
            throw new IllegalArgumentException(functionName + ": expected " + n + " arguments, got " + arguments.size());
        }
        for (int i = 0; i < n; i++) {
            Tensor t = arguments.get(i);
            if (t.type() != inTypes[i] || !t.shape().equals(inShapes[i])) {
                throw new IllegalArgumentException(functionName + ": argument " + i + " expected " + inTypes[i]
                        + inShapes[i] + ", got " + t.type() + t.shape());
            }
        }
        PjrtBuffer[] in = new PjrtBuffer[n];
        PjrtBuffer[] out = null;
        try {
            for (int i = 0; i < n; i++) {
                // The bindings stage heap segments in native scratch memory for the call.
                in[i] = client.bufferFromHost(arguments.get(i).host().segment(), inElements[i], inDims[i], device);
            }
            try {
                out = executable.execute(in);
            } catch (PjrtException e) {
                throw new ExlaException("running", moduleName, moduleText, e);
            }
            Tensor[] results = new Tensor[out.length];
            for (int j = 0; j < out.length; j++) {
                byte[] bytes = out[j].toByteArray();
                if (bytes.length != outBytes[j]) {
                    throw new IllegalStateException(functionName + ": output " + j + " has " + bytes.length
                            + " bytes, expected " + outTypes[j] + outShapes[j] + " (" + outBytes[j] + " bytes)");
                }
                results[j] = Tensor.of(outShapes[j], outTypes[j], new HostData(bytes));
            }
            return List.of(results);
        } finally {
            closeAll(in);
            if (out != null) {
                closeAll(out);
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
