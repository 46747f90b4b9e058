package dev.jnx.train;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A {@link TrainState} in a file, through {@code Nx.serialize}: a map of {@code params},
 * {@code optimizer}, {@code epoch} and {@code step}. Saving replaces the file atomically, so an
 * interrupted save leaves the previous checkpoint.
 */
public final class Checkpoint {
    private Checkpoint() {
    }

    /** Writes {@code state} (device tensors are read back) to {@code path}. */
    public static void save(Path path, TrainState state) {
        byte[] bytes = Nx.serialize(Map.of("params", state.params(), "optimizer", state.optimizerState(),
                "epoch", Nx.scalar((long) state.epoch()), "step", Nx.scalar(state.step())));
        try {
            Path dir = path.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint.save: cannot write " + path, e);
        }
    }

    /**
     * The state saved at {@code path}, on the host.
     *
     * @throws IllegalArgumentException if the file is not a checkpoint (or is corrupt)
     */
    @SuppressWarnings("unchecked")
    public static TrainState load(Path path) {
        Object o;
        try {
            o = Nx.deserialize(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("Checkpoint.load: cannot read " + path, e);
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get("params") instanceof Map<?, ?> params) || !m.containsKey("optimizer")
                || !(m.get("epoch") instanceof Tensor epoch) || epoch.type() != DType.S64
                || !(m.get("step") instanceof Tensor step) || step.type() != DType.S64) {
            throw new IllegalArgumentException("Checkpoint.load: " + path + " is not a training checkpoint"
                    + " (expected params, optimizer, epoch and step)");
        }
        return new TrainState((Map<String, Map<String, Tensor>>) params, m.get("optimizer"),
                (int) epoch.toLongArray()[0], step.toLongArray()[0]);
    }
}
