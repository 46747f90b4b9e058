package dev.jnx.train.data;

import dev.jnx.DType;
import dev.jnx.Nx;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando; 60,000 training and 10,000 test images of 28x28 grey levels in ten
 * classes), and MNIST, which has the same layout, read from gzipped IDX files. Debian's
 * {@code dataset-fashion-mnist} package installs them in {@link #DEFAULT_DIR}.
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /**
     * One split of the images and labels.
     *
     * @param images f32 {@code [n, 28, 28, 1]}, grey levels scaled to [0, 1] (channels-last)
     * @param labels s32 {@code [n]}, class indices 0-9
     */
    public record Split(Tensor images, Tensor labels) {
        /** The split as a data set of (image, label) pairs. */
        public Dataset dataset() {
            return Dataset.of(images, labels);
        }
    }

    /** The training split ({@code train-*-ubyte.gz}) from {@link #DEFAULT_DIR}. */
    public static Split train() {
        return load(DEFAULT_DIR, "train");
    }

    /** The test split ({@code t10k-*-ubyte.gz}) from {@link #DEFAULT_DIR}. */
    public static Split test() {
        return load(DEFAULT_DIR, "t10k");
    }

    /**
     * The split {@code prefix} ({@code train} or {@code t10k}) from {@code dir}: files
     * {@code PREFIX-images-idx3-ubyte.gz} and {@code PREFIX-labels-idx1-ubyte.gz}.
     *
     * @throws IllegalStateException naming the files and the Debian package if they are missing
     */
    public static Split load(Path dir, String prefix) {
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        for (Path p : List.of(images, labels)) {
            if (!Files.isReadable(p)) {
                throw new IllegalStateException("Fashion-MNIST: " + p + " is missing; install the Debian package"
                        + " dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass the directory"
                        + " holding " + images.getFileName() + " and " + labels.getFileName());
            }
        }
        Tensor raw = Idx.read(images);
        Tensor y = Idx.read(labels);
        if (raw.type() != DType.U8 || raw.rank() != 3 || y.type() != DType.U8 || y.rank() != 1
                || raw.shape().dim(0) != y.shape().dim(0)) {
            throw new IllegalArgumentException("Fashion-MNIST: expected u8[n][h][w] images and u8[n] labels, got "
                    + raw.type() + raw.shape() + " in " + images + " and " + y.type() + y.shape() + " in " + labels);
        }
        int[] d = raw.shape().dims();
        return new Split(scaled(raw.toByteArray(), Shape.of(d[0], d[1], d[2], 1)), Nx.asType(y, DType.S32));
    }

    /** Grey levels 0-255 as f32 in [0, 1], converted here: 47M elements are too many for the reference backend's loop. */
    private static Tensor scaled(byte[] grey, Shape shape) {
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(grey.length * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (byte g : grey) {
            out.putFloat((g & 0xFF) / 255f);
        }
        return Tensor.of(shape, DType.F32, new dev.jnx.HostData(out.array()));
    }
}
