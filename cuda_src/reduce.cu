// ctorch's reduction kernels: row sums (NaN-skipping ones too), column sums,
// max/min (values and first indices), prod, cumulative sums/products/
// log-sum-exps, running max/min with indices, (log-)softmax and median.
// Each mirrors the CPU kernel of the same entry (ctorch/_kernels/reduce.c):
// the same dtypes, the same accumulation types (integers as int64, half
// sums and running values in float, running float32 / complex64 values in
// double), NaN propagation and first-index rules. Integer results, indices,
// max/min and medians are exact. Floats: row sums up to 4096 elements, row
// products up to 4096 elements and column sums (32 columns or more, or 512
// rows or fewer; up to 512 x 512 rows) add and multiply in the CPU's order,
// so they round as the CPU does; longer rows, scans and softmax combine
// across threads in a tree, which rounds differently (a few ulp).
//
// Every kernel takes a ct_red_args (reduce_args.h) and 256 threads a block
// (the column kernel: TX x TY = 256). Names: ct_red_<op>_<layout>_<sfx> with
//   op      sum, nansum, prod, mm (max/min), ctot (a segment's running
//           total, for long scans), colsum, cum, carry, softmax, median,
//           cumext (cummax/cummin)
//   layout  t: a thread a work item (no synchronisation),
//           w: a warp a work item, b: a block a work item;
//           tp/wp/bp: the same over partial results (the accumulator type)
//           of an earlier launch instead of the input
//   sfx     b u8 i8 i16 i32 i64 f16 f32 f64 c64 c128
// Any grid size is correct (work items are walked grid-stride); block order
// does not matter: partial results go to their own slots and a second
// launch combines them in a fixed order.
#include "ct_cuda.cuh"
#include "ct_fastmath.cuh"
#include "reduce_args.h"
#include <string.h>

namespace ct_rd {

/* ---- element and accumulator types ------------------------------------ */

template <class R> struct cx { R re, im; };          /* complex: re, im in memory */
template <class V> struct mm { V v; int64_t i; };     /* a value and its index (-1: none) */

/* products that nvcc never contracts into an fma with a later add */
#if CT_HOST_BUILD
CT_DEV float fmul(float a, float b) { return a * b; }
CT_DEV double fmul(double a, double b) { return a * b; }
#else
CT_DEV float fmul(float a, float b) { return __fmul_rn(a, b); }
CT_DEV double fmul(double a, double b) { return __dmul_rn(a, b); }
#endif

/* conversions between element and accumulator types */
template <class To> struct cv {
    template <class F> static CT_DEV To f(F v) { return (To)v; }
    static CT_DEV To f(ct_f16 v) { return (To)ct_h2f(v); }
};
template <> struct cv<ct_f16> {
    static CT_DEV ct_f16 f(float v) { return ct_f2h(v); }
    static CT_DEV ct_f16 f(ct_f16 v) { return v; }
};
template <class R> struct cv<cx<R>> {
    template <class S> static CT_DEV cx<R> f(cx<S> v) { cx<R> r = {(R)v.re, (R)v.im}; return r; }
};

template <class A> struct num {
    static CT_DEV A zero() { return (A)0; }
    static CT_DEV A one() { return (A)1; }
};
template <class R> struct num<cx<R>> {
    static CT_DEV cx<R> zero() { cx<R> r = {(R)0, (R)0}; return r; }
    static CT_DEV cx<R> one() { cx<R> r = {(R)1, (R)0}; return r; }
};

/* + and * of accumulators: integers as uint64 (wrapping, as the CPU's adds) */
CT_DEV float add(float a, float b) { return a + b; }
CT_DEV double add(double a, double b) { return a + b; }
CT_DEV uint64_t add(uint64_t a, uint64_t b) { return a + b; }
template <class R> CT_DEV cx<R> add(cx<R> a, cx<R> b) {
    cx<R> r = {a.re + b.re, a.im + b.im};
    return r;
}
CT_DEV float mul(float a, float b) { return fmul(a, b); }
CT_DEV double mul(double a, double b) { return fmul(a, b); }
CT_DEV uint64_t mul(uint64_t a, uint64_t b) { return a * b; }
/* complex products as C's (the CPU's): the plain formula, and when both
 * parts come out NaN, C99 Annex G's recovery of infinite results */
template <class R> CT_DEV bool isinf_(R v) { return v - v != v - v && v == v; }
template <class R> CT_DEV R unit_(R v, bool keep) { return ::copysign(keep ? (R)1 : (R)0, v); }
template <class R> CT_DEV cx<R> mul(cx<R> z, cx<R> w) {
    R a = z.re, b = z.im, c = w.re, d = w.im;
    R ac = fmul(a, c), bd = fmul(b, d), ad = fmul(a, d), bc = fmul(b, c);
    cx<R> r = {ac - bd, ad + bc};
    if (r.re != r.re && r.im != r.im) {
        bool again = false;
        if (isinf_(a) || isinf_(b)) {
            a = unit_(a, isinf_(a));
            b = unit_(b, isinf_(b));
            if (c != c) c = unit_(c, false);
            if (d != d) d = unit_(d, false);
            again = true;
        }
        if (isinf_(c) || isinf_(d)) {
            c = unit_(c, isinf_(c));
            d = unit_(d, isinf_(d));
            if (a != a) a = unit_(a, false);
            if (b != b) b = unit_(b, false);
            again = true;
        }
        if (!again && (isinf_(ac) || isinf_(bd) || isinf_(ad) || isinf_(bc))) {
            if (a != a) a = unit_(a, false);
            if (b != b) b = unit_(b, false);
            if (c != c) c = unit_(c, false);
            if (d != d) d = unit_(d, false);
            again = true;
        }
        if (again) {
            R inf = (R)__int_as_float(0x7f800000);
            r.re = fmul(inf, fmul(a, c) - fmul(b, d));
            r.im = fmul(inf, fmul(a, d) + fmul(b, c));
        }
    }
    return r;
}

/* ---- the ops of the row reductions -------------------------------------
 * T the element type, A the accumulator; ident, comb (flag: the entry's),
 * load (an element at index gi of its row), store (a row's result). */

template <class T_, class A_> struct op_sum {
    typedef T_ T;
    typedef A_ A;
    static constexpr int cpu_lanes = 64;
    static CT_DEV A ident(int) { return num<A>::zero(); }
    static CT_DEV A comb(A x, A y, int) { return add(x, y); }
    static CT_DEV A load(T v, int64_t) { return cv<A>::f(v); }
    static CT_DEV void store(const ct_red_args &a, int64_t r, A v) { ((T *)a.out)[r] = cv<T>::f(v); }
};

/* a product in A, rounded to H after every multiply (half products round
 * to half at each step, as the CPU's ct_half accumulators do). The CPU
 * multiplies four interleaved lanes (i mod 4; the last len mod 4 elements
 * into lane 0) and returns (a0 a1)(a2 a3), computed in A without rounding
 * to H: cpu_lanes asks the thread layout for the same lanes, fin is that
 * final product. */
template <class T_, class A_, class H> struct op_prod {
    typedef T_ T;
    typedef A_ A;
    static constexpr int cpu_lanes = 4;
    static CT_DEV A ident(int) { return num<A>::one(); }
    static CT_DEV A comb(A x, A y, int) { return cv<A>::f(cv<H>::f(mul(x, y))); }
    static CT_DEV A fin(A q0, A q1, A q2, A q3) { return mul(mul(q0, q1), mul(q2, q3)); }
    static CT_DEV A load(T v, int64_t) { return cv<A>::f(v); }
    static CT_DEV void store(const ct_red_args &a, int64_t r, A v) { ((T *)a.out)[r] = cv<T>::f(v); }
};

/* a sum that counts a NaN as 0 (nansum): the sum's order and lanes */
template <class T_, class A_> struct op_nansum : op_sum<T_, A_> {
    static CT_DEV A_ load(T_ v, int64_t) {
        A_ u = cv<A_>::f(v);
        return u == u ? u : (A_)0;
    }
};

/* logcumsumexp's step, log(exp(x) + exp(y)) from the larger of the two (the
 * CPU's ct_lae); only float and double running values take it, the other
 * accumulators have it so that the scans compile for every dtype */
CT_DEV float ninf_f() { return -__int_as_float(0x7f800000); }
template <class R> CT_DEV R lae(R x, R y) {
    R hi = x > y ? x : y, lo = x > y ? y : x;
    if (x != x || y != y) return x + y;
    if (lo == (R)ninf_f()) return hi;
    if (hi == -(R)ninf_f()) return hi;
    return hi + ::log1p(::exp(lo - hi));
}
CT_DEV uint64_t lae(uint64_t x, uint64_t y) { return x + y; }
template <class R> CT_DEV cx<R> lae(cx<R> x, cx<R> y) { return add(x, y); }
template <class A> CT_DEV A lae_ident() { return num<A>::zero(); }
template <> CT_DEV float lae_ident<float>() { return ninf_f(); }
template <> CT_DEV double lae_ident<double>() { return (double)ninf_f(); }

/* a running sum (flag 0), product (flag 1) or log-sum-exp (flag 2) in A:
 * the total of a segment of a long scan */
template <class T_, class A_> struct op_run {
    typedef T_ T;
    typedef A_ A;
    static constexpr int cpu_lanes = 0;
    static CT_DEV A ident(int f) { return f == 2 ? lae_ident<A>() : f ? num<A>::one() : num<A>::zero(); }
    static CT_DEV A comb(A x, A y, int f) { return f == 2 ? lae(x, y) : f ? mul(x, y) : add(x, y); }
    static CT_DEV A load(T v, int64_t) { return cv<A>::f(v); }
    static CT_DEV void store(const ct_red_args &a, int64_t r, A v) { ((T *)a.out)[r] = cv<T>::f(v); }
};

/* max (flag 1) or min with the first index: a NaN beats any number, the
 * lower index wins between NaNs and between equal values */
template <class T_, class V> struct op_mm {
    typedef T_ T;
    typedef mm<V> A;
    static constexpr int cpu_lanes = 0;
    static CT_DEV A ident(int) { A r = {(V)0, -1}; return r; }
    static CT_DEV A comb(A x, A y, int f) {
        if (y.i < 0) return x;
        if (x.i < 0) return y;
        bool xn = x.v != x.v, yn = y.v != y.v;
        if (xn || yn) {
            if (xn && yn) return x.i < y.i ? x : y;
            return xn ? x : y;
        }
        if (f ? x.v > y.v : x.v < y.v) return x;
        if (f ? y.v > x.v : y.v < x.v) return y;
        return x.i < y.i ? x : y;
    }
    static CT_DEV A load(T v, int64_t gi) { A r = {cv<V>::f(v), gi}; return r; }
    static CT_DEV void store(const ct_red_args &a, int64_t r, A v) {
        if (a.out) ((T *)a.out)[r] = cv<T>::f(v.v);
        if (a.idx) ((int64_t *)a.idx)[r] = v.i;
    }
};

/* ---- warp and block exchange ------------------------------------------- */

#if CT_HOST_BUILD
template <class X> CT_DEV X shfl_down(X v, int d) { return __shfl_down_sync(0xffffffffu, v, (unsigned)d); }
template <class X> CT_DEV X shfl_up(X v, int d) { return __shfl_up_sync(0xffffffffu, v, (unsigned)d); }
template <class X> CT_DEV X shfl_idx(X v, int src) { return __shfl_sync(0xffffffffu, v, src); }
#else
/* any trivially copyable value, 32 bits at a time */
#define CT_RD_SHFL(NAME, CALL)                                                          \
    template <class X> CT_DEV X NAME(X v, int d) {                                      \
        constexpr int W = (int)((sizeof(X) + 3) / 4);                                   \
        int w[W];                                                                       \
        w[W - 1] = 0;                                                                   \
        memcpy(w, &v, sizeof(X));                                                       \
        _Pragma("unroll") for (int k = 0; k < W; k++) w[k] = CALL;                      \
        X r;                                                                            \
        memcpy(&r, w, sizeof(X));                                                       \
        return r;                                                                       \
    }
CT_RD_SHFL(shfl_down, __shfl_down_sync(0xffffffffu, w[k], (unsigned)d))
CT_RD_SHFL(shfl_up, __shfl_up_sync(0xffffffffu, w[k], (unsigned)d))
CT_RD_SHFL(shfl_idx, __shfl_sync(0xffffffffu, w[k], d))
#undef CT_RD_SHFL
#endif

/* the warp's combination of v into lane 0 (lane l takes lane l + 16,
 * then l + 8, ... : the CPU's halving of its 32 lanes) */
template <class Op> CT_DEV typename Op::A warp_reduce(typename Op::A v, int f) {
    for (int d = 16; d > 0; d >>= 1) v = Op::comb(v, shfl_down(v, d), f);
    return v;
}

/* the block's combination of v into thread 0 (every thread calls it) */
template <class Op> CT_DEV typename Op::A block_reduce(typename Op::A v, int f) {
    typedef typename Op::A A;
    __shared__ A sh[32];
    int lane = (int)threadIdx.x & 31, w = (int)threadIdx.x >> 5, nw = (int)(blockDim.x >> 5);
    v = warp_reduce<Op>(v, f);
    __syncthreads();                    /* sh is free again (an earlier call has read it) */
    if (lane == 0) sh[w] = v;
    __syncthreads();
    if (w == 0) {
        v = lane < nw ? sh[lane] : Op::ident(f);
        v = warp_reduce<Op>(v, f);
    }
    return v;
}

/* one work item of a row reduction: (row r, segment s) over [lo, hi) */
template <class Op, bool P> CT_DEV typename Op::A item_sum(const ct_red_args &a, int64_t item,
                                                          int64_t tid, int64_t nthr) {
    typedef typename Op::A A;
    typedef typename Op::T T;
    int64_t r = item / a.segs, s = item - r * a.segs;
    int64_t lo = s * a.seglen, hi = lo + a.seglen < a.len ? lo + a.seglen : a.len;
    A acc = Op::ident(a.flag);
    if constexpr (!P && Op::cpu_lanes == 4) {
        /* a thread a row (products of rows up to 4096, cu_reduce.c): the
         * CPU's four lanes, element for element */
        const T *row = (const T *)a.x + r * a.ld;
        int64_t full = lo + (hi - lo) / 4 * 4;
        if (nthr == 1) {
            A q[4] = {acc, acc, acc, acc};
            for (int64_t i = lo; i < full; i += 4)
                for (int k = 0; k < 4; k++) q[k] = Op::comb(q[k], Op::load(row[i + k], i + k), a.flag);
            for (int64_t i = full; i < hi; i++) q[0] = Op::comb(q[0], Op::load(row[i], i), a.flag);
            return Op::fin(q[0], q[1], q[2], q[3]);
        }
    }
    if constexpr (!P && Op::cpu_lanes == 64) {
        /* a warp a row (sums of rows up to 4096, cu_reduce.c): the CPU's 64
         * lanes (lane l holds lanes l and l + 32 and adds them, the first
         * step of the CPU's halving); the last len mod 64 elements are the
         * CPU's separate tail (row_tail), added to the warp's total */
        const T *row = (const T *)a.x + r * a.ld;
        int64_t full = lo + (hi - lo) / 64 * 64;
        if (nthr == 32) {
            A b = acc;
            for (int64_t i = lo + tid; i < full; i += 64) {
                acc = Op::comb(acc, Op::load(row[i], i), a.flag);
                b = Op::comb(b, Op::load(row[i + 32], i + 32), a.flag);
            }
            return Op::comb(acc, b, a.flag);
        }
    }
    if constexpr (P) {
        const A *row = (const A *)a.x + r * a.ld;
        for (int64_t i = lo + tid; i < hi; i += nthr) acc = Op::comb(acc, row[i], a.flag);
    } else {
        const T *row = (const T *)a.x + r * a.ld;
        for (int64_t i = lo + tid; i < hi; i += nthr) acc = Op::comb(acc, Op::load(row[i], i), a.flag);
    }
    return acc;
}

template <class Op> CT_DEV void item_store(const ct_red_args &a, int64_t item, typename Op::A v) {
    if (a.segs == 1) Op::store(a, item, v);
    else ((typename Op::A *)a.part)[item] = v;
}

template <class Op, bool P> CT_DEV void rows_t(const ct_red_args &a) {
    CT_GRID_STRIDE(item, a.rows * a.segs) item_store<Op>(a, item, item_sum<Op, P>(a, item, 0, 1));
}

/* sums in a warp a row: the elements after the last full 64, added one
 * after the other */
template <class Op> CT_DEV typename Op::A row_tail(const ct_red_args &a, int64_t r) {
    typedef typename Op::A A;
    const typename Op::T *row = (const typename Op::T *)a.x + r * a.ld;
    A t = Op::ident(a.flag);
    for (int64_t i = a.len / 64 * 64; i < a.len; i++) t = Op::comb(t, Op::load(row[i], i), a.flag);
    return t;
}

template <class Op, bool P> CT_DEV void rows_w(const ct_red_args &a) {
    int64_t gw = (blockIdx.x * (int64_t)blockDim.x + threadIdx.x) >> 5;
    int64_t nw = (gridDim.x * (int64_t)blockDim.x) >> 5;
    int lane = (int)threadIdx.x & 31;
    for (int64_t item = gw; item < a.rows * a.segs; item += nw) {
        typename Op::A v = warp_reduce<Op>(item_sum<Op, P>(a, item, lane, 32), a.flag);
        if constexpr (!P && Op::cpu_lanes == 64)
            if (lane == 0) v = Op::comb(v, row_tail<Op>(a, item), a.flag);
        if (lane == 0) item_store<Op>(a, item, v);
    }
}

template <class Op, bool P> CT_DEV void rows_b(const ct_red_args &a) {
    for (int64_t item = blockIdx.x; item < a.rows * a.segs; item += gridDim.x) {
        typename Op::A v = item_sum<Op, P>(a, item, threadIdx.x, blockDim.x);
        v = block_reduce<Op>(v, a.flag);
        if (threadIdx.x == 0) item_store<Op>(a, item, v);
    }
}

/* ---- column sums ---------------------------------------------------------
 * out[c] = sum over i < n of x[i * ld + c]; a.rows = n, a.len = cols, rows
 * cut into segments of a.seglen (partials in part[s * cols + c]).
 * cols_t: a thread per (segment, column): a warp reads 32 neighbouring
 * columns of each row. cols_b: blocks of TX x TY threads for few columns,
 * the TY row lanes added in shared memory. */
template <class Op, bool P> CT_DEV typename Op::A col_elem(const ct_red_args &a, int64_t i, int64_t c) {
    if constexpr (P) return ((const typename Op::A *)a.x)[i * a.ld + c];
    else return Op::load(((const typename Op::T *)a.x)[i * a.ld + c], i);
}

template <class Op> CT_DEV void col_store(const ct_red_args &a, int64_t s, int64_t c, typename Op::A v) {
    if (a.segs == 1) Op::store(a, c, v);
    else ((typename Op::A *)a.part)[s * a.len + c] = v;
}

template <class Op, bool P> CT_DEV void cols_t(const ct_red_args &a) {
    CT_GRID_STRIDE(item, a.segs * a.len) {
        int64_t s = item / a.len, c = item - s * a.len;
        int64_t lo = s * a.seglen, hi = lo + a.seglen < a.rows ? lo + a.seglen : a.rows;
        typename Op::A acc = Op::ident(0);
        for (int64_t i = lo; i < hi; i++) acc = Op::comb(acc, col_elem<Op, P>(a, i, c), 0);
        col_store<Op>(a, s, c, acc);
    }
}

template <class Op, bool P> CT_DEV void cols_b(const ct_red_args &a) {
    typedef typename Op::A A;
    __shared__ A sh[256];
    int tx = (int)threadIdx.x, ty = (int)threadIdx.y, TX = (int)blockDim.x, TY = (int)blockDim.y;
    int64_t tiles = (a.len + TX - 1) / TX;
    for (int64_t item = blockIdx.x; item < tiles * a.segs; item += gridDim.x) {
        int64_t s = item / tiles, c = (item - s * tiles) * TX + tx;
        int64_t lo = s * a.seglen, hi = lo + a.seglen < a.rows ? lo + a.seglen : a.rows;
        A acc = Op::ident(0);
        if (c < a.len)
            for (int64_t i = lo + ty; i < hi; i += TY) acc = Op::comb(acc, col_elem<Op, P>(a, i, c), 0);
        __syncthreads();                /* sh is free again */
        sh[ty * TX + tx] = acc;
        __syncthreads();
        for (int st = TY / 2; st > 0; st >>= 1) {
            if (ty < st) sh[ty * TX + tx] = Op::comb(sh[ty * TX + tx], sh[(ty + st) * TX + tx], 0);
            __syncthreads();
        }
        if (ty == 0 && c < a.len) col_store<Op>(a, s, c, sh[tx]);
    }
}

/* ---- scans: cumsum (flag 0) / cumprod (flag 1) along rows ---------------
 * out row r (dense, len elements) holds the running values in A, stored as
 * T at each element. A row cut into segments starts each segment from the
 * carry in part[item] (the exclusive running value, from ct_red_carry). */
template <class T, class A> CT_DEV void scan_item_t(const ct_red_args &a, int64_t item) {
    typedef op_run<T, A> Op;
    int64_t r = item / a.segs, s = item - r * a.segs;
    int64_t lo = s * a.seglen, hi = lo + a.seglen < a.len ? lo + a.seglen : a.len;
    const T *row = (const T *)a.x + r * a.ld;
    T *o = (T *)a.out + r * a.len;
    A acc = a.segs > 1 ? ((const A *)a.part)[item] : Op::ident(a.flag);
    for (int64_t i = lo; i < hi; i++) {
        acc = Op::comb(acc, Op::load(row[i], i), a.flag);
        o[i] = cv<T>::f(acc);
    }
}

template <class T, class A> CT_DEV void cum_t(const ct_red_args &a) {
    CT_GRID_STRIDE(item, a.rows * a.segs) scan_item_t<T, A>(a, item);
}

#if CT_HOST_BUILD
#define CT_RD_UNROLL _Pragma("GCC unroll 4")
#else
#define CT_RD_UNROLL _Pragma("unroll")
#endif
#define CT_RD_SCAN_K 4      /* consecutive elements a thread per tile */

/* a group (a warp: BLOCK false, or the block) scans one item in tiles of
 * group size x CT_RD_SCAN_K elements; each thread scans its run of K in
 * registers, the group scans the runs' totals */
template <class T, class A, bool BLOCK> CT_DEV void scan_item_g(const ct_red_args &a, int64_t item,
                                                                 A *sh) {
    typedef op_run<T, A> Op;
    const int K = CT_RD_SCAN_K;
    int f = a.flag;
    int lane = (int)threadIdx.x & 31, w = (int)threadIdx.x >> 5;
    int tid = BLOCK ? (int)threadIdx.x : lane, G = BLOCK ? (int)blockDim.x : 32;
    int nw = G >> 5;
    int64_t r = item / a.segs, s = item - r * a.segs;
    int64_t lo = s * a.seglen, hi = lo + a.seglen < a.len ? lo + a.seglen : a.len;
    const T *row = (const T *)a.x + r * a.ld;
    T *o = (T *)a.out + r * a.len;
    A carry = a.segs > 1 ? ((const A *)a.part)[item] : Op::ident(f);
    for (int64_t t0 = lo; t0 < hi; t0 += (int64_t)G * K) {
        A loc[K];
        A run = Op::ident(f);
        int64_t b = t0 + (int64_t)tid * K;
        CT_RD_UNROLL
        for (int k = 0; k < K; k++) {
            if (b + k < hi) run = Op::comb(run, Op::load(row[b + k], b + k), f);
            loc[k] = run;
        }
        /* inclusive scan of the runs' totals across the warp */
        A v = run;
        for (int d = 1; d < 32; d <<= 1) {
            A u = shfl_up(v, d);
            if (lane >= d) v = Op::comb(u, v, f);
        }
        A ex = shfl_up(v, 1);
        if (lane == 0) ex = Op::ident(f);
        A total = shfl_idx(v, 31);
        if (BLOCK) {
            __syncthreads();            /* sh is free again */
            if (lane == 31) sh[w] = v;
            __syncthreads();
            A wp = Op::ident(f);
            for (int j = 0; j < w; j++) wp = Op::comb(wp, sh[j], f);
            ex = Op::comb(wp, ex, f);
            total = Op::ident(f);
            for (int j = 0; j < nw; j++) total = Op::comb(total, sh[j], f);
        }
        A pre = Op::comb(carry, ex, f);
        CT_RD_UNROLL
        for (int k = 0; k < K; k++)
            if (b + k < hi) o[b + k] = cv<T>::f(Op::comb(pre, loc[k], f));
        carry = Op::comb(carry, total, f);
    }
}

template <class T, class A> CT_DEV void cum_w(const ct_red_args &a) {
    int64_t gw = (blockIdx.x * (int64_t)blockDim.x + threadIdx.x) >> 5;
    int64_t nw = (gridDim.x * (int64_t)blockDim.x) >> 5;
    for (int64_t item = gw; item < a.rows * a.segs; item += nw) scan_item_g<T, A, false>(a, item, 0);
}

template <class T, class A> CT_DEV void cum_b(const ct_red_args &a) {
    __shared__ A sh[32];
    for (int64_t item = blockIdx.x; item < a.rows * a.segs; item += gridDim.x)
        scan_item_g<T, A, true>(a, item, sh);
}

/* the segments' totals in part (rows x segs) become exclusive carries */
template <class T, class A> CT_DEV void carry_t(const ct_red_args &a) {
    typedef op_run<T, A> Op;
    CT_GRID_STRIDE(r, a.rows) {
        A *p = (A *)a.part + r * a.segs;
        A c = Op::ident(a.flag);
        for (int64_t s = 0; s < a.segs; s++) {
            A t = p[s];
            p[s] = c;
            c = Op::comb(c, t, a.flag);
        }
    }
}

/* ---- softmax / log_softmax (flag 1) along rows ---------------------------
 * m = the row's max (a NaN row is all NaN; m = -inf counts as 0), s = the
 * sum of exp(x - m); out = exp(x - m) * (1 / s), or (x - m) - log(s). */

CT_DEV float expx(float x) { return ct_expf(x); }      /* fastmath.h's ct_expf, the CPU's bits */
CT_DEV double expx(double x) { return ::exp(x); }
CT_DEV float logx(float x) { return ::logf(x); }
CT_DEV double logx(double x) { return ::log(x); }
CT_DEV float qnan(float) { return __int_as_float(0x7fc00000); }
CT_DEV double qnan(double) { return __longlong_as_double(0x7ff8000000000000LL); }
CT_DEV float pinf(float) { return __int_as_float(0x7f800000); }
CT_DEV double pinf(double) { return __longlong_as_double(0x7ff0000000000000LL); }

/* max with a sticky NaN */
template <class T> struct op_nmax {
    typedef T A;
    static CT_DEV A ident(int) { return -pinf((T)0); }
    static CT_DEV A comb(A x, A y, int) { return x != x ? x : ((y > x || y != y) ? y : x); }
};
template <class T> struct op_add {
    typedef T A;
    static CT_DEV A ident(int) { return (T)0; }
    static CT_DEV A comb(A x, A y, int) { return x + y; }
};

/* a group (thread G = 1, warp G = 32, block G = 0) does row r; every thread
 * of the group gets the combined value */
template <class Op, int G> CT_DEV typename Op::A group_all(typename Op::A v) {
    if constexpr (G == 32) {
        v = warp_reduce<Op>(v, 0);
        return shfl_idx(v, 0);
    } else if constexpr (G == 0) {
        __shared__ typename Op::A bc;
        v = block_reduce<Op>(v, 0);
        if (threadIdx.x == 0) bc = v;
        __syncthreads();
        return bc;
    } else {
        return v;
    }
}

template <class T, int G> CT_DEV void softmax_row(const ct_red_args &a, int64_t r, int tid, int nthr) {
    const T *x = (const T *)a.x + r * a.ld;
    T *o = (T *)a.out + r * a.len;
    int64_t n = a.len;
    T m = op_nmax<T>::ident(0);
    for (int64_t i = tid; i < n; i += nthr) m = op_nmax<T>::comb(m, x[i], 0);
    m = group_all<op_nmax<T>, G>(m);
    if (m != m) {
        for (int64_t i = tid; i < n; i += nthr) o[i] = qnan((T)0);
        return;
    }
    if (m == -pinf((T)0)) m = 0;
    T s = 0;
    for (int64_t i = tid; i < n; i += nthr) s += expx(x[i] - m);
    s = group_all<op_add<T>, G>(s);
    if (a.flag) {
        T ls = logx(s);
        for (int64_t i = tid; i < n; i += nthr) o[i] = (x[i] - m) - ls;
    } else {
        T inv = (T)1 / s;
        for (int64_t i = tid; i < n; i += nthr) o[i] = fmul(expx(x[i] - m), inv);
    }
}

template <class T> CT_DEV void softmax_t(const ct_red_args &a) {
    CT_GRID_STRIDE(r, a.rows) softmax_row<T, 1>(a, r, 0, 1);
}
template <class T> CT_DEV void softmax_w(const ct_red_args &a) {
    int64_t gw = (blockIdx.x * (int64_t)blockDim.x + threadIdx.x) >> 5;
    int64_t nw = (gridDim.x * (int64_t)blockDim.x) >> 5;
    for (int64_t r = gw; r < a.rows; r += nw) softmax_row<T, 32>(a, r, (int)threadIdx.x & 31, 32);
}
template <class T> CT_DEV void softmax_b(const ct_red_args &a) {
    for (int64_t r = blockIdx.x; r < a.rows; r += gridDim.x)
        softmax_row<T, 0>(a, r, (int)threadIdx.x, (int)blockDim.x);
}

/* ---- median ----------------------------------------------------------------
 * The lower median of each row by the CPU's quickselect, step for step (so
 * that the index among equal values is the CPU's): a thread a row, on the
 * row's copy in buf / ibuf (rows x len). K is the compared type (float for
 * half). */
template <class T, class K> CT_DEV void median_t(const ct_red_args &a) {
    CT_GRID_STRIDE(r, a.rows) {
        const T *x = (const T *)a.x + r * a.ld;
        K *buf = (K *)a.buf + r * a.len;
        int64_t *ib = (int64_t *)a.ibuf + r * a.len;
        int64_t len = a.len;
        T *val = (T *)a.out + r;
        int64_t *idx = a.idx ? (int64_t *)a.idx + r : 0;
        bool nan = false;
        for (int64_t i = 0; i < len; i++) {
            K v = cv<K>::f(x[i]);
            if (v != v) {
                *val = x[i];
                if (idx) *idx = i;
                nan = true;
                break;
            }
            buf[i] = v;
            ib[i] = i;
        }
        if (nan) continue;
        int64_t k = (len - 1) / 2, lo = 0, hi = len - 1;
        while (lo < hi) {
            K p = buf[lo + (hi - lo) / 2];
            int64_t i = lo, j = hi;
            while (i <= j) {
                while (buf[i] < p) i++;
                while (buf[j] > p) j--;
                if (i <= j) {
                    K t = buf[i]; buf[i] = buf[j]; buf[j] = t;
                    int64_t u = ib[i]; ib[i] = ib[j]; ib[j] = u;
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else break;
        }
        *val = cv<T>::f(buf[k]);
        if (idx) *idx = ib[k];
    }
}

/* ---- cummax (flag 1) / cummin along rows: a thread a row ----------------
 * element i takes over when it is >= (<=) the running value or NaN (the
 * CPU's rule: ties give the latest index, a NaN holds until the next NaN) */
template <class T, class V> CT_DEV void cumext_t(const ct_red_args &a) {
    CT_GRID_STRIDE(r, a.rows) {
        const T *row = (const T *)a.x + r * a.ld;
        T *o = (T *)a.out + r * a.len;
        int64_t *ix = (int64_t *)a.idx + r * a.len;
        V b = cv<V>::f(row[0]);
        int64_t bi = 0;
        for (int64_t i = 0; i < a.len; i++) {
            V x = cv<V>::f(row[i]);
            if (x != x || (a.flag ? x >= b : x <= b)) {
                b = x;
                bi = i;
            }
            o[i] = row[bi];
            ix[i] = bi;
        }
    }
}

}  // namespace ct_rd

using namespace ct_rd;

/* ---- the kernels ----------------------------------------------------------- */

#define CT_RD_ROWS(OPN, S, OPT)                                                            \
    CT_KERNEL(ct_red_##OPN##_t_##S, ct_red_args, CT_SERIAL) { rows_t<OPT, false>(a); }     \
    CT_KERNEL(ct_red_##OPN##_w_##S, ct_red_args, CT_SYNC) { rows_w<OPT, false>(a); }       \
    CT_KERNEL(ct_red_##OPN##_b_##S, ct_red_args, CT_SYNC) { rows_b<OPT, false>(a); }       \
    CT_KERNEL(ct_red_##OPN##_tp_##S, ct_red_args, CT_SERIAL) { rows_t<OPT, true>(a); }     \
    CT_KERNEL(ct_red_##OPN##_wp_##S, ct_red_args, CT_SYNC) { rows_w<OPT, true>(a); }       \
    CT_KERNEL(ct_red_##OPN##_bp_##S, ct_red_args, CT_SYNC) { rows_b<OPT, true>(a); }

/* sums: integers (converted to int64 by the caller) as int64, half in float */
#define CT_RD_SUM(S, T, A)                                                                 \
    typedef op_sum<T, A> ct_rd_sum_##S;                                                    \
    CT_RD_ROWS(sum, S, ct_rd_sum_##S)                                                     \
    CT_KERNEL(ct_red_colsum_t_##S, ct_red_args, CT_SERIAL) { cols_t<ct_rd_sum_##S, false>(a); } \
    CT_KERNEL(ct_red_colsum_b_##S, ct_red_args, CT_SYNC) { cols_b<ct_rd_sum_##S, false>(a); } \
    CT_KERNEL(ct_red_colsum_tp_##S, ct_red_args, CT_SERIAL) { cols_t<ct_rd_sum_##S, true>(a); } \
    CT_KERNEL(ct_red_colsum_bp_##S, ct_red_args, CT_SYNC) { cols_b<ct_rd_sum_##S, true>(a); }
CT_RD_SUM(i64, int64_t, uint64_t)
CT_RD_SUM(f16, ct_f16, float)
CT_RD_SUM(f32, float, float)
CT_RD_SUM(f64, double, double)
CT_RD_SUM(c64, cx<float>, cx<float>)
CT_RD_SUM(c128, cx<double>, cx<double>)

/* sums that skip NaN: the floating dtypes */
#define CT_RD_NANSUM(S, T, A)                                                              \
    typedef op_nansum<T, A> ct_rd_nansum_##S;                                              \
    CT_RD_ROWS(nansum, S, ct_rd_nansum_##S)
CT_RD_NANSUM(f16, ct_f16, float)
CT_RD_NANSUM(f32, float, float)
CT_RD_NANSUM(f64, double, double)

/* products: in the dtype itself (half rounded to half at each step) */
#define CT_RD_PROD(S, T, A, H)                                                             \
    typedef op_prod<T, A, H> ct_rd_prod_##S;                                               \
    CT_RD_ROWS(prod, S, ct_rd_prod_##S)
CT_RD_PROD(i64, int64_t, uint64_t, uint64_t)
CT_RD_PROD(f16, ct_f16, float, ct_f16)
CT_RD_PROD(f32, float, float, float)
CT_RD_PROD(f64, double, double, double)
CT_RD_PROD(c64, cx<float>, cx<float>, cx<float>)
CT_RD_PROD(c128, cx<double>, cx<double>, cx<double>)

/* max / min with first indices */
#define CT_RD_MM(S, T, V)                                                                  \
    typedef op_mm<T, V> ct_rd_mm_##S;                                                      \
    CT_RD_ROWS(mm, S, ct_rd_mm_##S)
CT_RD_MM(b, uint8_t, uint8_t)
CT_RD_MM(u8, uint8_t, uint8_t)
CT_RD_MM(i8, int8_t, int8_t)
CT_RD_MM(i16, int16_t, int16_t)
CT_RD_MM(i32, int32_t, int32_t)
CT_RD_MM(i64, int64_t, int64_t)
CT_RD_MM(f16, ct_f16, float)
CT_RD_MM(f32, float, float)
CT_RD_MM(f64, double, double)

/* scans: running values of float16 in float, of float32 and complex64 in
 * double precision, of integers (int64 already) in int64 */
#define CT_RD_CUM(S, T, A)                                                                 \
    typedef op_run<T, A> ct_rd_run_##S;                                                    \
    CT_KERNEL(ct_red_ctot_b_##S, ct_red_args, CT_SYNC) { rows_b<ct_rd_run_##S, false>(a); } \
    CT_KERNEL(ct_red_cum_t_##S, ct_red_args, CT_SERIAL) { cum_t<T, A>(a); }                \
    CT_KERNEL(ct_red_cum_w_##S, ct_red_args, CT_SYNC) { cum_w<T, A>(a); }                  \
    CT_KERNEL(ct_red_cum_b_##S, ct_red_args, CT_SYNC) { cum_b<T, A>(a); }                  \
    CT_KERNEL(ct_red_carry_t_##S, ct_red_args, CT_SERIAL) { carry_t<T, A>(a); }
CT_RD_CUM(i64, int64_t, uint64_t)
CT_RD_CUM(f16, ct_f16, float)
CT_RD_CUM(f32, float, double)
CT_RD_CUM(f64, double, double)
CT_RD_CUM(c64, cx<float>, cx<double>)
CT_RD_CUM(c128, cx<double>, cx<double>)

#define CT_RD_SOFTMAX(S, T)                                                                \
    CT_KERNEL(ct_red_softmax_t_##S, ct_red_args, CT_SERIAL) { softmax_t<T>(a); }           \
    CT_KERNEL(ct_red_softmax_w_##S, ct_red_args, CT_SYNC) { softmax_w<T>(a); }             \
    CT_KERNEL(ct_red_softmax_b_##S, ct_red_args, CT_SYNC) { softmax_b<T>(a); }
CT_RD_SOFTMAX(f32, float)
CT_RD_SOFTMAX(f64, double)

#define CT_RD_MEDIAN(S, T, K)                                                              \
    CT_KERNEL(ct_red_median_t_##S, ct_red_args, CT_SERIAL) { median_t<T, K>(a); }
CT_RD_MEDIAN(u8, uint8_t, uint8_t)
CT_RD_MEDIAN(i8, int8_t, int8_t)
CT_RD_MEDIAN(i16, int16_t, int16_t)
CT_RD_MEDIAN(i32, int32_t, int32_t)
CT_RD_MEDIAN(i64, int64_t, int64_t)
CT_RD_MEDIAN(f16, ct_f16, float)
CT_RD_MEDIAN(f32, float, float)
CT_RD_MEDIAN(f64, double, double)

/* running max / min with indices */
#define CT_RD_CUMEXT(S, T, V)                                                              \
    CT_KERNEL(ct_red_cumext_t_##S, ct_red_args, CT_SERIAL) { cumext_t<T, V>(a); }
CT_RD_CUMEXT(b, uint8_t, uint8_t)
CT_RD_CUMEXT(u8, uint8_t, uint8_t)
CT_RD_CUMEXT(i8, int8_t, int8_t)
CT_RD_CUMEXT(i16, int16_t, int16_t)
CT_RD_CUMEXT(i32, int32_t, int32_t)
CT_RD_CUMEXT(i64, int64_t, int64_t)
CT_RD_CUMEXT(f16, ct_f16, float)
CT_RD_CUMEXT(f32, float, float)
CT_RD_CUMEXT(f64, double, double)
