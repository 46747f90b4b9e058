package dev.jnx.xla;

import java.util.Arrays;

/**
 * How a buffer's elements are laid out in device memory ({@code PJRT_Buffer_GetMemoryLayout}):
 * either tiled, described by the minor-to-major dimension order (row-major for rank r is
 * {@code r-1, ..., 0}) and a number of tiles, or strided, described by byte strides.
 *
 * @param minorToMajor the dimension order, fastest-varying first; empty for a strided layout
 * @param numTiles the number of tiles of a tiled layout (0: untiled)
 * @param byteStrides the byte strides of a strided layout; empty for a tiled one
 */
public record BufferLayout(long[] minorToMajor, long numTiles, long[] byteStrides) {
    /** Whether this is the dense row-major layout (tiled, untiled, minor-to-major descending). */
    public boolean isRowMajor() {
        if (byteStrides.length != 0 || numTiles != 0) {
            return false;
        }
        for (int i = 0; i < minorToMajor.length; i++) {
            if (minorToMajor[i] != minorToMajor.length - 1 - i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BufferLayout l && Arrays.equals(minorToMajor, l.minorToMajor) && numTiles == l.numTiles
                && Arrays.equals(byteStrides, l.byteStrides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(minorToMajor) + Long.hashCode(numTiles)) + Arrays.hashCode(byteStrides);
    }

    @Override
    public String toString() {
        return byteStrides.length != 0 ? "strides" + Arrays.toString(byteStrides)
                : "minor_to_major" + Arrays.toString(minorToMajor) + (numTiles == 0 ? "" : " tiles=" + numTiles);
    }
}
