package dev.jnx;

import dev.jnx.defn.Expr;
import dev.jnx.defn.Tracing;

import java.util.Arrays;
import java.util.Objects;

/**
 * {@code Nx.LinAlg}: linear algebra over the last two axes of a tensor (leading axes are a
 * batch). {@link #cholesky} and {@link #triangularSolve} are primitives ({@code stablehlo.cholesky},
 * {@code stablehlo.triangular_solve}) with gradient rules (Nx's for cholesky); everything else is
 * a composition of jnx ops unrolled at trace time over the (static) matrix size, or a
 * {@code whileLoop} of fixed trip count (eigh, svd), so it runs on every backend and XLA needs
 * no LAPACK custom call. Integer inputs are converted to floats as in Nx; complex inputs are not
 * supported yet.
 */
public final class LinAlg {
    private LinAlg() {
    }

    // ------------------------------------------------------------------ helpers

    /** {@code Nx.LinAlg.adjoint} of a real tensor: its last two axes transposed. */
    public static Tensor adjoint(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.adjoint: argument t");
        if (t.rank() < 2) {
            return t;
        }
        int r = t.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return Nx.transpose(t, perm);
    }

    /**
     * The matrix product over the last two axes with the leading axes as batch (Nx.dot with batch
     * axes); a vector operand contracts its one axis as in {@code Nx.dot}: two vectors give their
     * inner product, a vector on the left contracts with the rows of {@code b}, on the right with
     * the columns of {@code a}. Scalars, and matrix batches of different ranks, are refused.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "LinAlg.matmul: argument a");
        Objects.requireNonNull(b, "LinAlg.matmul: argument b");
        int ra = a.rank();
        int rb = b.rank();
        if (ra == 0 || rb == 0 || (ra > 1 && rb > 1 && ra != rb)) {
            throw new IllegalArgumentException("matmul: expected vectors, matrices or batches of matrices of "
                    + "equal rank, got " + describe(a) + " and " + describe(b));
        }
        if (ra == 1 || rb == 1) {
            return Nx.dot(a, new int[] {ra - 1}, new int[0], b, new int[] {Math.max(rb - 2, 0)}, new int[0]);
        }
        int[] batch = new int[ra - 2];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i;
        }
        return Nx.dot(a, new int[] {ra - 1}, batch, b, new int[] {rb - 2}, batch);
    }

    private static String describe(Tensor t) {
        return t.type() + Arrays.toString(t.shape().dims());
    }

    /** {@code t} as a float tensor (integers become floats as in Nx); rejects complex types. */
    private static Tensor floating(Tensor t, String op) {
        if (t.type().isComplex()) {
            throw new IllegalArgumentException(op + ": complex tensors are not supported yet, got " + describe(t));
        }
        return t.type().isInteger() ? Nx.asType(t, t.type().toFloating()) : t;
    }

    /** Checks {@code t} is a square matrix or a batch of them. */
    private static void requireSquare(Tensor t, String op) {
        if (t.rank() < 2 || t.shape().dim(-1) != t.shape().dim(-2)) {
            throw new IllegalArgumentException(op + ": expected a square matrix or a batch of square matrices, got "
                    + describe(t));
        }
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            r[i] = i;
        }
        return r;
    }

    /** Zeros of {@code t}'s shape and type: the cotangent of an output a loss does not read. */
    private static Tensor zerosLike(Tensor t) {
        return Nx.broadcast(Nx.scalar(0, t.type()), t.shape());
    }

    /** The slice of the last two axes at rows {@code [r0, r0 + nr)}, columns {@code [c0, c0 + nc)}. */
    private static Tensor block(Tensor t, int r0, int nr, int c0, int nc) {
        int r = t.rank();
        int[] starts = new int[r];
        int[] lengths = t.shape().dims().clone();
        starts[r - 2] = r0;
        starts[r - 1] = c0;
        lengths[r - 2] = nr;
        lengths[r - 1] = nc;
        return Nx.slice(t, starts, lengths);
    }

    // ------------------------------------------------------------------ primitives

    /** {@code Nx.LinAlg.cholesky}: lower-triangular L with L·Lᵀ = t for symmetric positive-definite t. */
    public static Tensor cholesky(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.cholesky: argument t");
        requireSquare(t, "cholesky");
        Tensor x = floating(t, "cholesky");
        Tensor l = Tracing.bind(new Expr.Cholesky(Tracing.nodeOf(x), x.shape(), x.type()), x);
        // XLA leaves the upper triangle unspecified.
        return Nx.tril(l, 0);
    }

    /** {@code Nx.LinAlg.triangular_solve(a, b)}: x with a·x = b for lower-triangular a. */
    public static Tensor triangularSolve(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "LinAlg.triangular_solve: argument a");
        Objects.requireNonNull(b, "LinAlg.triangular_solve: argument b");
        return triangularSolve(a, b, true, true, false);
    }

    /**
     * {@code Nx.LinAlg.triangular_solve(a, b, lower:, left_side:, transform_a:)}: solves
     * {@code op(a)·x = b} ({@code leftSide}) or {@code x·op(a) = b}, reading the lower (or upper)
     * triangle of {@code a}; {@code op} is a transpose when {@code transposeA}. {@code b} is a
     * batch of matrices or, on the left side, of vectors.
     */
    public static Tensor triangularSolve(Tensor a, Tensor b, boolean lower, boolean leftSide, boolean transposeA) {
        Objects.requireNonNull(a, "LinAlg.triangular_solve: argument a");
        Objects.requireNonNull(b, "LinAlg.triangular_solve: argument b");
        String op = "triangular_solve";
        requireSquare(a, op);
        if (a.type().isComplex() || b.type().isComplex()) {
            throw new IllegalArgumentException(op + ": complex tensors are not supported yet, got a " + describe(a)
                    + " and b " + describe(b));
        }
        int n = a.shape().dim(-1);
        int r = a.rank();
        boolean vector = b.rank() == r - 1;
        int[] batch = Arrays.copyOf(a.shape().dims(), r - 2);
        boolean ok = (vector || b.rank() == r)
                && Arrays.equals(Arrays.copyOf(b.shape().dims(), r - 2), batch)
                && (vector ? b.shape().dim(-1) == n && leftSide
                        : (leftSide ? b.shape().dim(-2) : b.shape().dim(-1)) == n);
        if (!ok) {
            throw new IllegalArgumentException(op + ": incompatible dimensions for a " + describe(a) + " and b "
                    + describe(b) + ": expected b of shape [batch..., " + n + (leftSide ? ", m] or [batch..., " + n + "]"
                    : "] as the last axis of [batch..., m, " + n + "]"));
        }
        DType type = DType.merge(a.type(), b.type()).toFloating();
        Tensor fa = Nx.asType(a, type);
        Tensor fb = Nx.asType(b, type);
        if (vector) {
            fb = Nx.newAxis(fb, r - 1);
        }
        Tensor x = Tracing.bind(new Expr.TriangularSolve(Tracing.nodeOf(fa), Tracing.nodeOf(fb), leftSide, lower, transposeA,
                fb.shape(), type), fa, fb);
        return vector ? Nx.reshape(x, b.shape()) : x;
    }

    // ------------------------------------------------------------------ compositions

    /**
     * {@code Nx.LinAlg.lu}: {@code {p, l, u}} with {@code p·l·u = t}; p has t's type. Gaussian
     * elimination with partial pivoting, as Nx's: each pivot is the first largest magnitude at or
     * below the diagonal of the column as elimination has left it; unrolled over the columns.
     */
    public static Tensor[] lu(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.lu: argument t");
        requireSquare(t, "lu");
        Tensor[] plu = factorLu(floating(t, "lu"));
        return new Tensor[] {Nx.asType(plu[0], t.type()), plu[1], plu[2]};
    }

    /**
     * {p, l, u, det(p)}: the LU factors, each pivot the largest remaining magnitude of the
     * reduced column, and the sign of the row permutation (a batch of scalars).
     */
    private static Tensor[] factorLu(Tensor a) {
        Shape s = a.shape();
        int r = a.rank();
        int n = s.dim(-1);
        DType type = a.type();
        Tensor colIdx = Nx.iota(s, DType.S32, r - 1);
        int[] colDims = s.dims().clone();
        colDims[r - 1] = 1;
        Shape colShape = Shape.of(colDims);
        Tensor colRow = Nx.iota(colShape, DType.S32, r - 2);
        Tensor perm = Nx.eye(s, type);
        Tensor l = Nx.broadcast(Nx.scalar(0, type), s);
        Shape batch = Shape.of(Arrays.copyOf(s.dims(), r - 2));
        Tensor sign = Nx.broadcast(Nx.scalar(1, type), batch);
        for (int k = 0; k < n; k++) {
            // Pivot: the largest |a[i][k]| for i >= k; rows above are out of the running.
            Tensor col = block(a, 0, n, k, 1);
            Tensor cand = Nx.select(Nx.less(colRow, k), Nx.scalar(-1, type), Nx.abs(col));
            Tensor piv = Nx.argmax(cand, r - 2, false, true, DType.S32);
            // Swap matrix S (rows k and piv exchanged): S[i][j] = (j == sw[i]).
            Tensor sw = Nx.select(Nx.equal(colRow, k), piv, Nx.select(Nx.equal(colRow, piv), Nx.scalar(k), colRow));
            Tensor swap = Nx.asType(Nx.equal(colIdx, sw), type);
            a = matmul(swap, a);
            l = matmul(swap, l);
            sign = Nx.multiply(sign, Nx.reshape(Nx.select(Nx.equal(piv, k), Nx.scalar(1, type), Nx.scalar(-1, type)),
                    batch));
            perm = matmul(swap, perm);
            // Eliminate below the pivot; a zero pivot (singular) leaves the column as is.
            Tensor pivotRow = block(a, k, 1, 0, n);
            Tensor pivot = block(a, k, 1, k, 1);
            Tensor safe = Nx.select(Nx.equal(pivot, 0), Nx.scalar(1, type), pivot);
            Tensor f = Nx.select(Nx.greater(colRow, k), Nx.divide(block(a, 0, n, k, 1), safe), Nx.scalar(0, type));
            a = Nx.subtract(a, Nx.multiply(f, pivotRow));
            l = Nx.add(l, Nx.select(Nx.equal(colIdx, k), Nx.broadcast(f, s), Nx.broadcast(Nx.scalar(0, type), s)));
        }
        l = Nx.add(l, Nx.eye(s, type));
        Tensor u = Nx.triu(a, 0);
        // perm·t = l·u, so t = permᵀ·l·u.
        return new Tensor[] {adjoint(perm), l, u, sign};
    }

    /** {@code Nx.LinAlg.qr(t)}: {@code {q, r}} in reduced mode (q [.., m, k], r [.., k, n], k = min(m, n)). */
    public static Tensor[] qr(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.qr: argument t");
        return qr(t, "reduced", 1.0e-10);
    }

    /**
     * {@code Nx.LinAlg.qr(t, mode:, eps:)}: Householder reflections, one per column, as Nx's
     * implementation (a column already zero below the diagonal, up to {@code eps}, is left as
     * is, entries within {@code eps} of zero are flushed, and r is exactly upper triangular);
     * {@code mode} "reduced" or "complete" (q [.., m, m], r [.., m, n]). Wide matrices are padded
     * with zero rows first. Gradients use the closed-form rule of {@code qrBackward}, not the
     * reflections.
     */
    public static Tensor[] qr(Tensor t, String mode, double eps) {
        Objects.requireNonNull(t, "LinAlg.qr: argument t");
        Objects.requireNonNull(mode, "LinAlg.qr: argument mode");
        String op = "qr";
        if (t.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor of rank 2 or more, got " + describe(t));
        }
        if (!mode.equals("reduced") && !mode.equals("complete")) {
            throw new IllegalArgumentException(op + ": invalid mode " + mode + ", expected reduced or complete");
        }
        Tensor input = floating(t, op);
        Tensor[] qr = householderQr(input, mode, eps);
        Tensor q = qr[0];
        Tensor r = qr[1];
        return new Tensor[] {
                Kernel.customGrad(q, java.util.List.of(input),
                        gq -> java.util.List.of(qrBackward(q, r, gq, zerosLike(r)))),
                Kernel.customGrad(r, java.util.List.of(input),
                        gr -> java.util.List.of(qrBackward(q, r, zerosLike(q), gr)))};
    }

    /** The Householder QR of a float tensor {@code a}: {q, r} of {@link #qr(Tensor, String, double)}. */
    private static Tensor[] householderQr(Tensor a, String mode, double eps) {
        DType type = a.type();
        int rank = a.rank();
        int mIn = a.shape().dim(-2);
        int nIn = a.shape().dim(-1);
        boolean wide = mIn < nIn;
        if (wide) {
            int[][] cfg = new int[rank][];
            for (int d = 0; d < rank; d++) {
                cfg[d] = new int[] {0, d == rank - 2 ? nIn - mIn : 0, 0};
            }
            a = Nx.pad(a, Nx.scalar(0, type), cfg);
        }
        int m = a.shape().dim(-2);
        int maxI = wide ? nIn - 1 : (m == nIn ? nIn - 2 : nIn - 1);
        int[] vecDims = Arrays.copyOf(a.shape().dims(), rank - 1);
        Shape vec = Shape.of(vecDims);
        int[] qDims = a.shape().dims().clone();
        qDims[rank - 1] = m;
        Tensor q = Nx.eye(Shape.of(qDims), type);
        Tensor r = a;
        Tensor rowIota = Nx.iota(vec, DType.S32, rank - 2);
        Tensor epsT = Nx.scalar(eps, type);
        int[] last = {rank - 2};
        for (int i = 0; i <= maxI; i++) {
            Tensor x = Nx.reshape(block(r, 0, m, i, 1), vec);
            x = Nx.select(Nx.less(rowIota, i), Nx.scalar(0, type), x);
            int[] st = new int[rank - 1];
            int[] len = vecDims.clone();
            st[rank - 2] = i;
            len[rank - 2] = 1;
            Tensor xi = Nx.slice(x, st, len);
            // The squared norm below the diagonal summed directly rather than as |x|² - xᵢ² (Nx):
            // the difference is rounding where the column is already reduced, and XLA:CPU,
            // contracting it into a fused multiply-add, got a residue above eps and reflected a
            // column the reference backend left alone (r's rows then differ in sign).
            Tensor below = Nx.select(Nx.greater(rowIota, i), x, Nx.scalar(0, type));
            Tensor rest = Nx.sum(Nx.multiply(below, below), last, true);
            Tensor norm = Nx.sqrt(Nx.add(rest, Nx.multiply(xi, xi)));
            Tensor v0 = Nx.select(Nx.lessEqual(xi, 0), Nx.subtract(xi, norm),
                    Nx.divide(Nx.negate(rest), Nx.add(xi, norm)));
            Tensor skip = Nx.less(rest, epsT);
            Tensor v = Nx.select(Nx.equal(rowIota, i), Nx.select(skip, Nx.scalar(1, type), v0), x);
            v = Nx.divide(v, Nx.select(skip, Nx.scalar(1, type), v0));
            Tensor vSq = Nx.sum(Nx.multiply(v, v), last, true);
            Tensor scale = Nx.select(skip, Nx.scalar(0, type), Nx.divide(Nx.scalar(2, type),
                    Nx.select(skip, Nx.scalar(1, type), vSq)));
            Tensor vRow = Nx.newAxis(v, rank - 2);
            Tensor vCol = Nx.newAxis(v, rank - 1);
            Tensor scale2 = Nx.newAxis(scale, rank - 1);
            r = Nx.subtract(r, Nx.multiply(scale2, Nx.multiply(vCol, matmul(vRow, r))));
            q = Nx.subtract(q, Nx.multiply(scale2, Nx.multiply(matmul(q, vCol), vRow)));
        }
        q = Nx.select(Nx.lessEqual(Nx.abs(q), epsT), Nx.scalar(0, type), q);
        // Rounding leaves entries of about ulp·|a| below the diagonal, larger than eps in f32.
        r = Nx.triu(Nx.select(Nx.lessEqual(Nx.abs(r), epsT), Nx.scalar(0, type), r), 0);
        if (wide) {
            return new Tensor[] {block(q, 0, mIn, 0, mIn), block(r, 0, mIn, 0, nIn)};
        }
        if (mode.equals("reduced") && m > nIn) {
            return new Tensor[] {block(q, 0, m, 0, nIn), block(r, 0, nIn, 0, nIn)};
        }
        return new Tensor[] {q, r};
    }

    /**
     * The QR decomposition's vector-Jacobian product (Roberts and Roberts, arXiv:2009.10071, as
     * Nx's rule). When r has at least as many rows as columns: {@code (gQ + Q·copyltu(M))·R⁻ᵀ}
     * with {@code M = R·gRᵀ - gQᵀ·Q} and copyltu copying the lower triangle onto the upper (in
     * complete mode on R's leading square block, Q's complement columns folded into gQ). A wide input
     * {@code [X | Y]} has {@code R = [U | V]} where {@code Q, U} is the QR of X and
     * {@code V = Qᵀ·Y}: X gets the square rule with {@code gQ + Y·gVᵀ}, Y gets {@code Q·gV}.
     */
    private static Tensor qrBackward(Tensor q, Tensor r, Tensor gq, Tensor gr) {
        int rows = r.shape().dim(-2);
        int cols = r.shape().dim(-1);
        if (rows >= cols) {
            return qrSquareBackward(q, r, gq, gr);
        }
        Tensor u = block(r, 0, rows, 0, rows);
        Tensor v = block(r, 0, rows, rows, cols - rows);
        Tensor gu = block(gr, 0, rows, 0, rows);
        Tensor gv = block(gr, 0, rows, rows, cols - rows);
        Tensor y = matmul(q, v);
        Tensor gx = qrSquareBackward(q, u, Nx.add(gq, matmul(y, adjoint(gv))), gu);
        return Nx.concatenate(java.util.List.of(gx, matmul(q, gv)), -1);
    }

    private static Tensor qrSquareBackward(Tensor q, Tensor r, Tensor gq, Tensor gr) {
        int m = q.shape().dim(-2);
        int k = r.shape().dim(-1);
        if (q.shape().dim(-1) > k) {
            // Complete mode of a tall matrix: Q = [Q₁ | Q₂], Q₂ any orthonormal complement, taken to
            // move only as Q₁ forces it (Q₂ᵀ·dQ₂ = 0; exact for losses of the projector Q₂·Q₂ᵀ, and
            // what the SVD's rule does); R's zero rows get nothing.
            Tensor q1 = block(q, 0, m, 0, k);
            Tensor q2 = block(q, 0, m, k, m - k);
            Tensor gq1 = Nx.subtract(block(gq, 0, m, 0, k), matmul(matmul(q2, adjoint(block(gq, 0, m, k, m - k))), q1));
            return qrSquareBackward(q1, block(r, 0, k, 0, k), gq1, block(gr, 0, k, 0, k));
        }
        Tensor mm = Nx.subtract(matmul(r, adjoint(gr)), matmul(adjoint(gq), q));
        Tensor copyltu = Nx.add(Nx.tril(mm, 0), adjoint(Nx.tril(mm, -1)));
        // (gQ + Q·copyltu(M))·R⁻ᵀ: solve X·Rᵀ = gQ + Q·copyltu(M).
        return triangularSolve(r, Nx.add(gq, matmul(q, copyltu)), false, false, true);
    }

    /** Jacobi sweeps {@link #eigh} runs: convergence is quadratic, so this is ample for small matrices in f64. */
    public static final int EIGH_SWEEPS = 12;

    /**
     * {@code Nx.LinAlg.eigh}: {@code {eigenvalues [.., n], eigenvectors [.., n, n]}} of symmetric
     * matrices (eigenvectors in the columns, orthonormal), by cyclic Jacobi rotations: a fixed
     * {@link #EIGH_SWEEPS} sweeps in a {@code whileLoop}, each sweep unrolled over the n(n-1)/2
     * pairs. Eigenvalues come in the order the rotations leave them (not sorted, as in Nx).
     * Gradients use the closed-form rule of {@code eighBackward}, not the loop.
     */
    public static Tensor[] eigh(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.eigh: argument t");
        requireSquare(t, "eigh");
        Tensor a0 = floating(t, "eigh");
        Shape s = a0.shape();
        int r = a0.rank();
        int n = s.dim(-1);
        DType type = a0.type();
        Tensor rowIdx = Nx.iota(s, DType.S32, r - 2);
        Tensor colIdx = Nx.iota(s, DType.S32, r - 1);
        Tensor eye = Nx.eye(s, type);
        java.util.List<Tensor> out = Kernel.whileLoop(
                java.util.List.of(Nx.scalar(0), a0, eye),
                st -> Nx.less(st.get(0), EIGH_SWEEPS),
                st -> {
                    Tensor a = st.get(1);
                    Tensor v = st.get(2);
                    for (int p = 0; p < n - 1; p++) {
                        for (int q = p + 1; q < n; q++) {
                            Tensor apq = block(a, p, 1, q, 1);
                            Tensor app = block(a, p, 1, p, 1);
                            Tensor aqq = block(a, q, 1, q, 1);
                            Tensor j = jacobiRotation(aqq, app, apq, Nx.equal(apq, 0), p, q, rowIdx, colIdx, eye);
                            a = matmul(matmul(adjoint(j), a), j);
                            v = matmul(v, j);
                        }
                    }
                    return java.util.List.of(Nx.add(st.get(0), 1), a, v);
                });
        Tensor values = Nx.sum(Nx.multiply(out.get(1), eye), new int[] {r - 1}, false);
        Tensor vectors = out.get(2);
        return new Tensor[] {
                Kernel.customGrad(values, java.util.List.of(a0),
                        gw -> java.util.List.of(eighBackward(values, vectors, gw, null))),
                Kernel.customGrad(vectors, java.util.List.of(a0),
                        gv -> java.util.List.of(eighBackward(values, vectors, null, gv)))};
    }

    /**
     * The Jacobi rotation J (identity but {@code J[p][p] = J[q][q] = c}, {@code J[p][q] = s},
     * {@code J[q][p] = -s}) that zeroes the (p, q) entry of the 2×2 problem
     * {@code [[app, apq], [apq, aqq]]}: {@code θ = (aqq - app) / 2apq}, {@code t = sign(θ) /
     * (|θ| + √(θ² + 1))}, {@code c = 1/√(t² + 1)}, {@code s = t·c}; no rotation where {@code skip}.
     * Shared by {@link #eigh} (two-sided) and the one-sided Jacobi SVD.
     */
    private static Tensor jacobiRotation(Tensor aqq, Tensor app, Tensor apq, Tensor skip, int p, int q,
                                         Tensor rowIdx, Tensor colIdx, Tensor eye) {
        DType type = eye.type();
        Shape shape = eye.shape();
        Tensor theta = Nx.divide(Nx.subtract(aqq, app), Nx.multiply(Nx.select(skip, Nx.scalar(1, type), apq), 2));
        Tensor sgn = Nx.select(Nx.greaterEqual(theta, 0), Nx.scalar(1, type), Nx.scalar(-1, type));
        Tensor tan = Nx.divide(sgn, Nx.add(Nx.abs(theta), Nx.sqrt(Nx.add(Nx.multiply(theta, theta), 1))));
        tan = Nx.select(skip, Nx.scalar(0, type), tan);
        Tensor c = Nx.rsqrt(Nx.add(Nx.multiply(tan, tan), 1));
        Tensor sn = Nx.multiply(tan, c);
        Tensor diagPq = Nx.logicalAnd(Nx.equal(rowIdx, colIdx), Nx.logicalOr(Nx.equal(rowIdx, p), Nx.equal(rowIdx, q)));
        Tensor upper = Nx.logicalAnd(Nx.equal(rowIdx, p), Nx.equal(colIdx, q));
        Tensor lower = Nx.logicalAnd(Nx.equal(rowIdx, q), Nx.equal(colIdx, p));
        return Nx.select(diagPq, Nx.broadcast(c, shape), Nx.select(upper, Nx.broadcast(sn, shape),
                Nx.select(lower, Nx.broadcast(Nx.negate(sn), shape), eye)));
    }

    /**
     * The eigendecomposition's vector-Jacobian product (as JAX's eigh rule, for a symmetric
     * perturbation): {@code V (diag(gw) + F ∘ (Vᵀ gV)) Vᵀ} with {@code F[i][j] = 1 / (w[j] - w[i])}
     * off the diagonal. Given here rather than through the Jacobi loop, whose loop rule would be
     * wrong. Either cotangent may be null; eigenvalues must be distinct for the vector part.
     */
    private static Tensor eighBackward(Tensor w, Tensor v, Tensor gw, Tensor gv) {
        Shape s = v.shape();
        int[] rowDims = s.dims();
        rowDims[rowDims.length - 2] = 1;
        int[] colDims = s.dims();
        colDims[colDims.length - 1] = 1;
        Tensor vt = adjoint(v);
        Tensor inner;
        if (gw != null) {
            inner = Nx.multiply(Nx.eye(s, v.type()), Nx.broadcast(Nx.reshape(gw, Shape.of(rowDims)), s));
        } else {
            Tensor diff = Nx.subtract(Nx.broadcast(Nx.reshape(w, Shape.of(rowDims)), s),
                    Nx.broadcast(Nx.reshape(w, Shape.of(colDims)), s));
            Tensor diagonal = Nx.equal(Nx.iota(s, DType.S32, s.rank() - 2), Nx.iota(s, DType.S32, s.rank() - 1));
            Tensor f = Nx.select(diagonal, Nx.scalar(0, v.type()),
                    Nx.divide(Nx.scalar(1, v.type()), Nx.select(diagonal, Nx.scalar(1, v.type()), diff)));
            inner = Nx.multiply(f, matmul(vt, gv));
        }
        return matmul(matmul(v, inner), vt);
    }

    /** {@code Nx.LinAlg.svd(t)}: {@code {u, s, vt}} with full matrices (u [.., m, m], vt [.., n, n]). */
    public static Tensor[] svd(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.svd: argument t");
        return svd(t, true);
    }

    /**
     * {@code Nx.LinAlg.svd(t, full_matrices?:)}: {@code {u, s, vt}} with {@code t = u·diag(s)·vt}
     * and s sorted from highest to lowest, by one-sided Jacobi rotations (Hestenes) on the columns
     * of the tall orientation of t: {@link #EIGH_SWEEPS} sweeps in a {@code whileLoop}. Without
     * full matrices u is [.., m, k] and vt [.., k, n] (k = min(m, n)); with them, the missing
     * columns are an orthonormal complement from a complete QR. The singular vectors of zero
     * singular values are an orthonormal complement too (the identity for a zero matrix, as Nx).
     * Gradients use the closed-form rule of {@code svdBackward}, not the rotations.
     */
    public static Tensor[] svd(Tensor t, boolean fullMatrices) {
        Objects.requireNonNull(t, "LinAlg.svd: argument t");
        String op = "svd";
        if (t.rank() < 2) {
            throw new IllegalArgumentException(op + ": expected a tensor of rank 2 or more, got " + describe(t));
        }
        Tensor a = floating(t, op);
        int r = a.rank();
        int m = a.shape().dim(-2);
        int n = a.shape().dim(-1);
        if (m == 0 || n == 0) {
            return emptySvd(a, fullMatrices);
        }
        boolean tall = m >= n;
        Tensor b = tall ? a : adjoint(a);
        Tensor[] usv = thinSvd(b);
        Tensor ub = usv[0];
        Tensor vb = usv[2];
        Tensor ubFull = fullMatrices ? complete(ub) : ub;
        Tensor u = tall ? ubFull : vb;
        Tensor sigma = usv[1];
        Tensor vt = tall ? adjoint(vb) : adjoint(ubFull);
        return new Tensor[] {
                Kernel.customGrad(u, java.util.List.of(a), gu -> java.util.List.of(
                        svdBackward(u, sigma, vt, gu, zerosLike(vt)))),
                Kernel.customGrad(sigma, java.util.List.of(a), gs -> java.util.List.of(
                        singularValuesBackward(u, gs, vt))),
                Kernel.customGrad(vt, java.util.List.of(a), gvt -> java.util.List.of(
                        svdBackward(u, sigma, vt, zerosLike(u), gvt)))};
    }

    /**
     * The SVD of a matrix with no rows or no columns: no singular values, and identities for the
     * full singular vectors (an orthonormal basis, as for a zero matrix), without the rotations,
     * whose loop over empty columns XLA refuses to compile.
     */
    private static Tensor[] emptySvd(Tensor a, boolean fullMatrices) {
        int[] dims = a.shape().dims();
        int r = dims.length;
        int m = dims[r - 2];
        int n = dims[r - 1];
        int[] batch = Arrays.copyOf(dims, r - 2);
        DType type = a.type();
        Tensor u = fullMatrices ? Nx.eye(Shape.of(append(batch, m, m)), type) : empty(append(batch, m, 0), type);
        Tensor vt = fullMatrices ? Nx.eye(Shape.of(append(batch, n, n)), type) : empty(append(batch, 0, n), type);
        return new Tensor[] {u, empty(append(batch, 0), type), vt};
    }

    private static Tensor empty(int[] dims, DType type) {
        return Nx.broadcast(Nx.scalar(0, type), Shape.of(dims));
    }

    private static int[] append(int[] dims, int... more) {
        int[] out = Arrays.copyOf(dims, dims.length + more.length);
        System.arraycopy(more, 0, out, dims.length, more.length);
        return out;
    }

    /**
     * The singular values' vector-Jacobian product, {@code U₁·diag(gs)·V₁ᵀ} (U₁, V₁ the first k =
     * min(m, n) singular vectors): apart from {@code svdBackward}'s vector terms, whose
     * {@code 1 / (s[j]² - s[i]²)} is infinite at repeated singular values and would turn their
     * zero cotangents into NaN, where the singular values' derivative is still defined.
     */
    private static Tensor singularValuesBackward(Tensor u, Tensor gs, Tensor vt) {
        int k = gs.shape().dim(-1);
        Tensor u1 = block(u, 0, u.shape().dim(-2), 0, k);
        Tensor vt1 = block(vt, 0, k, 0, vt.shape().dim(-1));
        return matmul(Nx.multiply(u1, Nx.newAxis(gs, gs.rank() - 1)), vt1);
    }

    /**
     * The singular vectors' vector-Jacobian product (Townsend, "Differentiating the singular value
     * decomposition", as Nx's rule; the singular values' term {@code U·diag(gs)·Vᵀ} is
     * {@code singularValuesBackward}), for {@code a = U·diag(s)·Vᵀ} with at least as many rows as
     * columns (a wide input is its transpose's): {@code U·[(F∘(UᵀgU - gUᵀU))·S +
     * S·(F∘(VᵀgV - gVᵀV))]·Vᵀ + (I - UUᵀ)·gU·S⁻¹·Vᵀ} with {@code F[i][j] = 1 / (s[j]² - s[i]²)}
     * off the diagonal (V is square, so the term in {@code I - VVᵀ} vanishes). Full matrices
     * add, for U's complement columns U₂, {@code -U₂·gU₂ᵀ·U·S⁻¹·Vᵀ} (Nx's rule: U₂ moves only
     * as U forces it, exact for losses of the projector U₂·U₂ᵀ).
     * Singular values must be distinct and non-zero for the vector parts.
     */
    private static Tensor svdBackward(Tensor u, Tensor s, Tensor vt, Tensor gu, Tensor gvt) {
        int m = u.shape().dim(-2);
        int n = vt.shape().dim(-1);
        if (m < n) {
            return adjoint(svdBackward(adjoint(vt), s, adjoint(u), adjoint(gvt), adjoint(gu)));
        }
        int r = u.rank();
        int k = s.shape().dim(-1);
        Tensor u1 = block(u, 0, m, 0, k);
        Tensor gu1 = block(gu, 0, m, 0, k);
        int[] kkDims = u1.shape().dims().clone();
        kkDims[r - 2] = k;
        Shape kk = Shape.of(kkDims);
        Tensor eye = Nx.eye(kk, s.type());
        Tensor diagonal = Nx.notEqual(eye, 0);
        Tensor sRow = Nx.newAxis(s, r - 2);
        Tensor sCol = Nx.newAxis(s, r - 1);
        Tensor diff = Nx.broadcast(Nx.subtract(Nx.multiply(sRow, sRow), Nx.multiply(sCol, sCol)), kk);
        Tensor f = Nx.select(diagonal, Nx.scalar(0, s.type()),
                Nx.divide(Nx.scalar(1, s.type()), Nx.select(diagonal, Nx.scalar(1, s.type()), diff)));
        Tensor sMat = Nx.multiply(eye, sRow);
        Tensor sInv = Nx.multiply(eye, Nx.divide(Nx.scalar(1, s.type()), sRow));
        Tensor utgu = matmul(adjoint(u1), gu1);
        Tensor vtgv = matmul(vt, adjoint(gvt));
        Tensor inner = Nx.add(matmul(Nx.multiply(f, Nx.subtract(utgu, adjoint(utgu))), sMat),
                matmul(sMat, Nx.multiply(f, Nx.subtract(vtgv, adjoint(vtgv)))));
        Tensor ga = Nx.add(matmul(matmul(u1, inner), vt),
                matmul(matmul(Nx.subtract(gu1, matmul(u1, utgu)), sInv), vt));
        int uCols = u.shape().dim(-1);
        if (uCols > k) {
            Tensor u2 = block(u, 0, m, k, uCols - k);
            Tensor gu2 = block(gu, 0, m, k, uCols - k);
            ga = Nx.subtract(ga, matmul(matmul(u2, adjoint(gu2)), matmul(matmul(u1, sInv), vt)));
        }
        return ga;
    }

    /** [u | an orthonormal complement of u's columns], from the complete QR of u. */
    private static Tensor complete(Tensor u) {
        int m = u.shape().dim(-2);
        int k = u.shape().dim(-1);
        if (m == k) {
            return u;
        }
        Tensor q = householderQr(u, "complete", 1.0e-10)[0];
        return Nx.concatenate(java.util.List.of(u, block(q, 0, m, k, m - k)), -1);
    }

    /** Thin SVD of a tall batch b [.., M, N] (N ≤ M): {u [.., M, N], s [.., N], v [.., N, N]}, s descending. */
    private static Tensor[] thinSvd(Tensor b) {
        Shape s = b.shape();
        int r = b.rank();
        int n = s.dim(-1);
        DType type = b.type();
        int[] vDims = s.dims().clone();
        vDims[r - 2] = n;
        Shape vs = Shape.of(vDims);
        Tensor rowIdx = Nx.iota(vs, DType.S32, r - 2);
        Tensor colIdx = Nx.iota(vs, DType.S32, r - 1);
        Tensor eye = Nx.eye(vs, type);
        int[] rows = {r - 2};
        java.util.List<Tensor> out = Kernel.whileLoop(
                java.util.List.of(Nx.scalar(0), b, eye),
                st -> Nx.less(st.get(0), EIGH_SWEEPS),
                st -> {
                    Tensor u = st.get(1);
                    Tensor v = st.get(2);
                    for (int p = 0; p < n - 1; p++) {
                        for (int q = p + 1; q < n; q++) {
                            Tensor up = block(u, 0, s.dim(-2), p, 1);
                            Tensor uq = block(u, 0, s.dim(-2), q, 1);
                            Tensor alpha = Nx.sum(Nx.multiply(up, up), rows, true);
                            Tensor beta = Nx.sum(Nx.multiply(uq, uq), rows, true);
                            Tensor gamma = Nx.sum(Nx.multiply(up, uq), rows, true);
                            // No rotation when the columns are already orthogonal (to rounding).
                            // √α·√β, not √(αβ): αβ overflows f32 for columns of norm 1e10, which
                            // would read as orthogonal and never rotate.
                            Tensor zero = Nx.lessEqual(Nx.abs(gamma), Nx.multiply(Nx.multiply(Nx.sqrt(alpha),
                                    Nx.sqrt(beta)), Nx.scalar(type == DType.F64 ? 1e-15 : 1e-7, type)));
                            Tensor j = jacobiRotation(beta, alpha, gamma, zero, p, q, rowIdx, colIdx, eye);
                            u = matmul(u, j);
                            v = matmul(v, j);
                        }
                    }
                    return java.util.List.of(Nx.add(st.get(0), 1), u, v);
                });
        Tensor u = out.get(1);
        Tensor v = out.get(2);
        Tensor sigma = Nx.sqrt(Nx.sum(Nx.multiply(u, u), rows, false));
        Tensor safe = Nx.select(Nx.equal(sigma, 0), Nx.scalar(1, type), sigma);
        u = Nx.divide(u, Nx.newAxis(safe, r - 2));
        // Sort descending (stable, so ties keep their order).
        Tensor order = Nx.argsort(sigma, r - 2, true);
        sigma = Nx.takeAlongAxis(sigma, order, r - 2);
        u = Nx.takeAlongAxis(u, Nx.broadcast(Nx.newAxis(order, r - 2), u.shape()), r - 1);
        v = Nx.takeAlongAxis(v, Nx.broadcast(Nx.newAxis(order, r - 2), v.shape()), r - 1);
        // Columns of (numerically) zero singular values hold zeros or normalised rounding: take
        // them from the QR of u instead. They come last, after orthonormal columns whose QR
        // reproduces them up to sign, so q's remaining columns are an orthonormal complement.
        double ulp = type == DType.F64 ? 0x1p-52 : 0x1p-23;
        Tensor largest = Nx.reduceMax(sigma, new int[] {r - 2}, true);
        Tensor small = Nx.lessEqual(sigma, Nx.multiply(largest, Nx.scalar(ulp * s.dim(-2), type)));
        Tensor basis = householderQr(u, "reduced", 1.0e-10)[0];
        // QR fixes each column up to sign: keep u's where u has a direction (a tiny singular value
        // can still be exact, e.g. 2√2 next to 1.4e10 in f32), so that u·diag(s)·vᵀ stays t.
        Tensor agree = Nx.greaterEqual(Nx.sum(Nx.multiply(basis, u), rows, true), 0);
        basis = Nx.multiply(basis, Nx.select(agree, Nx.scalar(1, type), Nx.scalar(-1, type)));
        u = Nx.select(Nx.broadcast(Nx.newAxis(small, r - 2), u.shape()), basis, u);
        return new Tensor[] {u, sigma, v};
    }

    /**
     * {@code Nx.LinAlg.pinv}: the Moore–Penrose pseudo-inverse; 1/t for scalars, t/|t|² for
     * vectors, from the thin SVD for matrices (singular values below {@code eps} dropped); all
     * zeros (within eps) gives zeros of the transposed shape.
     */
    public static Tensor pinv(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.pinv: argument t");
        return pinv(t, 1.0e-10);
    }

    /** {@code Nx.LinAlg.pinv(t, eps:)}. */
    public static Tensor pinv(Tensor t, double eps) {
        Objects.requireNonNull(t, "LinAlg.pinv: argument t");
        Tensor a = floating(t, "pinv");
        DType type = a.type();
        Tensor epsT = Nx.scalar(eps, type);
        Tensor allZero = Nx.all(Nx.lessEqual(Nx.abs(a), epsT));
        Tensor result;
        if (a.rank() == 0) {
            result = Nx.divide(Nx.scalar(1, type), Nx.select(allZero, Nx.scalar(1, type), a));
        } else if (a.rank() == 1) {
            Tensor nrm = norm(a);
            result = Nx.divide(a, Nx.select(allZero, Nx.scalar(1, type), Nx.multiply(nrm, nrm)));
        } else {
            Tensor[] usv = svd(a, false);
            Tensor small = Nx.less(Nx.abs(usv[1]), epsT);
            Tensor sInv = Nx.select(small, Nx.scalar(0, type),
                    Nx.divide(Nx.scalar(1, type), Nx.select(small, Nx.scalar(1, type), usv[1])));
            int r = a.rank();
            result = matmul(adjoint(usv[2]), Nx.multiply(Nx.newAxis(sInv, r - 1), adjoint(usv[0])));
        }
        return Nx.select(allZero, Nx.scalar(0, type), result);
    }

    /** {@code Nx.LinAlg.least_squares}: x minimising |a·x - b| for a matrix a [m, n] and vector b [m], as pinv(a)·b. */
    public static Tensor leastSquares(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "LinAlg.least_squares: argument a");
        Objects.requireNonNull(b, "LinAlg.least_squares: argument b");
        return leastSquares(a, b, 1.0e-15);
    }

    /** {@code Nx.LinAlg.least_squares(a, b, eps:)}. */
    public static Tensor leastSquares(Tensor a, Tensor b, double eps) {
        Objects.requireNonNull(a, "LinAlg.least_squares: argument a");
        Objects.requireNonNull(b, "LinAlg.least_squares: argument b");
        String op = "least_squares";
        if (a.type().isComplex() || b.type().isComplex()) {
            throw new IllegalArgumentException(op + ": complex tensors are not supported yet, got a " + describe(a)
                    + " and b " + describe(b));
        }
        if (a.rank() != 2) {
            throw new IllegalArgumentException(op + ": expected a of rank 2, got " + describe(a));
        }
        if (b.rank() != 1) {
            throw new IllegalArgumentException(op + ": expected b of rank 1, got " + describe(b));
        }
        if (a.shape().dim(0) != b.shape().dim(0)) {
            throw new IllegalArgumentException(op + ": a " + describe(a) + " has " + a.shape().dim(0)
                    + " rows but b " + describe(b) + " has " + b.shape().dim(0) + " elements; expected them equal");
        }
        return Nx.dot(pinv(a, eps), b);
    }

    /** {@code Nx.LinAlg.solve}: x with a·x = b; b is a batch of matrices [.., n, m] or vectors [.., n]. */
    public static Tensor solve(Tensor a, Tensor b) {
        Objects.requireNonNull(a, "LinAlg.solve: argument a");
        Objects.requireNonNull(b, "LinAlg.solve: argument b");
        String op = "solve";
        requireSquare(a, op);
        int r = a.rank();
        int n = a.shape().dim(-1);
        boolean vector = b.rank() == r - 1;
        boolean ok = (vector || b.rank() == r)
                && Arrays.equals(Arrays.copyOf(b.shape().dims(), r - 2), Arrays.copyOf(a.shape().dims(), r - 2))
                && b.shape().dim(vector ? -1 : -2) == n;
        if (!ok) {
            throw new IllegalArgumentException(op + ": b " + describe(b) + " has incompatible dimensions for a "
                    + describe(a) + ": expected [batch..., " + n + ", m] or [batch..., " + n + "]");
        }
        if (b.type().isComplex()) {
            throw new IllegalArgumentException(op + ": complex tensors are not supported yet, got b " + describe(b));
        }
        DType type = DType.merge(floating(a, op).type(), b.type()).toFloating();
        Tensor[] plu = factorLu(Nx.asType(a, type));
        Tensor fb = Nx.asType(b, type);
        if (vector) {
            fb = Nx.newAxis(fb, r - 1);
        }
        Tensor y = triangularSolve(plu[1], matmul(adjoint(plu[0]), fb), true, true, false);
        Tensor x = triangularSolve(plu[2], y, false, true, false);
        return vector ? Nx.reshape(x, b.shape()) : x;
    }

    /** {@code Nx.LinAlg.invert}: the inverse of each square matrix (all NaN for singular ones, as Nx). */
    public static Tensor invert(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.invert: argument t");
        requireSquare(t, "invert");
        Tensor a = floating(t, "invert");
        Tensor inverse = solve(a, Nx.eye(a.shape(), a.type()));
        // As Nx: a (numerically) zero determinant gives NaN rather than whatever the solve gives.
        double eps = (a.type() == DType.F64 ? Double.MIN_NORMAL : Float.MIN_NORMAL) * 1.0e3;
        Tensor singular = Nx.lessEqual(Nx.abs(determinant(a)), Nx.scalar(eps, a.type()));
        int r = a.rank();
        Tensor mask = Nx.broadcast(singular, a.shape(), range(r - 2));
        return Nx.select(mask, Nx.scalar(Double.NaN, a.type()), inverse);
    }

    /** {@code Nx.LinAlg.determinant}: the determinant of each square matrix, from its LU factors. */
    public static Tensor determinant(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.determinant: argument t");
        requireSquare(t, "determinant");
        Tensor a = floating(t, "determinant");
        int r = a.rank();
        Tensor[] plu = factorLu(a);
        Tensor diag = Nx.sum(Nx.multiply(plu[2], Nx.eye(a.shape(), a.type())), new int[] {r - 1}, false);
        return Nx.multiply(Nx.product(diag, new int[] {r - 2}, false), plu[3]);
    }

    /**
     * {@code Nx.LinAlg.matrix_power}: {@code t} multiplied by itself {@code n} times (the
     * identity for 0, powers of the inverse for negative n), by repeated squaring.
     */
    public static Tensor matrixPower(Tensor t, int n) {
        Objects.requireNonNull(t, "LinAlg.matrix_power: argument t");
        requireSquare(t, "matrix_power");
        Tensor a = n < 0 ? invert(t) : t;
        long e = Math.abs((long) n);
        Tensor result = null;
        while (e > 0) {
            if ((e & 1) != 0) {
                result = result == null ? a : matmul(result, a);
            }
            e >>= 1;
            if (e > 0) {
                a = matmul(a, a);
            }
        }
        return result == null ? Nx.eye(t.shape(), t.type()) : result;
    }

    /** {@code Nx.LinAlg.norm(t)}: the 2-norm of a vector, the Frobenius norm of a matrix. */
    public static Tensor norm(Tensor t) {
        Objects.requireNonNull(t, "LinAlg.norm: argument t");
        return norm(t, null, null, false);
    }

    /** {@code Nx.LinAlg.norm(t, ord:)}; {@code ord} is an Integer or one of "inf", "neg_inf", "frobenius". */
    public static Tensor norm(Tensor t, Object ord) {
        Objects.requireNonNull(t, "LinAlg.norm: argument t");
        return norm(t, ord, null, false);
    }

    /**
     * {@code Nx.LinAlg.norm(t, ord:, axes:, keep_axes:)} of a 1-D or 2-D tensor: {@code ord} null
     * (2-norm / Frobenius), an Integer (p-norm of a vector; 1, -1 or 2 for a matrix), or "inf",
     * "neg_inf", "frobenius", "nuclear" (sum of singular values; -2 is the smallest).
     */
    public static Tensor norm(Tensor t, Object ord, int[] axes, boolean keepAxes) {
        Objects.requireNonNull(t, "LinAlg.norm: argument t");
        String op = "norm";
        int rank = t.rank();
        if (rank != 1 && rank != 2) {
            throw new IllegalArgumentException(op + ": expected a 1-D or 2-D tensor, got " + describe(t));
        }
        Tensor x = Nx.abs(t);
        x = Nx.asType(x, x.type().toFloating());
        int[] ax = axes == null ? range(rank) : t.shape().normalizeAxes(axes, op);
        if (ord == null) {
            return pNorm(x, 2, ax, keepAxes);
        }
        if (ord instanceof String name) {
            switch (name) {
                case "frobenius" -> {
                    if (rank != 2) {
                        throw new IllegalArgumentException(op + ": expected a 2-D tensor for ord frobenius, got "
                                + describe(t));
                    }
                    return pNorm(x, 2, ax, keepAxes);
                }
                case "inf", "neg_inf" -> {
                    Tensor y = rank == 2 ? Nx.sum(x, new int[] {1}, false) : x;
                    int[] rax = rank == 2 ? new int[] {0} : ax;
                    return name.equals("inf") ? Nx.reduceMax(y, rax, keepAxes) : Nx.reduceMin(y, rax, keepAxes);
                }
                case "nuclear" -> {
                    if (rank != 2) {
                        throw new IllegalArgumentException(op + ": ord nuclear needs a 2-D tensor, got " + describe(t));
                    }
                    return Nx.sum(svd(Nx.asType(t, x.type()), false)[1]);
                }
                default -> throw new IllegalArgumentException(op + ": unknown ord " + name
                        + ", expected an integer, inf, neg_inf, frobenius or nuclear");
            }
        }
        if (!(ord instanceof Integer p)) {
            throw new IllegalArgumentException(op + ": unknown ord " + ord + ", expected an integer or a name");
        }
        if (rank == 1 && p == 0) {
            return Nx.asType(Nx.sum(Nx.notEqual(x, 0), ax, keepAxes), x.type());
        }
        if (rank == 2 && (p == 1 || p == -1)) {
            Tensor y = Nx.sum(x, new int[] {0}, false);
            return p == 1 ? Nx.reduceMax(y, new int[] {0}, keepAxes) : Nx.reduceMin(y, new int[] {0}, keepAxes);
        }
        if (rank == 2 && p == -2) {
            return Nx.reduceMin(svd(Nx.asType(t, x.type()), false)[1], new int[] {0}, keepAxes);
        }
        if (rank == 2 && p != 2) {
            throw new IllegalArgumentException(op + ": invalid ord " + p + " for a 2-D tensor, expected 1, -1, 2 or -2");
        }
        return pNorm(x, p, ax, keepAxes);
    }

    /** (sum |x|^p)^(1/p) over {@code axes}, scaled by the largest |x| first to avoid overflow, as Nx. */
    private static Tensor pNorm(Tensor x, int p, int[] axes, boolean keepAxes) {
        Tensor scale = Nx.reduceMax(x, axes, true);
        scale = Nx.select(Nx.greater(scale, 0), scale, Nx.scalar(1, x.type()));
        Tensor y = Nx.pow(Nx.sum(Nx.pow(Nx.divide(x, scale), Nx.scalar(p, x.type())), axes, true),
                Nx.scalar(1.0 / p, x.type()));
        y = Nx.multiply(y, scale);
        return keepAxes ? y : Nx.squeeze(y, axes);
    }
}
