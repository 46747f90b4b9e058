package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

import java.lang.foreign.MemorySegment;

/** A result buffer of the reference kernels: one Java array of a shape's elements of one type. */
final class Out {
    final byte[] bytes;
    final MemorySegment seg;
    final DType type;

    Out(Shape shape, DType type) {
        this.type = type;
        this.bytes = new byte[shape.size() * type.byteSize()];
        this.seg = MemorySegment.ofArray(bytes);
    }

    void setDouble(int i, double x) {
        HostData.setDouble(seg, type, i, x);
    }

    void setLong(int i, long x) {
        HostData.setLong(seg, type, i, x);
    }

    HostData done() {
        return new HostData(bytes);
    }
}
