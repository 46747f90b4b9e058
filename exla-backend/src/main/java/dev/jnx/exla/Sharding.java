package dev.jnx.exla;

import dev.jnx.Backend;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a tensor is laid out over a {@link Mesh} (JAX's {@code NamedSharding} with a
 * {@code PartitionSpec}): dimension {@code k} is split evenly along the mesh axis named at
 * {@code k} (or not split, for {@code null} or past the end of the spec), and copies of each
 * piece sit on the devices that differ only along the other axes. {@link #replicated} puts the
 * whole tensor on every device.
 *
 * <p>A sharding is a {@link Backend}: {@code Nx.backendTransfer(t, mesh.split("data"))} puts
 * the shards of {@code t} on the mesh's devices ({@link Tensor#shards()} lists them), and the
 * same object tells {@link ExlaCompiler#withShardings} how a jitted function's values are laid
 * out.
 */
public final class Sharding implements Backend {
    private final Mesh mesh;
    private final List<String> spec;

    private Sharding(Mesh mesh, List<String> spec) {
        this.mesh = mesh;
        this.spec = spec;
    }

    /** The whole tensor on every device of {@code mesh}. */
    public static Sharding replicated(Mesh mesh) {
        return new Sharding(Objects.requireNonNull(mesh, "Sharding: mesh"), List.of());
    }

    /**
     * Dimension {@code k} split along the mesh axis {@code dimensionAxes[k]} ({@code null}: not
     * split); dimensions past the spec are not split.
     *
     * @throws IllegalArgumentException if an axis is not the mesh's or is used twice
     */
    public static Sharding of(Mesh mesh, String... dimensionAxes) {
        Objects.requireNonNull(mesh, "Sharding: mesh");
        List<String> spec = new ArrayList<>();
        for (int k = 0; k < dimensionAxes.length; k++) {
            String a = dimensionAxes[k];
            if (a != null) {
                mesh.axisIndex(a);
                if (spec.contains(a)) {
                    throw new IllegalArgumentException("Sharding: mesh axis " + a + " splits two dimensions");
                }
            }
            spec.add(a);
        }
        return new Sharding(mesh, java.util.Collections.unmodifiableList(spec));
    }

    /** The mesh. */
    public Mesh mesh() {
        return mesh;
    }

    /** The mesh axis splitting each dimension, {@code null} where none does. */
    public List<String> spec() {
        return spec;
    }

    /** Whether every device holds the whole tensor. */
    public boolean isReplicated() {
        return spec.stream().allMatch(Objects::isNull);
    }

    /** The pieces along each of {@code rank} dimensions. */
    int[] tiles(int rank) {
        if (spec.size() > rank) {
            throw new IllegalArgumentException("sharding " + this + " names " + spec.size()
                    + " dimensions, but the tensor has rank " + rank);
        }
        int[] t = new int[rank];
        Arrays.fill(t, 1);
        for (int k = 0; k < spec.size(); k++) {
            if (spec.get(k) != null) {
                t[k] = mesh.axisSize(spec.get(k));
            }
        }
        return t;
    }

    /**
     * The shape of each shard of a tensor of {@code shape}.
     *
     * @throws IllegalArgumentException if a split dimension does not divide by its axis' size
     */
    public Shape shardShape(Shape shape) {
        int[] t = tiles(shape.rank());
        int[] dims = shape.dims();
        for (int k = 0; k < dims.length; k++) {
            if (dims[k] % t[k] != 0) {
                throw new IllegalArgumentException("sharding " + this + ": dimension " + k + " of " + shape + " ("
                        + dims[k] + ") does not divide into " + t[k] + " shards along mesh axis " + spec.get(k));
            }
            dims[k] /= t[k];
        }
        return Shape.of(dims);
    }

    /** Where partition {@code p}'s shard starts along each dimension of {@code shape}. */
    int[] shardOrigin(int p, Shape shape) {
        int[] c = mesh.coordinate(p);
        Shape s = shardShape(shape);
        int[] origin = new int[shape.rank()];
        for (int k = 0; k < spec.size(); k++) {
            if (spec.get(k) != null) {
                origin[k] = c[mesh.axisIndex(spec.get(k))] * s.dims()[k];
            }
        }
        return origin;
    }

    /** The {@code mhlo.sharding} attribute value of a value of rank {@code rank}. */
    String mhlo(int rank) {
        int[] t = tiles(rank);
        int split = 1;
        for (int x : t) {
            split *= x;
        }
        if (split == 1) {
            return "{replicated}";
        }
        int replicas = mesh.size() / split;
        // The tile assignment: the partition holding each tile (and, partially replicated, each copy).
        int[] assignment = new int[mesh.size()];
        int[] seen = new int[split];
        for (int p = 0; p < mesh.size(); p++) {
            int[] c = mesh.coordinate(p);
            int tile = 0;
            for (int k = 0; k < rank; k++) {
                int along = k < spec.size() && spec.get(k) != null ? c[mesh.axisIndex(spec.get(k))] : 0;
                tile = tile * t[k] + along;
            }
            assignment[tile * replicas + seen[tile]++] = p;
        }
        StringBuilder s = new StringBuilder("{devices=[");
        for (int k = 0; k < rank; k++) {
            s.append(k == 0 ? "" : ",").append(t[k]);
        }
        if (replicas > 1) {
            s.append(',').append(replicas);
        }
        s.append(']');
        for (int i = 0; i < assignment.length; i++) {
            s.append(i == 0 ? "" : ",").append(assignment[i]);
        }
        return s.append(replicas > 1 ? " last_tile_dim_replicate}" : "}").toString();
    }

    @Override
    public String name() {
        return "sharded" + this;
    }

    /**
     * Puts {@code t} on the mesh as shards: one piece per device (copies where the sharding
     * replicates); releases {@code t}'s device memory unless it is already laid out so.
     */
    @Override
    public Tensor transfer(Tensor t) {
        if (t.data() instanceof ShardedData s && s.sharding().equals(this)) {
            s.ensureOpen();
            return t;
        }
        Tensor moved = copy(t);
        t.close();
        return moved;
    }

    /** Copies {@code t} onto the mesh as shards; {@code t} stays valid. */
    @Override
    public Tensor copy(Tensor t) {
        Shape shardShape = shardShape(t.shape());
        Tensor whole = t.data() instanceof dev.jnx.HostData ? t : Tensor.of(t.shape(), t.type(), t.host());
        List<Tensor> shards = new ArrayList<>(mesh.size());
        try {
            for (int p = 0; p < mesh.size(); p++) {
                int[] origin = shardOrigin(p, t.shape());
                Tensor piece = isReplicated() ? whole : Nx.slice(whole, origin, shardShape.dims());
                shards.add(Nx.backendCopy(piece, mesh.devices().get(p)));
            }
        } catch (RuntimeException e) {
            shards.forEach(Tensor::close);
            throw e;
        }
        return Tensor.of(t.shape(), t.type(), new ShardedData(this, t.shape(), t.type(), shards));
    }

    @Override
    public boolean equals(Object o) {
        // Trailing unsplit dimensions do not change the layout.
        return o instanceof Sharding s && s.mesh == mesh && trimmed().equals(s.trimmed());
    }

    private List<String> trimmed() {
        int n = spec.size();
        while (n > 0 && spec.get(n - 1) == null) {
            n--;
        }
        return spec.subList(0, n);
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(mesh) * 31 + trimmed().hashCode();
    }

    @Override
    public String toString() {
        return isReplicated() ? "(replicated)" : spec.toString().replace("null", "*");
    }
}
