package dev.jnx.defn;

import dev.jnx.DType;
import dev.jnx.HostData;
import dev.jnx.Shape;

import java.lang.foreign.MemorySegment;

/**
 * Reference kernels of the linear algebra primitives {@link Expr.Dot}, {@link Expr.Cholesky}
 * and {@link Expr.TriangularSolve}: textbook algorithms per matrix of the batch, in double, rounded
 * to the element type on store. Like XLA they read only the triangle the op names.
 */
public final class LinAlgEval {
    private LinAlgEval() {
    }

    /** Cholesky–Banachiewicz, row by row; a non-positive pivot gives NaN (no exception, as XLA). */
    static HostData cholesky(Expr.Cholesky c, HostData x) {
        DType t = c.type();
        Shape s = c.shape();
        int n = s.dim(s.rank() - 1);
        int batches = n == 0 ? 0 : s.size() / (n * n);
        byte[] out = new byte[s.size() * t.byteSize()];
        MemorySegment seg = MemorySegment.ofArray(out);
        double[] l = new double[n * n];
        for (int b = 0; b < batches; b++) {
            int base = b * n * n;
            java.util.Arrays.fill(l, 0);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    double sum = x.getDouble(t, base + i * n + j);
                    for (int k = 0; k < j; k++) {
                        sum -= l[i * n + k] * l[j * n + k];
                    }
                    l[i * n + j] = i == j ? Math.sqrt(sum) : sum / l[j * n + j];
                }
            }
            for (int i = 0; i < n * n; i++) {
                HostData.setDouble(seg, t, base + i, l[i]);
            }
        }
        return new HostData(out);
    }

    /** Forward or back substitution per matrix of the batch; right-side systems are solved transposed. */
    static HostData triangularSolve(Expr.TriangularSolve ts, HostData a, HostData b) {
        DType t = ts.type();
        Shape bs = ts.b().shape();
        int r = bs.rank();
        int n = ts.a().shape().dim(r - 1);
        // Left: B is n×m; right: B is m×n and X·op(A) = B is op(A)ᵀ·Xᵀ = Bᵀ.
        int m = ts.leftSide() ? bs.dim(r - 1) : bs.dim(r - 2);
        int batches = n == 0 || m == 0 ? 0 : bs.size() / (n * m);
        byte[] out = new byte[bs.size() * t.byteSize()];
        MemorySegment seg = MemorySegment.ofArray(out);
        // The effective left matrix M: op(A), transposed once more for the right side.
        boolean transpose = ts.transposeA() ^ !ts.leftSide();
        boolean lowerM = ts.lower() ^ transpose;
        double[] mat = new double[n * n];
        double[] rhs = new double[n * m];
        for (int bt = 0; bt < batches; bt++) {
            int aBase = bt * n * n;
            int bBase = bt * n * m;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    boolean inTriangle = ts.lower() ? j <= i : j >= i;
                    double v = inTriangle ? a.getDouble(t, aBase + i * n + j) : 0;
                    mat[transpose ? j * n + i : i * n + j] = v;
                }
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    rhs[i * m + k] = b.getDouble(t, bBase + (ts.leftSide() ? i * m + k : k * n + i));
                }
            }
            for (int step = 0; step < n; step++) {
                int i = lowerM ? step : n - 1 - step;
                for (int k = 0; k < m; k++) {
                    double sum = rhs[i * m + k];
                    for (int j = 0; j < n; j++) {
                        if (j != i && (lowerM ? j < i : j > i)) {
                            sum -= mat[i * n + j] * rhs[j * m + k];
                        }
                    }
                    rhs[i * m + k] = sum / mat[i * n + i];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < m; k++) {
                    HostData.setDouble(seg, t, bBase + (ts.leftSide() ? i * m + k : k * n + i), rhs[i * m + k]);
                }
            }
        }
        return new HostData(out);
    }

    /** {@code dot_general}: each result element sums the products along the contracted axes (in the result type). */
    static HostData dot(Expr.Dot d, HostData x, HostData y) {
        DType t = d.type();
        Shape sa = d.a().shape();
        Shape sb = d.b().shape();
        int[] stA = sa.strides();
        int[] stB = sb.strides();
        int[] freeA = free(sa.rank(), d.contractA(), d.batchA());
        int[] freeB = free(sb.rank(), d.contractB(), d.batchB());
        Shape out = d.shape();
        int[] stOut = out.strides();
        int nc = d.contractA().length;
        int[] cDims = new int[nc];
        int cSize = 1;
        for (int k = 0; k < nc; k++) {
            cDims[k] = sa.dim(d.contractA()[k]);
            cSize *= cDims[k];
        }
        Out res = new Out(out, t);
        Accumulator acc = new Accumulator(t);
        int nb = d.batchA().length;
        for (int o = 0; o < out.size(); o++) {
            int baseA = 0;
            int baseB = 0;
            int pos = 0;
            for (int k = 0; k < nb; k++, pos++) {
                int idx = (o / stOut[pos]) % out.dim(pos);
                baseA += idx * stA[d.batchA()[k]];
                baseB += idx * stB[d.batchB()[k]];
            }
            for (int k : freeA) {
                baseA += ((o / stOut[pos]) % out.dim(pos)) * stA[k];
                pos++;
            }
            for (int k : freeB) {
                baseB += ((o / stOut[pos]) % out.dim(pos)) * stB[k];
                pos++;
            }
            acc.reset(Expr.ReduceOp.SUM);
            for (int c = 0; c < cSize; c++) {
                int ia = baseA;
                int ib = baseB;
                int rem = c;
                for (int k = nc - 1; k >= 0; k--) {
                    int idx = rem % cDims[k];
                    rem /= cDims[k];
                    ia += idx * stA[d.contractA()[k]];
                    ib += idx * stB[d.contractB()[k]];
                }
                acc.acceptProduct(x, ia, y, ib);
            }
            acc.store(res.seg, o);
        }
        return res.done();
    }

    /** The axes of an operand of rank {@code rank} that a dot neither contracts nor batches, ascending. */
    public static int[] free(int rank, int[] contract, int[] batch) {
        // Loops, not streams: a gradient of a dot calls this while tracing, mostly before the JIT
        // has compiled it, when each stream pipeline costs tens of microseconds.
        boolean[] taken = new boolean[rank];
        for (int a : contract) {
            taken[a] = true;
        }
        for (int a : batch) {
            taken[a] = true;
        }
        int[] out = new int[rank];
        int n = 0;
        for (int a = 0; a < rank; a++) {
            if (!taken[a]) {
                out[n++] = a;
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
