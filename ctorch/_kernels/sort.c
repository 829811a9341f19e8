/* Sorting and searching over the CPU: sort/argsort, topk, kthvalue and
 * searchsorted.
 *
 * Every element becomes an unsigned key whose integer order is the wanted
 * order: integers flip their sign bit, floats flip the sign bit of positives
 * and every bit of negatives, NaN (sign cleared) lands above +inf and -0.0
 * joins +0.0 so that the two compare equal. A descending order is the
 * complement of the key. The key travels with the element's index in one
 * "entry"; for keys of up to 32 bits the entry is a single uint64 (key in the
 * high half, index in the low half), so that comparing entries compares
 * (key, index) and every order below is total: ties keep input order, which
 * makes all of it stable and deterministic.
 *
 * sort: radix sort of the entries, stable. A long row takes one MSD pass on
 * the top 11 key bits, then each bucket (now small enough to stay in cache)
 * finishes by LSD passes of at most 11 bits; a digit that every entry shares
 * is skipped. Many rows are shared out between threads; one row stays on one
 * (measured: 12 ms alone, 15 to 35 ms with a second thread sharing its
 * buckets, on a busy 2-core machine). topk of a few from many keeps a heap of the best k while it scans
 * (nothing is sorted beyond the k); larger k sort the row; kthvalue uses
 * quickselect (nth_element) on the entries.
 * The caller arranges the "rows" layout: row r is x[r*ld .. r*ld + len),
 * outputs are dense rows. sort.h declares the tables and the kernels.
 */
#include "sort.h"
#include "strided.h"
#include <stdlib.h>
#include <string.h>

#define CT_ISORT_MAX 24            /* rows this short: insertion sort */
#define CT_NTH_ISORT_MAX 8         /* nth_element: ranges this short are sorted */
#define CT_SORT_ROWS_PAR_MIN 32768 /* many rows: threads from this many elements */

#ifndef _OPENMP
static inline int omp_get_thread_num(void) { return 0; }
static inline int omp_get_num_threads(void) { return 1; }
#endif

typedef struct { uint64_t k; uint64_t i; } ct_kp;

/* entry families: "c" = uint64 (key << 32 | index), "p" = (key, index) pair */
#define CT_C_LESS(a, b) ((a) < (b))
#define CT_C_DIGIT(e, sh, m) ((uint32_t)((e) >> (32 + (sh))) & (m))
#define CT_C_KEY(e) ((e) >> 32)
#define CT_C_IDX(e) ((int64_t)((e) & 0xFFFFFFFFu))
#define CT_C_MAKE(key, i) (((uint64_t)(key) << 32) | (uint64_t)(i))
#define CT_P_LESS(a, b) ((a).k < (b).k || ((a).k == (b).k && (a).i < (b).i))
#define CT_P_DIGIT(e, sh, m) ((uint32_t)((e).k >> (sh)) & (m))
#define CT_P_KEY(e) ((e).k)
#define CT_P_IDX(e) ((int64_t)(e).i)
static inline ct_kp ct_p_make(uint64_t k, int64_t i) { ct_kp e; e.k = k; e.i = (uint64_t)i; return e; }
#define CT_P_MAKE(key, i) ct_p_make((uint64_t)(key), (i))

/* ------------------------------------------------------------ entry sorts */
#define CT_SORT_CORE(N, E, LESS, DIGIT)                                            \
static void ct_isort_##N(E *a, int64_t n) {                                       \
    for (int64_t i = 1; i < n; i++) {                                             \
        E v = a[i];                                                               \
        int64_t j = i;                                                            \
        while (j > 0 && LESS(v, a[j - 1])) { a[j] = a[j - 1]; j--; }              \
        a[j] = v;                                                                 \
    }                                                                             \
}                                                                                 \
static void ct_siftdown_##N(E *h, int64_t k, int64_t i) {                         \
    E v = h[i];                                                                   \
    for (;;) {                                                                    \
        int64_t c = 2 * i + 1;                                                    \
        if (c >= k) break;                                                        \
        if (c + 1 < k && LESS(h[c], h[c + 1])) c++;                               \
        if (!LESS(v, h[c])) break;                                                \
        h[i] = h[c];                                                              \
        i = c;                                                                    \
    }                                                                             \
    h[i] = v;                                                                     \
}                                                                                 \
static void ct_heapify_##N(E *h, int64_t k) {                                     \
    for (int64_t i = k / 2 - 1; i >= 0; i--) ct_siftdown_##N(h, k, i);           \
}                                                                                 \
/* a max-heap of k entries into ascending order */                               \
static void ct_heapsort_##N(E *h, int64_t k) {                                    \
    for (int64_t j = k - 1; j > 0; j--) {                                         \
        E t = h[0]; h[0] = h[j]; h[j] = t;                                        \
        ct_siftdown_##N(h, j, 0);                                                 \
    }                                                                             \
}                                                                                 \
/* LSD radix sort of a[0..n) on the key's low kbits (for rows that stay in  */ \
/* cache); b: scratch of n entries. The fewest passes of at most 11 bits,    */ \
/* 8-bit digits below 4096 entries (clearing 2048 counters would dominate).  */ \
/* Returns the buffer that holds the result (a or b).                         */ \
static E *ct_lsd_##N(E *a, E *b, int64_t n, int kbits) {                          \
    if (n <= CT_ISORT_MAX) { ct_isort_##N(a, n); return a; }                      \
    int np = n < 4096 ? (kbits + 7) / 8 : (kbits + 10) / 11;                      \
    int D = (kbits + np - 1) / np;                                                \
    int64_t nb = (int64_t)1 << D;                                                 \
    uint32_t m = (uint32_t)nb - 1;                                                \
    int64_t *G = (int64_t *)calloc((size_t)(np * nb), sizeof(int64_t));           \
    if (!G) { ct_heapify_##N(a, n); ct_heapsort_##N(a, n); return a; }            \
    for (int64_t i = 0; i < n; i++)                                               \
        for (int p = 0; p < np; p++) G[p * nb + DIGIT(a[i], p * D, m)]++;          \
    E *src = a, *dst = b;                                                         \
    for (int p = 0; p < np; p++) {                                                \
        int64_t *g = G + p * nb;                                                  \
        if (g[DIGIT(src[0], p * D, m)] == n) continue;  /* one digit: skip */     \
        int64_t s = 0;                                                            \
        for (int64_t d = 0; d < nb; d++) { int64_t c = g[d]; g[d] = s; s += c; }  \
        for (int64_t i = 0; i < n; i++) { E e = src[i]; dst[g[DIGIT(e, p * D, m)]++] = e; } \
        E *t = src; src = dst; dst = t;                                           \
    }                                                                             \
    free(G);                                                                      \
    return src;                                                                   \
}                                                                                 \
/* Radix sort of a[0..n) on the key's low kbits; b: scratch of n entries;     */ \
/* returns the buffer that holds the result. Long rows take one MSD pass on   */ \
/* the top 11 bits (stable), after which every bucket is small enough to     */ \
/* finish in cache.                                                          */ \
static E *ct_radix_##N(E *a, E *b, int64_t n, int kbits) {                        \
    if (n < 65536 || kbits <= 16) return ct_lsd_##N(a, b, n, kbits);             \
    int sh = kbits - 11;                                                          \
    int64_t cnt[2049];                                                            \
    memset(cnt, 0, sizeof(cnt));                                                  \
    for (int64_t i = 0; i < n; i++) cnt[DIGIT(a[i], sh, 2047u)]++;                \
    if (cnt[DIGIT(a[0], sh, 2047u)] == n) return ct_radix_##N(a, b, n, sh);      \
    int64_t s = 0;                                                                \
    for (int d = 0; d < 2048; d++) { int64_t c = cnt[d]; cnt[d] = s; s += c; }    \
    cnt[2048] = n;                                                                \
    int64_t pos[2048];                                                            \
    memcpy(pos, cnt, sizeof(pos));                                                \
    for (int64_t i = 0; i < n; i++) { E e = a[i]; b[pos[DIGIT(e, sh, 2047u)]++] = e; } \
    /* bucket d is b[cnt[d] .. cnt[d+1]); sort it with a's twin range as scratch */ \
    for (int d = 0; d < 2048; d++) {                                              \
        int64_t lo = cnt[d], len = cnt[d + 1] - lo;                               \
        if (len < 2) continue;                                                    \
        E *r = ct_radix_##N(b + lo, a + lo, len, sh);                             \
        if (r != b + lo) memcpy(b + lo, r, (size_t)len * sizeof(E));              \
    }                                                                             \
    return b;                                                                     \
}                                                                                 \
/* nth_element: a[k] ends where a full sort puts it, smaller entries before. */  \
/* Entries are distinct (the index is part of them). Too many rounds (a bad  */  \
/* pivot run) finish by sorting what is left, so the cost stays linear.     */  \
static int ct_nth_##N(E *a, int64_t n, int64_t k) {        \
    int64_t lo = 0, hi = n - 1;                                                   \
    int rounds = 0, maxr = 16;                                                    \
    for (int64_t s = n; s > 1; s >>= 1) maxr += 2;                                \
    while (hi - lo > CT_NTH_ISORT_MAX) {                                          \
        if (++rounds > maxr) {                                                    \
            ct_heapify_##N(a + lo, hi - lo + 1);                                  \
            ct_heapsort_##N(a + lo, hi - lo + 1);                                 \
            return 0;                                                             \
        }                                                                         \
        int64_t mid = lo + (hi - lo) / 2;                                         \
        E x = a[lo], y = a[mid], z = a[hi], p;                                    \
        if (LESS(x, y)) p = LESS(y, z) ? y : (LESS(x, z) ? z : x);                \
        else p = LESS(x, z) ? x : (LESS(y, z) ? z : y);                           \
        int64_t i = lo, j = hi;                                                   \
        while (i <= j) {                                                          \
            while (LESS(a[i], p)) i++;                                            \
            while (LESS(p, a[j])) j--;                                            \
            if (i <= j) { E t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }          \
        }                                                                         \
        if (k <= j) hi = j;                                                       \
        else if (k >= i) lo = i;                                                  \
        else return 0;                                                            \
    }                                                                             \
    ct_isort_##N(a + lo, hi - lo + 1);                                            \
    return 0;                                                                     \
}                                                                                 \
/* the k smallest entries of a[0..n) into out[0..k), ascending. a may be    */ \
/* reordered; scratch holds n entries. Radix sorts order ties by position,    */ \
/* so they only serve when a is still in index order (`ordered`).             */ \
static void ct_smallest_##N(E *a, int64_t n, int64_t k, E *scratch, int kbits, int ordered, E *out) { \
    if (k == 0) return;                                                           \
    if (k * 16 <= n || !ordered) {                                                \
        memcpy(out, a, (size_t)k * sizeof(E));                                    \
        ct_heapify_##N(out, k);                                                   \
        for (int64_t i = k; i < n; i++)                                           \
            if (LESS(a[i], out[0])) { out[0] = a[i]; ct_siftdown_##N(out, k, 0); } \
        ct_heapsort_##N(out, k);                                                  \
        return;                                                                   \
    }                                                                             \
    E *r = ct_radix_##N(a, scratch, n, kbits);                                    \
    memcpy(out, r, (size_t)k * sizeof(E));                                        \
}

CT_SORT_CORE(c, uint64_t, CT_C_LESS, CT_C_DIGIT)
CT_SORT_CORE(p, ct_kp, CT_P_LESS, CT_P_DIGIT)

/* ------------------------------------------------------------ keys
 * ct_key_S(v, &lossy) -> key; ct_val_S(key) -> the value back. `lossy` is
 * set when the key cannot give the exact bits back (-0.0, a NaN with its
 * sign set): such rows copy their values from the input instead. */
static inline uint8_t ct_key_b8(uint8_t v, int *l) { (void)l; return v; }
static inline uint8_t ct_val_b8(uint8_t k) { return k; }
static inline uint8_t ct_key_u8(uint8_t v, int *l) { (void)l; return v; }
static inline uint8_t ct_val_u8(uint8_t k) { return k; }
static inline uint8_t ct_key_i8(int8_t v, int *l) { (void)l; return (uint8_t)v ^ 0x80u; }
static inline int8_t ct_val_i8(uint8_t k) { return (int8_t)(uint8_t)(k ^ 0x80u); }
static inline uint16_t ct_key_i16(int16_t v, int *l) { (void)l; return (uint16_t)v ^ 0x8000u; }
static inline int16_t ct_val_i16(uint16_t k) { return (int16_t)(uint16_t)(k ^ 0x8000u); }
static inline uint32_t ct_key_i32(int32_t v, int *l) { (void)l; return (uint32_t)v ^ 0x80000000u; }
static inline int32_t ct_val_i32(uint32_t k) { return (int32_t)(k ^ 0x80000000u); }
static inline uint64_t ct_key_i64(int64_t v, int *l) { (void)l; return (uint64_t)v ^ 0x8000000000000000ull; }
static inline int64_t ct_val_i64(uint64_t k) { return (int64_t)(k ^ 0x8000000000000000ull); }

#define CT_FKEY(S, T, U, SIGN, INF)                                               \
static inline U ct_key_##S(T v, int *l) {                                         \
    U u, c;                                                                       \
    memcpy(&u, &v, sizeof(U));                                                    \
    U mag = u & (U)~SIGN;                                                         \
    c = mag > INF ? mag : u;                      /* NaN: above +inf */          \
    c = c == SIGN ? (U)0 : c;                     /* -0.0 == +0.0 */              \
    *l |= c != u;                                                                 \
    U neg = (U)0 - (c >> (sizeof(U) * 8 - 1));    /* all ones when negative */   \
    return c ^ (neg | SIGN);                                                      \
}                                                                                 \
static inline T ct_val_##S(U k) {                                                 \
    U u = (k & SIGN) ? (U)(k & (U)~SIGN) : (U)~k;                                 \
    T v;                                                                          \
    memcpy(&v, &u, sizeof(U));                                                    \
    return v;                                                                     \
}
CT_FKEY(f16, ct_half, uint16_t, (uint16_t)0x8000u, (uint16_t)0x7C00u)
CT_FKEY(bf16, ct_bf16, uint16_t, (uint16_t)0x8000u, (uint16_t)0x7F80u)
CT_FKEY(f32, float, uint32_t, 0x80000000u, 0x7F800000u)
CT_FKEY(f64, double, uint64_t, 0x8000000000000000ull, 0x7FF0000000000000ull)

/* ------------------------------------------------------------ per dtype
 * Return codes: 0 done, 1 out of memory, 2 row too long for 32-bit indices. */
/* the start of each rows kernel: typed views of the input and the values,
 * and the row length the keys can index */
#define CT__ROWS_BEGIN(T, MAXLEN)                                                 \
    const T *x = (const T *)xv;                                                   \
    T *val = (T *)valv;                                                           \
    if (len > MAXLEN) return 2;
/* a thread's working buffer of `per` entries: its share of the caller's
 * scratch, or its own allocation (err set when that fails) */
#define CT__TEAM_BUF(E, per)                                                      \
    E *a = scratch ? (E *)scratch + (int64_t)omp_get_thread_num() * (per)        \
                   : (E *)malloc((size_t)(per) * sizeof(E));                      \
    if (!a) err = 1;

/* int64 rows whose keys span less than 2^32 (indices, labels, counts: most
 * int64 data) sort as single uint64 entries (key - the least key, index):
 * half the memory of (key, index) pairs, and radix passes over the span's
 * bits alone instead of all 64 (keys of both signs differ in every digit).
 * The same order, ties by index. 0 where the row is not of this kind. */
static int ct_sort_narrow_i64(const int64_t *x, int64_t len, uint64_t dm, void *a0, void *b0,
                              int64_t *val, int64_t *idx)
{
    if (len < 2 || len > (int64_t)0xFFFFFFFF) return 0;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (int64_t i = 0; i < len; i++) {
        int l = 0;
        const uint64_t k = ct_key_i64(x[i], &l) ^ dm;
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    if (hi - lo > 0xFFFFFFFFull) return 0;
    uint64_t *a = (uint64_t *)a0, *b = (uint64_t *)b0;
    for (int64_t i = 0; i < len; i++) {
        int l = 0;
        a[i] = CT_C_MAKE((ct_key_i64(x[i], &l) ^ dm) - lo, i);
    }
    const int kbits = hi == lo ? 1 : 64 - __builtin_clzll(hi - lo);
    const uint64_t *r = ct_radix_c(a, b, len, kbits);
    for (int64_t i = 0; i < len; i++) {
        idx[i] = CT_C_IDX(r[i]);
        val[i] = ct_val_i64((CT_C_KEY(r[i]) + lo) ^ dm);
    }
    return 1;
}
#define CT_SORT_NARROW_i64 ct_sort_narrow_i64
#define CT_SORT_NARROW_NONE(x, len, dm, a, b, val, idx) 0
#define CT_SORT_NARROW_b8 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_u8 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_i8 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_i16 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_i32 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_f16 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_bf16 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_f32 CT_SORT_NARROW_NONE
#define CT_SORT_NARROW_f64 CT_SORT_NARROW_NONE

#define CT_SORT_DTYPE(S, T, U, KBITS, N, E, MAKE, KEY, IDX, MAXLEN)               \
static int64_t ct_fill_##S(const T *x, int64_t len, U dm, E *a) {                \
    int lossy = 0;                                                                \
    for (int64_t i = 0; i < len; i++) {                                           \
        int l = 0;                                                                \
        a[i] = MAKE((U)(ct_key_##S(x[i], &l) ^ dm), i);                           \
        lossy |= l;                                                               \
    }                                                                             \
    return lossy;                                                                 \
}                                                                                 \
static void ct_emit_##S(const T *x, const E *r, int64_t n, U dm, int lossy, T *val, int64_t *idx) { \
    if (lossy) for (int64_t i = 0; i < n; i++) { int64_t j = IDX(r[i]); idx[i] = j; val[i] = x[j]; } \
    else for (int64_t i = 0; i < n; i++) { idx[i] = IDX(r[i]); val[i] = ct_val_##S((U)((U)KEY(r[i]) ^ dm)); } \
}                                                                                 \
static void ct_sort_one_##S(const T *x, int64_t len, U dm, E *a, E *b, T *val, int64_t *idx) { \
    if (CT_SORT_NARROW_##S(x, len, dm, a, b, val, idx)) return;                   \
    int lossy = (int)ct_fill_##S(x, len, dm, a);                                  \
    E *r = ct_radix_##N(a, b, len, KBITS);                                        \
    ct_emit_##S(x, r, len, dm, lossy, val, idx);                                  \
}                                                                                 \
/* scratch: 2 * len entries per thread (sort_scratch_bytes), or NULL */      \
int ct_sort_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int desc, \
                     void *valv, int64_t *idx, void *scratch) {                   \
    CT__ROWS_BEGIN(T, MAXLEN)                                                     \
    U dm = desc ? (U)~(U)0 : (U)0;                                                \
    int nt = ct_get_num_threads(), err = 0;                                       \
    if (rows == 1) {                                                              \
        E *a = scratch ? (E *)scratch : (E *)malloc((size_t)(2 * len) * sizeof(E)); \
        if (!a) return 1;                                                         \
        ct_sort_one_##S(x, len, dm, a, a + len, val, idx);                        \
        if (!scratch) free(a);                                                    \
        return 0;                                                                 \
    }                                                                             \
    int par = nt > 1 && rows * len >= CT_SORT_ROWS_PAR_MIN;                       \
    CT_PARALLEL_IF(par, "omp parallel num_threads(nt) reduction(|:err)",          \
    {                                                                             \
        CT__TEAM_BUF(E, 2 * len)                                                  \
        _Pragma("omp for schedule(dynamic, 16)")                                  \
        for (int64_t r = 0; r < rows; r++)                                        \
            if (a) ct_sort_one_##S(x + r * ld, len, dm, a, a + len, val + r * len, idx + r * len); \
        if (!scratch) free(a);                                                    \
    });                                                                           \
    return err;                                                                   \
}                                                                                 \
/* the k best of each row: largest (descending) or smallest (ascending), */      \
/* ties in input order; out rows are k long. */                                  \
int ct_topk_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int64_t k, \
                     int largest, void *valv, int64_t *idx, void *scratch) {      \
    CT__ROWS_BEGIN(T, MAXLEN)                                                     \
    U dm = largest ? (U)~(U)0 : (U)0;                                             \
    int nt = ct_get_num_threads(), err = 0;                                       \
    int par = nt > 1 && rows > 1 && rows * len >= CT_SORT_ROWS_PAR_MIN;           \
    CT_PARALLEL_IF(par, "omp parallel num_threads(nt) reduction(|:err)",          \
    {                                                                             \
        CT__TEAM_BUF(E, 2 * len + k)                                              \
        _Pragma("omp for schedule(dynamic, 16)")                                  \
        for (int64_t r = 0; r < rows; r++) {                                      \
            if (!a) continue;                                                     \
            const T *xr = x + r * ld;                                             \
            E *o = a + 2 * len;                                                   \
            ct_fill_##S(xr, len, dm, a);                                          \
            ct_smallest_##N(a, len, k, a + len, KBITS, 1, o);                     \
            for (int64_t i = 0; i < k; i++) { int64_t j = IDX(o[i]); idx[r * k + i] = j; val[r * k + i] = xr[j]; } \
        }                                                                         \
        if (!scratch) free(a);                                                    \
    });                                                                           \
    return err;                                                                   \
}                                                                                 \
/* the k-th smallest (k >= 1) of each row and its index */                       \
int ct_kth_rows_##S(const void *xv, int64_t rows, int64_t len, int64_t ld, int64_t k, \
                    void *valv, int64_t *idx, void *scratch) {                    \
    CT__ROWS_BEGIN(T, MAXLEN)                                                     \
    int nt = ct_get_num_threads(), err = 0;                                       \
    int par = nt > 1 && rows > 1 && rows * len >= CT_SORT_ROWS_PAR_MIN;           \
    CT_PARALLEL_IF(par, "omp parallel num_threads(nt) reduction(|:err)",          \
    {                                                                             \
        CT__TEAM_BUF(E, 2 * len)                                                  \
        _Pragma("omp for schedule(dynamic, 16)")                                  \
        for (int64_t r = 0; r < rows; r++) {                                      \
            if (!a) continue;                                                     \
            const T *xr = x + r * ld;                                             \
            ct_fill_##S(xr, len, 0, a);                                           \
            ct_nth_##N(a, len, k - 1);                                            \
            int64_t j = IDX(a[k - 1]);                                            \
            idx[r] = j;                                                           \
            val[r] = xr[j];                                                       \
        }                                                                         \
        if (!scratch) free(a);                                                    \
    });                                                                           \
    return err;                                                                   \
}

static inline int ct_less_c(uint64_t a, uint64_t b) { return a < b; }
static inline int ct_less_p(ct_kp a, ct_kp b) { return CT_P_LESS(a, b); }

#define CT_MAX32 ((int64_t)0xFFFFFFFF)
#define CT_MAX64 INT64_MAX
CT_SORT_DTYPE(b8, uint8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(u8, uint8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(i8, int8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(i16, int16_t, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(i32, int32_t, uint32_t, 32, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(i64, int64_t, uint64_t, 64, p, ct_kp, CT_P_MAKE, CT_P_KEY, CT_P_IDX, CT_MAX64)
CT_SORT_DTYPE(f16, ct_half, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(bf16, ct_bf16, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(f32, float, uint32_t, 32, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32)
CT_SORT_DTYPE(f64, double, uint64_t, 64, p, ct_kp, CT_P_MAKE, CT_P_KEY, CT_P_IDX, CT_MAX64)

/* bytes of scratch that ct_sort_rows wants for rows of len elements of a
 * dtype of `itemsize` bytes */
int64_t ct_sort_scratch_bytes(int64_t rows, int64_t len, int64_t extra, int itemsize) {
    int64_t bufs = rows == 1 ? 1 : ct_get_num_threads();   /* one per thread of the team */
    return bufs * (2 * len + extra) * (itemsize == 8 ? (int64_t)sizeof(ct_kp) : (int64_t)sizeof(uint64_t));
}
#define CT_SORT_TABLE(F, TYPE)                                                    \
TYPE ct_##F##_loops[CT_NDTYPES] = {                                               \
    (TYPE)ct_##F##_rows_b8, (TYPE)ct_##F##_rows_u8, (TYPE)ct_##F##_rows_i8,       \
    (TYPE)ct_##F##_rows_i16, (TYPE)ct_##F##_rows_i32, (TYPE)ct_##F##_rows_i64,    \
    (TYPE)ct_##F##_rows_f16, (TYPE)ct_##F##_rows_f32, (TYPE)ct_##F##_rows_f64,    \
    NULL, NULL, (TYPE)ct_##F##_rows_bf16,                                         \
};
CT_SORT_TABLE(sort, ct_sort_fn)
CT_SORT_TABLE(topk, ct_topk_fn)
CT_SORT_TABLE(kth, ct_kth_fn)

/* ------------------------------------------------------------ order statistics along a dim
 * mode, nanmedian, kthvalue and topk over (outer, len, inner) (sort.h). A
 * work item is up to CT_OS_GROUP neighbouring columns of one outer block:
 * their rows are filled as entries reading the input a row of the tensor at
 * a time (unit stride, no transposed copy), then each row is finished alone.
 * topk of a few keeps each column's best k while it scans, nothing filled. */
#define CT_OS_GROUP 16
#define CT_OS_MODE_PAIRS 32        /* mode of rows this short: pairwise counts */

#define CT_OS_SKIP 128        /* a dense column's keys checked this many at once */
#define CT_OS_RSEL_MIN 16384  /* a single dense row this long: radix bucket first */
#define CT_OSTAT_DTYPE(S, T, U, KBITS, N, E, MAKE, KEY, IDX, MAXLEN, NANK)        \
/* whether any of x[0 .. n) has a key (xor dm) below th: one branch-free    */   \
/* pass that the vector clones run a register of keys at a time             */   \
CT_MULTIVERSION static int ct_os_any_below_##S(const T *x, int64_t n, U th, U dm) { \
    int lz = 0, any = 0;                                                          \
    for (int64_t q = 0; q < n; q++) any |= (U)(ct_key_##S(x[q], &lz) ^ dm) < th; \
    return any;                                                                   \
}                                                                                 \
int ct_ostat_##S(const void *xv, int64_t outer, int64_t len, int64_t inner, int op, \
                 int64_t k, void *valv, int64_t *idx, void *scratch) {           \
    const T *x = (const T *)xv;                                                   \
    T *val = (T *)valv;                                                           \
    if (len > MAXLEN) return 2;                                                   \
    if (outer <= 0 || inner <= 0 || len <= 0) return 0;                           \
    int topk = op == CT_OS_TOPK_LARGEST || op == CT_OS_TOPK_SMALLEST;             \
    if (topk && k <= 0) return 0;                                                 \
    int64_t G = inner < CT_OS_GROUP ? inner : CT_OS_GROUP;                        \
    int64_t ngr = (inner + G - 1) / G, items = outer * ngr;                       \
    int64_t per = G * len + len + (topk ? G * k : 0);                             \
    U dm = op == CT_OS_TOPK_LARGEST ? (U)~(U)0 : (U)0;                            \
    /* a few of many: each column's best k kept while scanning (kthvalue: */   \
    /* the last of the k smallest) */                                            \
    int stream = (topk || op == CT_OS_KTH) && k <= 32 && k * 8 <= len;            \
    int nt = ct_get_num_threads(), err = 0;                                       \
    int par = nt > 1 && items > 1 && outer * inner * len >= CT_SORT_ROWS_PAR_MIN; \
    CT_PARALLEL_IF(par, "omp parallel num_threads(nt) reduction(|:err)",          \
    {                                                                             \
        CT__TEAM_BUF(E, per)                                                      \
        _Pragma("omp for schedule(dynamic, 4)")                                   \
        for (int64_t it = 0; it < items; it++) {                                  \
            if (!a) continue;                                                     \
            int64_t o = it / ngr, c0 = (it % ngr) * G;                            \
            int64_t g = inner - c0 < G ? inner - c0 : G;                          \
            const T *xb = x + o * len * inner + c0;                               \
            int lz = 0;                                                           \
            if (stream) {                                                         \
                /* each column's best k so far, ascending; thr: the k-th key */  \
                U thr[CT_OS_GROUP];                                               \
                for (int64_t gi = 0; gi < g; gi++) {                              \
                    E *q = a + gi * k;                                            \
                    for (int64_t l = 0; l < k; l++)                               \
                        q[l] = MAKE((U)(ct_key_##S(xb[l * inner + gi], &lz) ^ dm), l); \
                    ct_isort_##N(q, k);                                           \
                    thr[gi] = (U)KEY(q[k - 1]);                                   \
                }                                                                 \
                /* keys a block at a time (vectorized), the rare better one  */ \
                /* then inserted (a tie comes later: never better)            */ \
                U kb[CT_OS_GROUP];                                                \
                int64_t bl = g == 1 ? CT_OS_GROUP : 1;  /* rows per block */      \
                for (int64_t l0 = k; l0 < len; l0 += bl) {                        \
                    int64_t nb = g == 1 ? (len - l0 < bl ? len - l0 : bl) : g;    \
                    int any = 0;                                                  \
                    if (g == 1 && inner == 1 && (l0 - k) % CT_OS_SKIP == 0 &&     \
                        len - l0 >= CT_OS_SKIP &&                                 \
                        !ct_os_any_below_##S(xb + l0, CT_OS_SKIP, thr[0], dm)) {  \
                        /* none of the next CT_OS_SKIP keys beats the k-th */     \
                        l0 += CT_OS_SKIP - bl;                                    \
                        continue;                                                 \
                    }                                                             \
                    if (g == 1 && inner == 1 && nb == CT_OS_GROUP) {              \
                        const T *xr = xb + l0;                                    \
                        U th = thr[0];                                            \
                        for (int64_t q = 0; q < CT_OS_GROUP; q++) {               \
                            kb[q] = (U)(ct_key_##S(xr[q], &lz) ^ dm);             \
                            any |= kb[q] < th;                                    \
                        }                                                         \
                    } else if (g == 1) {                                          \
                        const T *xr = xb + l0 * inner;                            \
                        U th = thr[0];                                            \
                        for (int64_t q = 0; q < nb; q++) {                        \
                            kb[q] = (U)(ct_key_##S(xr[q * inner], &lz) ^ dm);     \
                            any |= kb[q] < th;                                    \
                        }                                                         \
                    } else if (nb == CT_OS_GROUP) {                               \
                        const T *xr = xb + l0 * inner;                            \
                        for (int64_t q = 0; q < CT_OS_GROUP; q++) {               \
                            kb[q] = (U)(ct_key_##S(xr[q], &lz) ^ dm);             \
                            any |= kb[q] < thr[q];                                \
                        }                                                         \
                    } else {                                                      \
                        const T *xr = xb + l0 * inner;                            \
                        for (int64_t q = 0; q < nb; q++) {                        \
                            kb[q] = (U)(ct_key_##S(xr[q], &lz) ^ dm);             \
                            any |= kb[q] < thr[q];                                \
                        }                                                         \
                    }                                                             \
                    if (!any) continue;                                           \
                    for (int64_t q = 0; q < nb; q++) {                            \
                        int64_t gi = g == 1 ? 0 : q, l = g == 1 ? l0 + q : l0;    \
                        U key = kb[q];                                            \
                        if (key < thr[gi]) {                                      \
                            E e = MAKE(key, l), *qq = a + gi * k;                 \
                            int64_t j = k - 1;                                    \
                            while (j > 0 && LESS_##N(e, qq[j - 1])) { qq[j] = qq[j - 1]; j--; } \
                            qq[j] = e;                                            \
                            thr[gi] = (U)KEY(qq[k - 1]);                          \
                        }                                                         \
                    }                                                             \
                }                                                                 \
                for (int64_t gi = 0; gi < g; gi++) {                              \
                    if (!topk) {                                                  \
                        int64_t j = IDX(a[gi * k + k - 1]), w = o * inner + c0 + gi; \
                        idx[w] = j; val[w] = xb[j * inner + gi];                  \
                        continue;                                                 \
                    }                                                             \
                    for (int64_t q = 0; q < k; q++) {                             \
                        int64_t j = IDX(a[gi * k + q]), w = (o * k + q) * inner + c0 + gi; \
                        idx[w] = j; val[w] = xb[j * inner + gi];                  \
                    }                                                             \
                }                                                                 \
                continue;                                                         \
            }                                                                     \
            if ((op == CT_OS_NANMEDIAN || op == CT_OS_KTH) && g == 1 && inner == 1 \
                && KBITS >= 16 && len >= CT_OS_RSEL_MIN) {                        \
                /* one long dense row: the bucket of the keys' top 11 bits   */ \
                /* that holds the k-th (a histogram pass), then only that    */ \
                /* bucket's entries through nth_element: the same entry as  */ \
                /* nth_element over the whole row                            */ \
                int64_t hist[2048], nn = 0, kk, below = 0, bk = 0, m = 0;       \
                const int sh = KBITS >= 16 ? KBITS - 11 : 0;                      \
                memset(hist, 0, sizeof(hist));                                    \
                for (int64_t l = 0; l < len; l++) {                               \
                    U key = ct_key_##S(xb[l], &lz);                               \
                    int skip = op == CT_OS_NANMEDIAN && NANK(key);                \
                    hist[key >> sh] += !skip;                                     \
                    nn += !skip;                                                  \
                }                                                                 \
                if (nn > 0) {                                                     \
                    kk = op == CT_OS_NANMEDIAN ? (nn - 1) / 2 : k - 1;            \
                    while (below + hist[bk] <= kk) below += hist[bk++];           \
                    for (int64_t l = 0; l < len; l++) {                           \
                        U key = ct_key_##S(xb[l], &lz);                           \
                        if ((int64_t)(key >> sh) == bk && !(op == CT_OS_NANMEDIAN && NANK(key))) \
                            a[m++] = MAKE(key, l);                                \
                    }                                                             \
                    ct_nth_##N(a, m, kk - below);                                 \
                    int64_t j = IDX(a[kk - below]);                               \
                    idx[o] = j;                                                   \
                    val[o] = xb[j];                                               \
                    continue;                                                     \
                }                                                                 \
            }                                                                     \
            E *b = a + G * len, *outs = b + len;                                  \
            int64_t cnt[CT_OS_GROUP];                                             \
            if (op == CT_OS_NANMEDIAN) {                                          \
                /* the non-NaN values only: NaN sorts after every one of them */  \
                for (int64_t gi = 0; gi < g; gi++) cnt[gi] = 0;                   \
                for (int64_t l = 0; l < len; l++) {                               \
                    const T *xr = xb + l * inner;                                 \
                    for (int64_t gi = 0; gi < g; gi++) {                          \
                        U key = ct_key_##S(xr[gi], &lz);                          \
                        if (!NANK(key)) a[gi * len + cnt[gi]++] = MAKE(key, l);   \
                    }                                                             \
                }                                                                 \
                for (int64_t gi = 0; gi < g; gi++)                                \
                    if (cnt[gi] == 0)                                             \
                        for (int64_t l = 0; l < len; l++)                         \
                            a[gi * len + l] = MAKE(ct_key_##S(xb[l * inner + gi], &lz), l); \
            } else if (g == 1) {                                                  \
                for (int64_t l = 0; l < len; l++)                                 \
                    a[l] = MAKE((U)(ct_key_##S(xb[l * inner], &lz) ^ dm), l);     \
            } else {                                                              \
                for (int64_t l = 0; l < len; l++) {                               \
                    const T *xr = xb + l * inner;                                 \
                    for (int64_t gi = 0; gi < g; gi++)                            \
                        a[gi * len + l] = MAKE((U)(ct_key_##S(xr[gi], &lz) ^ dm), l); \
                }                                                                 \
            }                                                                     \
            for (int64_t gi = 0; gi < g; gi++) {                                  \
                E *r = a + gi * len;                                              \
                int64_t w = o * inner + c0 + gi, j;                               \
                if (op == CT_OS_MODE && len <= CT_OS_MODE_PAIRS) {                \
                    /* a short row: each key's copies counted pairwise; the    */ \
                    /* most frequent, then the smallest key, then its last     */ \
                    /* index (a NaN counts alone: it only wins when all are,   */ \
                    /* the first of the smallest key then) -- what the runs of */ \
                    /* the sorted row below give                               */ \
                    U kk[CT_OS_MODE_PAIRS], bk = 0;                               \
                    int64_t bc = 0, bi = 0;                                       \
                    for (int64_t p = 0; p < len; p++) kk[p] = (U)KEY(r[p]);       \
                    for (int64_t p = 0; p < len; p++) {                           \
                        U kp = kk[p];                                             \
                        int c = 0;                                                \
                        for (int64_t q = 0; q < len; q++) c += kk[q] == kp;       \
                        if (NANK(kp)) c = 1;                                      \
                        if (c > bc || (c == bc && (kp < bk || (kp == bk && !NANK(kp))))) { \
                            bc = c; bk = kp; bi = p;                              \
                        }                                                         \
                    }                                                             \
                    j = bi;                                                       \
                } else if (op == CT_OS_MODE) {                                    \
                    /* runs of equal keys in the sorted row (a NaN is alone):   */ \
                    /* the end of the first longest run. Integer keys relative  */ \
                    /* to the row's smallest, sorted on the bits of their span  */ \
                    /* (int64 rows of values -100 .. 100 took eight passes)     */ \
                    int kb = KBITS;                                               \
                    if (!NANK((U)~(U)0)) {                                        \
                        U lo_ = (U)KEY(r[0]), hi_ = lo_;                          \
                        for (int64_t p = 1; p < len; p++) {                       \
                            U kq = (U)KEY(r[p]);                                  \
                            lo_ = kq < lo_ ? kq : lo_;                            \
                            hi_ = kq > hi_ ? kq : hi_;                            \
                        }                                                         \
                        U span = (U)(hi_ - lo_);                                  \
                        for (kb = 1; kb < KBITS && (span >> kb) != 0; kb++) {}    \
                        for (int64_t p = 0; p < len; p++)                         \
                            r[p] = MAKE((U)((U)KEY(r[p]) - lo_), IDX(r[p]));      \
                    }                                                             \
                    E *s = ct_radix_##N(r, b, len, kb);                           \
                    int64_t best = 0, bestc = 0, cur = 0;                         \
                    for (int64_t p = 0; p < len; p++) {                           \
                        U key = (U)KEY(s[p]);                                     \
                        cur = p > 0 && key == (U)KEY(s[p - 1]) && !NANK(key) ? cur + 1 : 1; \
                        if (cur > bestc) { bestc = cur; best = p; }               \
                    }                                                             \
                    j = IDX(s[best]);                                             \
                } else if (op == CT_OS_NANMEDIAN) {                               \
                    int64_t n = cnt[gi] ? cnt[gi] : len, kk = cnt[gi] ? (cnt[gi] - 1) / 2 : 0; \
                    ct_nth_##N(r, n, kk);                                         \
                    j = IDX(r[kk]);                                               \
                } else if (op == CT_OS_KTH) {                                     \
                    ct_nth_##N(r, len, k - 1);                                    \
                    j = IDX(r[k - 1]);                                            \
                } else {                                                          \
                    ct_smallest_##N(r, len, k, b, KBITS, 1, outs);                \
                    for (int64_t q = 0; q < k; q++) {                             \
                        int64_t jj = IDX(outs[q]), wq = (o * k + q) * inner + c0 + gi; \
                        idx[wq] = jj; val[wq] = xb[jj * inner + gi];              \
                    }                                                             \
                    continue;                                                     \
                }                                                                 \
                idx[w] = j;                                                       \
                val[w] = xb[j * inner + gi];                                      \
            }                                                                     \
        }                                                                         \
        if (!scratch) free(a);                                                    \
    });                                                                           \
    return err;                                                                   \
}

#define LESS_c CT_C_LESS
#define LESS_p CT_P_LESS
#define CT_NANK_NONE(k) 0
#define CT_NANK_F16(k) ((k) > (uint16_t)0xFC00u)
#define CT_NANK_BF16(k) ((k) > (uint16_t)0xFF80u)
#define CT_NANK_F32(k) ((k) > 0xFF800000u)
#define CT_NANK_F64(k) ((k) > 0xFFF0000000000000ull)
CT_OSTAT_DTYPE(b8, uint8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_NONE)
CT_OSTAT_DTYPE(u8, uint8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_NONE)
CT_OSTAT_DTYPE(i8, int8_t, uint8_t, 8, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_NONE)
CT_OSTAT_DTYPE(i16, int16_t, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_NONE)
CT_OSTAT_DTYPE(i32, int32_t, uint32_t, 32, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_NONE)
CT_OSTAT_DTYPE(i64, int64_t, uint64_t, 64, p, ct_kp, CT_P_MAKE, CT_P_KEY, CT_P_IDX, CT_MAX64, CT_NANK_NONE)
CT_OSTAT_DTYPE(f16, ct_half, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_F16)
CT_OSTAT_DTYPE(bf16, ct_bf16, uint16_t, 16, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_BF16)
CT_OSTAT_DTYPE(f32, float, uint32_t, 32, c, uint64_t, CT_C_MAKE, CT_C_KEY, CT_C_IDX, CT_MAX32, CT_NANK_F32)
CT_OSTAT_DTYPE(f64, double, uint64_t, 64, p, ct_kp, CT_P_MAKE, CT_P_KEY, CT_P_IDX, CT_MAX64, CT_NANK_F64)

ct_ostat_fn ct_ostat_loops[CT_NDTYPES] = {
    ct_ostat_b8, ct_ostat_u8, ct_ostat_i8, ct_ostat_i16, ct_ostat_i32, ct_ostat_i64,
    ct_ostat_f16, ct_ostat_f32, ct_ostat_f64, NULL, NULL, ct_ostat_bf16,
};

/* bytes of scratch that ct_ostat wants (one buffer per thread of the team) */
int64_t ct_ostat_scratch_bytes(int64_t outer, int64_t len, int64_t inner, int64_t k, int itemsize) {
    if (outer <= 0 || inner <= 0 || len <= 0) return 0;
    int64_t G = inner < CT_OS_GROUP ? inner : CT_OS_GROUP;
    int64_t items = outer * ((inner + G - 1) / G);
    int64_t bufs = items > 1 ? ct_get_num_threads() : 1;
    int64_t per = G * len + len + G * (k > 0 ? k : 0);
    return bufs * per * (itemsize == 8 ? (int64_t)sizeof(ct_kp) : (int64_t)sizeof(uint64_t));
}

/* cummax / cummin along the middle dim: each row of the tensor against the
 * running values of the row before (branch-free, unit stride) */
#define CT_CUMEXT_INNER(T)                                                        \
    do {                                                                          \
        const T *xs = (const T *)x;                                               \
        T *vs = (T *)val;                                                         \
        int nt = ct_get_num_threads();                                            \
        int64_t total = outer * len * inner;                                      \
        CT_PARALLEL_IF(nt > 1 && outer > 1 && total >= 65536, "omp parallel for num_threads(nt) schedule(static)", \
        for (int64_t o = 0; o < outer; o++) {                                     \
            const T *xo = xs + o * len * inner;                                   \
            T *vo = vs + o * len * inner;                                         \
            int64_t *io = idx + o * len * inner;                                  \
            for (int64_t c = 0; c < inner; c++) { vo[c] = xo[c]; io[c] = 0; }     \
            for (int64_t l = 1; l < len; l++) {                                   \
                const T *xr = xo + l * inner;                                     \
                const T *vp = vo + (l - 1) * inner;                               \
                const int64_t *ip = io + (l - 1) * inner;                         \
                T *vr = vo + l * inner;                                           \
                int64_t *ir = io + l * inner;                                     \
                if (is_max) {                                                     \
                    _Pragma("omp simd")                                           \
                    for (int64_t c = 0; c < inner; c++) {                         \
                        T e = xr[c], b = vp[c];                                   \
                        int take = (e != e) | (e >= b);                           \
                        vr[c] = take ? e : b;                                     \
                        ir[c] = take ? l : ip[c];                                 \
                    }                                                             \
                } else {                                                          \
                    _Pragma("omp simd")                                           \
                    for (int64_t c = 0; c < inner; c++) {                         \
                        T e = xr[c], b = vp[c];                                   \
                        int take = (e != e) | (e <= b);                           \
                        vr[c] = take ? e : b;                                     \
                        ir[c] = take ? l : ip[c];                                 \
                    }                                                             \
                }                                                                 \
            }                                                                     \
        });                                                                       \
    } while (0)

int ct_cumext_inner(int dtype, const void *x, int64_t outer, int64_t len, int64_t inner,
                    int is_max, void *val, int64_t *idx) {
    switch (dtype) {
    case CT_BOOL: case CT_UINT8: CT_CUMEXT_INNER(uint8_t); break;
    case CT_INT8: CT_CUMEXT_INNER(int8_t); break;
    case CT_INT16: CT_CUMEXT_INNER(int16_t); break;
    case CT_INT32: CT_CUMEXT_INNER(int32_t); break;
    case CT_INT64: CT_CUMEXT_INNER(int64_t); break;
    case CT_FLOAT32: CT_CUMEXT_INNER(float); break;
    case CT_FLOAT64: CT_CUMEXT_INNER(double); break;
    default: return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ searchsorted
 * For each value, the number of boundaries that go before it: left counts
 * b with !(b >= v), right counts b with !(b > v) (so a NaN value counts them
 * all). Boundaries are rows of m (brows == 1: one row for every value);
 * values are rows of nv; sorter (or NULL) permutes each boundary row. */
#define CT_SEARCH(S, T) CT_SEARCH_AS(S, T, T, )
/* Without a sorter the values go CT_SEARCH_VB at a time, in lockstep, every
 * choice a conditional move (the tests' outcomes are random, so branches
 * would mispredict), so that the values' chains of dependent loads overlap.
 * On rows that ascend without NaNs the test P (b before the value) holds on
 * a prefix of the row, and its length L is found in ceil(log2 m) halving
 * steps: L stays in [base, base + n], and L = base + P(b[base]) at n = 1.
 * Elsewhere (NaNs sort last, where P holds again) each value takes
 * PyTorch's binary search probe for probe: bit_length(m) steps on the
 * range [lo, lo + n), frozen at n = 0. */
#define CT_SEARCH_VB 8
#define CT_SEARCH_STEPS(CV, GO)                                                   \
    if (mono) {                                                                   \
        for (int64_t w = m; w > 1; w -= w >> 1)                                   \
            for (int j = 0; j < CT_SEARCH_VB; j++) {                              \
                __typeof__(x[0]) bm = CV(br[j][lo[j] + (w >> 1)]);                \
                lo[j] += (GO) ? w >> 1 : 0;                                       \
            }                                                                     \
        for (int j = 0; j < CT_SEARCH_VB; j++) {                                  \
            __typeof__(x[0]) bm = CV(br[j][lo[j]]);                               \
            lo[j] += (GO);                                                        \
        }                                                                         \
    } else {                                                                      \
        for (int k = 64 - __builtin_clzll((uint64_t)m); k > 0; k--)               \
            for (int j = 0; j < CT_SEARCH_VB; j++) {                              \
                int64_t h = n[j] >> 1, mid = lo[j] + h;                           \
                __typeof__(x[0]) bm = CV(br[j][mid < m ? mid : m - 1]);           \
                int64_t go = -(int64_t)((n[j] > 0) & (GO));                       \
                lo[j] = (go & (mid + 1)) | (~go & lo[j]);                         \
                n[j] = (go & (n[j] - h - 1)) | (~go & h);                         \
            }                                                                     \
    }
/* CV: how an element is read for comparing (bfloat16: widened to float) */
#define CT_SEARCH_AS(S, T, CT, CV)                                                \
static inline __attribute__((always_inline)) void ct_search_blk_##S(              \
        const T *b, int64_t brows, int64_t m, const T *v, int64_t q0, int64_t nq,  \
        int64_t nv, int right, int mono, int64_t *lo) {                           \
    const T *br[CT_SEARCH_VB];                                                    \
    CT x[CT_SEARCH_VB];                                                           \
    int64_t n[CT_SEARCH_VB];                                                      \
    for (int j = 0; j < CT_SEARCH_VB; j++) {                                      \
        int64_t q = q0 + (j < nq ? j : 0);                                        \
        br[j] = b + (brows == 1 ? 0 : q / nv) * m;                                \
        x[j] = CV(v[q]);                                                          \
        lo[j] = 0;                                                                \
        n[j] = m;                                                                 \
    }                                                                             \
    if (right)                                                                    \
        CT_SEARCH_STEPS(CV, !(bm > x[j]))                                         \
    else                                                                          \
        CT_SEARCH_STEPS(CV, !(bm >= x[j]))                                        \
}                                                                                 \
/* whether every row ascends without NaNs */                                     \
static int ct_search_mono_##S(const T *b, int64_t brows, int64_t m) {             \
    int ok = 1;                                                                   \
    for (int64_t r = 0; r < brows; r++)                                           \
        for (int64_t i = 0; i + 1 < m; i++)                                       \
            ok &= CV(b[r * m + i]) <= CV(b[r * m + i + 1]);                       \
    return ok;                                                                    \
}                                                                                 \
void ct_search_##S(const void *bv, int64_t brows, int64_t m, const int64_t *sorter, \
                   const void *vv, int64_t rows, int64_t nv, int right, int out32, void *out) { \
    const T *b = (const T *)bv, *v = (const T *)vv;                               \
    int64_t total = rows * nv;                                                    \
    int nt = ct_get_num_threads();                                                \
    if (!sorter && m > 0) {                                                       \
        int64_t nblk = (total + CT_SEARCH_VB - 1) / CT_SEARCH_VB;                 \
        const int mono = ct_search_mono_##S(b, brows, m);                         \
        CT_PARALLEL_IF(nt > 1 && total >= 16384, "omp parallel for num_threads(nt) schedule(static)", \
        for (int64_t k = 0; k < nblk; k++) {                                      \
            int64_t q0 = k * CT_SEARCH_VB, nq = total - q0, res[CT_SEARCH_VB];    \
            nq = nq < CT_SEARCH_VB ? nq : CT_SEARCH_VB;                           \
            ct_search_blk_##S(b, brows, m, v, q0, nq, nv, right, mono, res);      \
            for (int j = 0; j < nq; j++) {                                        \
                if (out32) ((int32_t *)out)[q0 + j] = (int32_t)res[j];            \
                else ((int64_t *)out)[q0 + j] = res[j];                           \
            }                                                                     \
        });                                                                       \
        return;                                                                   \
    }                                                                             \
    CT_PARALLEL_IF(nt > 1 && total >= 16384, "omp parallel for num_threads(nt) schedule(static)", \
    for (int64_t q = 0; q < total; q++) {                                         \
        int64_t r = brows == 1 ? 0 : q / nv;                                      \
        const T *br = b + r * m;                                                  \
        const int64_t *sr = sorter ? sorter + r * m : NULL;                       \
        CT x = CV(v[q]);                                                          \
        int64_t lo = 0, hi = m;                                                   \
        while (lo < hi) {                                                         \
            int64_t mid = lo + (hi - lo) / 2;                                     \
            CT bm = CV(sr ? br[sr[mid]] : br[mid]);                               \
            int go = right ? !(bm > x) : !(bm >= x);                              \
            if (go) lo = mid + 1; else hi = mid;                                  \
        }                                                                         \
        if (out32) ((int32_t *)out)[q] = (int32_t)lo; else ((int64_t *)out)[q] = lo; \
    });                                                                           \
}
CT_SEARCH(u8, uint8_t)
CT_SEARCH(i8, int8_t)
CT_SEARCH(i16, int16_t)
CT_SEARCH(i32, int32_t)
CT_SEARCH(i64, int64_t)
CT_SEARCH(f16, ct_half)
CT_SEARCH(f32, float)
CT_SEARCH(f64, double)
static inline float ct_bf16_as_float(ct_bf16 h)
{
    uint32_t u = (uint32_t)h << 16;
    float f;
    memcpy(&f, &u, 4);
    return f;
}
CT_SEARCH_AS(bf16, ct_bf16, float, ct_bf16_as_float)

ct_search_fn ct_search_loops[CT_NDTYPES] = {
    NULL, ct_search_u8, ct_search_i8, ct_search_i16, ct_search_i32, ct_search_i64,
    ct_search_f16, ct_search_f32, ct_search_f64, NULL, NULL, ct_search_bf16,
};

/* 1 when some sorter entry is outside [0, m) */
int ct_sorter_bad(const int64_t *s, int64_t n, int64_t m) {
    int bad = 0;
    for (int64_t i = 0; i < n; i++) bad |= (uint64_t)s[i] >= (uint64_t)m;
    return bad;
}

/* unique_consecutive of n elements: runs of equal neighbours (a NaN is never
 * equal, -0.0 equals 0.0). vals NULL: the number of runs only; else each
 * run's first element into vals and, where not NULL, every element's run
 * into inverse and each run's length into counts (vals and counts need room
 * for n runs when the count is not known beforehand). -1 for a dtype it
 * lacks. The elements go by in blocks of CT_UC_BLK: a block without a run
 * boundary (the usual case on sorted data) costs one vector compare; after
 * a block with many boundaries the next is walked without it. */
#define CT_UC_BLK 32

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* The branch-free walk below for 8-byte elements, four a step on AVX2: the
 * lanes that start a run (not equal to the one before: flt compares as
 * doubles) packed to the front by one permutation and stored at vals + u +
 * 1, their positions likewise at starts + u + 1 (starts not NULL; the lanes
 * past them are overwritten later: u + 4 < i + 4 <= e), and inverse the
 * run count through each lane. Elements i .. e-1 (i >= 1), u the runs so
 * far less one; returns where it stopped (fewer than 4 left). */
__attribute__((target("avx2"))) static int64_t ct_uc_pack8(const void *xv, int64_t i, int64_t e,
                                                            void *vv, int64_t *up, int64_t *inverse,
                                                            int64_t *starts, int flt)
{
    /* for each mask, the 32-bit halves of its set lanes in order, and the
     * running count of set lanes through each lane */
#define P_(a, b, c, d) {2 * a, 2 * a + 1, 2 * b, 2 * b + 1, 2 * c, 2 * c + 1, 2 * d, 2 * d + 1}
    static const int32_t order[16][8] __attribute__((aligned(32))) = {
        P_(0, 0, 0, 0), P_(0, 0, 0, 0), P_(1, 0, 0, 0), P_(0, 1, 0, 0), P_(2, 0, 0, 0), P_(0, 2, 0, 0),
        P_(1, 2, 0, 0), P_(0, 1, 2, 0), P_(3, 0, 0, 0), P_(0, 3, 0, 0), P_(1, 3, 0, 0), P_(0, 1, 3, 0),
        P_(2, 3, 0, 0), P_(0, 2, 3, 0), P_(1, 2, 3, 0), P_(0, 1, 2, 3)};
#undef P_
#define C_(m) {(m) & 1, ((m) & 1) + (((m) >> 1) & 1), ((m) & 1) + (((m) >> 1) & 1) + (((m) >> 2) & 1), \
               ((m) & 1) + (((m) >> 1) & 1) + (((m) >> 2) & 1) + ((m) >> 3)}
    static const int64_t runs[16][4] __attribute__((aligned(32))) = {
        C_(0), C_(1), C_(2), C_(3), C_(4), C_(5), C_(6), C_(7),
        C_(8), C_(9), C_(10), C_(11), C_(12), C_(13), C_(14), C_(15)};
#undef C_
    const int64_t *x = (const int64_t *)xv;
    int64_t *vals = (int64_t *)vv, u = *up;
    __m256i pos = _mm256_add_epi64(_mm256_set1_epi64x(i), _mm256_setr_epi64x(0, 1, 2, 3));
    const __m256i four = _mm256_set1_epi64x(4);
    for (; i + 4 <= e; i += 4) {
        __m256i cur = _mm256_loadu_si256((const __m256i *)(x + i));
        __m256i prev = _mm256_loadu_si256((const __m256i *)(x + i - 1));
        int mask;
        if (flt)
            mask = _mm256_movemask_pd(_mm256_cmp_pd(_mm256_castsi256_pd(cur), _mm256_castsi256_pd(prev),
                                                    _CMP_NEQ_UQ));
        else
            mask = ~_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(cur, prev))) & 15;
        __m256i perm = _mm256_load_si256((const __m256i *)order[mask]);
        _mm256_storeu_si256((__m256i *)(vals + u + 1), _mm256_permutevar8x32_epi32(cur, perm));
        if (starts)
            _mm256_storeu_si256((__m256i *)(starts + u + 1), _mm256_permutevar8x32_epi32(pos, perm));
        if (inverse)
            _mm256_storeu_si256((__m256i *)(inverse + i),
                                _mm256_add_epi64(_mm256_set1_epi64x(u),
                                                 _mm256_load_si256((const __m256i *)runs[mask])));
        u += __builtin_popcount(mask);
        pos = _mm256_add_epi64(pos, four);
    }
    *up = u;
    return i;
}
#define CT_UC_PACK8(T, xs, i, e, vs, u, inverse, starts)                          \
    if (sizeof(T) == 8 && ct_cpu_avx2())                                          \
        i = ct_uc_pack8(xs, i, e, vs, &u, inverse, starts, (T)0.5 != 0);
#else
#define CT_UC_PACK8(T, xs, i, e, vs, u, inverse, starts)
#endif

#define CT_UCONSEC(S, T)                                                          \
CT_MULTIVERSION static int64_t ct_uc_count_##S(const T *xs, int64_t n) {          \
    int64_t u = 1;                                                                \
    _Pragma("omp simd reduction(+:u)")                                            \
    for (int64_t i = 1; i < n; i++) u += xs[i] != xs[i - 1];                      \
    return u;                                                                     \
}                                                                                 \
CT_MULTIVERSION static int64_t ct_uc_fill_##S(const T *xs, int64_t n, T *vs,      \
                                              int64_t *inverse, int64_t *counts) { \
    /* counts holds each run's start during the walk, its length after */        \
    int64_t u = 0, i = 1, u0 = 0;                                                 \
    vs[0] = xs[0];                                                                \
    if (inverse) inverse[0] = 0;                                                  \
    if (counts) counts[0] = 0;                                                    \
    while (i < n) {                                                               \
        /* a block after one with many boundaries goes straight to the loop */   \
        const int busy = u - u0 > CT_UC_BLK / 4;                                  \
        u0 = u;                                                                   \
        if (!busy && i + CT_UC_BLK <= n) {                                        \
            int d = 0;                                                            \
            _Pragma("omp simd reduction(|:d)")                                    \
            for (int k = 0; k < CT_UC_BLK; k++) d |= xs[i + k] != xs[i + k - 1]; \
            if (!d) {                                                             \
                if (inverse)                                                      \
                    for (int k = 0; k < CT_UC_BLK; k++) inverse[i + k] = u;       \
                i += CT_UC_BLK;                                                   \
                continue;                                                         \
            }                                                                     \
        }                                                                         \
        int64_t e = n - i < CT_UC_BLK ? n : i + CT_UC_BLK;                        \
        /* without a branch: the element (and its place) stored as the next  */  \
        /* run's first, kept where it starts one (data with many runs)       */  \
        CT_UC_PACK8(T, xs, i, e, vs, u, inverse, counts)                          \
        for (; i < e; i++) {                                                      \
            const T v = xs[i];                                                    \
            vs[u + 1] = v;                                                        \
            if (counts) counts[u + 1] = i;                                        \
            u += v != xs[i - 1];                                                  \
            if (inverse) inverse[i] = u;                                          \
        }                                                                         \
    }                                                                             \
    if (counts) {                                                                 \
        for (int64_t k = 0; k < u; k++) counts[k] = counts[k + 1] - counts[k];    \
        counts[u] = n - counts[u];                                                \
    }                                                                             \
    return u + 1;                                                                 \
}
CT_UCONSEC(u8, uint8_t)
CT_UCONSEC(i8, int8_t)
CT_UCONSEC(i16, int16_t)
CT_UCONSEC(i32, int32_t)
CT_UCONSEC(i64, int64_t)
CT_UCONSEC(f32, float)
CT_UCONSEC(f64, double)

#define CT_UC_CASE(S, T)                                                          \
    return vals ? ct_uc_fill_##S((const T *)x, n, (T *)vals, inverse, counts)     \
                : ct_uc_count_##S((const T *)x, n)

int64_t ct_unique_consec(int dtype, const void *x, int64_t n, void *vals, int64_t *inverse,
                         int64_t *counts) {
    if (n <= 0) return 0;
    switch (dtype) {
    case CT_BOOL: case CT_UINT8: CT_UC_CASE(u8, uint8_t);
    case CT_INT8: CT_UC_CASE(i8, int8_t);
    case CT_INT16: CT_UC_CASE(i16, int16_t);
    case CT_INT32: CT_UC_CASE(i32, int32_t);
    case CT_INT64: CT_UC_CASE(i64, int64_t);
    case CT_FLOAT32: CT_UC_CASE(f32, float);
    case CT_FLOAT64: CT_UC_CASE(f64, double);
    default: return -1;
    }
}
