// ctorch's shape kernels: rows of bytes (cat), index_select, gather,
// scatter and the accumulating scatter (scatter_add, index_add, index_put
// with accumulate). They move what the CPU kernels of ctorch/_kernels/shape.c
// move; the launches and the index checks are in ctorch/cuda/cu_shape.c.
//
// Kernels (arguments in shape_args.h; W is the unit width in bytes, 1 2 4
// 8 16; sfx is b u8 i8 i16 i32 i64 f16 f32 f64 c64 c128):
//   ct_copy_rows_w<W>     rows of units (ct_copy_rows_args)
//   ct_isel_w<W>          index_select (ct_isel_args)
//   ct_gather_w<W>        gather (ct_walk_args)
//   ct_transpose_w<W>     a copy between transposed layouts, tiled through
//                         shared memory (ct_transpose_args; blocks of 32 x 8)
//   ct_walk_check         the index check of a scatter (ct_walk_args)
//   ct_scatter_w<W>       scatter (ct_walk_args), after ct_walk_check
//   ct_scatter_add_<sfx>  scatter_add (ct_walk_args), after ct_walk_check:
//                         atomic adds (bool: or); float and double native
//                         atomicAdd, int32 and int64 atomicAdd on the
//                         integer, complex an atomicAdd on each part, and
//                         bool, 8-bit, 16-bit integers and half a CAS loop on
//                         the 32-bit word that holds the element (half added
//                         in float and rounded once, as the CPU does)
// Every kernel is a grid-stride loop (the transpose: over tiles): any grid
// is correct.
//
// A bad index is recorded as the smallest position that holds one (an
// atomic min over a uint64 word, all ones when there is none): the CPU loops
// stop at the first bad index in the same order, and the entry copies that
// position back to report the same value. Repeated indices of a scatter
// write in no fixed order (as on any GPU); the accumulating scatter adds
// them all, in no fixed order (float sums may differ from the CPU's by
// rounding; integer sums are exact).
#include "ct_cuda.cuh"
#include "shape_args.h"

#if CT_HOST_BUILD
#define CT_SH_UNROLL
#else
#define CT_SH_UNROLL _Pragma("unroll")
#endif

namespace {

struct alignas(16) ct_sh_u128 { uint64_t lo, hi; };
template <class R> struct ct_sh_cx { R re, im; };

/* k / s and k % s, in 32 bits when both fit */
CT_DEV int64_t ct_sh_divmod(int64_t k, int64_t s, int64_t &r) {
    if ((((uint64_t)k | (uint64_t)s) >> 32) == 0) {
        uint32_t q = (uint32_t)k / (uint32_t)s;
        r = (int64_t)((uint32_t)k - q * (uint32_t)s);
        return q;
    }
    int64_t q = k / s;
    r = k - q * s;
    return q;
}

CT_DEV void ct_sh_record(uint64_t flag, int64_t k) {
    atomicMin((unsigned long long *)(uintptr_t)flag, (unsigned long long)k);
}

/* the element offsets of position k of a walk (dims innermost first, the
 * indexed dim's stride of b zero: see cu_shape.c) */
CT_DEV void ct_sh_offsets(const ct_walk_args &a, int64_t k, int64_t &pi, int64_t &pa, int64_t &pb) {
    pi = pa = pb = 0;
    CT_SH_UNROLL
    for (int d = 0; d < CT_SHAPE_MAXDIM; d++) {
        if (d >= a.nd) break;
        int64_t c;
        k = ct_sh_divmod(k, a.shape[d], c);
        pi += c * a.ist[d];
        pa += c * a.ast[d];
        pb += c * a.bst[d];
    }
}

/* ---- rows ---------------------------------------------------------------- */

template <class T> CT_DEV void ct_sh_copy_rows(const ct_copy_rows_args &a) {
    T *dst = (T *)(uintptr_t)a.dst;
    const T *src = (const T *)(uintptr_t)a.src;
    CT_GRID_STRIDE(e, a.rows * a.len) {
        int64_t c, r = ct_sh_divmod(e, a.len, c);
        dst[r * a.dld + c] = src[r * a.sld + c];
    }
}

/* ---- index_select ------------------------------------------------------- */

template <class T> CT_DEV void ct_sh_isel(const ct_isel_args &a) {
    const int64_t *idx = (const int64_t *)(uintptr_t)a.idx;
    if (a.check_only) {
        CT_GRID_STRIDE(j, a.n) {
            int64_t i = idx[j];
            if (i < 0 || i >= a.size) ct_sh_record(a.flag, j);
        }
        return;
    }
    T *dst = (T *)(uintptr_t)a.dst;
    const T *src = (const T *)(uintptr_t)a.src;
    CT_GRID_STRIDE(e, a.outer * a.n * a.inner) {
        int64_t c, j, r = ct_sh_divmod(e, a.inner, c);
        int64_t o = ct_sh_divmod(r, a.n, j);
        int64_t i = idx[j];
        if (i < 0 || i >= a.size) {
            ct_sh_record(a.flag, j);
            continue;
        }
        dst[e] = src[(o * a.size + i) * a.inner + c];
    }
}

/* ---- gather / scatter ------------------------------------------------------ */

/* the index of position k, wrapped; false (and recorded) when out of range */
CT_DEV bool ct_sh_index(const ct_walk_args &a, int64_t k, int64_t pi, int64_t &i) {
    i = ((const int64_t *)(uintptr_t)a.idx)[pi];
    if (i < -a.size || i >= a.size) {
        ct_sh_record(a.flag, k);
        return false;
    }
    if (i < 0) i += a.size;
    return true;
}

template <class T> CT_DEV void ct_sh_gather(const ct_walk_args &a) {
    T *out = (T *)(uintptr_t)a.a;
    const T *in = (const T *)(uintptr_t)a.b;
    CT_GRID_STRIDE(k, a.total) {
        int64_t pi, pa, pb, i;
        ct_sh_offsets(a, k, pi, pa, pb);
        if (ct_sh_index(a, k, pi, i)) out[pa] = in[pb + i * a.bsd];
    }
}

CT_DEV void ct_sh_check(const ct_walk_args &a) {
    const int64_t *idx = (const int64_t *)(uintptr_t)a.idx;
    CT_GRID_STRIDE(k, a.total) {
        int64_t pi = 0, kk = k;
        CT_SH_UNROLL
        for (int d = 0; d < CT_SHAPE_MAXDIM; d++) {
            if (d >= a.nd) break;
            int64_t c;
            kk = ct_sh_divmod(kk, a.shape[d], c);
            pi += c * a.ist[d];
        }
        int64_t i = idx[pi];
        if (i < -a.size || i >= a.size) ct_sh_record(a.flag, k);
    }
}

/* the positions a writing kernel handles: those before the first bad index */
CT_DEV int64_t ct_sh_limit(const ct_walk_args &a) {
    unsigned long long lim = *(const unsigned long long *)(uintptr_t)a.flag;
    return lim < (unsigned long long)a.total ? (int64_t)lim : a.total;
}

template <class T> CT_DEV void ct_sh_scatter(const ct_walk_args &a) {
    const T *src = (const T *)(uintptr_t)a.a;
    T *self = (T *)(uintptr_t)a.b;
    int64_t lim = ct_sh_limit(a);
    CT_GRID_STRIDE(k, lim) {
        int64_t pi, pa, pb, i;
        ct_sh_offsets(a, k, pi, pa, pb);
        if (ct_sh_index(a, k, pi, i)) self[pb + i * a.bsd] = src[pa];
    }
}

/* ---- atomic accumulation --------------------------------------------------- */

/* an element of 1 or 2 bytes updated through a CAS loop on its 32-bit word */
template <class T, class F> CT_DEV void ct_sh_cas_small(T *p, F f) {
    uintptr_t addr = (uintptr_t)p;
    unsigned int *w = (unsigned int *)(addr & ~(uintptr_t)3);
    unsigned int shift = (unsigned int)(addr & 3) * 8u;
    unsigned int mask = (sizeof(T) == 1 ? 0xFFu : 0xFFFFu) << shift;
    unsigned int old = *(volatile unsigned int *)w, assumed;
    do {
        assumed = old;
        unsigned int bits = (assumed & mask) >> shift;
        T cur, nv;
        memcpy(&cur, &bits, sizeof(T));
        nv = f(cur);
        unsigned int nb = 0;
        memcpy(&nb, &nv, sizeof(T));
        if (nb == bits) return;
        old = atomicCAS(w, assumed, (assumed & ~mask) | (nb << shift));
    } while (old != assumed);
}

template <class T> struct ct_sh_acc;
template <> struct ct_sh_acc<uint8_t> {
    static CT_DEV void add(uint8_t *p, uint8_t v) {
        ct_sh_cas_small(p, [v](uint8_t x) { return (uint8_t)(x + v); });
    }
};
template <> struct ct_sh_acc<int8_t> {
    static CT_DEV void add(int8_t *p, int8_t v) {
        ct_sh_cas_small(p, [v](int8_t x) { return (int8_t)(uint8_t)((uint8_t)x + (uint8_t)v); });
    }
};
template <> struct ct_sh_acc<int16_t> {
    static CT_DEV void add(int16_t *p, int16_t v) {
        ct_sh_cas_small(p, [v](int16_t x) { return (int16_t)(uint16_t)((uint16_t)x + (uint16_t)v); });
    }
};
template <> struct ct_sh_acc<int32_t> {
    static CT_DEV void add(int32_t *p, int32_t v) { atomicAdd((int *)p, (int)v); }
};
template <> struct ct_sh_acc<int64_t> {
    static CT_DEV void add(int64_t *p, int64_t v) {
        atomicAdd((unsigned long long *)p, (unsigned long long)v);
    }
};
template <> struct ct_sh_acc<ct_f16> {
    static CT_DEV void add(ct_f16 *p, ct_f16 v) {
        float fv = ct_h2f(v);
        ct_sh_cas_small(p, [fv](ct_f16 x) { return ct_f2h(ct_h2f(x) + fv); });
    }
};
template <> struct ct_sh_acc<float> {
    static CT_DEV void add(float *p, float v) { atomicAdd(p, v); }
};
template <> struct ct_sh_acc<double> {
    static CT_DEV void add(double *p, double v) { atomicAdd(p, v); }
};
template <class R> struct ct_sh_acc<ct_sh_cx<R>> {
    static CT_DEV void add(ct_sh_cx<R> *p, ct_sh_cx<R> v) {
        atomicAdd(&p->re, v.re);
        atomicAdd(&p->im, v.im);
    }
};
/* bool: or */
struct ct_sh_bool { uint8_t v; };
template <> struct ct_sh_acc<ct_sh_bool> {
    static CT_DEV void add(ct_sh_bool *p, ct_sh_bool v) {
        if (v.v) ct_sh_cas_small(&p->v, [](uint8_t) { return (uint8_t)1; });
    }
};

template <class T> CT_DEV void ct_sh_scatter_add(const ct_walk_args &a) {
    const T *src = (const T *)(uintptr_t)a.a;
    T *self = (T *)(uintptr_t)a.b;
    int64_t lim = ct_sh_limit(a);
    CT_GRID_STRIDE(k, lim) {
        int64_t pi, pa, pb, i;
        ct_sh_offsets(a, k, pi, pa, pb);
        if (ct_sh_index(a, k, pi, i)) ct_sh_acc<T>::add(self + pb + i * a.bsd, src[pa]);
    }
}

}  // namespace

/* a 32 x 32 tile a step: read along i (src's dense dim) into the tile,
 * then write along j (dst's dense dim); the tile's rows have 33 units so
 * that a column of the tile falls in 32 different shared-memory banks */
template <class T> CT_DEV void ct_sh_transpose(const ct_transpose_args &a) {
    __shared__ T tile[32][33];
    const T *src = (const T *)(uintptr_t)a.src;
    T *dst = (T *)(uintptr_t)a.dst;
    const int64_t ti = (a.rows + 31) / 32, tj = (a.cols + 31) / 32, tiles = ti * tj * a.batch;
    const int tx = threadIdx.x, ty = threadIdx.y;
    for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
        const int64_t b = t / (ti * tj), r = t - b * ti * tj;
        const int64_t i0 = (r / tj) * 32, j0 = (r % tj) * 32;
        const T *s = src + b * a.ssb;
        for (int k = ty; k < 32; k += 8) {
            const int64_t i = i0 + tx, j = j0 + k;
            if (i < a.rows && j < a.cols) tile[k][tx] = s[i + j * a.ssj];
        }
        __syncthreads();
        T *d = dst + b * a.dsb;
        for (int k = ty; k < 32; k += 8) {
            const int64_t i = i0 + k, j = j0 + tx;
            if (i < a.rows && j < a.cols) d[i * a.dsi + j] = tile[tx][k];
        }
        __syncthreads();            /* the tile is read before the next one is written */
    }
}

/* ---- the kernels ------------------------------------------------------------ */

#define CT_SH_WIDTH(W, T)                                                                     \
    CT_KERNEL(ct_copy_rows_w##W, ct_copy_rows_args, CT_SERIAL) { ct_sh_copy_rows<T>(a); }    \
    CT_KERNEL(ct_isel_w##W, ct_isel_args, CT_SERIAL) { ct_sh_isel<T>(a); }                  \
    CT_KERNEL(ct_gather_w##W, ct_walk_args, CT_SERIAL) { ct_sh_gather<T>(a); }              \
    CT_KERNEL(ct_scatter_w##W, ct_walk_args, CT_SERIAL) { ct_sh_scatter<T>(a); }            \
    CT_KERNEL(ct_transpose_w##W, ct_transpose_args, CT_SYNC) { ct_sh_transpose<T>(a); }
CT_SH_WIDTH(1, uint8_t)
CT_SH_WIDTH(2, uint16_t)
CT_SH_WIDTH(4, uint32_t)
CT_SH_WIDTH(8, uint64_t)
CT_SH_WIDTH(16, ct_sh_u128)
#undef CT_SH_WIDTH

CT_KERNEL(ct_walk_check, ct_walk_args, CT_SERIAL) { ct_sh_check(a); }

#define CT_SH_ADD(SFX, T)                                                                     \
    CT_KERNEL(ct_scatter_add_##SFX, ct_walk_args, CT_SERIAL) { ct_sh_scatter_add<T>(a); }
CT_SH_ADD(b, ct_sh_bool)
CT_SH_ADD(u8, uint8_t)
CT_SH_ADD(i8, int8_t)
CT_SH_ADD(i16, int16_t)
CT_SH_ADD(i32, int32_t)
CT_SH_ADD(i64, int64_t)
CT_SH_ADD(f16, ct_f16)
CT_SH_ADD(f32, float)
CT_SH_ADD(f64, double)
CT_SH_ADD(c64, ct_sh_cx<float>)
CT_SH_ADD(c128, ct_sh_cx<double>)
#undef CT_SH_ADD
