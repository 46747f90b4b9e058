package dev.jnx.train.data;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;
import dev.jnx.Tensor;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files (LeCun's MNIST format: a magic {@code 0 0 type rank}, big-endian u32
 * dimensions, then the values big-endian), gzipped or not, into a tensor of the file's type
 * (u8, s8, s16, s32, f32 or f64) and shape.
 */
public final class Idx {
    private Idx() {
    }

    /**
     * The tensor in {@code path}; a {@code .gz} file is decompressed on the fly.
     *
     * @throws UncheckedIOException     if the file cannot be read
     * @throws IllegalArgumentException if it is not an IDX file, or is truncated
     */
    public static Tensor read(Path path) {
        try (InputStream raw = Files.newInputStream(path);
             InputStream in = path.toString().endsWith(".gz") ? new GZIPInputStream(new BufferedInputStream(raw))
                     : new BufferedInputStream(raw)) {
            return read(in, path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Idx.read: cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** The tensor in an IDX stream; {@code source} names it in messages. */
    public static Tensor read(InputStream stream, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new IllegalArgumentException("Idx.read: " + source + " is empty or shorter than an IDX header");
        }
        int typeCode = (magic >>> 8) & 0xFF;
        int rank = magic & 0xFF;
        if ((magic >>> 16) != 0 || rank == 0) {
            throw new IllegalArgumentException("Idx.read: " + source + " is not an IDX file (magic 0x"
                    + Integer.toHexString(magic) + ")");
        }
        DType type = switch (typeCode) {
            case 0x08 -> DType.U8;
            case 0x09 -> DType.S8;
            case 0x0B -> DType.S16;
            case 0x0C -> DType.S32;
            case 0x0D -> DType.F32;
            case 0x0E -> DType.F64;
            default -> throw new IllegalArgumentException("Idx.read: " + source + " has unknown IDX type code 0x"
                    + Integer.toHexString(typeCode));
        };
        int[] dims = new int[rank];
        long count = 1;
        try {
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                count *= dims[i];
            }
            if (dims[0] < 0 || count < 0 || count * type.byteSize() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Idx.read: " + source + " has impossible dimensions "
                        + java.util.Arrays.toString(dims));
            }
            byte[] bigEndian = new byte[(int) count * type.byteSize()];
            in.readFully(bigEndian);
            return Tensor.of(Shape.of(dims), type, new HostData(littleEndian(bigEndian, type)));
        } catch (EOFException e) {
            throw new IllegalArgumentException("Idx.read: " + source + " is truncated: " + type
                    + java.util.Arrays.toString(dims) + " needs " + count * type.byteSize() + " bytes of values");
        }
    }

    private static byte[] littleEndian(byte[] b, DType type) {
        int w = type.byteSize();
        if (w == 1) {
            return b;
        }
        ByteBuffer src = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer dst = ByteBuffer.allocate(b.length).order(ByteOrder.LITTLE_ENDIAN);
        switch (w) {
            case 2 -> {
                while (src.hasRemaining()) {
                    dst.putShort(src.getShort());
                }
            }
            case 4 -> {
                while (src.hasRemaining()) {
                    dst.putInt(src.getInt());
                }
            }
            default -> {
                while (src.hasRemaining()) {
                    dst.putLong(src.getLong());
                }
            }
        }
        return dst.array();
    }
}
