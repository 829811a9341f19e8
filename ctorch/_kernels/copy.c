/* Same-dtype strided copies over the last two dims in typed loops (copy.h):
 * short rows (an unfolded or narrow view made dense: one driver call per
 * row of a few elements costs more than the copy) and transposed operands
 * (walked in tiles that keep both sides' cache lines in L1, without a call
 * per tile row).
 */
#include "copy.h"
#include "strided.h"

#define CT_SIMD _Pragma("omp simd")

/* rows shorter than this go through the typed 2-D loop; longer rows are
 * copied as well by the driver's per-row loop */
#define CT_SHORT_ROW 64
/* rows per unit of work of the short-row copy: about this many elements */
#define CT_ROWS_UNIT 4096

/* nr rows of n1 elements: row r of dst at o + r * os0, its elements os1
 * apart; likewise the source. Dense rows, broadcast rows (a stride-0
 * source) and any other strides. */
/* rows of a fixed length N: unrolled by the compiler (a vector loop's set-up
 * costs more than rows of a few elements) */
#define CT_FIXED_ROWS(T, N)                                                        \
    if (as1 == 0) {                                                                \
        for (int64_t r = 0; r < nr; r++) {                                         \
            T *oo = (T *)(o + r * os0);                                            \
            const T v = *(const T *)(a + r * as0);                                 \
            for (int j = 0; j < N; j++) oo[j] = v;                                 \
        }                                                                          \
    } else {                                                                       \
        for (int64_t r = 0; r < nr; r++) {                                         \
            T *oo = (T *)(o + r * os0);                                            \
            const T *aa = (const T *)(a + r * as0);                                \
            for (int j = 0; j < N; j++) oo[j] = aa[j];                             \
        }                                                                          \
    }                                                                              \
    return;

#define CT_COPY_ROWS(W, T)                                                         \
CT_MULTIVERSION void ct_copy_rows_w##W(char *o, int64_t os0, int64_t os1, const char *a, \
                                       int64_t as0, int64_t as1, int64_t nr, int64_t n1) \
{                                                                                  \
    if (os1 == W && (as1 == W || as1 == 0)) {                                      \
        switch (n1) {                                                              \
        case 1: { CT_FIXED_ROWS(T, 1) }                                            \
        case 2: { CT_FIXED_ROWS(T, 2) }                                            \
        case 3: { CT_FIXED_ROWS(T, 3) }                                            \
        case 4: { CT_FIXED_ROWS(T, 4) }                                            \
        case 5: { CT_FIXED_ROWS(T, 5) }                                            \
        case 6: { CT_FIXED_ROWS(T, 6) }                                            \
        case 7: { CT_FIXED_ROWS(T, 7) }                                            \
        case 8: { CT_FIXED_ROWS(T, 8) }                                            \
        default: break;                                                            \
        }                                                                          \
    }                                                                              \
    if (os1 == W && as1 == W) {                                                    \
        for (int64_t r = 0; r < nr; r++) {                                         \
            T *oo = (T *)(o + r * os0);                                            \
            const T *aa = (const T *)(a + r * as0);                                \
            CT_SIMD for (int64_t j = 0; j < n1; j++) oo[j] = aa[j];                \
        }                                                                          \
    } else if (os1 == W && as1 == 0) {                                             \
        for (int64_t r = 0; r < nr; r++) {                                         \
            T *oo = (T *)(o + r * os0);                                            \
            const T v = *(const T *)(a + r * as0);                                 \
            CT_SIMD for (int64_t j = 0; j < n1; j++) oo[j] = v;                    \
        }                                                                          \
    } else {                                                                       \
        for (int64_t r = 0; r < nr; r++)                                           \
            for (int64_t j = 0; j < n1; j++)                                       \
                *(T *)(o + r * os0 + j * os1) = *(const T *)(a + r * as0 + j * as1); \
    }                                                                              \
}

/* a strip of nr (at most one tile's) rows of a transposed copy, walked one
 * tile of tc columns at a time: within a tile the source is read down its
 * contiguous dim (the rows of dst), dst along its rows */
#define CT_COPY_TILES(W, T)                                                        \
CT_MULTIVERSION void ct_copy_tiles_w##W(char *o, int64_t os0, int64_t os1, const char *a, \
                                        int64_t as0, int64_t as1, int64_t nr, int64_t n1, \
                                        int64_t tc)                                \
{                                                                                  \
    for (int64_t c0 = 0; c0 < n1; c0 += tc) {                                      \
        int64_t nc = n1 - c0 < tc ? n1 - c0 : tc;                                  \
        if (os1 == W && as0 == W) {                                                \
            for (int64_t j = 0; j < nc; j++) {                                     \
                T *oo = (T *)(o + (c0 + j) * W);                                   \
                const T *aa = (const T *)(a + (c0 + j) * as1);                     \
                for (int64_t r = 0; r < nr; r++)                                   \
                    *(T *)((char *)oo + r * os0) = aa[r];                          \
            }                                                                      \
        } else {                                                                   \
            for (int64_t r = 0; r < nr; r++)                                       \
                for (int64_t j = c0; j < c0 + nc; j++)                             \
                    *(T *)(o + r * os0 + j * os1) = *(const T *)(a + r * as0 + j * as1); \
        }                                                                          \
    }                                                                              \
}

/* 4-byte elements, dst rows dense and the source dense down dst's columns
 * (x.t().contiguous() of a float matrix): 8 x 8 blocks transposed in AVX2
 * registers (8 loads, 24 shuffles, 8 stores), the edges element by element */
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define CT_HAVE_TR8 1
__attribute__((target("avx2"))) static void ct_tr8_w4(char *o, int64_t os0, const char *a,
                                                     int64_t as1, int64_t nr, int64_t n1)
{
    /* column blocks outermost: a block's 8 source lines are used up at once */
    int64_t nr8 = nr & ~(int64_t)7, n18 = n1 & ~(int64_t)7;
    for (int64_t c0 = 0; c0 < n18; c0 += 8) {
        for (int64_t r0 = 0; r0 < nr8; r0 += 8) {
            /* l_j: dst's column c0 + j, rows r0 .. r0 + 7 */
            const char *s = a + c0 * as1 + r0 * 4;
            __m256 l0 = _mm256_loadu_ps((const float *)(s));
            __m256 l1 = _mm256_loadu_ps((const float *)(s + as1));
            __m256 l2 = _mm256_loadu_ps((const float *)(s + 2 * as1));
            __m256 l3 = _mm256_loadu_ps((const float *)(s + 3 * as1));
            __m256 l4 = _mm256_loadu_ps((const float *)(s + 4 * as1));
            __m256 l5 = _mm256_loadu_ps((const float *)(s + 5 * as1));
            __m256 l6 = _mm256_loadu_ps((const float *)(s + 6 * as1));
            __m256 l7 = _mm256_loadu_ps((const float *)(s + 7 * as1));
            __m256 t0 = _mm256_unpacklo_ps(l0, l1), t1 = _mm256_unpackhi_ps(l0, l1);
            __m256 t2 = _mm256_unpacklo_ps(l2, l3), t3 = _mm256_unpackhi_ps(l2, l3);
            __m256 t4 = _mm256_unpacklo_ps(l4, l5), t5 = _mm256_unpackhi_ps(l4, l5);
            __m256 t6 = _mm256_unpacklo_ps(l6, l7), t7 = _mm256_unpackhi_ps(l6, l7);
            __m256 s0 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0));
            __m256 s1 = _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 s2 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0));
            __m256 s3 = _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 s4 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(1, 0, 1, 0));
            __m256 s5 = _mm256_shuffle_ps(t4, t6, _MM_SHUFFLE(3, 2, 3, 2));
            __m256 s6 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(1, 0, 1, 0));
            __m256 s7 = _mm256_shuffle_ps(t5, t7, _MM_SHUFFLE(3, 2, 3, 2));
            char *d = o + r0 * os0 + c0 * 4;
            _mm256_storeu_ps((float *)(d), _mm256_permute2f128_ps(s0, s4, 0x20));
            _mm256_storeu_ps((float *)(d + os0), _mm256_permute2f128_ps(s1, s5, 0x20));
            _mm256_storeu_ps((float *)(d + 2 * os0), _mm256_permute2f128_ps(s2, s6, 0x20));
            _mm256_storeu_ps((float *)(d + 3 * os0), _mm256_permute2f128_ps(s3, s7, 0x20));
            _mm256_storeu_ps((float *)(d + 4 * os0), _mm256_permute2f128_ps(s0, s4, 0x31));
            _mm256_storeu_ps((float *)(d + 5 * os0), _mm256_permute2f128_ps(s1, s5, 0x31));
            _mm256_storeu_ps((float *)(d + 6 * os0), _mm256_permute2f128_ps(s2, s6, 0x31));
            _mm256_storeu_ps((float *)(d + 7 * os0), _mm256_permute2f128_ps(s3, s7, 0x31));
        }
    }
    for (int64_t r = 0; r < nr8; r++)               /* the columns past the last block */
        for (int64_t j = n18; j < n1; j++)
            *(uint32_t *)(o + r * os0 + j * 4) = *(const uint32_t *)(a + r * 4 + j * as1);
    for (int64_t r = nr8; r < nr; r++)              /* the rows past the last block */
        for (int64_t j = 0; j < n1; j++)
            *(uint32_t *)(o + r * os0 + j * 4) = *(const uint32_t *)(a + r * 4 + j * as1);
}

/* 8-byte elements the same way: 4 x 4 blocks (4 loads, 4 unpacks, 4 lane
 * permutes, 4 stores) */
__attribute__((target("avx2"))) static void ct_tr4_w8(char *o, int64_t os0, const char *a,
                                                     int64_t as1, int64_t nr, int64_t n1)
{
    int64_t nr4 = nr & ~(int64_t)3, n14 = n1 & ~(int64_t)3;
    for (int64_t c0 = 0; c0 < n14; c0 += 4) {
        for (int64_t r0 = 0; r0 < nr4; r0 += 4) {
            /* l_j: dst's column c0 + j, rows r0 .. r0 + 3 */
            const char *s = a + c0 * as1 + r0 * 8;
            __m256d l0 = _mm256_loadu_pd((const double *)(s));
            __m256d l1 = _mm256_loadu_pd((const double *)(s + as1));
            __m256d l2 = _mm256_loadu_pd((const double *)(s + 2 * as1));
            __m256d l3 = _mm256_loadu_pd((const double *)(s + 3 * as1));
            __m256d t0 = _mm256_unpacklo_pd(l0, l1), t1 = _mm256_unpackhi_pd(l0, l1);
            __m256d t2 = _mm256_unpacklo_pd(l2, l3), t3 = _mm256_unpackhi_pd(l2, l3);
            char *d = o + r0 * os0 + c0 * 8;
            _mm256_storeu_pd((double *)(d), _mm256_permute2f128_pd(t0, t2, 0x20));
            _mm256_storeu_pd((double *)(d + os0), _mm256_permute2f128_pd(t1, t3, 0x20));
            _mm256_storeu_pd((double *)(d + 2 * os0), _mm256_permute2f128_pd(t0, t2, 0x31));
            _mm256_storeu_pd((double *)(d + 3 * os0), _mm256_permute2f128_pd(t1, t3, 0x31));
        }
    }
    for (int64_t r = 0; r < nr4; r++)               /* the columns past the last block */
        for (int64_t j = n14; j < n1; j++)
            *(uint64_t *)(o + r * os0 + j * 8) = *(const uint64_t *)(a + r * 8 + j * as1);
    for (int64_t r = nr4; r < nr; r++)              /* the rows past the last block */
        for (int64_t j = 0; j < n1; j++)
            *(uint64_t *)(o + r * os0 + j * 8) = *(const uint64_t *)(a + r * 8 + j * as1);
}
#endif

#define CT_WIDTHS(M) M(1, uint8_t) M(2, uint16_t) M(4, uint32_t) M(8, uint64_t) M(16, ct_cdouble)
CT_WIDTHS(CT_COPY_ROWS)
CT_WIDTHS(CT_COPY_TILES)

typedef struct {
    int es, ndim, tiled, avx2;
    const int64_t *shape, *strides;
    char *dst;
    const char *src;
    int64_t rows_per, strips, tc;
} ct_copy_job;

/* unit u of the job: rows [s * rows_per, ..) of the 2-D slice b */
static void ct_copy_unit(const ct_copy_job *J, int64_t u)
{
    int nd = J->ndim, R = nd - 2, C = nd - 1;
    const int64_t *sh = J->shape, *st = J->strides;
    int64_t b = u / J->strips, s = u % J->strips;
    int64_t r0 = s * J->rows_per, nr = sh[R] - r0 < J->rows_per ? sh[R] - r0 : J->rows_per;
    int64_t oo = r0 * st[R], ao = r0 * st[nd + R];
    for (int d = R - 1; d >= 0; d--) {       /* decode the slice index */
        int64_t i = b % sh[d];
        b /= sh[d];
        oo += i * st[d];
        ao += i * st[nd + d];
    }
    char *o = J->dst + oo;
    const char *a = J->src + ao;
    int64_t os0 = st[R], os1 = st[C], as0 = st[nd + R], as1 = st[nd + C], n1 = sh[C];
    if (J->tiled) {
#ifdef CT_HAVE_TR8
        if (J->es == 4 && os1 == 4 && as0 == 4 && J->avx2) {
            ct_tr8_w4(o, os0, a, as1, nr, n1);
            return;
        }
        if (J->es == 8 && os1 == 8 && as0 == 8 && J->avx2) {
            ct_tr4_w8(o, os0, a, as1, nr, n1);
            return;
        }
#endif
        switch (J->es) {
        case 1: ct_copy_tiles_w1(o, os0, os1, a, as0, as1, nr, n1, J->tc); break;
        case 2: ct_copy_tiles_w2(o, os0, os1, a, as0, as1, nr, n1, J->tc); break;
        case 4: ct_copy_tiles_w4(o, os0, os1, a, as0, as1, nr, n1, J->tc); break;
        case 8: ct_copy_tiles_w8(o, os0, os1, a, as0, as1, nr, n1, J->tc); break;
        default: ct_copy_tiles_w16(o, os0, os1, a, as0, as1, nr, n1, J->tc); break;
        }
        return;
    }
    switch (J->es) {
    case 1: ct_copy_rows_w1(o, os0, os1, a, as0, as1, nr, n1); break;
    case 2: ct_copy_rows_w2(o, os0, os1, a, as0, as1, nr, n1); break;
    case 4: ct_copy_rows_w4(o, os0, os1, a, as0, as1, nr, n1); break;
    case 8: ct_copy_rows_w8(o, os0, os1, a, as0, as1, nr, n1); break;
    default: ct_copy_rows_w16(o, os0, os1, a, as0, as1, nr, n1); break;
    }
}

void ct_copy_block(int es, char *o, int64_t os0, const char *a, int64_t as0, int64_t as1,
                   int64_t nr, int64_t n1)
{
    if (as0 == 0 && nr >= 16 && os0 == n1 * es) {
        /* one row repeated (a broadcast down the rows): the first row, then
         * the rows done so far copied after them, doubling (a block of 128
         * rows of 32 floats a row at a time cost a quarter of x * y[:, None]);
         * a few rows stay with the row loop (each memcpy a call) */
        ct_copy_block(es, o, os0, a, 0, as1, 1, n1);
        for (int64_t done = 1; done < nr; done *= 2)
            memcpy(o + done * os0, o, (size_t)((nr - done < done ? nr - done : done) * os0));
        return;
    }
#ifdef CT_HAVE_TR8
    static int avx2 = -1;
    if (avx2 < 0) avx2 = __builtin_cpu_supports("avx2");
    /* (a column broadcast along the rows, as1 == 0, is a splat a row: below) */
    if (es == 4 && as0 == 4 && as1 != 0 && avx2) {
        ct_tr8_w4(o, os0, a, as1, nr, n1);
        return;
    }
    if (es == 8 && as0 == 8 && as1 != 0 && avx2) {
        ct_tr4_w8(o, os0, a, as1, nr, n1);
        return;
    }
#endif
    /* a row of dst at a time: its first row's loads bring the block's
     * source lines in (independent misses, in flight together), the other
     * rows find them in L1; dst is written in order */
    switch (es) {
    case 1: ct_copy_rows_w1(o, os0, 1, a, as0, as1, nr, n1); break;
    case 2: ct_copy_rows_w2(o, os0, 2, a, as0, as1, nr, n1); break;
    case 4: ct_copy_rows_w4(o, os0, 4, a, as0, as1, nr, n1); break;
    case 8: ct_copy_rows_w8(o, os0, 8, a, as0, as1, nr, n1); break;
    default: ct_copy_rows_w16(o, os0, 16, a, as0, as1, nr, n1); break;
    }
}

static int64_t ct_abs64(int64_t x) { return x < 0 ? -x : x; }

int ct_copy_nd(int es, int ndim, const int64_t *shape, const int64_t *strides,
               char *const *ptr, int64_t grain)
{
    if (ndim < 2 || !(es == 1 || es == 2 || es == 4 || es == 8 || es == 16)) return 0;
    int R = ndim - 2, C = ndim - 1;
    int64_t n0 = shape[R], n1 = shape[C];
    int64_t as0 = strides[ndim + R], as1 = strides[ndim + C];
    int64_t total = n0 * n1;
    for (int d = 0; d < R; d++) total *= shape[d];
    if (total == 0) return 1;
    /* the source steps along dst's rows more finely than along its columns */
    int tiled = n0 >= 8 && n1 >= 8 && as0 != 0 && ct_abs64(as0) < ct_abs64(as1);
    if (!tiled && n1 >= CT_SHORT_ROW) return 0;
    ct_copy_job J;
    J.es = es;
    J.ndim = ndim;
    J.tiled = tiled;
#ifdef CT_HAVE_TR8
    J.avx2 = __builtin_cpu_supports("avx2");
#else
    J.avx2 = 0;
#endif
    J.shape = shape;
    J.strides = strides;
    J.dst = ptr[0];
    J.src = ptr[1];
    /* tiles of 64 bytes a side (8 elements at least): a tile row is one
     * cache line of dst, a tile column one line of the source */
    J.tc = es <= 8 ? 64 / es : 8;
    if (J.tc < 8) J.tc = 8;
    J.rows_per = tiled ? J.tc : (CT_ROWS_UNIT / n1 > 1 ? CT_ROWS_UNIT / n1 : 1);
    J.strips = (n0 + J.rows_per - 1) / J.rows_per;
    int64_t units = (total / (n0 * n1)) * J.strips;
    int nt = ct_get_num_threads();
    if (nt > 1 && total >= grain && units > 1) {
#ifdef _OPENMP
        if (units < nt) nt = (int)units;
        #pragma omp parallel for num_threads(nt) schedule(static)
        for (int64_t u = 0; u < units; u++) ct_copy_unit(&J, u);
        return 1;
#endif
    }
    for (int64_t u = 0; u < units; u++) ct_copy_unit(&J, u);
    return 1;
}
