package dev.jnx.exla;

import dev.jnx.Compiler;
import dev.jnx.defn.Expr;
import dev.jnx.defn.TracedFunction;
import dev.jnx.xla.CompileOptions;
import dev.jnx.xla.PjrtLoadedExecutable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An {@link ExlaCompiler} for functions split over a {@link Mesh}: made by
 * {@link ExlaCompiler#withShardings} (given shardings) or {@link ExlaCompiler#dataParallel}
 * (batches split, everything else replicated). Each template compiles to one module whose
 * parameters and results carry {@code mhlo.sharding} attributes, for as many partitions as the
 * mesh has devices, with XLA's SPMD partitioner inserting the collectives.
 */
public final class ShardedCompiler implements Compiler {
    private final ExlaCompiler base;
    private final Mesh mesh;
    private final List<Sharding> inputs;
    private final List<Sharding> outputs;
    /** The data-parallel axis: batched parameters split along it; null for given shardings. */
    private final String batchAxis;

    /** Splits {@link TracedFunction#batched()} parameters along {@code axis}; all else replicated. */
    ShardedCompiler(ExlaCompiler base, Mesh mesh, String axis) {
        mesh.axisIndex(axis);
        if (mesh.devices().get(0).client() != base.client()) {
            throw new IllegalArgumentException(base.name() + ": the mesh " + mesh + " is on another PJRT client");
        }
        this.base = base;
        this.mesh = mesh;
        this.inputs = null;
        this.outputs = null;
        this.batchAxis = axis;
    }

    ShardedCompiler(ExlaCompiler base, List<Sharding> inputs, List<Sharding> outputs) {
        Mesh found = null;
        for (List<Sharding> list : Arrays.asList(inputs, outputs)) {
            for (Sharding sh : list == null ? List.<Sharding>of() : list) {
                if (sh == null) {
                    continue;
                }
                if (found != null && sh.mesh() != found) {
                    throw new IllegalArgumentException(base.name() + ": shardings over two meshes, " + found + " and "
                            + sh.mesh());
                }
                found = sh.mesh();
            }
        }
        if (found == null) {
            throw new IllegalArgumentException(base.name() + ": withShardings needs at least one sharding to name the mesh");
        }
        if (found.devices().get(0).client() != base.client()) {
            throw new IllegalArgumentException(base.name() + ": the mesh " + found + " is on another PJRT client");
        }
        this.base = base;
        this.mesh = found;
        this.inputs = inputs == null ? null : Collections.unmodifiableList(new ArrayList<>(inputs));
        this.outputs = outputs == null ? null : Collections.unmodifiableList(new ArrayList<>(outputs));
        this.batchAxis = null;
    }

    /** The mesh the functions run on. */
    public Mesh mesh() {
        return mesh;
    }

    @Override
    public String name() {
        return base.name() + (batchAxis == null ? "" : " data-parallel") + " over " + mesh.size() + " devices";
    }

    /** Replicated over the mesh: where state that every partition reads lives between calls. */
    @Override
    public Sharding backend() {
        return mesh.replicated();
    }

    /** Split along the data-parallel axis (replicated when shardings are given instead). */
    @Override
    public Sharding batchBackend() {
        return batchAxis == null ? mesh.replicated() : mesh.split(batchAxis);
    }

    /**
     * Lowers {@code function} with its shardings and compiles it for every device of the mesh.
     *
     * @throws IllegalArgumentException if the shardings do not match the function's leaves, a
     *     split dimension does not divide by its mesh axis, or the function donates arguments
     */
    @Override
    public ShardedExecutable compile(TracedFunction function) {
        if (batchAxis != null) {
            // Data parallel: a hint to donate (a training loop's carry) is dropped, not refused.
            function = function.donating(java.util.Set.of());
        }
        if (!function.donated().isEmpty()) {
            throw new IllegalArgumentException(function.name() + ": donating arguments of a sharded function is not supported");
        }
        List<Sharding> given = inputs;
        if (batchAxis != null) {
            given = new ArrayList<>();
            for (int i = 0; i < function.parameters().size(); i++) {
                given.add(function.batched().contains(i) ? mesh.split(batchAxis) : null);
            }
        }
        List<Sharding> in = leaves(given, function.parameters().size(), "argument", function.name());
        List<Sharding> out = leaves(outputs, function.outputs().size(), "result", function.name());
        List<String> inAttrs = new ArrayList<>();
        List<String> outAttrs = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            Expr.Parameter p = function.parameters().get(i);
            in.get(i).shardShape(p.shape()); // fails naming the dimension that does not divide
            inAttrs.add(in.get(i).mhlo(p.shape().rank()));
        }
        for (int j = 0; j < out.size(); j++) {
            Expr e = function.outputs().get(j);
            out.get(j).shardShape(e.shape());
            outAttrs.add(out.get(j).mhlo(e.shape().rank()));
        }
        String text = StableHlo.lower(function, PlatformQuirks.of(base.client().platformName()),
                new FunctionBuilder.Partitioning(mesh.size(), inAttrs, outAttrs));
        int[] ids = mesh.devices().stream().mapToInt(b -> b.device().id()).toArray();
        PjrtLoadedExecutable exe = base.compileModule(StableHlo.moduleName(function.name()), text,
                CompileOptions.partitioned(ids));
        return new ShardedExecutable(function, text, exe, mesh, in, out, base.outputPlacement());
    }

    /** One sharding per leaf: nulls (and a null list) mean replicated. */
    private List<Sharding> leaves(List<Sharding> given, int n, String what, String function) {
        if (given != null && given.size() != n) {
            throw new IllegalArgumentException(function + ": " + given.size() + " " + what + " shardings for " + n + " "
                    + what + " leaves");
        }
        List<Sharding> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Sharding s = given == null ? null : given.get(i);
            out.add(s == null ? mesh.replicated() : s);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ShardedCompiler[" + name() + "]";
    }
}
