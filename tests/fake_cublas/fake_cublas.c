/* A stand-in for cuBLAS (the five entry points ctorch's CUDA backend takes
 * from libcublas: ctorch/cuda/cu_blas.c) for tests without a GPU: the
 * strided-batched gemms computed naively in host memory, column-major as
 * cuBLAS defines them. fake_cublas_calls() counts the gemm calls;
 * FAKE_CUBLAS_FAIL=<status> makes every gemm return that status. */
#include <complex.h>
#include <stdlib.h>

static long calls;
static int handle_token;

long fake_cublas_calls(void) { return calls; }

int cublasCreate_v2(void **h) { *h = &handle_token; return 0; }
int cublasDestroy_v2(void *h) { return h == &handle_token ? 0 : 1; }

static int fail_status(void) {
    const char *f = getenv("FAKE_CUBLAS_FAIL");
    return f ? atoi(f) : 0;
}

/* op(X)[i, j] for X column-major with leading dimension ld; op 0 N, 1 T, 2 C */
#define FAKE_GEMM(NAME, T, CONJ)                                                          \
int NAME(void *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *A, int lda, \
         long long sa, const T *B, int ldb, long long sb, const T *beta, T *C, int ldc,      \
         long long sc, int batch) {                                                        \
    if (h != &handle_token) return 1;                                                      \
    calls++;                                                                               \
    if (fail_status()) return fail_status();                                               \
    for (int b = 0; b < batch; b++) {                                                      \
        const T *a = A + b * sa, *bb = B + b * sb;                                         \
        T *c = C + b * sc;                                                                 \
        for (int j = 0; j < n; j++)                                                        \
            for (int i = 0; i < m; i++) {                                                  \
                T acc = 0;                                                                 \
                for (int p = 0; p < k; p++) {                                              \
                    T x = ta == 0 ? a[i + (long)p * lda] : a[p + (long)i * lda];           \
                    T y = tb == 0 ? bb[p + (long)j * ldb] : bb[j + (long)p * ldb];         \
                    if (ta == 2) x = CONJ(x);                                              \
                    if (tb == 2) y = CONJ(y);                                              \
                    acc += x * y;                                                          \
                }                                                                          \
                T *out = c + i + (long)j * ldc;                                            \
                *out = *alpha * acc + (*beta == 0 ? 0 : *beta * *out);                     \
            }                                                                              \
    }                                                                                      \
    return 0;                                                                              \
}

#define FAKE_ID(x) (x)
FAKE_GEMM(cublasSgemmStridedBatched, float, FAKE_ID)
FAKE_GEMM(cublasDgemmStridedBatched, double, FAKE_ID)
FAKE_GEMM(cublasCgemmStridedBatched, float complex, conjf)
FAKE_GEMM(cublasZgemmStridedBatched, double complex, conj)
