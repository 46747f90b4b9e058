package dev.jnx;

import dev.jnx.defn.Tree;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.RecordComponent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The binary format of {@link Nx#serialize} and {@link Nx#deserialize}: a container of tensors
 * (any {@link Tree}: tensors, {@code List}s, {@code Map}s, arrays and records, nested).
 *
 * <p>Version 1, every integer little-endian:
 * <pre>
 * file    := "JNXS" version:u8 (=1) byteOrder:u8 ('L': tensor data is little-endian) node crc:u32
 * node    := 'T' type:str rank:u8 dim:u32*rank data:(dims' product × type size bytes, row-major)
 *          | 'V' count:u8 (name:str size:u32)*count tensor   a vectorized tensor: its 'T' node holds
 *                                                   every entry, the vectorized axes leading
 *          | 'L' count:u32 node*count                       a List
 *          | 'A' componentClass:str count:u32 node*count    an array
 *          | 'M' count:u32 (key node)*count                 a Map, keys in Tree's (sorted) order
 *          | 'R' recordClass:str count:u32 (component:str node)*count   a record
 * key     := 'S' str | 'I' i32 | 'J' i64                    String, Integer or Long map keys
 * str     := length:u32 UTF-8 bytes
 * crc     := CRC-32 of every byte before it
 * </pre>
 * Type names are Nx's ({@code f32}, {@code s64}, {@code bf16}, ...). Numbers in a container
 * are written as scalar tensors (as jit sees them). The 'V' node was added within version 1:
 * a container without vectorized tensors is written exactly as before. Reading checks the magic, the version,
 * bounds, the checksum and that record and array classes exist with the written components.
 */
final class Serialization {
    private static final byte[] MAGIC = {'J', 'N', 'X', 'S'};
    private static final int VERSION = 1;
    /** Deeper nesting than this is taken as corruption (and would overflow the stack). */
    private static final int MAX_DEPTH = 512;

    private Serialization() {
    }

    static byte[] serialize(Object container) {
        List<Tensor> leaves = new ArrayList<>();
        Tree tree = Tree.flatten("serialize: argument container", container, leaves);
        Out out = new Out();
        out.bytes(MAGIC);
        out.u8(VERSION);
        out.u8('L');
        write(out, tree, leaves, new int[1]);
        CRC32 crc = new CRC32();
        crc.update(out.buf.toByteArray());
        out.i32((int) crc.getValue());
        return out.buf.toByteArray();
    }

    private static void write(Out out, Tree node, List<Tensor> leaves, int[] next) {
        switch (node) {
            case Tree.Leaf l -> {
                Tensor t = leaves.get(next[0]++);
                if (t.isVectorized()) {
                    out.u8('V');
                    out.u8(t.vectorizedAxes().size());
                    for (VectorizedAxis a : t.vectorizedAxes()) {
                        out.str(a.name());
                        out.i32(a.size());
                    }
                }
                out.u8('T');
                out.str(t.type().nxName());
                Shape data = t.dataShape();
                if (data.rank() > 255) {
                    throw new IllegalArgumentException("Nx.serialize: " + Vectorization.describe(t) + " has "
                            + data.rank() + " axes with its vectorized ones; the format holds at most 255");
                }
                out.u8(data.rank());
                for (int d : data.dims()) {
                    out.i32(d);
                }
                out.bytes(t.host().toByteArray());
            }
            case Tree.ListNode l -> {
                out.u8('L');
                out.i32(l.items().size());
                l.items().forEach(i -> write(out, i, leaves, next));
            }
            case Tree.ArrayNode a -> {
                out.u8('A');
                out.str(a.componentType().getName());
                out.i32(a.items().size());
                a.items().forEach(i -> write(out, i, leaves, next));
            }
            case Tree.MapNode m -> {
                out.u8('M');
                out.i32(m.keys().size());
                for (int i = 0; i < m.keys().size(); i++) {
                    switch (m.keys().get(i)) {
                        case String s -> {
                            out.u8('S');
                            out.str(s);
                        }
                        case Integer n -> {
                            out.u8('I');
                            out.i32(n);
                        }
                        case Long n -> {
                            out.u8('J');
                            out.i64(n);
                        }
                        case Object k -> throw new IllegalArgumentException("Nx.serialize: map key " + k + " of type "
                                + k.getClass().getName() + " is not supported (expected String, Integer or Long keys)");
                    }
                    write(out, m.values().get(i), leaves, next);
                }
            }
            case Tree.RecordNode r -> {
                out.u8('R');
                out.str(r.type().getName());
                RecordComponent[] rc = r.type().getRecordComponents();
                out.i32(rc.length);
                for (int i = 0; i < rc.length; i++) {
                    out.str(rc[i].getName());
                    write(out, r.components().get(i), leaves, next);
                }
            }
        }
    }

    static Object deserialize(byte[] bytes) {
        if (bytes.length < MAGIC.length + 2 + 4) {
            throw corrupt("truncated: " + bytes.length + " bytes is shorter than any serialized container");
        }
        if (!Arrays.equals(Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            throw corrupt("not a serialized container (missing the JNXS magic)");
        }
        int version = bytes[4] & 0xFF;
        if (version != VERSION) {
            throw corrupt("format version " + version + " is not supported (this jnx reads version " + VERSION + ")");
        }
        if (bytes[5] != 'L') {
            throw corrupt("unknown byte order mark " + (bytes[5] & 0xFF) + " (expected 'L')");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, bytes.length - 4).order(ByteOrder.LITTLE_ENDIAN);
        in.position(6);
        List<Tensor> leaves = new ArrayList<>();
        Tree tree;
        try {
            tree = read(in, leaves, 0);
        } catch (BufferUnderflowException e) {
            throw corrupt("truncated: the data ends inside the container (" + bytes.length + " bytes)");
        }
        if (in.remaining() != 0) {
            throw corrupt(in.remaining() + " unexpected bytes after the container");
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw corrupt("checksum mismatch: the data is corrupt");
        }
        return tree.unflatten(leaves, new int[1]);
    }

    private static Tree read(ByteBuffer in, List<Tensor> leaves, int depth) {
        if (depth > MAX_DEPTH) {
            throw corrupt("containers nested deeper than " + MAX_DEPTH);
        }
        int tag = in.get() & 0xFF;
        return switch (tag) {
            case 'T' -> {
                DType type;
                String name = str(in);
                try {
                    type = DType.of(name);
                } catch (IllegalArgumentException e) {
                    throw corrupt("unknown tensor type " + name);
                }
                int rank = in.get() & 0xFF;
                int[] dims = new int[rank];
                long size = 1;
                for (int i = 0; i < rank; i++) {
                    dims[i] = in.getInt();
                    if (dims[i] < 0) {
                        throw corrupt("negative dimension " + dims[i]);
                    }
                    size *= dims[i];
                    if (size > Integer.MAX_VALUE) {
                        throw corrupt("tensor of " + Arrays.toString(dims) + " is too large");
                    }
                }
                long byteCount = size * type.byteSize();
                if (byteCount > in.remaining()) {
                    throw corrupt("truncated: " + type + Shape.of(dims) + " needs " + byteCount + " bytes, "
                            + in.remaining() + " left");
                }
                byte[] data = new byte[(int) byteCount];
                in.get(data);
                Tensor t = Tensor.of(Shape.of(dims), type, new HostData(data));
                leaves.add(t);
                yield new Tree.Leaf(t.shape(), t.type());
            }
            case 'V' -> {
                int n = in.get() & 0xFF;
                List<VectorizedAxis> axes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String name = str(in);
                    int size = in.getInt();
                    if (size < 0) {
                        throw corrupt("vectorized axis " + name + " of negative size " + size);
                    }
                    try {
                        axes.add(VectorizedAxis.of(name, size));
                    } catch (IllegalArgumentException e) {
                        throw corrupt("vectorized axis " + name + " of size " + size + ": " + e.getMessage());
                    }
                }
                String named = axes.stream().map(VectorizedAxis::toString).collect(java.util.stream.Collectors.joining());
                if ((in.get(in.position()) & 0xFF) != 'T') {
                    throw corrupt("vectorized axes " + named + " not followed by a tensor");
                }
                read(in, leaves, depth + 1);
                Tensor data = leaves.removeLast();
                Tensor t;
                try {
                    t = Nx.vectorize(data, axes);
                } catch (IllegalArgumentException e) {
                    throw corrupt("vectorized axes " + named + " do not fit " + data.type() + data.shape() + ": "
                            + e.getMessage());
                }
                leaves.add(t);
                yield new Tree.Leaf(t.shape(), t.type(), t.vectorizedAxes());
            }
            case 'L' -> new Tree.ListNode(items(in, leaves, depth));
            case 'A' -> {
                Class<?> component = load(str(in));
                if (component.isPrimitive()) {
                    throw corrupt("array of primitive " + component.getName());
                }
                yield new Tree.ArrayNode(component, items(in, leaves, depth));
            }
            case 'M' -> {
                int n = count(in);
                List<Object> keys = new ArrayList<>(n);
                List<Tree> values = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    int kt = in.get() & 0xFF;
                    keys.add(switch (kt) {
                        case 'S' -> str(in);
                        case 'I' -> in.getInt();
                        case 'J' -> in.getLong();
                        default -> throw corrupt("unknown map key tag " + kt);
                    });
                    values.add(read(in, leaves, depth + 1));
                }
                yield new Tree.MapNode(keys, values);
            }
            case 'R' -> {
                String name = str(in);
                Class<?> type = load(name);
                if (!type.isRecord()) {
                    throw corrupt(name + " is not a record class");
                }
                RecordComponent[] rc = type.getRecordComponents();
                int n = count(in);
                if (n != rc.length) {
                    throw corrupt("record " + name + " was written with " + n + " components, it has " + rc.length);
                }
                List<Tree> comps = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    String c = str(in);
                    if (!c.equals(rc[i].getName())) {
                        throw corrupt("record " + name + " component " + i + " was written as " + c
                                + ", it is " + rc[i].getName());
                    }
                    comps.add(read(in, leaves, depth + 1));
                }
                yield new Tree.RecordNode(type, comps);
            }
            default -> throw corrupt("unknown node tag " + tag + " at byte " + (in.position() - 1));
        };
    }

    private static List<Tree> items(ByteBuffer in, List<Tensor> leaves, int depth) {
        int n = count(in);
        List<Tree> items = new ArrayList<>(Math.min(n, 1024));
        for (int i = 0; i < n; i++) {
            items.add(read(in, leaves, depth + 1));
        }
        return items;
    }

    private static int count(ByteBuffer in) {
        int n = in.getInt();
        // Every item takes at least one byte: a larger count cannot be right.
        if (n < 0 || n > in.remaining()) {
            throw corrupt("impossible item count " + Integer.toUnsignedString(n));
        }
        return n;
    }

    private static String str(ByteBuffer in) {
        int n = count(in);
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static Class<?> load(String name) {
        try {
            ClassLoader cl = Thread.currentThread().getContextClassLoader();
            return Class.forName(name, false, cl != null ? cl : Serialization.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw corrupt("class " + name + " of the container is not on the class path");
        }
    }

    private static IllegalArgumentException corrupt(String message) {
        return new IllegalArgumentException("Nx.deserialize: " + message);
    }

    /** A little-endian writer. */
    private static final class Out {
        final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void u8(int v) {
            buf.write(v);
        }

        void i32(int v) {
            buf.write(scratch.clear().putInt(v).array(), 0, 4);
        }

        void i64(long v) {
            buf.write(scratch.clear().putLong(v).array(), 0, 8);
        }

        void bytes(byte[] b) {
            buf.write(b, 0, b.length);
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i32(b.length);
            bytes(b);
        }
    }
}
