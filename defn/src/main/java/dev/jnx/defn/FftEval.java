package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;

import java.lang.foreign.MemorySegment;

/**
 * The reference kernel of {@link Expr.Fft}: a plain O(n²) DFT per vector, in double
 * precision, rounded once to the element type. Twiddle factors index a table by
 * {@code j·k mod n}, and the quarter-turn entries are exact (1, -i, -1, i), so small integer
 * examples come out exact, as XLA's FFT gives them.
 */
final class FftEval {
    private FftEval() {
    }

    static HostData fft(Expr.Fft f, HostData x) {
        DType t = f.type();
        int rank = f.shape().rank();
        int n = f.shape().dim(rank - 1);
        int total = f.shape().size();
        byte[] out = new byte[total * t.byteSize()];
        MemorySegment s = MemorySegment.ofArray(out);
        if (n == 0) {
            return new HostData(out);
        }
        double sign = f.inverse() ? 1 : -1;
        double[] cos = new double[n];
        double[] sin = new double[n];
        for (int m = 0; m < n; m++) {
            long q = 4L * m;
            if (q % n == 0) {
                int quarter = (int) (q / n);
                cos[m] = new double[] {1, 0, -1, 0}[quarter];
                sin[m] = sign * new double[] {0, 1, 0, -1}[quarter];
            } else {
                double angle = 2 * Math.PI * m / n;
                cos[m] = Math.cos(angle);
                sin[m] = sign * Math.sin(angle);
            }
        }
        double[] re = new double[n];
        double[] im = new double[n];
        for (int base = 0; base < total; base += n) {
            for (int k = 0; k < n; k++) {
                re[k] = x.getDouble(t, base + k);
                im[k] = x.getImag(t, base + k);
            }
            for (int j = 0; j < n; j++) {
                double sr = 0;
                double si = 0;
                for (int k = 0; k < n; k++) {
                    int m = (int) ((long) j * k % n);
                    sr += re[k] * cos[m] - im[k] * sin[m];
                    si += re[k] * sin[m] + im[k] * cos[m];
                }
                if (f.inverse()) {
                    sr /= n;
                    si /= n;
                }
                HostData.setComplex(s, t, base + j, sr, si);
            }
        }
        return new HostData(out);
    }
}
