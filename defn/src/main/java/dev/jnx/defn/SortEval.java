package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

import java.util.Arrays;
import java.util.Comparator;

/** The reference kernel of {@link Expr.Sort}. */
final class SortEval {
    private SortEval() {
    }

    /**
     * Stable sort of each line along the axis by its keys, in XLA's total order for floats
     * (-NaN &lt; -Inf &lt; ... &lt; -0 &lt; +0 &lt; ... &lt; +Inf &lt; +NaN); descending keeps ties in order too.
     */
    static HostData sort(Expr.Sort s, HostData keys, HostData values) {
        Shape shape = s.keys().shape();
        if (shape.size() == 0) {
            return new HostData(new byte[0]);
        }
        int axis = s.axis();
        int n = shape.dim(axis);
        int stride = shape.strides()[axis];
        DType kt = s.keys().type();
        int w = s.type().byteSize();
        byte[] src = values.toByteArray();
        byte[] dst = new byte[src.length];
        Comparator<Integer> asc = keyOrder(kt, keys);
        Comparator<Integer> order = s.descending() ? (a, b) -> asc.compare(b, a) : asc;
        Integer[] line = new Integer[n];
        for (int base = 0; base < shape.size(); base++) {
            if ((base / stride) % n != 0) {
                continue;
            }
            for (int k = 0; k < n; k++) {
                line[k] = base + k * stride;
            }
            Arrays.sort(line, order); // TimSort: stable
            for (int k = 0; k < n; k++) {
                System.arraycopy(src, line[k] * w, dst, (base + k * stride) * w, w);
            }
        }
        return new HostData(dst);
    }

    private static Comparator<Integer> keyOrder(DType t, HostData keys) {
        if (t.isInteger()) {
            return t.isUnsigned() ? (a, b) -> Long.compareUnsigned(keys.getLong(t, a), keys.getLong(t, b))
                    : (a, b) -> Long.compare(keys.getLong(t, a), keys.getLong(t, b));
        }
        return (a, b) -> Long.compare(totalOrderKey(keys.getDouble(t, a)), totalOrderKey(keys.getDouble(t, b)));
    }

    /** A long ordered like IEEE totalOrder: flips the magnitude bits of negative values. */
    static long totalOrderKey(double d) {
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? bits ^ Long.MAX_VALUE : bits;
    }
}
