package dev.jnx.exla;

import dev.jnx.DType;
import dev.jnx.Shape;
import dev.jnx.defn.Expr;

/**
 * The MLIR type of a ranked tensor value, such as {@code tensor<2x3xf32>}. Its text is made once:
 * the generic syntax prints each operand's type at every op that reads it.
 */
final class TensorType {
    private final int[] dims;
    private final String element;
    private final String text;

    /** The type with {@code dims} and the MLIR element type {@code element} ({@code f32}, {@code ui8}, {@code i1}, ...). */
    TensorType(int[] dims, String element) {
        this.dims = dims;
        this.element = element;
        StringBuilder sb = new StringBuilder(16 + 4 * dims.length).append("tensor<");
        for (int d : dims) {
            sb.append(d).append('x');
        }
        this.text = sb.append(element).append('>').toString();
    }

    /** The dimensions. */
    int[] dims() {
        return dims;
    }

    /** The MLIR element type. */
    String element() {
        return element;
    }

    /** The type of a tensor of the given shape and Nx type. */
    static TensorType of(Shape shape, DType type) {
        return new TensorType(shape.dims(), elementType(type));
    }

    /** The type of the value a graph node computes. */
    static TensorType of(Expr e) {
        return of(e.shape(), e.type());
    }

    /** The scalar type of an Nx type. */
    static TensorType scalar(DType type) {
        return of(Shape.scalar(), type);
    }

    /** The same dimensions with another element type. */
    TensorType withElement(String e) {
        return new TensorType(dims, e);
    }

    /** The same element type over other dimensions. */
    TensorType withDims(int... d) {
        return new TensorType(d, element);
    }

    /** The MLIR element type of an Nx type: s32 → i32, u8 → ui8, c64 → complex&lt;f32&gt;. */
    static String elementType(DType type) {
        return switch (type) {
            case S8 -> "i8";
            case S16 -> "i16";
            case S32 -> "i32";
            case S64 -> "i64";
            case U8 -> "ui8";
            case U16 -> "ui16";
            case U32 -> "ui32";
            case U64 -> "ui64";
            case F16 -> "f16";
            case BF16 -> "bf16";
            case F32 -> "f32";
            case F64 -> "f64";
            case C64 -> "complex<f32>";
            case C128 -> "complex<f64>";
        };
    }

    @Override
    public String toString() {
        return text;
    }

    // The text determines the dimensions and the element type.
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorType t && text.equals(t.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
