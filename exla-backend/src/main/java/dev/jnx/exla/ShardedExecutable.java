package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Shape;
import dev.jnx.Tensor;
import dev.jnx.defn.Executable;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.PjrtBuffer;
import dev.jnx.xla.PjrtException;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.ArrayList;
import java.util.List;

/**
 * A traced function compiled once for all devices of a {@link Mesh} (one partition each) by
 * XLA's SPMD partitioner. Arguments already laid out as the function expects pass their shards
 * as they are; others (host tensors, single-device tensors, other layouts) are sharded for the
 * call. Results are sharded tensors when any argument was on a device, host tensors otherwise.
 */
public final class ShardedExecutable implements Executable {
    private final String functionName;
    private final String moduleName;
    private final String moduleText;
    private final PjrtLoadedExecutable executable;
    private final Mesh mesh;
    private final ExlaCompiler.OutputPlacement placement;
    private final List<Sharding> inputs;
    private final List<Sharding> outputs;
    private final Shape[] inShapes;
    private final DType[] inTypes;
    private final Shape[] outShapes;
    private final DType[] outTypes;

    ShardedExecutable(TracedFunction function, String moduleText, PjrtLoadedExecutable executable, Mesh mesh,
                      List<Sharding> inputs, List<Sharding> outputs, ExlaCompiler.OutputPlacement placement) {
        this.functionName = function.name();
        this.moduleName = StableHlo.moduleName(function.name());
        this.moduleText = moduleText;
        this.executable = executable;
        this.mesh = mesh;
        this.inputs = inputs;
        this.outputs = outputs;
        this.placement = placement;
        int n = function.parameters().size();
        inShapes = new Shape[n];
        inTypes = new DType[n];
        for (int i = 0; i < n; i++) {
            Expr.Parameter p = function.parameters().get(i);
            inShapes[i] = p.shape();
            inTypes[i] = p.type();
        }
        int m = function.outputs().size();
        outShapes = new Shape[m];
        outTypes = new DType[m];
        for (int j = 0; j < m; j++) {
            outShapes[j] = function.outputs().get(j).shape();
            outTypes[j] = function.outputs().get(j).type();
        }
    }

    /** The StableHLO module, with its sharding attributes. */
    public String moduleText() {
        return moduleText;
    }

    @Override
    public List<Tensor> run(List<Tensor> arguments) {
        int n = inShapes.length, nd = mesh.size();
        if (arguments.size() != n) {
            throw new IllegalArgumentException(functionName + ": expected " + n + " arguments, got " + arguments.size());
        }
        boolean anyDevice = false;
        for (int i = 0; i < n; i++) {
            Tensor t = arguments.get(i);
            if (t.type() != inTypes[i] || !t.shape().equals(inShapes[i])) {
                throw new IllegalArgumentException(functionName + ": argument " + i + " expected " + inTypes[i]
                        + inShapes[i] + ", got " + t.type() + t.shape());
            }
            anyDevice |= t.data() instanceof ShardedData || t.data() instanceof DeviceData;
        }
        List<Tensor> temporary = new ArrayList<>();
        PjrtBuffer[][] out = null;
        boolean handedOut = false;
        try {
            PjrtBuffer[][] perDevice = new PjrtBuffer[nd][n];
            for (int i = 0; i < n; i++) {
                Tensor t = arguments.get(i);
                ShardedData s = t.data() instanceof ShardedData d && d.sharding().equals(inputs.get(i)) ? d : null;
                if (s == null) {
                    Tensor laidOut = inputs.get(i).copy(t);
                    temporary.add(laidOut);
                    s = (ShardedData) laidOut.data();
                } else {
                    s.ensureOpen();
                }
                for (int d = 0; d < nd; d++) {
                    perDevice[d][i] = ((DeviceData) s.shard(d).data()).rawBuffer();
                }
            }
            try {
                out = executable.executeOnDevices(perDevice);
            } catch (PjrtException e) {
                throw new ExlaException("running", moduleName, moduleText, e);
            }
            boolean sharded = placement == ExlaCompiler.OutputPlacement.DEVICE
                    || placement == ExlaCompiler.OutputPlacement.FOLLOW_INPUTS && anyDevice;
            Tensor[] results = new Tensor[outShapes.length];
            for (int j = 0; j < results.length; j++) {
                Shape local = outputs.get(j).shardShape(outShapes[j]);
                List<Tensor> shards = new ArrayList<>(nd);
                for (int d = 0; d < nd; d++) {
                    shards.add(Tensor.of(local, outTypes[j], mesh.devices().get(d).wrap(out[d][j])));
                }
                results[j] = Tensor.of(outShapes[j], outTypes[j], new ShardedData(outputs.get(j), outShapes[j],
                        outTypes[j], shards));
            }
            handedOut = true;
            if (sharded) {
                return List.of(results);
            }
            for (int j = 0; j < results.length; j++) {
                Tensor onDevices = results[j];
                results[j] = Tensor.of(outShapes[j], outTypes[j], onDevices.host());
                onDevices.close();
            }
            return List.of(results);
        } finally {
            temporary.forEach(Tensor::close);
            if (out != null && !handedOut) {
                for (PjrtBuffer[] row : out) {
                    for (PjrtBuffer b : row) {
                        b.close();
                    }
                }
            }
        }
    }

    @Override
    public String toString() {
        return "ShardedExecutable[" + functionName + " over " + mesh + "]";
    }
}
