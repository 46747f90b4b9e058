package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.HostData;
import dev.jnx.Tensor;
import dev.jnx.TensorData;
import dev.jnx.defn.EagerBackend;
import dev.jnx.defn.Expr;
import dev.jnx.defn.Graph;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;
import dev.jnx.xla.PjrtBuffer;
import dev.jnx.xla.PjrtClient;
import dev.jnx.xla.PjrtDevice;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tensors in the buffers of one PJRT client's device (EXLA.Backend). Get it from
 * {@link Exla#backend()} or {@link ExlaCompiler#backend()}; the compiler and its backend share
 * the client, so jitted functions take its tensors without a host round trip. Eager ops on its
 * tensors ({@code Nx.exp(x)} outside a jitted function) run on its device ({@link #evaluate}).
 *
 * <pre>{@code
 * Tensor x = Nx.backendTransfer(Nx.tensor(new float[] {1, 2, 3}), Exla.backend());
 * Tensor y = softmax.apply(x);       // runs on the device, y stays there
 * float[] v = y.toFloatArray();      // explicit host read
 * y.close(); x.close();              // frees device memory now
 * }</pre>
 */
public final class ExlaBackend implements EagerBackend {
    private static final int EAGER_CACHE_SIZE = 512;

    private final ExlaCompiler compiler;
    /** Eager computations by module text, in access order (guarded by itself). */
    private final Map<String, ExlaExecutable> eager = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExlaExecutable> eldest) {
            return size() > EAGER_CACHE_SIZE;
        }
    };
    private final AtomicLong eagerCompiles = new AtomicLong();

    ExlaBackend(ExlaCompiler compiler) {
        this.compiler = compiler;
    }

    /** The compiler's name, e.g. {@code "exla(cpu:0)"} ({@link ExlaCompiler#name()}). */
    @Override
    public String name() {
        return compiler.name();
    }

    /** The PJRT client holding the buffers (created on first use). */
    public PjrtClient client() {
        return compiler.client();
    }

    /** The device buffers go to. */
    public PjrtDevice device() {
        return compiler.device();
    }

    /**
     * Moves {@code t} to this backend's device. A tensor already here is returned as is; one on
     * another device of this client is copied device to device, one elsewhere is read back;
     * either way the source is then closed.
     */
    @Override
    public Tensor transfer(Tensor t) {
        if (owns(t)) {
            ((DeviceData) t.data()).ensureOpen();
            return t;
        }
        Tensor moved = copy(t);
        t.close();
        return moved;
    }

    /** Copies {@code t} to this backend's device; a tensor of this client is copied between devices directly. */
    @Override
    public Tensor copy(Tensor t) {
        if (t.data() instanceof DeviceData d && d.backend().client() == client()) {
            d.ensureOpen();
            return Tensor.of(t.shape(), t.type(), new DeviceData(this, d.rawBuffer().copyToDevice(device())));
        }
        return upload(t);
    }

    /** Whether {@code t} lives in a buffer of this backend's client and device. */
    boolean owns(Tensor t) {
        return t.data() instanceof DeviceData d && d.backend().client() == client() && d.backend().device() == device();
    }

    private Tensor upload(Tensor t) {
        TensorData data = t.data();
        HostData host = data instanceof HostData h ? h : t.host();
        return Tensor.of(t.shape(), t.type(), wrap(upload(host, t)));
    }

    PjrtBuffer upload(HostData host, Tensor t) {
        return client().bufferFromHost(host.segment(), ExlaExecutable.elementType(t.type()),
                java.util.Arrays.stream(t.shape().dims()).asLongStream().toArray(), device());
    }

    DeviceData wrap(PjrtBuffer buffer) {
        return new DeviceData(this, buffer);
    }

    /**
     * Computes {@code roots} on this device (EXLA.Backend's eager ops): the graph is compiled
     * once per structure, with each constant an argument of the module, so calls on other
     * values of the same types and shapes run the cached executable; results stay on the
     * device. At most {@value #EAGER_CACHE_SIZE} executables are kept, the least recently
     * used dropped first.
     *
     * @throws IllegalStateException if a device tensor among the constants is closed
     */
    @Override
    public List<Tensor> evaluate(List<Expr> roots) {
        List<Expr.Constant> constants = new ArrayList<>();
        List<Tensor> values = new ArrayList<>();
        for (Expr e : Graph.postOrder(roots)) {
            if (e instanceof Expr.Constant c) {
                constants.add(c);
                values.add(c.value());
            }
        }
        String name = "eager_" + roots.get(0).getClass().getSimpleName().toLowerCase(Locale.ROOT);
        String text = StableHlo.lower(new TracedFunction(name, List.of(), roots), constants,
                PlatformQuirks.of(client().platformName()));
        ExlaExecutable exe;
        synchronized (eager) {
            exe = eager.get(text);
        }
        if (exe == null) {
            List<Expr.Parameter> parameters = new ArrayList<>();
            for (Expr.Constant c : constants) {
                parameters.add(new Expr.Parameter(parameters.size(), c.shape(), c.type()));
            }
            PjrtLoadedExecutable compiled = compiler.compileModule(StableHlo.moduleName(name), text,
                    CompileOptions.singleDevice(device().id()));
            exe = new ExlaExecutable(new TracedFunction(name, parameters, roots), List.of(), text, compiled, this,
                    ExlaCompiler.OutputPlacement.DEVICE);
            eagerCompiles.incrementAndGet();
            synchronized (eager) {
                eager.put(text, exe);
            }
        }
        return exe.run(values);
    }

    /** How many eager computations this backend has compiled: a repeated op of the same template adds none. */
    public long eagerCompileCount() {
        return eagerCompiles.get();
    }

    /** How many compiled eager computations are cached now. */
    public int eagerCacheSize() {
        synchronized (eager) {
            return eager.size();
        }
    }

    @Override
    public String toString() {
        return "ExlaBackend[" + name() + "]";
    }
}
