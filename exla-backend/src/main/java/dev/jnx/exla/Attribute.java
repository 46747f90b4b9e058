package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Tensor;

import java.util.HexFormat;

/**
 * An MLIR attribute value as {@link FunctionBuilder} writes it, made only by the typed factories
 * here (after EXLA's {@code Value.attr_*} helpers): the one place that spells attribute syntax.
 *
 * @param text the attribute in MLIR's syntax, e.g. {@code array<i64: 1, 2>}
 */
record Attribute(String text) {
    /** Constants with more elements than this are written as one hex blob of their bytes. */
    private static final int BLOB_THRESHOLD = 256;

    @Override
    public String toString() {
        return text;
    }

    /** A signless 64-bit integer, {@code 3 : i64}. */
    static Attribute i64(long value) {
        return new Attribute(value + " : i64");
    }

    /** A signless 32-bit integer, {@code 3 : i32}. */
    static Attribute i32(int value) {
        return new Attribute(value + " : i32");
    }

    /** {@code true} or {@code false}. */
    static Attribute bool(boolean value) {
        return new Attribute(Boolean.toString(value));
    }

    /** A string, quoted; {@code value} must need no escaping (sharding specs do not). */
    static Attribute string(String value) {
        return new Attribute('"' + value + '"');
    }

    /** A dense i64 array, {@code array<i64: 1, 2>} ({@code array<i64>} when empty). */
    static Attribute i64Array(int... values) {
        StringBuilder s = new StringBuilder(16 + 4 * values.length).append("array<i64");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? ": " : ", ").append(values[i]);
        }
        return new Attribute(s.append('>').toString());
    }

    /** Low and high padding per dimension as the {@code tensor<Nx2xi64>} StableHLO's window ops take. */
    static Attribute padding(int[] lo, int[] hi) {
        StringBuilder s = new StringBuilder("dense<");
        // A rank-0 window has no padding pairs: MLIR spells that empty literal dense<>, not dense<[]>.
        if (lo.length > 0) {
            s.append('[');
            for (int i = 0; i < lo.length; i++) {
                s.append(i == 0 ? "" : ", ").append('[').append(lo[i]).append(", ").append(hi[i]).append(']');
            }
            s.append(']');
        }
        return new Attribute(s.append("> : tensor<").append(lo.length).append("x2xi64>").toString());
    }

    /** The dense elements of a constant: {@code dense<literal> : type}, {@code literal} as {@link #denseLiteral} writes it. */
    static Attribute dense(String literal, TensorType type) {
        return new Attribute("dense<" + literal + "> : " + type);
    }

    /** {@code #stablehlo<comparison_direction LT>}. */
    static Attribute comparisonDirection(FunctionBuilder.ComparisonDirection direction) {
        return new Attribute("#stablehlo<comparison_direction " + direction + ">");
    }

    /** {@code #stablehlo<comparison_type FLOAT>}. */
    static Attribute comparisonType(FunctionBuilder.ComparisonType type) {
        return new Attribute("#stablehlo<comparison_type " + type + ">");
    }

    /** {@code #stablehlo.dot<...>}: the batching and contracting dimensions of each operand. */
    static Attribute dotDimensionNumbers(int[] batchA, int[] batchB, int[] contractA, int[] contractB) {
        StringBuilder s = new StringBuilder("#stablehlo.dot<");
        field(s, "lhs_batching_dimensions", batchA);
        field(s, "rhs_batching_dimensions", batchB);
        // The contracting lists are written even when empty (an outer product), so the struct is never empty.
        list(s.append("lhs_contracting_dimensions = "), contractA);
        list(s.append(", rhs_contracting_dimensions = "), contractB);
        return new Attribute(s.append('>').toString());
    }

    /** {@code #stablehlo.gather<...>}; empty lists are left out, as MLIR prints them. */
    static Attribute gatherDimensionNumbers(int[] offsetDims, int[] collapsedSliceDims, int[] startIndexMap,
                                            int indexVectorDim) {
        StringBuilder s = new StringBuilder("#stablehlo.gather<");
        field(s, "offset_dims", offsetDims);
        field(s, "collapsed_slice_dims", collapsedSliceDims);
        field(s, "start_index_map", startIndexMap);
        return new Attribute(s.append("index_vector_dim = ").append(indexVectorDim).append('>').toString());
    }

    /** {@code #stablehlo.scatter<...>}; empty lists are left out, as MLIR prints them. */
    static Attribute scatterDimensionNumbers(int[] updateWindowDims, int[] insertedWindowDims,
                                             int[] scatterDimsToOperandDims, int indexVectorDim) {
        StringBuilder s = new StringBuilder("#stablehlo.scatter<");
        field(s, "update_window_dims", updateWindowDims);
        field(s, "inserted_window_dims", insertedWindowDims);
        field(s, "scatter_dims_to_operand_dims", scatterDimsToOperandDims);
        return new Attribute(s.append("index_vector_dim = ").append(indexVectorDim).append('>').toString());
    }

    /**
     * {@code #stablehlo.conv<[b, f, 0, 1]x[o, i, 0, 1]->[b, f, 0, 1]>}: each permutation maps a
     * role (batch or output feature, feature or input feature, then the spatial axes) to its axis.
     */
    static Attribute convDimensionNumbers(int[] input, int[] kernel, int[] output) {
        return new Attribute("#stablehlo.conv<" + layout(input, "b", "f") + "x" + layout(kernel, "o", "i")
                + "->" + layout(output, "b", "f") + ">");
    }

    /** {@code #stablehlo<fft_type FFT>} or {@code IFFT}. */
    static Attribute fftType(boolean inverse) {
        return new Attribute("#stablehlo<fft_type " + (inverse ? "IFFT" : "FFT") + ">");
    }

    /** {@code #stablehlo<transpose TRANSPOSE>} or {@code NO_TRANSPOSE}. */
    static Attribute transpose(boolean transpose) {
        return new Attribute("#stablehlo<transpose " + (transpose ? "TRANSPOSE" : "NO_TRANSPOSE") + ">");
    }

    /** {@code name = [..], } when {@code xs} is not empty, as MLIR prints these structs. */
    private static void field(StringBuilder s, String name, int[] xs) {
        if (xs.length > 0) {
            list(s.append(name).append(" = "), xs).append(", ");
        }
    }

    private static StringBuilder list(StringBuilder s, int[] xs) {
        s.append('[');
        for (int i = 0; i < xs.length; i++) {
            s.append(i == 0 ? "" : ", ").append(xs[i]);
        }
        return s.append(']');
    }

    /** {@code [b, f, 0, 1]}: the role of each actual axis, from the role → axis permutation. */
    private static String layout(int[] perm, String first, String second) {
        String[] roles = new String[perm.length];
        roles[perm[0]] = first;
        roles[perm[1]] = second;
        for (int j = 2; j < perm.length; j++) {
            roles[perm[j]] = Integer.toString(j - 2);
        }
        return "[" + String.join(", ", roles) + "]";
    }

    /**
     * What goes inside {@code dense<...>} for a tensor's values, bit-exact: integers in decimal,
     * floats as hex bit patterns, one element for a splat, nothing for an empty tensor, and one
     * hex blob of the little-endian bytes for complex or large tensors.
     */
    static String denseLiteral(Tensor value) {
        DType t = value.type();
        int n = value.size();
        if (n == 0) {
            return "";
        }
        HostData h = value.host();
        byte[] bytes = h.toByteArray();
        int w = t.byteSize();
        boolean splat = true;
        for (int i = w; i < bytes.length && splat; i++) {
            splat = bytes[i] == bytes[i % w];
        }
        if (splat) {
            return t.isComplex() ? blob(java.util.Arrays.copyOf(bytes, w)) : element(bytes, t, 0);
        }
        if (t.isComplex() || n > BLOB_THRESHOLD) {
            return blob(bytes);
        }
        StringBuilder s = new StringBuilder(n * 12);
        nested(s, bytes, t, value.shape().dims(), 0, 0);
        return s.toString();
    }

    private static int nested(StringBuilder s, byte[] bytes, DType t, int[] dims, int axis, int index) {
        if (axis == dims.length) {
            s.append(element(bytes, t, index));
            return index + 1;
        }
        s.append('[');
        for (int i = 0; i < dims[axis]; i++) {
            if (i > 0) {
                s.append(", ");
            }
            index = nested(s, bytes, t, dims, axis + 1, index);
        }
        s.append(']');
        return index;
    }

    /** One element: decimal for integers (u64 unsigned), the hex bit pattern for floats. */
    private static String element(byte[] bytes, DType t, int i) {
        int w = t.byteSize();
        // Read from the bytes themselves: the segment accessors cost far more until the JIT has
        // compiled them, and a trace lowers mostly before it has.
        long bits = 0;
        for (int k = w - 1; k >= 0; k--) {
            bits = (bits << 8) | (bytes[i * w + k] & 0xFF);
        }
        return switch (t) {
            case S8, S16, S32, S64 -> Long.toString(bits << (64 - 8 * w) >> (64 - 8 * w));
            case U8, U16, U32 -> Long.toString(bits);
            case U64 -> Long.toUnsignedString(bits);
            case F16, BF16 -> "0x" + HEX.toHexDigits((short) bits);
            case F32 -> "0x" + HEX.toHexDigits((int) bits);
            case F64 -> "0x" + HEX.toHexDigits(bits);
            case C64, C128 -> throw new AssertionError("complex elements are written as a blob");
        };
    }

    private static String blob(byte[] bytes) {
        return "\"0x" + HEX.formatHex(bytes) + "\"";
    }

    /** Upper-case hex digits; String.format's parsing is the slow way to write them. */
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
}
