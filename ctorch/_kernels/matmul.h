/* Matrix products for the dtypes that BLAS does not cover (the integers).
 *
 * Each batch entry b computes C[b] (m x n, dense rows) = A[b] (m x k, dense
 * rows) x B[b] (k x n, dense rows); the operands of entry b start offa[b] and
 * offb[b] elements into A and B (so broadcast batches need no copy). The loop
 * order i-p-j keeps the inner loop a unit-stride axpy over a row of B, which
 * vectorises; columns are taken in blocks so that the touched part of B stays
 * in cache. Integer products wrap around like the type's own arithmetic.
 */
#ifndef CT_MATMUL_H
#define CT_MATMUL_H

#include "common.h"

#define CT_MM_JBLOCK 512

#define CT_MM_GENERIC(S, T)                                                        \
CT_MULTIVERSION static void ct_mm_row_##S(const T *a, const T *b, T *c,            \
                                          int64_t n, int64_t k) {                  \
    for (int64_t j0 = 0; j0 < n; j0 += CT_MM_JBLOCK) {                             \
        int64_t j1 = j0 + CT_MM_JBLOCK < n ? j0 + CT_MM_JBLOCK : n;                \
        for (int64_t j = j0; j < j1; j++) c[j] = 0;                                \
        for (int64_t p = 0; p < k; p++) {                                          \
            T av = a[p];                                                           \
            const T *brow = b + p * n;                                             \
            for (int64_t j = j0; j < j1; j++) c[j] += av * brow[j];                \
        }                                                                          \
    }                                                                              \
}                                                                                  \
static void ct_mm_##S(int64_t nb, const int64_t *offa, const int64_t *offb,        \
                      const void *A, const void *B, void *C,                       \
                      int64_t m, int64_t n, int64_t k) {                           \
    int64_t rows = nb * m;                                                         \
    int nt = ct_get_num_threads();                                                 \
    if (nt > 1 && rows > 1 && rows * n * k >= 32768) {                             \
        _Pragma("omp parallel for num_threads(nt) schedule(static)")               \
        for (int64_t r = 0; r < rows; r++) {                                       \
            int64_t bi = r / m, i = r % m;                                         \
            ct_mm_row_##S((const T *)A + offa[bi] + i * k, (const T *)B + offb[bi], \
                          (T *)C + r * n, n, k);                                   \
        }                                                                          \
    } else {                                                                       \
        for (int64_t r = 0; r < rows; r++) {                                       \
            int64_t bi = r / m, i = r % m;                                         \
            ct_mm_row_##S((const T *)A + offa[bi] + i * k, (const T *)B + offb[bi], \
                          (T *)C + r * n, n, k);                                   \
        }                                                                          \
    }                                                                              \
}

CT_MM_GENERIC(u8, uint8_t)
CT_MM_GENERIC(i8, int8_t)
CT_MM_GENERIC(i16, int16_t)
CT_MM_GENERIC(i32, int32_t)
CT_MM_GENERIC(i64, int64_t)

typedef void (*ct_mm_fn)(int64_t nb, const int64_t *offa, const int64_t *offb,
                         const void *A, const void *B, void *C,
                         int64_t m, int64_t n, int64_t k);

/* indexed by dtype code; floats and complex go through BLAS, half through float */
static ct_mm_fn ct_mm_loops[CT_NDTYPES] = {
    NULL, ct_mm_u8, ct_mm_i8, ct_mm_i16, ct_mm_i32, ct_mm_i64,
    NULL, NULL, NULL, NULL, NULL,
};

#endif
