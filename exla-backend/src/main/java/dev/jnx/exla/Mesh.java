package dev.jnx.exla;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Devices of one PJRT client arranged as a named n-dimensional grid (JAX's {@code Mesh}):
 * {@code Mesh.of(exla.devices(), new int[] {2, 2}, "data", "model")}. Shardings split tensor
 * dimensions along its axes; a sharded jitted function runs one partition per mesh device, the
 * partition number being the device's row-major position in the grid.
 */
public final class Mesh {
    private final List<ExlaBackend> devices;
    private final int[] shape;
    private final List<String> axes;

    private Mesh(List<ExlaBackend> devices, int[] shape, List<String> axes) {
        this.devices = devices;
        this.shape = shape;
        this.axes = axes;
    }

    /** A one-dimensional mesh over {@code devices}, its axis called {@code axis}. */
    public static Mesh of(List<ExlaBackend> devices, String axis) {
        return of(devices, new int[] {devices.size()}, axis);
    }

    /**
     * The first {@code product(shape)} of {@code devices} as a grid of {@code shape} with the
     * given axis names, row-major.
     *
     * @throws IllegalArgumentException if the names and sizes do not match, a name repeats, the
     *     devices are too few, belong to different clients or repeat
     */
    public static Mesh of(List<ExlaBackend> devices, int[] shape, String... axes) {
        Objects.requireNonNull(devices, "Mesh.of: devices");
        Objects.requireNonNull(shape, "Mesh.of: shape");
        Objects.requireNonNull(axes, "Mesh.of: axes");
        if (shape.length != axes.length || shape.length == 0) {
            throw new IllegalArgumentException("Mesh.of: shape " + Arrays.toString(shape) + " needs one axis name per "
                    + "dimension, got " + Arrays.toString(axes));
        }
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("Mesh.of: axis " + axes[i] + " has size " + shape[i]);
            }
            Objects.requireNonNull(axes[i], "Mesh.of: axis name " + i);
            for (int j = 0; j < i; j++) {
                if (axes[j].equals(axes[i])) {
                    throw new IllegalArgumentException("Mesh.of: axis name " + axes[i] + " appears twice");
                }
            }
            n = Math.multiplyExact(n, shape[i]);
        }
        if (devices.size() < n) {
            throw new IllegalArgumentException("Mesh.of: a " + Arrays.toString(shape) + " mesh needs " + n
                    + " devices, got " + devices.size());
        }
        List<ExlaBackend> used = List.copyOf(devices.subList(0, n));
        for (int i = 0; i < n; i++) {
            if (used.get(i).client() != used.get(0).client()) {
                throw new IllegalArgumentException("Mesh.of: devices " + used.get(0).name() + " and " + used.get(i).name()
                        + " belong to different PJRT clients");
            }
            for (int j = 0; j < i; j++) {
                if (used.get(j).device() == used.get(i).device()) {
                    throw new IllegalArgumentException("Mesh.of: device " + used.get(i).name() + " appears twice");
                }
            }
        }
        return new Mesh(used, shape.clone(), List.of(axes));
    }

    /** The devices in partition order (row-major over the grid). */
    public List<ExlaBackend> devices() {
        return devices;
    }

    /** The number of devices. */
    public int size() {
        return devices.size();
    }

    /** The axis names. */
    public List<String> axes() {
        return axes;
    }

    /** The size of {@code axis}. */
    public int axisSize(String axis) {
        return shape[axisIndex(axis)];
    }

    /** The grid's shape. */
    public int[] shape() {
        return shape.clone();
    }

    int axisIndex(String axis) {
        int i = axes.indexOf(axis);
        if (i < 0) {
            throw new IllegalArgumentException("axis " + axis + " is not an axis of the mesh " + this);
        }
        return i;
    }

    /** The grid coordinate of partition {@code p}. */
    int[] coordinate(int p) {
        int[] c = new int[shape.length];
        for (int i = shape.length - 1; i >= 0; i--) {
            c[i] = p % shape[i];
            p /= shape[i];
        }
        return c;
    }

    /** The replicated sharding over this mesh. */
    public Sharding replicated() {
        return Sharding.replicated(this);
    }

    /** A sharding splitting each tensor dimension along the named axis (null: not split). */
    public Sharding split(String... dimensionAxes) {
        return Sharding.of(this, dimensionAxes);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Mesh[");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(axes.get(i)).append('=').append(shape[i]);
        }
        return s.append(" over ").append(devices.stream().map(ExlaBackend::name).toList()).append(']').toString();
    }
}
