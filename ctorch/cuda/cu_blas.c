/* cuBLAS for the float products of the CUDA backend (cu_blas.h): dlopen'ed
 * at run time, one handle per process, every product one strided-batched
 * call (or one call per batch when the batch offsets are not evenly
 * spaced). The declarations below are cuBLAS's C API as its header gives
 * it: plain ints for the enums, the handle an opaque pointer. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include "cuda_backend.h"
#include "cu_blas.h"

typedef void *ctc_cublas_handle;
typedef int (*ctc_create_fn)(ctc_cublas_handle *h);
typedef int (*ctc_destroy_fn)(ctc_cublas_handle h);
/* cublas{S,D,C,Z}gemmStridedBatched: the element type is erased (void *) */
typedef int (*ctc_gemm_sb_fn)(ctc_cublas_handle h, int ta, int tb, int m, int n, int k,
                              const void *alpha, const void *A, int lda, long long sa,
                              const void *B, int ldb, long long sb, const void *beta, void *C,
                              int ldc, long long sc, int batch);

enum { CTC_OP_N = 0, CTC_OP_T = 1, CTC_OP_C = 2 };
#define CTC_BLAS_MAX_BATCH 65535        /* batches per call */

static void *ctc_lib;
static ctc_create_fn ctc_create;
static ctc_destroy_fn ctc_destroy;
static ctc_gemm_sb_fn ctc_gemm_sb[CT_NDTYPES];
static ctc_cublas_handle ctc_handle;
static int ctc_handle_state;            /* 0: not made yet, 1: made, -1: cuBLAS refused */
static int64_t ctc_ncalls;
static pthread_mutex_t ctc_blas_lock = PTHREAD_MUTEX_INITIALIZER;

int ctc_blas_load(const char *path, char *msg, int n) {
    static const char *const names[4][2] = {
        {"cublasSgemmStridedBatched", NULL}, {"cublasDgemmStridedBatched", NULL},
        {"cublasCgemmStridedBatched", NULL}, {"cublasZgemmStridedBatched", NULL}};
    static const int dts[4] = {CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128};
    ctc_blas_unload();
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        snprintf(msg, (size_t)n, "%s", dlerror());
        return -1;
    }
    ctc_create = (ctc_create_fn)dlsym(lib, "cublasCreate_v2");
    ctc_destroy = (ctc_destroy_fn)dlsym(lib, "cublasDestroy_v2");
    int ok = ctc_create != NULL && ctc_destroy != NULL;
    for (int i = 0; i < 4 && ok; i++) {
        ctc_gemm_sb[dts[i]] = (ctc_gemm_sb_fn)dlsym(lib, names[i][0]);
        ok = ctc_gemm_sb[dts[i]] != NULL;
    }
    if (!ok) {
        snprintf(msg, (size_t)n, "%s lacks the cuBLAS entry points ctorch uses", path);
        memset(ctc_gemm_sb, 0, sizeof ctc_gemm_sb);
        dlclose(lib);
        return -1;
    }
    ctc_lib = lib;
    ctc_handle_state = 0;
    ctc_ncalls = 0;
    return 0;
}

void ctc_blas_unload(void) {
    if (ctc_lib == NULL) return;
    if (ctc_handle_state == 1) ctc_destroy(ctc_handle);
    ctc_handle_state = 0;
    memset(ctc_gemm_sb, 0, sizeof ctc_gemm_sb);
    dlclose(ctc_lib);
    ctc_lib = NULL;
}

int ctc_blas_loaded(void) { return ctc_lib != NULL; }

int64_t ctc_blas_calls(void) { return ctc_ncalls; }

/* the handle, made on the first product (in the device's context, which
 * the driver makes current on this thread first) */
static int ctc_blas_ready(void) {
    pthread_mutex_lock(&ctc_blas_lock);
    if (ctc_handle_state == 0) ctc_handle_state = ctc_create(&ctc_handle) == 0 ? 1 : -1;
    pthread_mutex_unlock(&ctc_blas_lock);
    return ctc_handle_state == 1;
}

static int ctc_op(char t) {
    return (t == 'N' || t == 'n') ? CTC_OP_N : (t == 'C' || t == 'c') ? CTC_OP_C : CTC_OP_T;
}

/* the step of evenly spaced offsets, or -1 */
static int64_t ctc_step(const int64_t *off, int64_t nb) {
    if (nb <= 1) return 0;
    int64_t s = off[1] - off[0];
    if (s < 0) return -1;
    for (int64_t b = 2; b < nb; b++)
        if (off[b] - off[b - 1] != s) return -1;
    return s;
}

int ctc_blas_gemm(int dtype, char t1, char t2, int M, int N, int K, const void *alpha,
                  char *P, int ld1, const int64_t *off1, char *Q, int ld2, const int64_t *off2,
                  const void *beta, char *C, int ldc, int64_t nb) {
    if (ctc_lib == NULL || dtype < 0 || dtype >= CT_NDTYPES || ctc_gemm_sb[dtype] == NULL) return -1;
    if (ctc_bind() != 0 || !ctc_blas_ready()) return -1;
    static const int es[CT_NDTYPES] = {[CT_FLOAT32] = 4, [CT_FLOAT64] = 8, [CT_COMPLEX64] = 8,
                                       [CT_COMPLEX128] = 16};
    int64_t s1 = ctc_step(off1, nb), s2 = ctc_step(off2, nb), sc = (int64_t)M * N;
    int even = s1 >= 0 && s2 >= 0;
    ctc_gemm_sb_fn f = ctc_gemm_sb[dtype];
    int a = ctc_op(t1), b = ctc_op(t2);
    for (int64_t b0 = 0; b0 < nb;) {
        int64_t cnt = even ? (nb - b0 < CTC_BLAS_MAX_BATCH ? nb - b0 : CTC_BLAS_MAX_BATCH) : 1;
        int rc = f(ctc_handle, a, b, M, N, K, alpha, P + off1[b0] * es[dtype], ld1, (long long)s1,
                   Q + off2[b0] * es[dtype], ld2, (long long)s2, beta, C + b0 * sc * es[dtype], ldc,
                   (long long)sc, (int)cnt);
        if (rc != 0) {
            char what[64];
            snprintf(what, sizeof what, "cuBLAS gemm failed (status %d)", rc);
            ctc_fail(rc, what);
            return 1;
        }
        b0 += cnt;
    }
    ctc_ncalls++;
    return 0;
}
