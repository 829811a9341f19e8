// ctorch's matrix products: the tiled product of the backend's gemm entry
// (float32, float64, complex64, complex128; BLAS's column-major conventions)
// and of its integer mm entries (uint8 .. int64, wrapping arithmetic), a
// matrix-vector product for outputs of one column or row, and the sum of
// split-K partials. Arguments: matmul_args.h.
//
// Kernels (sfx u8 i8 i16 i32 i64 f32 f64 c64 c128):
//   ct_gemm_<sfx>         64 x 64 output tile per block of 256 threads, each
//                         thread a 4 x 4 register tile (ct_gemm_args)
//   ct_gemm_f32_l         128 x 128 tile, 8 x 8 per thread (large float32)
//   ct_gemv_rows_<sfx>    one warp (or, for few outputs, eight) per output
//                         element: lanes along K, for a matrix whose K axis
//                         is dense (ct_gemv_args)
//   ct_gemv_cols_<sfx>    one thread per output element, 8 threads along K,
//                         for a matrix whose output axis is dense
//   ct_gemm_finish_<sfx>  alpha * (sum of the K slices) + beta * C
//                         (ct_gemm_finish_args; any launch shape)
// The product kernels take blocks of 256 threads (1-d); the tiled ones a
// grid of tiles_M * tiles_N blocks in x (tiles along M vary fastest), the
// gemv ones ceil(M * wpr / 8) (rows) or ceil(M / 32) (cols) blocks in x; block
// (y, z) computes z * gridDim.y + y = batch * splits + slice (blocks past
// nb * splits return at once).
//
// The tiled product: each K step of BK loads a BM x BK tile of op1 and a
// BK x BN tile of op2 into shared memory (k-major, rows padded by V elements),
// two buffers deep: the next tile is read from global memory into registers
// while the current one is multiplied, and stored into the other buffer
// before the one barrier of the step. A thread owns rows
// g * 16 * V + tx * V + v (V = 16 bytes / element size for floats and
// complex, 1 for integers; g < TM / V) and
// likewise columns with ty, so its reads of shared memory are 16-byte
// vectors that a quarter warp takes from consecutive addresses (no bank
// conflicts), and its writes of C are 16-byte vectors along the dense M
// axis. Global reads are 16-byte vectors for interior tiles of aligned
// operands, element reads otherwise (edges of any M, N, K read zeros).
// Conjugation (BLAS's 'C') is applied as a tile is loaded. float32
// accumulates in float with fused multiply-adds (no TF32), float64 in
// double, complex as (re, im) pairs of its real type, integers in uint32
// (uint64 for int64), which wraps exactly like the CPU's loops mod 2^bits.
// Results agree with the CPU's BLAS to rounding (the order of the sums
// differs), integers exactly.
#include "ct_cuda.cuh"
#include "matmul_args.h"

#if CT_HOST_BUILD
#define CT_MM_UNROLL
#else
#define CT_MM_UNROLL _Pragma("unroll")
#endif

/* ---- element types ----------------------------------------------------- */

template <class R> struct alignas(2 * sizeof(R)) ct_mcx { R re, im; };
template <class T, int V> struct alignas(sizeof(T) * V) ct_mvec { T v[V]; };

/* per storage type: the accumulation type A and the vector width V
 * (elements in 16 bytes; 1 for integers, which are widened as loaded) */
template <class T> struct ct_mmt;
#define CT_MMT(T, AT, VW, INTEGER)                                                     \
    template <> struct ct_mmt<T> {                                                     \
        typedef AT A;                                                                  \
        static constexpr int V = VW;                                                   \
        static constexpr bool integer = INTEGER;                                       \
    };
CT_MMT(uint8_t, uint32_t, 1, true)
CT_MMT(int8_t, uint32_t, 1, true)
CT_MMT(int16_t, uint32_t, 1, true)
CT_MMT(int32_t, uint32_t, 1, true)
CT_MMT(int64_t, uint64_t, 1, true)
CT_MMT(float, float, 4, false)
CT_MMT(double, double, 2, false)
CT_MMT(ct_mcx<float>, ct_mcx<float>, 2, false)
CT_MMT(ct_mcx<double>, ct_mcx<double>, 1, false)
#undef CT_MMT

/* ---- arithmetic of the accumulation types -------------------------------- */

CT_DEV float ct_fmar(float x, float y, float c) { return fmaf(x, y, c); }
CT_DEV double ct_fmar(double x, double y, double c) { return fma(x, y, c); }

/* c + x * y */
CT_DEV float ct_mad(float c, float x, float y) { return fmaf(x, y, c); }
CT_DEV double ct_mad(double c, double x, double y) { return fma(x, y, c); }
CT_DEV uint32_t ct_mad(uint32_t c, uint32_t x, uint32_t y) { return c + x * y; }
CT_DEV uint64_t ct_mad(uint64_t c, uint64_t x, uint64_t y) { return c + x * y; }
template <class R> CT_DEV ct_mcx<R> ct_mad(ct_mcx<R> c, ct_mcx<R> x, ct_mcx<R> y) {
    c.re = ct_fmar(x.re, y.re, c.re);
    c.re = ct_fmar(-x.im, y.im, c.re);
    c.im = ct_fmar(x.re, y.im, c.im);
    c.im = ct_fmar(x.im, y.re, c.im);
    return c;
}

template <class A> CT_DEV A ct_add(A x, A y) { return x + y; }
template <class R> CT_DEV ct_mcx<R> ct_add(ct_mcx<R> x, ct_mcx<R> y) {
    ct_mcx<R> r;
    r.re = x.re + y.re;
    r.im = x.im + y.im;
    return r;
}

template <class A> CT_DEV A ct_mul(A x, A y) { return x * y; }
template <class R> CT_DEV ct_mcx<R> ct_mul(ct_mcx<R> x, ct_mcx<R> y) {
    ct_mcx<R> r;
    r.re = x.re * y.re - x.im * y.im;
    r.im = x.re * y.im + x.im * y.re;
    return r;
}

template <class A> CT_DEV A ct_conj_if(A x, bool) { return x; }
template <class R> CT_DEV ct_mcx<R> ct_conj_if(ct_mcx<R> x, bool cj) {
    if (cj) x.im = -x.im;
    return x;
}

/* a value of the storage type T, widened to its accumulation type */
template <class T> CT_DEV typename ct_mmt<T>::A ct_widen(T x, bool cj) {
    typedef typename ct_mmt<T>::A A;
    return ct_conj_if((A)x, cj);
}

template <class A> CT_DEV A ct_scalar(double re, double) { return (A)re; }
template <> CT_DEV ct_mcx<float> ct_scalar<ct_mcx<float>>(double re, double im) {
    ct_mcx<float> r;
    r.re = (float)re;
    r.im = (float)im;
    return r;
}
template <> CT_DEV ct_mcx<double> ct_scalar<ct_mcx<double>>(double re, double im) {
    ct_mcx<double> r;
    r.re = re;
    r.im = im;
    return r;
}

template <class A> CT_DEV A ct_shfl_xor(A v, int m) { return __shfl_xor_sync(0xffffffffu, v, m); }
template <class R> CT_DEV ct_mcx<R> ct_shfl_xor(ct_mcx<R> v, int m) {
    v.re = __shfl_xor_sync(0xffffffffu, v.re, m);
    v.im = __shfl_xor_sync(0xffffffffu, v.im, m);
    return v;
}

/* 16-byte (V-element) loads and stores; the address is aligned to the vector */
template <int V, class T> CT_DEV ct_mvec<T, V> ct_vload(const T *p) {
#if CT_HOST_BUILD
    ct_mvec<T, V> r;
    std::memcpy((void *)&r, (const void *)p, sizeof r);
    return r;
#else
    return *reinterpret_cast<const ct_mvec<T, V> *>(p);
#endif
}
template <int V, class T> CT_DEV void ct_vstore(T *p, const ct_mvec<T, V> &v) {
#if CT_HOST_BUILD
    std::memcpy((void *)p, (const void *)&v, sizeof v);
#else
    *reinterpret_cast<ct_mvec<T, V> *>(p) = v;
#endif
}

/* ---- the epilogue: alpha * acc + beta * C --------------------------------- */

template <class A> struct ct_ep {
    A alpha, beta;
    int alpha_one, beta_zero, beta_one;
};

template <class A, class Args> CT_DEV ct_ep<A> ct_make_ep(const Args &a) {
    ct_ep<A> e;
    e.alpha = ct_scalar<A>(a.alpha_re, a.alpha_im);
    e.beta = ct_scalar<A>(a.beta_re, a.beta_im);
    e.alpha_one = a.alpha_one;
    e.beta_zero = a.beta_zero;
    e.beta_one = a.beta_one;
    return e;
}

/* the value written to C; old is C's value (not read when beta is 0) */
template <class T, class A> CT_DEV T ct_final(A acc, T old, const ct_ep<A> &e) {
    if constexpr (ct_mmt<T>::integer) {
        (void)old;
        (void)e;
        return (T)acc;
    } else {
        A v = e.alpha_one ? acc : ct_mul(e.alpha, acc);
        if (!e.beta_zero) v = ct_add(v, e.beta_one ? (A)old : ct_mul(e.beta, (A)old));
        return (T)v;
    }
}

/* the batch offset of an operand: off[b] (device array) or b * step */
CT_DEV int64_t ct_boff(uint64_t off, int64_t step, int64_t b) {
    return off ? ((const int64_t *)(uintptr_t)off)[b] : b * step;
}

/* this block's z = batch * splits + slice, its batch and its slice of K
 * (blocks y + z * gridDim.y): false for a block past the last one */
template <class Args>
CT_DEV bool ct_mm_slice(const Args &a, int64_t &z, int64_t &b, int64_t &kbeg, int64_t &kend) {
    z = (int64_t)blockIdx.z * gridDim.y + blockIdx.y;
    if (z >= a.nb * a.splits) return false;
    b = z / a.splits;
    kbeg = (z % a.splits) * (int64_t)a.kslice;
    kend = min((int64_t)a.K, kbeg + a.kslice);
    return true;
}

/* ---- the tiled product ------------------------------------------------------ */

/* The reader of one operand's tiles: this thread's E elements of each
 * R x BK tile (R along M or N from r0, K from p0) of X. rc: the R axis is
 * dense (element (r, p) at X[r + p * ld]), else the K axis is (X[p + r * ld]).
 * Slot u = q * V + v holds element v of vector q (vector index tid + 256 q:
 * along the dense axis (idx % W) * V, across it idx / W lines, W vectors a
 * line), so vector q is vector 0 moved qs lines; elements outside
 * [0, Rn) x [p0, pend) read as zero. The state is one pointer and two
 * counts: what is left of the R axis and of the K axis past this thread's
 * element 0. */
template <class T, int R, int BK, int E>
struct ct_tload {
    typedef typename ct_mmt<T>::A A;
    static constexpr int V = ct_mmt<T>::V;
    const T *p;             /* element 0 of the current tile */
    int64_t qstep, tstep;   /* elements between vectors q and q + 1; between tiles */
    int rrem, prem;
    bool rc;

    CT_DEV void init(const T *X, int64_t ld, bool rc_, int r0, int Rn, int64_t p0, int64_t pend, int tid) {
        rc = rc_;
        const int W = rc ? R / V : BK / V;
        const int c = (tid % W) * V, s = tid / W;
        qstep = (int64_t)(256 / W) * ld;
        if (rc) {
            p = X + (r0 + c) + (p0 + s) * ld;
            rrem = Rn - r0 - c;
            prem = (int)(pend - p0) - s;
            tstep = BK * ld;
        } else {
            p = X + (p0 + c) + (int64_t)(r0 + s) * ld;
            rrem = Rn - r0 - s;
            prem = (int)(pend - p0) - c;
            tstep = BK;
        }
    }
    /* vec: the whole tile is inside and 16-byte aligned */
    CT_DEV void load(A (&st)[E], bool vec, bool cj) const {
        const int qs = rc ? 256 / (R / V) : 256 / (BK / V);
        if (V > 1 && vec) {
CT_MM_UNROLL
            for (int q = 0; q < E / V; q++) {
                ct_mvec<T, V> t = ct_vload<V>(p + q * qstep);
CT_MM_UNROLL
                for (int v = 0; v < V; v++) st[q * V + v] = ct_widen(t.v[v], cj);
            }
        } else {
CT_MM_UNROLL
            for (int q = 0; q < E / V; q++) {
CT_MM_UNROLL
                for (int v = 0; v < V; v++) {
                    const bool ok = rc ? (v < rrem && q * qs < prem) : (q * qs < rrem && v < prem);
                    st[q * V + v] = ok ? ct_widen(p[q * qstep + v], cj) : A{};
                }
            }
        }
    }
    CT_DEV void next() {
        p += tstep;
        prem -= BK;
    }
};

/* Writes the slots read by ct_tload::load into the k-major tile sm[BK][L]. */
template <int R, int BK, int E, int V, int L, class A>
CT_DEV void ct_tile_store(A (*sm)[L], const A (&st)[E], bool rc, int tid) {
    if (rc) {
        constexpr int W = R / V;
CT_MM_UNROLL
        for (int q = 0; q < E / V; q++) {
            const int idx = tid + 256 * q, c = (idx % W) * V, s = idx / W;
            ct_mvec<A, V> t;
CT_MM_UNROLL
            for (int v = 0; v < V; v++) t.v[v] = st[q * V + v];
            ct_vstore<V>(&sm[s][c], t);
        }
    } else {
        constexpr int W = BK / V;
CT_MM_UNROLL
        for (int q = 0; q < E / V; q++) {
            const int idx = tid + 256 * q, c = (idx % W) * V, s = idx / W;
CT_MM_UNROLL
            for (int v = 0; v < V; v++) sm[c + v][s] = st[q * V + v];
        }
    }
}

template <class T, int HM, int HN, int BK>
CT_DEV void ct_gemm_tiled(const ct_gemm_args &a) {
    typedef typename ct_mmt<T>::A A;
    constexpr int V = ct_mmt<T>::V;
    constexpr int BM = 64 * HM, BN = 64 * HN, TM = 4 * HM, TN = 4 * HN;
    constexpr int LM = BM + V, LN = BN + V;
    constexpr int EA = BM * BK / 256, EB = BN * BK / 256;
    static_assert(EA % V == 0 && EB % V == 0 && BK % V == 0 && TM % V == 0 && TN % V == 0,
                  "tile shape");
    alignas(16) __shared__ A sa[2][BK][LM];
    alignas(16) __shared__ A sb[2][BK][LN];

    const int tid = (int)threadIdx.x, tx = tid & 15, ty = tid >> 4;
    const int M = a.M, N = a.N;
    const int64_t tiles_m = (M + BM - 1) / BM;
    const int i0 = (int)((int64_t)blockIdx.x % tiles_m) * BM;
    const int j0 = (int)((int64_t)blockIdx.x / tiles_m) * BN;
    const bool rc1 = !a.tr1, rc2 = a.tr2 != 0;
    const ct_ep<A> ep = ct_make_ep<A>(a);
    int64_t z, b, kbeg, kend;
    if (!ct_mm_slice(a, z, b, kbeg, kend)) return;
    {
        const T *P = (const T *)(uintptr_t)a.P + ct_boff(a.off1, a.step1, b);
        const T *Q = (const T *)(uintptr_t)a.Q + ct_boff(a.off2, a.step2, b);

        A acc[TM][TN];
CT_MM_UNROLL
        for (int i = 0; i < TM; i++)
CT_MM_UNROLL
            for (int j = 0; j < TN; j++) acc[i][j] = A{};

        A ra[EA], rb[EB];
        ct_tload<T, BM, BK, EA> la;
        ct_tload<T, BN, BK, EB> lb;
        la.init(P, a.ld1, rc1, i0, M, kbeg, kend, tid);
        lb.init(Q, a.ld2, rc2, j0, N, kbeg, kend, tid);
        const bool in_m = a.vec1 && i0 + BM <= M, in_n = a.vec2 && j0 + BN <= N;
        la.load(ra, in_m && kbeg + BK <= kend, a.cj1);
        lb.load(rb, in_n && kbeg + BK <= kend, a.cj2);
        ct_tile_store<BM, BK, EA, V>(sa[0], ra, rc1, tid);
        ct_tile_store<BN, BK, EB, V>(sb[0], rb, rc2, tid);
        __syncthreads();

        const int64_t nk = (kend - kbeg + BK - 1) / BK;
        for (int64_t kt = 0; kt < nk; kt++) {
            const int cur = (int)(kt & 1);
            const bool more = kt + 1 < nk;
            if (more) {
                const bool full = kbeg + (kt + 2) * BK <= kend;
                la.next();
                lb.next();
                la.load(ra, in_m && full, a.cj1);
                lb.load(rb, in_n && full, a.cj2);
            }
CT_MM_UNROLL
            for (int k = 0; k < BK; k++) {
                A fa[TM], fb[TN];
CT_MM_UNROLL
                for (int g = 0; g < TM / V; g++) {
                    ct_mvec<A, V> t = ct_vload<V>(&sa[cur][k][g * 16 * V + tx * V]);
CT_MM_UNROLL
                    for (int v = 0; v < V; v++) fa[g * V + v] = t.v[v];
                }
CT_MM_UNROLL
                for (int g = 0; g < TN / V; g++) {
                    ct_mvec<A, V> t = ct_vload<V>(&sb[cur][k][g * 16 * V + ty * V]);
CT_MM_UNROLL
                    for (int v = 0; v < V; v++) fb[g * V + v] = t.v[v];
                }
CT_MM_UNROLL
                for (int i = 0; i < TM; i++)
CT_MM_UNROLL
                    for (int j = 0; j < TN; j++) acc[i][j] = ct_mad(acc[i][j], fa[i], fb[j]);
            }
            if (more) {
                ct_tile_store<BM, BK, EA, V>(sa[cur ^ 1], ra, rc1, tid);
                ct_tile_store<BN, BK, EB, V>(sb[cur ^ 1], rb, rc2, tid);
            }
            __syncthreads();
        }

        if (a.splits > 1) {
            A *W = (A *)(uintptr_t)a.work + z * ((int64_t)M * N);
CT_MM_UNROLL
            for (int j = 0; j < TN; j++) {
                const int col = j0 + (j / V) * 16 * V + ty * V + j % V;
                if (col >= N) continue;
CT_MM_UNROLL
                for (int i = 0; i < TM; i++) {
                    const int row = i0 + (i / V) * 16 * V + tx * V + i % V;
                    if (row < M) W[row + (int64_t)col * M] = acc[i][j];
                }
            }
        } else {
            T *Cb = (T *)(uintptr_t)a.C + b * a.cstep;
CT_MM_UNROLL
            for (int j = 0; j < TN; j++) {
                const int col = j0 + (j / V) * 16 * V + ty * V + j % V;
                if (col >= N) continue;
                T *cc = Cb + (int64_t)col * a.ldc;
CT_MM_UNROLL
                for (int g = 0; g < TM / V; g++) {
                    const int row0 = i0 + g * 16 * V + tx * V;
                    if (V > 1 && a.vecc && row0 + V <= M) {
                        ct_mvec<T, V> o;
                        if (!ep.beta_zero) o = ct_vload<V>(cc + row0);
CT_MM_UNROLL
                        for (int v = 0; v < V; v++)
                            o.v[v] = ct_final<T>(acc[g * V + v][j], ep.beta_zero ? T{} : o.v[v], ep);
                        ct_vstore<V>(cc + row0, o);
                    } else {
CT_MM_UNROLL
                        for (int v = 0; v < V; v++) {
                            const int row = row0 + v;
                            if (row < M)
                                cc[row] = ct_final<T>(acc[g * V + v][j], ep.beta_zero ? T{} : cc[row], ep);
                        }
                    }
                }
            }
        }
    }
}

/* ---- matrix times vector ------------------------------------------------ */

/* the output element of a gemv: y (split: the slice's partial) */
template <class T, class A>
CT_DEV void ct_gemv_out(const ct_gemv_args &a, const ct_ep<A> &ep, int64_t z, int64_t b,
                        int64_t row, A acc) {
    if (a.splits > 1) {
        ((A *)(uintptr_t)a.work)[z * a.M + row] = acc;
    } else {
        T *y = (T *)(uintptr_t)a.C + b * a.cstep + row * a.csr;
        *y = ct_final<T>(acc, ep.beta_zero ? T{} : *y, ep);
    }
}

/* wpr warps per output element (1: eight elements a block; 8: one), lanes
 * along K (dense K: coalesced); the warps of one element add their sums in
 * warp order */
template <class T>
CT_DEV void ct_gemv_rows(const ct_gemv_args &a) {
    typedef typename ct_mmt<T>::A A;
    constexpr int V = ct_mmt<T>::V;
    __shared__ A part[8];
    const int lane = (int)threadIdx.x & 31, warp = (int)threadIdx.x >> 5;
    const int wpr = a.wpr;
    const int64_t row = (int64_t)blockIdx.x * (8 / wpr) + warp / wpr;
    const int sub = warp % wpr;             /* this warp's share of the row */
    const int64_t lanes = 32 * (int64_t)wpr;
    const ct_ep<A> ep = ct_make_ep<A>(a);
    int64_t z, b, kbeg, kend;
    if (!ct_mm_slice(a, z, b, kbeg, kend)) return;
    A acc0 = A{}, acc1 = A{};
    if (row < a.M) {
        const T *x = (const T *)(uintptr_t)a.X + ct_boff(a.offX, a.stepX, b) + row * a.sxr;
        const T *v = (const T *)(uintptr_t)a.v + ct_boff(a.offv, a.stepv, b);
        const bool cx = a.cjX != 0, cv = a.cjv != 0;
        const int64_t me = sub * 32 + lane;
        if (V > 1 && a.vec) {
            const int64_t full = (kend - kbeg) / (lanes * V);
            for (int64_t r = 0; r < full; r++) {
                const int64_t q = kbeg + (r * lanes + me) * V;
                ct_mvec<T, V> tx = ct_vload<V>(x + q), tv = ct_vload<V>(v + q);
CT_MM_UNROLL
                for (int u = 0; u < V; u++) {
                    if (u & 1) acc1 = ct_mad(acc1, ct_widen(tx.v[u], cx), ct_widen(tv.v[u], cv));
                    else acc0 = ct_mad(acc0, ct_widen(tx.v[u], cx), ct_widen(tv.v[u], cv));
                }
            }
            for (int64_t q = kbeg + full * lanes * V + me; q < kend; q += lanes)
                acc0 = ct_mad(acc0, ct_widen(x[q], cx), ct_widen(v[q], cv));
        } else {
            int64_t q = kbeg + me;
            for (; q + lanes < kend; q += 2 * lanes) {
                acc0 = ct_mad(acc0, ct_widen(x[q * a.sxp], cx), ct_widen(v[q * a.svp], cv));
                acc1 = ct_mad(acc1, ct_widen(x[(q + lanes) * a.sxp], cx),
                              ct_widen(v[(q + lanes) * a.svp], cv));
            }
            if (q < kend) acc0 = ct_mad(acc0, ct_widen(x[q * a.sxp], cx), ct_widen(v[q * a.svp], cv));
        }
    }
    A acc = ct_add(acc0, acc1);
CT_MM_UNROLL
    for (int m = 16; m > 0; m >>= 1) acc = ct_add(acc, ct_shfl_xor(acc, m));
    if (wpr == 1) {
        if (lane == 0 && row < a.M) ct_gemv_out<T>(a, ep, z, b, row, acc);
        return;
    }
    if (lane == 0) part[warp] = acc;
    __syncthreads();
    if (threadIdx.x == 0 && row < a.M) {
        acc = part[0];
        for (int w = 1; w < 8; w++) acc = ct_add(acc, part[w]);
        ct_gemv_out<T>(a, ep, z, b, row, acc);
    }
}

/* one thread per output element (dense output axis: coalesced), 8 along K */
template <class T>
CT_DEV void ct_gemv_cols(const ct_gemv_args &a) {
    typedef typename ct_mmt<T>::A A;
    __shared__ A red[8][33];
    const int tx = (int)threadIdx.x & 31, ty = (int)threadIdx.x >> 5;
    const int64_t row = (int64_t)blockIdx.x * 32 + tx;
    const ct_ep<A> ep = ct_make_ep<A>(a);
    int64_t z, b, kbeg, kend;
    if (!ct_mm_slice(a, z, b, kbeg, kend)) return;
    {
        A acc0 = A{}, acc1 = A{};
        if (row < a.M) {
            const T *x = (const T *)(uintptr_t)a.X + ct_boff(a.offX, a.stepX, b) + row * a.sxr;
            const T *v = (const T *)(uintptr_t)a.v + ct_boff(a.offv, a.stepv, b);
            const bool cx = a.cjX != 0, cv = a.cjv != 0;
            int64_t q = kbeg + ty;
            for (; q + 8 < kend; q += 16) {
                acc0 = ct_mad(acc0, ct_widen(x[q * a.sxp], cx), ct_widen(v[q * a.svp], cv));
                acc1 = ct_mad(acc1, ct_widen(x[(q + 8) * a.sxp], cx), ct_widen(v[(q + 8) * a.svp], cv));
            }
            if (q < kend) acc0 = ct_mad(acc0, ct_widen(x[q * a.sxp], cx), ct_widen(v[q * a.svp], cv));
        }
        red[ty][tx] = ct_add(acc0, acc1);
        __syncthreads();
        if (ty == 0 && row < a.M) {
            A acc = red[0][tx];
CT_MM_UNROLL
            for (int t = 1; t < 8; t++) acc = ct_add(acc, red[t][tx]);
            ct_gemv_out<T>(a, ep, z, b, row, acc);
        }
        __syncthreads();
    }
}

/* ---- the sum of split-K partials ---------------------------------------------- */

template <class T>
CT_DEV void ct_gemm_finish(const ct_gemm_finish_args &a) {
    typedef typename ct_mmt<T>::A A;
    ct_ep<A> ep = ct_make_ep<A>(a);
    if (a.splits == 0) ep.alpha_one = 1;        /* an empty sum: C = beta C */
    const int64_t mn = (int64_t)a.M * a.N;
    const A *W = (const A *)(uintptr_t)a.work;
    CT_GRID_STRIDE(idx, a.nb * mn) {
        const int64_t b = idx / mn, r = idx % mn;
        A acc = A{};
        for (int s = 0; s < a.splits; s++) acc = ct_add(acc, W[(b * a.splits + s) * mn + r]);
        T *c = (T *)(uintptr_t)a.C + b * a.cstep + (r % a.M) * a.csi + (r / a.M) * a.csj;
        *c = ct_final<T>(acc, ep.beta_zero ? T{} : *c, ep);
    }
}

/* ---- the kernels ----------------------------------------------------------------- */

/* the tiled kernels run 256 threads a block; MINB blocks a multiprocessor
 * caps their registers (65536 / (256 MINB)) */
#if CT_HOST_BUILD
#define CT_MM_BOUNDS(name, Args, MINB)
#else
#define CT_MM_BOUNDS(name, Args, MINB)                                                       \
    extern "C" __global__ void __launch_bounds__(256, MINB) name(const Args a);
#endif

#define CT_MM_KERNELS(S, T, HM, BK, MINB)                                                    \
    CT_MM_BOUNDS(ct_gemm_##S, ct_gemm_args, MINB)                                            \
    CT_KERNEL(ct_gemm_##S, ct_gemm_args, CT_SYNC) { ct_gemm_tiled<T, HM, HM, BK>(a); }       \
    CT_KERNEL(ct_gemv_rows_##S, ct_gemv_args, CT_SYNC) { ct_gemv_rows<T>(a); }              \
    CT_KERNEL(ct_gemv_cols_##S, ct_gemv_args, CT_SYNC) { ct_gemv_cols<T>(a); }              \
    CT_KERNEL(ct_gemm_finish_##S, ct_gemm_finish_args, CT_SERIAL) { ct_gemm_finish<T>(a); }

CT_MM_KERNELS(u8, uint8_t, 1, 16, 2)
CT_MM_KERNELS(i8, int8_t, 1, 16, 2)
CT_MM_KERNELS(i16, int16_t, 1, 16, 2)
CT_MM_KERNELS(i32, int32_t, 1, 16, 2)
CT_MM_KERNELS(i64, int64_t, 1, 16, 1)
CT_MM_KERNELS(f32, float, 1, 16, 2)
CT_MM_KERNELS(f64, double, 1, 16, 2)
CT_MM_KERNELS(c64, ct_mcx<float>, 1, 16, 2)
CT_MM_KERNELS(c128, ct_mcx<double>, 1, 8, 1)

CT_MM_BOUNDS(ct_gemm_f32_l, ct_gemm_args, 2)
CT_KERNEL(ct_gemm_f32_l, ct_gemm_args, CT_SYNC) { ct_gemm_tiled<float, 2, 2, 8>(a); }
