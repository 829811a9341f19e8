// ctorch's sorting and searching kernels: sort/argsort, topk, kthvalue
// (ct_sort_*) and searchsorted (ct_search_*, ct_sorter_check). They give
// the results of the CPU kernels of ctorch/_kernels/sort.c bit for bit; the
// launches are in ctorch/cuda/cu_sort.c.
//
// Order. Every element becomes an entry (key, index): the key is an
// unsigned integer whose order is the wanted order, made from the element's
// bits as the CPU makes it (integers flip their sign bit; floats flip the
// sign bit of positives and every bit of negatives, a NaN with its sign
// cleared lands above +inf, -0.0 joins +0.0; bool and uint8 are their own
// keys), complemented for a descending order. Entries compare as (key,
// index) pairs: a total order in which ties keep input order, so that every
// sorting network below gives exactly the CPU's stable result. Keys of up
// to 32 bits travel packed with their index in one uint64 (key << 32 |
// index); 64-bit keys as a (key, index) pair. Values are always copied from
// the input at the entry's index, so -0.0 and NaN payloads keep their bits.
//
// What each kernel writes (ct_sort_args.emit): the whole sorted row (sort),
// its first k (topk: smallest, or largest with complemented keys), its k-th
// (kthvalue), or the sorted entries themselves into scratch (long rows).
//
// Kernels (arguments in sort_args.h; sfx: b u8 i8 i16 i32 i64 f16 f32 f64;
// ent: c packed entries, p pairs):
//   ct_sort_rank_<sfx>   rows of up to 32 elements, a thread an element:
//                        its position is the number of entries below it
//   ct_sort_block_<sfx>  (CT_SYNC) a block sorts a row, or one chunk of
//                        CHUNK entries of a longer row, in shared memory by
//                        a bitonic network; short rows are written out
//                        directly, chunks of long rows stored into ent
//   ct_sort_step_<ent>   one compare-exchange stage over every row of ent
//                        (long rows: the merges whose distance is a chunk
//                        or more), a thread a pair
//   ct_sort_merge_<sfx>  (CT_SYNC) the stages of a merge whose distance is
//                        below a chunk, a block a chunk of ent in shared
//                        memory; after the last merge it writes the outputs
//   ct_search_<sfx>      searchsorted, a thread a value (sfx without b)
//   ct_sorter_check      flags a sorter entry outside [0, m)
//
// The bitonic network is the all-ascending form over the row padded to a
// power of two P: for each run size k = 2, 4, .., P, first a mirrored
// stage (position lo of a k-run against the one as far from the run's end)
// and then half-cleaners at distances k/4, .., 1 (lo against lo + dist);
// every compare puts the smaller entry at the lower position. The padding
// is virtual: it would hold entries above every real one, which no compare
// ever moves, so a pair whose upper position is past the row is skipped.
// Every kernel walks its work grid-stride (rows, chunks, pairs): any grid
// is correct, in any block order.
#include "ct_cuda.cuh"
#include "sort_args.h"

namespace ct_sk {

/* ---- keys and entries ---------------------------------------------------- */

enum { K_UNSIGNED = 0, K_SIGNED = 1, K_FLOAT = 2 };

/* the key of an element of B bits (its raw bits in u), as sort.c makes it */
template <int KIND, int B> CT_DEV uint64_t key(uint64_t u) {
    const uint64_t sign = (uint64_t)1 << (B - 1);
    const uint64_t mask = ~(uint64_t)0 >> (64 - B);
    if (KIND == K_UNSIGNED) return u;
    if (KIND == K_SIGNED) return u ^ sign;
    const uint64_t inf = B == 16 ? (uint64_t)0x7C00u
                       : B == 32 ? (uint64_t)0x7F800000u : (uint64_t)0x7FF0000000000000ull;
    uint64_t mag = u & (mask ^ sign);
    uint64_t c = mag > inf ? mag : u;           /* NaN: sign cleared, above +inf */
    c = c == sign ? 0 : c;                      /* -0.0 == +0.0 */
    uint64_t neg = (c & sign) ? mask : 0;
    return c ^ (neg | sign);
}

/* an entry: packed (keys of up to 32 bits) or a pair */
struct pair { uint64_t k, i; };

CT_DEV uint64_t make(uint64_t *, uint64_t key, int64_t i) { return key << 32 | (uint64_t)(uint32_t)i; }
CT_DEV pair make(pair *, uint64_t key, int64_t i) { pair e = {key, (uint64_t)i}; return e; }
CT_DEV int64_t index(uint64_t e) { return (int64_t)(uint32_t)e; }
CT_DEV int64_t index(const pair &e) { return (int64_t)e.i; }
CT_DEV bool less(uint64_t a, uint64_t b) { return a < b; }
CT_DEV bool less(const pair &a, const pair &b) { return a.k < b.k || (a.k == b.k && a.i < b.i); }

template <bool PACKED> struct entry_of { typedef uint64_t E; };
template <> struct entry_of<false> { typedef pair E; };

/* an element type: R its raw bits, E its entries */
template <class R_, int KIND_> struct elem {
    typedef R_ R;
    static constexpr int B = (int)sizeof(R_) * 8;
    static constexpr int KIND = KIND_;
    typedef typename entry_of<(B <= 32)>::E E;
    /* entries a block holds in shared memory (32 KiB) */
    static constexpr int CHUNK = 32768 / (int)sizeof(E);
    static CT_DEV E entry(R v, int64_t i, uint64_t dm) {
        return make((E *)0, key<KIND, B>((uint64_t)v) ^ dm, i);
    }
    static CT_DEV uint64_t dmask(const ct_sort_args &a) {
        return a.desc ? ~(uint64_t)0 >> (64 - B) : 0;
    }
};

/* the smallest power of two >= n (n >= 1) */
CT_DEV int64_t pow2ceil(int64_t n) {
    int64_t p = 1;
    while (p < n) p <<= 1;
    return p;
}

/* the positions of pair t of a stage: dist a power of two; mirrored: the
 * stage that merges runs of 2 * dist */
CT_DEV void positions(int64_t t, int64_t dist, bool mirrored, int64_t &lo, int64_t &hi) {
    int64_t o = t & (dist - 1), base = (t - o) << 1;
    lo = base + o;
    hi = mirrored ? base + 2 * dist - 1 - o : lo + dist;
}

/* the entry at sorted position pos of row r is the element i (of value v):
 * writes what the launch asks for */
template <class R> CT_DEV void emit(const ct_sort_args &a, int64_t r, int64_t pos, int64_t i, R v) {
    int64_t o;
    if (a.emit == CT_SORT_EMIT_ALL) {
        o = r * a.len + pos;
    } else if (a.emit == CT_SORT_EMIT_FIRST) {
        if (pos >= a.k) return;
        o = r * a.k + pos;
    } else {
        if (pos != a.k - 1) return;
        o = r;
    }
    ((R *)(uintptr_t)a.val)[o] = v;
    ((int64_t *)(uintptr_t)a.idx)[o] = i;
}

/* ---- short rows: a thread an element ----------------------------------- */

template <class EL> CT_DEV void rank_rows(const ct_sort_args &a) {
    typedef typename EL::R R;
    typedef typename EL::E E;
    const R *x = (const R *)(uintptr_t)a.x;
    const uint64_t dm = EL::dmask(a);
    CT_GRID_STRIDE(q, a.rows * a.len) {
        int64_t r = q / a.len, i = q - r * a.len;
        const R *xr = x + r * a.ld;
        E e = EL::entry(xr[i], i, dm);
        int64_t pos = 0;
        for (int64_t j = 0; j < a.len; j++) pos += less(EL::entry(xr[j], j, dm), e);
        emit<R>(a, r, pos, i, xr[i]);
    }
}

/* ---- a chunk in shared memory ------------------------------------------ */

/* one compare-exchange stage over s[0, n) (pairs of a virtual P), then the
 * block's barrier */
template <class E> CT_DEV void block_stage(E *s, int n, int half, int dist, bool mirrored) {
    for (int t = (int)threadIdx.x; t < half; t += (int)blockDim.x) {
        int64_t lo, hi;
        positions(t, dist, mirrored, lo, hi);
        if (hi < n) {
            E u = s[lo], w = s[hi];
            if (less(w, u)) {
                s[lo] = w;
                s[hi] = u;
            }
        }
    }
    __syncthreads();
}

/* MERGE false: a block sorts chunk c of row r (CHUNK entries of the input,
 * or fewer at the row's end) by the whole network; MERGE true: it runs the
 * half-cleaners below CHUNK on a chunk of ent (the end of a merge whose
 * longer stages ct_sort_step_* ran). Then the chunk goes to ent (STORE) or
 * to the outputs (its positions are the row's when it is the row's only
 * chunk, or after the last merge). */
template <class EL, bool MERGE> CT_DEV void chunk_rows(const ct_sort_args &a) {
    typedef typename EL::R R;
    typedef typename EL::E E;
    const int C = EL::CHUNK;
    __shared__ E s[EL::CHUNK];
    const R *x = (const R *)(uintptr_t)a.x;
    const uint64_t dm = EL::dmask(a);
    const int64_t nch = (a.len + C - 1) / C;
    const int tid = (int)threadIdx.x, nt = (int)blockDim.x;
    for (int64_t item = blockIdx.x; item < a.rows * nch; item += gridDim.x) {
        int64_t r = item / nch, s0 = (item - r * nch) * C;
        int n = (int)min((int64_t)C, a.len - s0);
        const R *xr = x + r * a.ld;
        E *ent = (E *)(uintptr_t)a.ent + r * a.len + s0;
        for (int t = tid; t < n; t += nt) s[t] = MERGE ? ent[t] : EL::entry(xr[s0 + t], s0 + t, dm);
        __syncthreads();
        int P = (int)pow2ceil(n), half = P >> 1;
        if (MERGE) {
            for (int d = half; d > 0; d >>= 1) block_stage(s, n, half, d, false);
        } else {
            for (int k = 2; k <= P; k <<= 1)
                for (int d = k >> 1; d > 0; d >>= 1) block_stage(s, n, half, d, d == k >> 1);
        }
        if (a.emit == CT_SORT_STORE) {
            for (int t = tid; t < n; t += nt) ent[t] = s[t];
        } else {
            for (int t = tid; t < n; t += nt) {
                int64_t i = index(s[t]);
                emit<R>(a, r, s0 + t, i, xr[i]);
            }
        }
        __syncthreads();            /* s is refilled by the next item */
    }
}

/* ---- a stage of long rows over ent ------------------------------------- */

template <class E> CT_DEV void step_rows(const ct_sort_args &a) {
    const int64_t half = pow2ceil(a.len) >> 1;
    const bool mirrored = a.dist == a.stage >> 1;
    CT_GRID_STRIDE(q, a.rows * half) {
        int64_t r = q / half, t = q - r * half, lo, hi;
        positions(t, a.dist, mirrored, lo, hi);
        if (hi >= a.len) continue;
        E *e = (E *)(uintptr_t)a.ent + r * a.len;
        E u = e[lo], w = e[hi];
        if (less(w, u)) {
            e[lo] = w;
            e[hi] = u;
        }
    }
}

/* ---- searchsorted ------------------------------------------------------- */

template <class T> CT_DEV T cmpval(T v) { return v; }
CT_DEV float cmpval(ct_f16 v) { return ct_h2f(v); }

template <class T> CT_DEV void search(const ct_search_args &a) {
    const T *b = (const T *)(uintptr_t)a.b, *v = (const T *)(uintptr_t)a.v;
    const int64_t *sorter = (const int64_t *)(uintptr_t)a.sorter;
    CT_GRID_STRIDE(q, a.rows * a.nv) {
        int64_t r = a.brows == 1 ? 0 : q / a.nv;
        const T *br = b + r * a.m;
        const int64_t *sr = sorter ? sorter + r * a.m : nullptr;
        auto x = cmpval(v[q]);
        int64_t lo = 0, hi = a.m;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            auto bm = cmpval(sr ? br[sr[mid]] : br[mid]);
            bool go = a.right ? !(bm > x) : !(bm >= x);
            if (go) lo = mid + 1;
            else hi = mid;
        }
        if (a.out32) ((int32_t *)(uintptr_t)a.out)[q] = (int32_t)lo;
        else ((int64_t *)(uintptr_t)a.out)[q] = lo;
    }
}

CT_DEV void sorter_check(const ct_search_args &a) {
    const int64_t *s = (const int64_t *)(uintptr_t)a.sorter;
    CT_GRID_STRIDE(i, a.n) {
        if ((uint64_t)s[i] >= (uint64_t)a.m) *(volatile uint32_t *)(uintptr_t)a.flag = 1u;
    }
}

typedef elem<uint8_t, K_UNSIGNED> el_b;
typedef elem<uint8_t, K_UNSIGNED> el_u8;
typedef elem<uint8_t, K_SIGNED> el_i8;
typedef elem<uint16_t, K_SIGNED> el_i16;
typedef elem<uint32_t, K_SIGNED> el_i32;
typedef elem<uint64_t, K_SIGNED> el_i64;
typedef elem<uint16_t, K_FLOAT> el_f16;
typedef elem<uint32_t, K_FLOAT> el_f32;
typedef elem<uint64_t, K_FLOAT> el_f64;

}  // namespace ct_sk

/* ---- the kernels ------------------------------------------------------------ */

#define CT_SK_SORT(SFX)                                                                       \
    CT_KERNEL(ct_sort_rank_##SFX, ct_sort_args, CT_SERIAL) {                                  \
        ct_sk::rank_rows<ct_sk::el_##SFX>(a);                                                 \
    }                                                                                         \
    CT_KERNEL(ct_sort_block_##SFX, ct_sort_args, CT_SYNC) {                                   \
        ct_sk::chunk_rows<ct_sk::el_##SFX, false>(a);                                         \
    }                                                                                         \
    CT_KERNEL(ct_sort_merge_##SFX, ct_sort_args, CT_SYNC) {                                   \
        ct_sk::chunk_rows<ct_sk::el_##SFX, true>(a);                                          \
    }
CT_SK_SORT(b)
CT_SK_SORT(u8)
CT_SK_SORT(i8)
CT_SK_SORT(i16)
CT_SK_SORT(i32)
CT_SK_SORT(i64)
CT_SK_SORT(f16)
CT_SK_SORT(f32)
CT_SK_SORT(f64)
#undef CT_SK_SORT

CT_KERNEL(ct_sort_step_c, ct_sort_args, CT_SERIAL) { ct_sk::step_rows<uint64_t>(a); }
CT_KERNEL(ct_sort_step_p, ct_sort_args, CT_SERIAL) { ct_sk::step_rows<ct_sk::pair>(a); }

#define CT_SK_SEARCH(SFX, T)                                                                  \
    CT_KERNEL(ct_search_##SFX, ct_search_args, CT_SERIAL) { ct_sk::search<T>(a); }
CT_SK_SEARCH(u8, uint8_t)
CT_SK_SEARCH(i8, int8_t)
CT_SK_SEARCH(i16, int16_t)
CT_SK_SEARCH(i32, int32_t)
CT_SK_SEARCH(i64, int64_t)
CT_SK_SEARCH(f16, ct_f16)
CT_SK_SEARCH(f32, float)
CT_SK_SEARCH(f64, double)
#undef CT_SK_SEARCH

CT_KERNEL(ct_sorter_check, ct_search_args, CT_SERIAL) { ct_sk::sorter_check(a); }
