/* The type-generic part of ctorch's own matrix product (Goto's algorithm,
 * described in sgemm.c): the tables of a kernel, the AVX-512 micro-kernel
 * and matrix-vector products, and the driver (blocking, packing loops,
 * threads). sgemm.c includes it for float32, dgemm.c for float64; each
 * defines before it:
 *
 *   CT_GT          the element type, float or double
 *   CT_GW          its lanes per zmm vector (16 or 8): the AVX-512
 *                  micro-tile is CT_GZ_MR = 2 CT_GW rows by CT_GZ_NR = 12
 *                  columns, the same 24 accumulators and 128 bytes of A
 *                  per k for either type
 *   CT_GZ_KC, CT_GZ_MC, CT_GZ_NC, CT_GZ_AIN   its AVX-512 blocks
 *   CT_GM_PAR_FLOPS   products under this many flops stay on one thread
 *
 * and after it the type's packing routines with transposes (pack_a_t,
 * pack_b_n, pack_b_t), its kernel tables and entry points. Everything here
 * is static: each including file has its own copy, for its type. */
#if CT_GW == 16
#define CT_ZI(op) _mm512_##op##_ps      /* the type's AVX-512 intrinsic */
#define CT_ZV __m512
#define CT_ZMASK __mmask16
#define CT_GSS "ss"                     /* the instructions' type suffixes */
#define CT_GPS "ps"
#define CT_GES "4"                      /* bytes per element */
#else
#define CT_ZI(op) _mm512_##op##_pd
#define CT_ZV __m512d
#define CT_ZMASK __mmask8
#define CT_GSS "sd"
#define CT_GPS "pd"
#define CT_GES "8"
#endif
#define CT_GZ_MR (2 * CT_GW)
#define CT_GZ_NR 12
/* the lanes i < n of a vector (n may be <= 0 or >= CT_GW) */
#define CT_ZLANES(n) ((n) >= CT_GW ? (CT_ZMASK)((1u << CT_GW) - 1) \
                      : (n) <= 0 ? (CT_ZMASK)0 : (CT_ZMASK)((1u << (n)) - 1))
#define CT_GHALF ((1u << CT_GW) - 1)    /* a tile's first half of rows */
#define CT_GZ_FULL (CT_GZ_MR >= 32 ? 0xFFFFFFFFu : (1u << CT_GZ_MR) - 1)
/* packed B's column j at k: its byte offset in the asm */
#define CT_GB(j) "(" #j "*" CT_GES ")(%[b])"
/* the micro-kernels' k loop in asm (either kernel of the file's type):
 * four steps at a time, then the rest, counts in k4 and k1; ZERO before,
 * SAVE after */
#define CT_GM_KLOOP(ZERO, STEP, SAVE)                                         \
    ZERO                                                                      \
    "testq %[k4], %[k4]\n\t"                                                  \
    "jz 2f\n\t"                                                               \
    "1:\n\t"                                                                  \
    STEP STEP STEP STEP                                                       \
    "decq %[k4]\n\t"                                                          \
    "jnz 1b\n\t"                                                              \
    "2:\n\t"                                                                  \
    "testq %[k1], %[k1]\n\t"                                                  \
    "jz 4f\n\t"                                                               \
    "3:\n\t"                                                                  \
    STEP                                                                      \
    "decq %[k1]\n\t"                                                          \
    "jnz 3b\n\t"                                                              \
    "4:\n\t"                                                                  \
    SAVE

/* whether this CPU runs the AVX-512 kernel (the instruction sets of its
 * target pragma) */
static int ct_gm_has_avx512(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
           && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
           && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")
           && __builtin_cpu_supports("bmi2");
}

/* the matrix-vector products' block of y */
#define CT_GM_GV_BLOCK 1024

/* ---- one kernel's table --------------------------------------------------
 * The micro-kernel: acc (MR x NR) = sum over k < kc of A(i, p) B(p, j); then
 * C[i + j * ldc] = alpha acc + beta C for the rows i set in `rows` (bit i)
 * and the columns jlo <= j < jhi (beta == 0: C is not read). A is
 * A(i, p) = a[p * as + i]: a packed micro-panel (as == MR, aligned) or MR
 * rows of a column-major matrix read in place. B is a packed micro-panel,
 * B(p, j) = b[p * NR + j], when bcs == 0; otherwise NR columns of a
 * column-major matrix read in place, B(p, j) = b[p + j * bcs].
 *
 * The packing routines copy n <= MR rows (n <= NR columns) and kc k of
 * op(A) (op(B)) into one micro-panel, zero past n: pack_a_n reads
 * A(i, p) = a[i + p * lda], pack_a_t A(i, p) = a[p + i * lda], pack_b_n
 * B(p, j) = b[p + j * ldb], pack_b_t B(p, j) = b[j + p * ldb].
 *
 * gemv_dot: y[j * incy] = alpha sum_p x[p] A[p + j lda] + beta y (j < N);
 * gemv_axpy: y[i * incy] = alpha sum_p A[i + p lda] x[p incx] + beta y (i < M). */
typedef struct {
    int mr, nr, kc, mc, nc;
    int64_t ain_max;      /* op(A) = A is read in place up to M K this large */
    void (*kernel)(int kc, const CT_GT *restrict a, int64_t as, const CT_GT *restrict b,
                   int64_t bcs, CT_GT *c, int64_t ldc, CT_GT alpha, CT_GT beta,
                   uint32_t rows, int jlo, int jhi);
    void (*pack_a_n)(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst);
    void (*pack_a_t)(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst);
    void (*pack_b_n)(const CT_GT *b, int64_t ldb, int nr, int kc, CT_GT *dst);
    void (*pack_b_t)(const CT_GT *b, int64_t ldb, int nr, int kc, CT_GT *dst);
    void (*gemv_dot)(int K, int N, CT_GT alpha, const CT_GT *A, int64_t lda,
                     const CT_GT *x, CT_GT beta, CT_GT *y, int64_t incy);
    void (*gemv_axpy)(int M, int K, CT_GT alpha, const CT_GT *A, int64_t lda,
                      const CT_GT *x, int64_t incx, CT_GT beta, CT_GT *y, int64_t incy);
    /* a small product with op(A) = A of at most one vector of rows and
     * CT_GM_SMALL_K k (NULL: none) */
    void (*small)(char t2, int M, int N, int K, CT_GT alpha, const CT_GT *A, int64_t lda,
                  const CT_GT *B, int64_t ldb, CT_GT beta, CT_GT *C, int64_t ldc);
    /* packs op(A) = A2 ('X', below; NULL: the kernel does not take 'X') */
    void (*pack_a_x)(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst);
} ct_gm_isa;

/* op1 'X': a complex column-major matrix Z (M/2 x K/2, its real view
 * a[r + q lda]: rows alternating real and imaginary parts, lda the real
 * stride of a column) read as the real M x K matrix A2 that holds each z
 * as the 2 x 2 block [[re z, -im z], [im z, re z]], so that A2 times the
 * real view of a complex op2(B) is the real view of the complex product
 * (matmul.c's complex products). Packed as it is read: the k blocks are
 * even, M is even and so is every row offset (MR is). No in-place reading,
 * matrix-vector or small-product shortcut, symmetric C or k split takes
 * it. */
static inline CT_GT ct_gm_a_x(const CT_GT *a, int64_t lda, int i, int p)
{
    const CT_GT *z = a + (i & ~1) + (int64_t)(p >> 1) * lda;
    return (p & 1) == 0 ? z[i & 1] : (i & 1) ? z[0] : -z[1];
}

/* Either kernel's write-back of a whole MR x NR tile, MR = 2 W (acc(i) its
 * i-th vector of W elements, va and vb alpha and beta broadcast):
 * C = alpha acc, alpha acc + C or alpha acc + beta C by beta (beta == 0
 * never reads C). */
#define CT_GM_WRITE_FULL(NR, W, LOADU, STOREU, MUL, FMADD)                       \
    for (int j = 0; j < (NR); j++)                                            \
        for (int h = 0; h < 2; h++) {                                         \
            CT_GT *p_ = c + j * ldc + h * (W);                                \
            STOREU(p_, beta == 0 ? MUL(va, acc(2 * j + h))                 \
                       : beta == 1 ? FMADD(va, acc(2 * j + h), LOADU(p_))  \
                       : FMADD(va, acc(2 * j + h), MUL(vb, LOADU(p_))));      \
        }

/* ---- per-thread packing buffers ------------------------------------------
 * alloc.h's per-thread scratch: one block for blocks of A, one for blocks
 * of B, kept between calls. */
static CT_GT *ct_gm_buffer(int which, size_t nelems)
{
    return ct_thread_scratch(CT_SCRATCH_SGEMM_A + which, nelems * sizeof(CT_GT));
}

/* The scalar part of packing a transposed operand, for either kernel: k
 * p0..kc of the n <= full lines src[p + i * ls] (i < n) into
 * dst[p * full + i], zero for n <= i < full. */
static void ct_gm_pack_gather(const CT_GT *src, int64_t ls, int n, int full, int p0, int kc,
                              CT_GT *dst)
{
    for (int p = p0; p < kc; p++) {
        CT_GT *d = dst + (size_t)p * full;
        int i = 0;
        for (; i < n; i++) d[i] = src[p + i * ls];
        for (; i < full; i++) d[i] = 0;
    }
}

#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512bw,avx512dq,avx2,fma,bmi2")

/* Rows i0..i0+mr (mr <= MR) and k p0..p0+kc of op(A) into one micro-panel:
 * dst[p * MR + i], zero past mr. 'N': A(i, p) = a[i + p * lda]. */
static void ct_gm_pack_a_n_z(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst)
{
    CT_ZMASK m0 = CT_ZLANES(mr);
    CT_ZMASK m1 = CT_ZLANES(mr - CT_GW);
    for (int p = 0; p < kc; p++) {
        const CT_GT *s = a + p * lda;
        CT_ZI(store)(dst + p * CT_GZ_MR, CT_ZI(maskz_loadu)(m0, s));
        CT_ZI(store)(dst + p * CT_GZ_MR + CT_GW, CT_ZI(maskz_loadu)(m1, s + CT_GW));
    }
}


/* Rows i0..i0+mr (mr <= MR, even; i0 even) and k 2 q0..2 q0+kc (kc even)
 * of op(A) = A2 ('X', above) into one micro-panel, dst[p * MR + i], zero
 * past mr: column q of the complex matrix as it is for k = 2q, its pairs
 * swapped and their first parts negated for k = 2q + 1. */
static void ct_gm_pack_a_x_z(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst)
{
    CT_ZMASK m0 = CT_ZLANES(mr);
    CT_ZMASK m1 = CT_ZLANES(mr - CT_GW);
#if CT_GW == 16
#define CT_GM_SWAP(v) _mm512_permute_ps(v, 0xB1)
    const CT_ZV sg = _mm512_castsi512_ps(_mm512_set1_epi64(0x80000000LL));
#else
#define CT_GM_SWAP(v) _mm512_permute_pd(v, 0x55)
    const CT_ZV sg = _mm512_castsi512_pd(_mm512_set_epi64(0, INT64_MIN, 0, INT64_MIN, 0, INT64_MIN,
                                                          0, INT64_MIN));
#endif
    for (int q = 0; q < kc / 2; q++) {
        const CT_GT *s = a + q * lda;
        CT_GT *d = dst + 2 * q * CT_GZ_MR;
        CT_ZV v0 = CT_ZI(maskz_loadu)(m0, s), v1 = CT_ZI(maskz_loadu)(m1, s + CT_GW);
        CT_ZI(store)(d, v0);
        CT_ZI(store)(d + CT_GW, v1);
        CT_ZI(store)(d + CT_GZ_MR, CT_ZI(xor)(CT_GM_SWAP(v0), sg));
        CT_ZI(store)(d + CT_GZ_MR + CT_GW, CT_ZI(xor)(CT_GM_SWAP(v1), sg));
    }
#undef CT_GM_SWAP
}

/* The micro-kernel: acc (MR x NR) = sum over k of A(i, p) B(p, j); then
 * C[i + j * ldc] = alpha acc + beta C for the rows i set in `rows` (bit i)
 * and the columns jlo <= j < jhi (beta == 0: C is not read). A is
 * A(i, p) = a[p * as + i]: a packed micro-panel (as == MR, aligned) or MR
 * rows of a column-major matrix read in place. B is a packed micro-panel,
 * B(p, j) = b[p * NR + j], when bcs == 0; otherwise NR columns of a
 * column-major matrix read in place, B(p, j) = b[p + j * bcs]. */
static void ct_gm_kernel_z(int kc, const CT_GT *restrict a, int64_t as, const CT_GT *restrict b,
                         int64_t bcs, CT_GT *c, int64_t ldc, CT_GT alpha, CT_GT beta,
                         uint32_t rows, int jlo, int jhi)
{
    /* the C tile is written at the end: bring it towards L1 meanwhile (a
     * short k loop would not hide the wait, and only pays the prefetches) */
    if (kc >= 64)
        for (int j = jlo; j < jhi; j++) {
            _mm_prefetch((const char *)(c + j * ldc), _MM_HINT_T0);
            _mm_prefetch((const char *)(c + j * ldc + CT_GW), _MM_HINT_T0);
            _mm_prefetch((const char *)(c + j * ldc + CT_GZ_MR - 1), _MM_HINT_T0);
        }
    else if (ldc >= 512)
        /* a short k loop on long columns of C (a result that does not stay
         * in cache: 1000 x 1000 with K = 18 spent a third of its time
         * waiting on its stores): the next tile down's lines (the driver's
         * next call), for writing, while this one computes */
        for (int j = jlo; j < jhi; j++) {
            __builtin_prefetch(c + j * ldc + CT_GZ_MR, 1, 3);
            __builtin_prefetch(c + j * ldc + CT_GZ_MR + CT_GW, 1, 3);
            __builtin_prefetch(c + j * ldc + 2 * CT_GZ_MR - 1, 1, 3);
        }
    /* The k loop in assembly (GCC's own allocation of the intrinsics moves
     * accumulators between registers every step): the MR x 12 tile sits in
     * zmm8..zmm31; per k two loads of A (zmm0, zmm1), twelve broadcasts of
     * B (zmm2) and 24 FMAs. The tile goes to `t` at the end. */
#define CT_GM_FMA(src, x0, x1)                                                \
    "vbroadcast" CT_GSS " " src ", %%zmm2\n\t"                                        \
    "vfmadd231" CT_GPS " %%zmm0, %%zmm2, %%zmm" #x0 "\n\t"                            \
    "vfmadd231" CT_GPS " %%zmm1, %%zmm2, %%zmm" #x1 "\n\t"
#define CT_GM_LOAD_A                                                          \
    "vmovups (%[a]), %%zmm0\n\t"                                              \
    "vmovups 64(%[a]), %%zmm1\n\t"                                            \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "prefetcht0 64(%[a],%[as],8)\n\t"                                         \
    "addq %[as], %[a]\n\t"
    /* packed B: twelve consecutive elements per k, in three groups of four
     * columns (the narrow tiles below take the first one or two) */
#define CT_GM_PG0                                                             \
    CT_GM_FMA(CT_GB(0), 8, 9) CT_GM_FMA(CT_GB(1), 10, 11)                   \
    CT_GM_FMA(CT_GB(2), 12, 13) CT_GM_FMA(CT_GB(3), 14, 15)
#define CT_GM_PG1                                                             \
    CT_GM_FMA(CT_GB(4), 16, 17) CT_GM_FMA(CT_GB(5), 18, 19)               \
    CT_GM_FMA(CT_GB(6), 20, 21) CT_GM_FMA(CT_GB(7), 22, 23)
#define CT_GM_PG2                                                             \
    CT_GM_FMA(CT_GB(8), 24, 25) CT_GM_FMA(CT_GB(9), 26, 27)               \
    CT_GM_FMA(CT_GB(10), 28, 29) CT_GM_FMA(CT_GB(11), 30, 31)
#define CT_GM_STEP_P CT_GM_LOAD_A CT_GM_PG0 CT_GM_PG1 CT_GM_PG2 "addq $(12*" CT_GES "), %[b]\n\t"
    /* B in place: column j at q(3 * (j / 3)) + (j % 3) * r, one CT_GT per k */
#define CT_GM_STEP_S                                                          \
    CT_GM_LOAD_A                                                              \
    CT_GM_FMA("(%[q0])", 8, 9) CT_GM_FMA("(%[q0],%[r],1)", 10, 11)            \
    CT_GM_FMA("(%[q0],%[r],2)", 12, 13) CT_GM_FMA("(%[q3])", 14, 15)          \
    CT_GM_FMA("(%[q3],%[r],1)", 16, 17) CT_GM_FMA("(%[q3],%[r],2)", 18, 19)   \
    CT_GM_FMA("(%[q6])", 20, 21) CT_GM_FMA("(%[q6],%[r],1)", 22, 23)          \
    CT_GM_FMA("(%[q6],%[r],2)", 24, 25) CT_GM_FMA("(%[q9])", 26, 27)          \
    CT_GM_FMA("(%[q9],%[r],1)", 28, 29) CT_GM_FMA("(%[q9],%[r],2)", 30, 31)   \
    "addq $" CT_GES ", %[q0]\n\t" "addq $" CT_GES ", %[q3]\n\t" "addq $" CT_GES ", %[q6]\n\t" "addq $" CT_GES ", %[q9]\n\t"
    /* the same for one half of the rows: one vector of A per k */
#define CT_GM_FMA_H(src, x0)                                                  \
    "vbroadcast" CT_GSS " " src ", %%zmm2\n\t"                                        \
    "vfmadd231" CT_GPS " %%zmm0, %%zmm2, %%zmm" #x0 "\n\t"
#define CT_GM_LOAD_A_H                                                        \
    "vmovups (%[a]), %%zmm0\n\t"                                              \
    "prefetcht0 (%[a],%[as],8)\n\t"                                           \
    "addq %[as], %[a]\n\t"
#define CT_GM_STEP_PH                                                         \
    CT_GM_LOAD_A_H                                                            \
    CT_GM_FMA_H(CT_GB(0), 8) CT_GM_FMA_H(CT_GB(1), 9)                       \
    CT_GM_FMA_H(CT_GB(2), 10) CT_GM_FMA_H(CT_GB(3), 11)                    \
    CT_GM_FMA_H(CT_GB(4), 12) CT_GM_FMA_H(CT_GB(5), 13)                   \
    CT_GM_FMA_H(CT_GB(6), 14) CT_GM_FMA_H(CT_GB(7), 15)                   \
    CT_GM_FMA_H(CT_GB(8), 16) CT_GM_FMA_H(CT_GB(9), 17)                   \
    CT_GM_FMA_H(CT_GB(10), 18) CT_GM_FMA_H(CT_GB(11), 19)                   \
    "addq $(12*" CT_GES "), %[b]\n\t"
#define CT_GM_STEP_SH                                                         \
    CT_GM_LOAD_A_H                                                            \
    CT_GM_FMA_H("(%[q0])", 8) CT_GM_FMA_H("(%[q0],%[r],1)", 9)                \
    CT_GM_FMA_H("(%[q0],%[r],2)", 10) CT_GM_FMA_H("(%[q3])", 11)              \
    CT_GM_FMA_H("(%[q3],%[r],1)", 12) CT_GM_FMA_H("(%[q3],%[r],2)", 13)       \
    CT_GM_FMA_H("(%[q6])", 14) CT_GM_FMA_H("(%[q6],%[r],1)", 15)              \
    CT_GM_FMA_H("(%[q6],%[r],2)", 16) CT_GM_FMA_H("(%[q9])", 17)              \
    CT_GM_FMA_H("(%[q9],%[r],1)", 18) CT_GM_FMA_H("(%[q9],%[r],2)", 19)       \
    "addq $" CT_GES ", %[q0]\n\t" "addq $" CT_GES ", %[q3]\n\t" "addq $" CT_GES ", %[q6]\n\t" "addq $" CT_GES ", %[q9]\n\t"
    /* narrow tiles: the MR rows against the columns of one or two groups of
     * four (zmm8..15, zmm8..23), where the tile's columns to write lie in
     * those (a last, partial tile of few columns: 16 columns of C ran as 12
     * + 12, a third of the FMAs on padding) */
#define CT_GM_STEP_P4 CT_GM_LOAD_A CT_GM_PG0 "addq $(12*" CT_GES "), %[b]\n\t"
#define CT_GM_STEP_P8 CT_GM_LOAD_A CT_GM_PG0 CT_GM_PG1 "addq $(12*" CT_GES "), %[b]\n\t"
    /* B in place: a group's columns at q, q + r, q + 2r, q + 3r (the first
     * group's q0, the second's q4 = q0 + 4r) */
#define CT_GM_SGROUP(q, x0, x1, x2, x3, x4, x5, x6, x7)                       \
    CT_GM_FMA("(%[" #q "])", x0, x1) CT_GM_FMA("(%[" #q "],%[r],1)", x2, x3)  \
    CT_GM_FMA("(%[" #q "],%[r],2)", x4, x5) CT_GM_FMA("(%[" #q "],%[r3],1)", x6, x7) \
    "addq $" CT_GES ", %[" #q "]\n\t"
#define CT_GM_STEP_S4 CT_GM_LOAD_A CT_GM_SGROUP(q0, 8, 9, 10, 11, 12, 13, 14, 15)
#define CT_GM_STEP_S8                                                         \
    CT_GM_LOAD_A CT_GM_SGROUP(q0, 8, 9, 10, 11, 12, 13, 14, 15)              \
    CT_GM_SGROUP(q4, 16, 17, 18, 19, 20, 21, 22, 23)
#define CT_GM_Z(x) "vpxord %%zmm" #x ", %%zmm" #x ", %%zmm" #x "\n\t"
#define CT_GM_S(x) "vmovaps %%zmm" #x ", (" #x "-8)*64(%[t])\n\t"
#define CT_GM_ZERO                                                            \
    CT_GM_Z(8) CT_GM_Z(9) CT_GM_Z(10) CT_GM_Z(11) CT_GM_Z(12) CT_GM_Z(13)     \
    CT_GM_Z(14) CT_GM_Z(15) CT_GM_Z(16) CT_GM_Z(17) CT_GM_Z(18) CT_GM_Z(19)   \
    CT_GM_Z(20) CT_GM_Z(21) CT_GM_Z(22) CT_GM_Z(23) CT_GM_Z(24) CT_GM_Z(25)   \
    CT_GM_Z(26) CT_GM_Z(27) CT_GM_Z(28) CT_GM_Z(29) CT_GM_Z(30) CT_GM_Z(31)
#define CT_GM_SAVE                                                            \
    CT_GM_S(8) CT_GM_S(9) CT_GM_S(10) CT_GM_S(11) CT_GM_S(12) CT_GM_S(13)     \
    CT_GM_S(14) CT_GM_S(15) CT_GM_S(16) CT_GM_S(17) CT_GM_S(18) CT_GM_S(19)   \
    CT_GM_S(20) CT_GM_S(21) CT_GM_S(22) CT_GM_S(23) CT_GM_S(24) CT_GM_S(25)   \
    CT_GM_S(26) CT_GM_S(27) CT_GM_S(28) CT_GM_S(29) CT_GM_S(30) CT_GM_S(31)
#define CT_GM_LOOP(STEP) CT_GM_KLOOP(CT_GM_ZERO, STEP, CT_GM_SAVE)
#define CT_GM_SH(x) "vmovaps %%zmm" #x ", (2 * (" #x "-8))*64(%[t])\n\t"
#define CT_GM_LOOP_H(STEP)                                                    \
    CT_GM_KLOOP(CT_GM_Z(8) CT_GM_Z(9) CT_GM_Z(10) CT_GM_Z(11) CT_GM_Z(12) CT_GM_Z(13) \
                CT_GM_Z(14) CT_GM_Z(15) CT_GM_Z(16) CT_GM_Z(17) CT_GM_Z(18) CT_GM_Z(19), \
                STEP,                                                         \
                CT_GM_SH(8) CT_GM_SH(9) CT_GM_SH(10) CT_GM_SH(11) CT_GM_SH(12) CT_GM_SH(13) \
                CT_GM_SH(14) CT_GM_SH(15) CT_GM_SH(16) CT_GM_SH(17) CT_GM_SH(18) CT_GM_SH(19))
#define CT_GM_ZERO4 CT_GM_Z(8) CT_GM_Z(9) CT_GM_Z(10) CT_GM_Z(11) CT_GM_Z(12) CT_GM_Z(13) \
    CT_GM_Z(14) CT_GM_Z(15)
#define CT_GM_SAVE4 CT_GM_S(8) CT_GM_S(9) CT_GM_S(10) CT_GM_S(11) CT_GM_S(12) CT_GM_S(13) \
    CT_GM_S(14) CT_GM_S(15)
#define CT_GM_ZERO8 CT_GM_ZERO4 CT_GM_Z(16) CT_GM_Z(17) CT_GM_Z(18) CT_GM_Z(19) \
    CT_GM_Z(20) CT_GM_Z(21) CT_GM_Z(22) CT_GM_Z(23)
#define CT_GM_SAVE8 CT_GM_SAVE4 CT_GM_S(16) CT_GM_S(17) CT_GM_S(18) CT_GM_S(19) \
    CT_GM_S(20) CT_GM_S(21) CT_GM_S(22) CT_GM_S(23)
    /* a whole tile with alpha 1 and beta 0 or 1 written from the
     * registers (through t it cost a third of a product with K = 18): the
     * columns from c on, ldc4 bytes apart, k4 (0 after the loop) walking
     * them; beta 1 adds C's values first (the write-back's fma(1, acc, C)
     * rounds as that addition) */
#define CT_GM_C0(x0, x1)                                                      \
    "vmovups %%zmm" #x0 ", (%[k4])\n\t" "vmovups %%zmm" #x1 ", 64(%[k4])\n\t" \
    "addq %[ldc4], %[k4]\n\t"
#define CT_GM_C1(x0, x1)                                                      \
    "vadd" CT_GPS " (%[k4]), %%zmm" #x0 ", %%zmm" #x0 "\n\t"                          \
    "vadd" CT_GPS " 64(%[k4]), %%zmm" #x1 ", %%zmm" #x1 "\n\t" CT_GM_C0(x0, x1)
#define CT_GM_SAVE_C(C)                                                       \
    "movq %[c], %[k4]\n\t"                                                    \
    C(8, 9) C(10, 11) C(12, 13) C(14, 15) C(16, 17) C(18, 19)                 \
    C(20, 21) C(22, 23) C(24, 25) C(26, 27) C(28, 29) C(30, 31)
#define CT_GM_CLOBBERS                                                        \
    "zmm0", "zmm1", "zmm2", "zmm8", "zmm9", "zmm10", "zmm11", "zmm12", "zmm13", \
    "zmm14", "zmm15", "zmm16", "zmm17", "zmm18", "zmm19", "zmm20", "zmm21", "zmm22", \
    "zmm23", "zmm24", "zmm25", "zmm26", "zmm27", "zmm28", "zmm29", "zmm30", "zmm31", \
    "cc", "memory"
    /* one k loop CODE over all twelve columns: B packed (b) or read in place
     * (q0, q3, q6, q9 three columns apart, r bytes between columns), the
     * tile saved to t (_T) or written to C (_C: c, ldc4) */
#define CT_GM_B_IN_PLACE                                                      \
    const CT_GT *q0 = b, *q3 = b + 3 * bcs, *q6 = b + 6 * bcs, *q9 = b + 9 * bcs; \
    int64_t r = bcs * (int64_t)sizeof(CT_GT);
#define CT_GM_IN_P [a] "+r"(a), [b] "+r"(b), [k4] "+r"(k4), [k1] "+r"(k1)
#define CT_GM_IN_S [a] "+r"(a), [q0] "+r"(q0), [q3] "+r"(q3), [q6] "+r"(q6),   \
    [q9] "+r"(q9), [k4] "+r"(k4), [k1] "+r"(k1)
#define CT_GM_ASM_PT(CODE)                                                    \
    __asm__ volatile(CODE : CT_GM_IN_P : [t] "r"(t), [as] "r"(as) : CT_GM_CLOBBERS)
#define CT_GM_ASM_ST(CODE)                                                    \
    __asm__ volatile(CODE : CT_GM_IN_S : [t] "r"(t), [r] "r"(r), [as] "r"(as) : CT_GM_CLOBBERS)
#define CT_GM_ASM_PC(CODE)                                                    \
    __asm__ volatile(CODE : CT_GM_IN_P : [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as) \
                     : CT_GM_CLOBBERS)
#define CT_GM_ASM_SC(CODE)                                                    \
    __asm__ volatile(CODE : CT_GM_IN_S : [r] "r"(r), [c] "r"(c), [ldc4] "r"(ldc4), [as] "r"(as) \
                     : CT_GM_CLOBBERS)
    CT_GT t[2 * CT_GZ_NR * CT_GW] __attribute__((aligned(64)));
    int64_t k4 = kc / 4, k1 = kc % 4;
    as *= (int64_t)sizeof(CT_GT);
    /* a tile with rows in one half only (the last rows of C): that half
     * alone, 12 accumulators, one load of A and twelve FMAs per k, saved
     * to the first half's places in t */
    int half = (rows >> CT_GW) == 0 || (rows & CT_GHALF) == 0;
    if ((rows & CT_GHALF) == 0) {
        a += CT_GW;
        c += CT_GW;
        rows >>= CT_GW;
    }
    /* the groups of four columns that hold the columns to write */
    const int g0 = jlo / 4, ng = (jhi + 3) / 4 - g0;
    if (half && bcs == 0) {
        CT_GM_ASM_PT(CT_GM_LOOP_H(CT_GM_STEP_PH));
    } else if (half) {
        CT_GM_B_IN_PLACE
        CT_GM_ASM_ST(CT_GM_LOOP_H(CT_GM_STEP_SH));
    } else if (ng < 3) {
        /* the groups g0 .. g0 + ng - 1: their accumulators to their
         * columns' places in t */
        CT_GT *tg = t + 2 * CT_GW * 4 * g0;
        if (bcs == 0) {
            const CT_GT *bg = b + 4 * g0;
            if (ng == 1)
                __asm__ volatile(CT_GM_KLOOP(CT_GM_ZERO4, CT_GM_STEP_P4, CT_GM_SAVE4)
                                 : [a] "+r"(a), [b] "+r"(bg), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [as] "r"(as)
                                 : CT_GM_CLOBBERS);
            else
                __asm__ volatile(CT_GM_KLOOP(CT_GM_ZERO8, CT_GM_STEP_P8, CT_GM_SAVE8)
                                 : [a] "+r"(a), [b] "+r"(bg), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [as] "r"(as)
                                 : CT_GM_CLOBBERS);
        } else {
            const CT_GT *q0 = b + 4 * g0 * bcs, *q4 = q0 + 4 * bcs;
            int64_t r = bcs * (int64_t)sizeof(CT_GT), r3 = 3 * r;
            if (ng == 1)
                __asm__ volatile(CT_GM_KLOOP(CT_GM_ZERO4, CT_GM_STEP_S4, CT_GM_SAVE4)
                                 : [a] "+r"(a), [q0] "+r"(q0), [k4] "+r"(k4), [k1] "+r"(k1)
                                 : [t] "r"(tg), [r] "r"(r), [r3] "r"(r3), [as] "r"(as)
                                 : CT_GM_CLOBBERS);
            else
                __asm__ volatile(CT_GM_KLOOP(CT_GM_ZERO8, CT_GM_STEP_S8, CT_GM_SAVE8)
                                 : [a] "+r"(a), [q0] "+r"(q0), [q4] "+r"(q4), [k4] "+r"(k4),
                                   [k1] "+r"(k1)
                                 : [t] "r"(tg), [r] "r"(r), [r3] "r"(r3), [as] "r"(as)
                                 : CT_GM_CLOBBERS);
        }
    } else if (rows == CT_GZ_FULL && jlo == 0 && jhi == CT_GZ_NR && alpha == 1
               && (beta == 0 || beta == 1)) {
        int64_t ldc4 = ldc * (int64_t)sizeof(CT_GT);
        if (bcs == 0 && beta == 0)
            CT_GM_ASM_PC(CT_GM_KLOOP(CT_GM_ZERO, CT_GM_STEP_P, CT_GM_SAVE_C(CT_GM_C0)));
        else if (bcs == 0)
            CT_GM_ASM_PC(CT_GM_KLOOP(CT_GM_ZERO, CT_GM_STEP_P, CT_GM_SAVE_C(CT_GM_C1)));
        else {
            CT_GM_B_IN_PLACE
            if (beta == 0)
                CT_GM_ASM_SC(CT_GM_KLOOP(CT_GM_ZERO, CT_GM_STEP_S, CT_GM_SAVE_C(CT_GM_C0)));
            else
                CT_GM_ASM_SC(CT_GM_KLOOP(CT_GM_ZERO, CT_GM_STEP_S, CT_GM_SAVE_C(CT_GM_C1)));
        }
        return;
    } else if (bcs == 0) {
        CT_GM_ASM_PT(CT_GM_LOOP(CT_GM_STEP_P));
    } else {
        CT_GM_B_IN_PLACE
        CT_GM_ASM_ST(CT_GM_LOOP(CT_GM_STEP_S));
    }
#undef CT_GM_B_IN_PLACE
#undef CT_GM_IN_P
#undef CT_GM_IN_S
#undef CT_GM_ASM_PT
#undef CT_GM_ASM_ST
#undef CT_GM_ASM_PC
#undef CT_GM_ASM_SC
#undef CT_GM_FMA
#undef CT_GM_LOAD_A
#undef CT_GM_STEP_P
#undef CT_GM_STEP_S
#undef CT_GM_Z
#undef CT_GM_S
#undef CT_GM_ZERO
#undef CT_GM_SAVE
#undef CT_GM_LOOP
#undef CT_GM_CLOBBERS
#undef CT_GM_FMA_H
#undef CT_GM_LOAD_A_H
#undef CT_GM_STEP_PH
#undef CT_GM_STEP_SH
#undef CT_GM_SH
#undef CT_GM_PG0
#undef CT_GM_PG1
#undef CT_GM_PG2
#undef CT_GM_STEP_P4
#undef CT_GM_STEP_P8
#undef CT_GM_STEP_S4
#undef CT_GM_STEP_S8
#undef CT_GM_ZERO4
#undef CT_GM_ZERO8
#undef CT_GM_SAVE4
#undef CT_GM_SAVE8
#undef CT_GM_C0
#undef CT_GM_C1
#undef CT_GM_SAVE_C
#undef CT_GM_LOOP_H

    CT_ZV va = CT_ZI(set1)(alpha), vb = CT_ZI(set1)(beta);
#define acc(i) CT_ZI(load)(t + CT_GW * (i))
    if (rows == CT_GZ_FULL && jlo == 0 && jhi == CT_GZ_NR) {
        CT_GM_WRITE_FULL(CT_GZ_NR, CT_GW, CT_ZI(loadu), CT_ZI(storeu), CT_ZI(mul),
                         CT_ZI(fmadd));
        return;
    }
    CT_ZMASK m0 = (CT_ZMASK)(rows & CT_GHALF), m1 = (CT_ZMASK)(rows >> CT_GW);
    for (int j = jlo; j < jhi; j++) {
        CT_GT *cj = c + j * ldc;
        CT_ZV r0 = CT_ZI(mul)(va, acc(2 * j));
        if (beta != 0)
            r0 = CT_ZI(fmadd)(vb, CT_ZI(maskz_loadu)(m0, cj), r0);
        CT_ZI(mask_storeu)(cj, m0, r0);
        if (half)      /* the second half's places in t were not written */
            continue;
        CT_ZV r1 = CT_ZI(mul)(va, acc(2 * j + 1));
        if (beta != 0)
            r1 = CT_ZI(fmadd)(vb, CT_ZI(maskz_loadu)(m1, cj + CT_GW), r1);
        CT_ZI(mask_storeu)(cj + CT_GW, m1, r1);
    }
#undef acc
}

/* ---- matrix-vector products (M == 1 or N == 1) --------------------------
 * A product with one row or one column of C reads each element of the matrix
 * operand once, so packing it (and a micro-tile MR rows or 12 columns wide)
 * would only add passes: these read the matrix in place.
 *
 * Dot form: y[j] = sum_p x[p] A[p + j lda] (columns of A contiguous in p),
 * four columns at a time against one load of x, CT_GW lanes per accumulator. */
static inline CT_GT ct_gm_hsum_z(CT_ZV v) { return CT_ZI(reduce_add)(v); }

static void ct_gm_gemv_dot_z(int K, int N, CT_GT alpha, const CT_GT *A, int64_t lda,
                           const CT_GT *x, CT_GT beta, CT_GT *y, int64_t incy)
{
    int j = 0;
    for (; j + 4 <= N; j += 4) {
        const CT_GT *a0 = A + (int64_t)j * lda, *a1 = a0 + lda, *a2 = a1 + lda, *a3 = a2 + lda;
        CT_ZV s0 = CT_ZI(setzero)(), s1 = CT_ZI(setzero)();
        CT_ZV s2 = CT_ZI(setzero)(), s3 = CT_ZI(setzero)();
        int p = 0;
        for (; p + CT_GW <= K; p += CT_GW) {
            CT_ZV xv = CT_ZI(loadu)(x + p);
            s0 = CT_ZI(fmadd)(CT_ZI(loadu)(a0 + p), xv, s0);
            s1 = CT_ZI(fmadd)(CT_ZI(loadu)(a1 + p), xv, s1);
            s2 = CT_ZI(fmadd)(CT_ZI(loadu)(a2 + p), xv, s2);
            s3 = CT_ZI(fmadd)(CT_ZI(loadu)(a3 + p), xv, s3);
        }
        if (p < K) {
            CT_ZMASK m = CT_ZLANES(K - p);
            CT_ZV xv = CT_ZI(maskz_loadu)(m, x + p);
            s0 = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a0 + p), xv, s0);
            s1 = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a1 + p), xv, s1);
            s2 = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a2 + p), xv, s2);
            s3 = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a3 + p), xv, s3);
        }
        CT_GT r[4] = {ct_gm_hsum_z(s0), ct_gm_hsum_z(s1), ct_gm_hsum_z(s2), ct_gm_hsum_z(s3)};
        for (int q = 0; q < 4; q++) {
            CT_GT *c = y + (int64_t)(j + q) * incy;
            *c = beta == 0 ? alpha * r[q] : alpha * r[q] + beta * *c;
        }
    }
    for (; j < N; j++) {
        /* (four accumulators: a lone column is a dot product, whose
         * additions would otherwise wait on each other) */
        const CT_GT *a0 = A + (int64_t)j * lda;
        CT_ZV s0 = CT_ZI(setzero)(), s1 = CT_ZI(setzero)();
        CT_ZV s2 = CT_ZI(setzero)(), s3 = CT_ZI(setzero)();
        int p = 0;
        for (; p + 4 * CT_GW <= K; p += 4 * CT_GW) {
            s0 = CT_ZI(fmadd)(CT_ZI(loadu)(a0 + p), CT_ZI(loadu)(x + p), s0);
            s1 = CT_ZI(fmadd)(CT_ZI(loadu)(a0 + p + CT_GW), CT_ZI(loadu)(x + p + CT_GW), s1);
            s2 = CT_ZI(fmadd)(CT_ZI(loadu)(a0 + p + 2 * CT_GW), CT_ZI(loadu)(x + p + 2 * CT_GW), s2);
            s3 = CT_ZI(fmadd)(CT_ZI(loadu)(a0 + p + 3 * CT_GW), CT_ZI(loadu)(x + p + 3 * CT_GW), s3);
        }
        for (; p < K; p += CT_GW) {
            CT_ZMASK m = CT_ZLANES(K - p);
            s0 = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a0 + p), CT_ZI(maskz_loadu)(m, x + p), s0);
        }
        CT_GT r = ct_gm_hsum_z(CT_ZI(add)(CT_ZI(add)(s0, s1), CT_ZI(add)(s2, s3)));
        CT_GT *c = y + (int64_t)j * incy;
        *c = beta == 0 ? alpha * r : alpha * r + beta * *c;
    }
}

/* Axpy form: y[i] = sum_p A[i + p lda] x[p] (columns of A contiguous in i),
 * y taken in blocks of CT_GM_GV_BLOCK kept in a local buffer while four
 * columns at a time are added into it. */
static void ct_gm_gemv_axpy_z(int M, int K, CT_GT alpha, const CT_GT *A, int64_t lda,
                            const CT_GT *x, int64_t incx, CT_GT beta, CT_GT *y, int64_t incy)
{
    CT_GT acc[CT_GM_GV_BLOCK] __attribute__((aligned(64)));
    for (int i0 = 0; i0 < M; i0 += CT_GM_GV_BLOCK) {
        int mb = M - i0 < CT_GM_GV_BLOCK ? M - i0 : CT_GM_GV_BLOCK;
        memset(acc, 0, (size_t)mb * sizeof(CT_GT));
        int p = 0;
        for (; p + 4 <= K; p += 4) {
            const CT_GT *a0 = A + i0 + (int64_t)p * lda, *a1 = a0 + lda, *a2 = a1 + lda,
                        *a3 = a2 + lda;
            CT_ZV x0 = CT_ZI(set1)(x[p * incx]), x1 = CT_ZI(set1)(x[(p + 1) * incx]);
            CT_ZV x2 = CT_ZI(set1)(x[(p + 2) * incx]), x3 = CT_ZI(set1)(x[(p + 3) * incx]);
            for (int i = 0; i < mb; i += CT_GW) {
                CT_ZMASK m = CT_ZLANES(mb - i);
                CT_ZV s = CT_ZI(load)(acc + i);
                s = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a0 + i), x0, s);
                s = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a1 + i), x1, s);
                s = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a2 + i), x2, s);
                s = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a3 + i), x3, s);
                CT_ZI(mask_store)(acc + i, m, s);
            }
        }
        for (; p < K; p++) {
            const CT_GT *a0 = A + i0 + (int64_t)p * lda;
            CT_ZV x0 = CT_ZI(set1)(x[p * incx]);
            for (int i = 0; i < mb; i += CT_GW) {
                CT_ZMASK m = CT_ZLANES(mb - i);
                CT_ZV s = CT_ZI(fmadd)(CT_ZI(maskz_loadu)(m, a0 + i), x0,
                                           CT_ZI(load)(acc + i));
                CT_ZI(mask_store)(acc + i, m, s);
            }
        }
        for (int i = 0; i < mb; i++) {
            CT_GT *c = y + (int64_t)(i0 + i) * incy;
            *c = beta == 0 ? alpha * acc[i] : alpha * acc[i] + beta * *c;
        }
    }
}

/* CT_GM_PACK_A_T(NAME, TR): NAME packs rows i0..i0+mr (mr <= MR) and k
 * p0..p0+kc of op(A) = A(i, p) = a[p + i * lda] ('T') into one micro-panel,
 * dst[p * MR + i], zero past mr: a whole panel's CT_GW x CT_GW tiles by the
 * includer's transpose TR(src, ls, nrows, dst, ld, keep), the rest gathered */
#ifndef CT_GM_PACK_PF
#define CT_GM_PACK_PF (512 / (int)sizeof(CT_GT))
#endif
#define CT_GM_PACK_A_T(NAME, TR)                                              \
static void NAME(const CT_GT *a, int64_t lda, int mr, int kc, CT_GT *dst)    \
{                                                                             \
    int p = 0;                                                                \
    /* a partial panel's missing rows are zero rows of the transposes (a   \
     * 64 x 512 times 512 x 10 product gathered its 10 rows element by     \
     * element: 30% of its time) */                                        \
    const int r0 = mr < CT_GW ? mr : CT_GW, r1 = mr - CT_GW;                  \
    for (; p + CT_GW <= kc; p += CT_GW) {                                     \
        if (CT_GM_PACK_PF && p + CT_GM_PACK_PF < kc)                          \
            for (int i_ = 0; i_ < mr; i_++)                                   \
                _mm_prefetch((const char *)(a + p + CT_GM_PACK_PF + i_ * lda), _MM_HINT_T0); \
        TR(a + p, lda, r0, dst + p * CT_GZ_MR, CT_GZ_MR, (CT_ZMASK)-1);       \
        if (r1 > 0)                                                           \
            TR(a + p + CT_GW * lda, lda, r1, dst + p * CT_GZ_MR + CT_GW, CT_GZ_MR, (CT_ZMASK)-1); \
        else                                                                  \
            for (int c_ = 0; c_ < CT_GW; c_++)                                \
                CT_ZI(storeu)(dst + (p + c_) * CT_GZ_MR + CT_GW, CT_ZI(setzero)()); \
    }                                                                         \
    ct_gm_pack_gather(a, lda, mr, CT_GZ_MR, p, kc, dst);                      \
}

/* the longest k loop of the small products' kernel (ct_gm_small_z) */
#define CT_GM_SMALL_K 64

/* C = alpha A op(B) + beta C for M <= CT_GW rows and K <= CT_GM_SMALL_K, A
 * read in place (column p a vector at a + p lda, masked to M, from L1),
 * each column of C the sum of A's columns weighted by B's column
 * (broadcasts), no packing (a batch of 1000 4 x 4 products spent most of
 * its time in the blocked driver's setup and packing: 0.55x PyTorch's
 * speed; 4 x 32 times 32 x 4, 0.22x) */
static void ct_gm_small_z(char t2, int M, int N, int K, CT_GT alpha, const CT_GT *A, int64_t lda,
                          const CT_GT *B, int64_t ldb, CT_GT beta, CT_GT *C, int64_t ldc)
{
    const CT_ZMASK m = CT_ZLANES(M);
    const CT_ZV va = CT_ZI(set1)(alpha), vb = CT_ZI(set1)(beta);
    /* four columns of C at a time (the last group's missing ones repeat
     * the last column, not stored), two sums each over even and odd p:
     * eight independent chains of FMAs (one chain per column waited on its
     * FMA's latency at every step) */
    for (int j = 0; j < N; j += 4) {
        const CT_GT *bc[4];
        for (int q = 0; q < 4; q++) {
            int jq = j + q < N ? j + q : N - 1;
            bc[q] = t2 == 'N' ? B + (int64_t)jq * ldb : B + jq;
        }
        const int64_t bs = t2 == 'N' ? 1 : ldb;
        CT_ZV acc[4], odd[4];
        for (int q = 0; q < 4; q++) acc[q] = odd[q] = CT_ZI(setzero)();
        int p = 0;
        for (; p + 1 < K; p += 2) {
            const CT_ZV a0 = CT_ZI(maskz_loadu)(m, A + (int64_t)p * lda);
            const CT_ZV a1 = CT_ZI(maskz_loadu)(m, A + (int64_t)(p + 1) * lda);
            for (int q = 0; q < 4; q++) {
                acc[q] = CT_ZI(fmadd)(a0, CT_ZI(set1)(bc[q][p * bs]), acc[q]);
                odd[q] = CT_ZI(fmadd)(a1, CT_ZI(set1)(bc[q][(p + 1) * bs]), odd[q]);
            }
        }
        if (p < K) {
            const CT_ZV a0 = CT_ZI(maskz_loadu)(m, A + (int64_t)p * lda);
            for (int q = 0; q < 4; q++)
                acc[q] = CT_ZI(fmadd)(a0, CT_ZI(set1)(bc[q][p * bs]), acc[q]);
        }
        for (int q = 0; q < 4 && j + q < N; q++) {
            CT_GT *c = C + (int64_t)(j + q) * ldc;
            CT_ZV r = CT_ZI(add)(acc[q], odd[q]);
            r = beta == 0 ? CT_ZI(mul)(va, r)
                          : CT_ZI(fmadd)(va, r, CT_ZI(mul)(vb, CT_ZI(maskz_loadu)(m, c)));
            CT_ZI(mask_storeu)(c, m, r);
        }
    }
}

#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx2,fma")

/* The product without packing, for when no packing buffer can be had (either
 * kernel: both instruction sets contract the sum into FMAs alike). */
static void ct_gm_unpacked(char t1, char t2, int M, int N, int K, CT_GT alpha,
                           const CT_GT *A, int64_t lda, const CT_GT *B, int64_t ldb,
                           CT_GT beta, CT_GT *C, int64_t ldc)
{
    for (int j = 0; j < N; j++)
        for (int i = 0; i < M; i++) {
            CT_GT acc = 0;
            for (int p = 0; p < K; p++)
                acc += (t1 == 'N' ? A[i + p * lda] : t1 == 'X' ? ct_gm_a_x(A, lda, i, p)
                        : A[p + i * lda])
                       * (t2 == 'N' ? B[p + j * ldb] : B[j + p * ldb]);
            CT_GT *c = C + i + j * ldc;
            *c = beta == 0 ? alpha * acc : alpha * acc + beta * *c;
        }
}

#pragma GCC pop_options

/* ---- the driver, for any kernel of the type ------------------------------- */

/* C = beta C (alpha == 0 or K == 0): beta == 0 writes zeros without reading C */
static void ct_gm_scale(int M, int N, CT_GT beta, CT_GT *C, int64_t ldc)
{
    for (int j = 0; j < N; j++) {
        CT_GT *cj = C + j * ldc;
        if (beta == 0) memset(cj, 0, (size_t)M * sizeof(CT_GT));
        else if (beta != 1)
            for (int i = 0; i < M; i++) cj[i] *= beta;
    }
}

/* splits n into about-equal blocks of at most `block`, a multiple of `unit` */
static int ct_gm_block(int n, int block, int unit)
{
    int nblocks = (n + block - 1) / block;
    int b = (n + nblocks - 1) / nblocks;
    return (b + unit - 1) / unit * unit;
}

/* Whether the kernel reads the micro-panels of op(B) = B ('N') in place
 * instead of packing them: when `rows` rows of C make only a few blocks of A
 * that read each panel (packing would cost about as much as those passes),
 * and the columns are not a multiple of 4 KB apart (NR of them would
 * then fall into the same cache sets). */
#ifndef CT_GM_INPLACE_MCS
#define CT_GM_INPLACE_MCS 4
#endif
static int ct_gm_inplace(const ct_gm_isa *k, char t2, int rows, int64_t ldb)
{
    return t2 == 'N' && rows <= CT_GM_INPLACE_MCS * k->mc && ldb % 1024 != 0;
}

/* Whether a micro-panel of nr columns of B that ends at column `end` is read
 * in place, when B's full panels are: a partial one only when there are NR
 * columns up to its end. */
static inline int ct_gm_b_inplace(const ct_gm_isa *k, int end, int nr)
{
    return nr == k->nr || end >= k->nr;
}

/* Whether the kernel reads op(A) = A ('N') in place instead of packing it:
 * for products small enough that packing would cost as much as the few
 * passes over A, and columns not a multiple of 1 KB apart (the kc lines of
 * a micro-panel would then share 4 of L1's 64 sets and leave it on every
 * tile of C: a 256 x 256 product ran 25% slower in place than packed),
 * unless there are eight tiles of columns at most (each panel read that
 * often from L2 costs less than packing it: 16 x 128 times 128 x 512 spent
 * 30% of its time packing, and 64 x 256 times 256 x 256 ran 10% faster in
 * place; at 16 tiles either way measured the same). Up to twice ain_max
 * elements for at most 16 tiles of columns (each panel read that few
 * times: a convolution's 224 windows of 576 columns by 64 channels ran 12%
 * faster in place; 784 x 128 times 128 x 1152, 96 tiles, 15% slower). */
static int ct_gm_a_inplace(const ct_gm_isa *k, char t1, int M, int N, int K, int64_t lda)
{
    return t1 == 'N' && M >= k->mr
           && ((int64_t)M * K <= (N <= 16 * k->nr ? 2 : 1) * k->ain_max || N <= 2 * k->nr)
           && (lda % 256 != 0 || N <= 8 * k->nr);
}

/* Packs micro-panels q0..q1 (of NR columns) of the kc x nc block of op(B)
 * at column jc, k pc. */
static void ct_gm_pack_b(const ct_gm_isa *k, char t2, int inplace, const CT_GT *B, int64_t ldb,
                         int jc, int pc, int nc, int kc, int q0, int q1, CT_GT *bbuf)
{
    for (int q = q0; q < q1; q++) {
        int jr = q * k->nr;
        int nr = nc - jr < k->nr ? nc - jr : k->nr;
        CT_GT *d = bbuf + (size_t)jr * kc;
        if (inplace && ct_gm_b_inplace(k, jc + jr + nr, nr)) continue;   /* read in place */
        if (t2 == 'N') k->pack_b_n(B + pc + (int64_t)(jc + jr) * ldb, ldb, nr, kc, d);
        else k->pack_b_t(B + (jc + jr) + (int64_t)pc * ldb, ldb, nr, kc, d);
    }
}

/* Rows i0..i1 of C against a kc x nc block of op(B) (packed in bbuf, or read
 * in place when bin): packs each MC x kc block of op(A) (unless ain: read in
 * place) and runs the micro-kernel over it. */
static void ct_gm_rows(const ct_gm_isa *k, char t1, int ain, int bin, int i0, int i1, int mcb,
                       int jc, int pc, int nc, int kc, CT_GT alpha, const CT_GT *A, int64_t lda,
                       const CT_GT *B, int64_t ldb, const CT_GT *bbuf,
                       CT_GT beta, CT_GT *C, int64_t ldc, CT_GT *abuf, int sym)
{
    const int MR = k->mr, NR = k->nr;
    const uint32_t full = MR >= 32 ? 0xFFFFFFFFu : (1u << MR) - 1;
    for (int ic = i0; ic < i1; ic += mcb) {
        int mc = i1 - ic < mcb ? i1 - ic : mcb;
        if (!ain)
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = mc - ir < MR ? mc - ir : MR;
                CT_GT *d = abuf + (size_t)ir * kc;
                if (t1 == 'N') k->pack_a_n(A + (ic + ir) + (int64_t)pc * lda, lda, mr, kc, d);
                else if (t1 == 'X') k->pack_a_x(A + (ic + ir) + (int64_t)(pc / 2) * lda, lda, mr, kc, d);
                else k->pack_a_t(A + pc + (int64_t)(ic + ir) * lda, lda, mr, kc, d);
            }
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = nc - jr < NR ? nc - jr : NR;
            const CT_GT *bp = bbuf + (size_t)jr * kc;
            int64_t bcs = 0;
            int js = jr, jlo = 0, jhi = nr;
            if (bin && ct_gm_b_inplace(k, jc + jr + nr, nr)) {
                /* read in place; a last, partial panel is read as the
                 * NR columns that end with it, and only its own are written */
                js = jr + nr - NR;
                jlo = NR - nr;
                jhi = NR;
                bp = B + pc + (int64_t)(jc + js) * ldb;
                bcs = ldb;
            }
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = mc - ir < MR ? mc - ir : MR;
                /* a symmetric C: tiles wholly above the diagonal are left
                 * to the mirror (ct_gm_mirror) */
                if (sym && ic + ir + mr <= jc + jr) continue;
                if (ain) {
                    /* A read in place, likewise: a partial tile as the
                     * MR rows that end with it */
                    int is = ir + mr - MR;
                    k->kernel(kc, A + (ic + is) + (int64_t)pc * lda, lda, bp, bcs,
                              C + (ic + is) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                              full & (full << (MR - mr)), jlo, jhi);
                } else {
                    k->kernel(kc, abuf + (size_t)ir * kc, MR, bp, bcs,
                              C + (ic + ir) + (int64_t)(jc + js) * ldc, ldc, alpha, beta,
                              mr == MR ? full : (1u << mr) - 1, jlo, jhi);
                }
            }
        }
    }
}

/* C = alpha op1(A) op2(B) + beta C when M == 1 or N == 1 (K > 0, alpha != 0). */
static void ct_gm_gemv(const ct_gm_isa *k, char t1, char t2, int M, int N, int K,
                       CT_GT alpha, const CT_GT *A, int64_t lda, const CT_GT *B, int64_t ldb,
                       CT_GT beta, CT_GT *C, int64_t ldc)
{
    if (M == 1 && N == 1 && (t1 == 'T' || lda == 1) && (t2 == 'N' || ldb == 1)) {
        /* one element: the dot product of two adjacent vectors (the axpy
         * form below would add into one element of a buffer, each addition
         * waiting on the one before) */
        k->gemv_dot(K, 1, alpha, A, lda, B, beta, C, 1);
        return;
    }
    if (N == 1) {
        /* a column of C: op1(A) (M x K) times the K-vector op2(B) */
        if (t2 == 'N' || K == 1) {
            if (t1 == 'N') k->gemv_axpy(M, K, alpha, A, lda, B, 1, beta, C, 1);
            else k->gemv_dot(K, M, alpha, A, lda, B, beta, C, 1);
            return;
        }
        if (t1 == 'N') {
            k->gemv_axpy(M, K, alpha, A, lda, B, ldb, beta, C, 1);
            return;
        }
    } else {
        /* a row of C: the K-vector op1(A) times op2(B) (K x N) */
        if (t1 == 'T' || K == 1) {
            if (t2 == 'N') k->gemv_dot(K, N, alpha, B, ldb, A, beta, C, ldc);
            else k->gemv_axpy(N, K, alpha, B, ldb, A, 1, beta, C, ldc);
            return;
        }
        if (t2 == 'T') {
            k->gemv_axpy(N, K, alpha, B, ldb, A, lda, beta, C, ldc);
            return;
        }
    }
    /* dot form with a strided vector: the vector gathered first (read in
     * place when its elements are adjacent) */
    const CT_GT *v = N == 1 ? B : A;
    int64_t inc = N == 1 ? ldb : lda;
    if (inc == 1) {
        if (N == 1) k->gemv_dot(K, M, alpha, A, lda, v, beta, C, 1);
        else k->gemv_dot(K, N, alpha, B, ldb, v, beta, C, ldc);
        return;
    }
    CT_GT *xv = (CT_GT *)malloc((size_t)K * sizeof(CT_GT));
    if (xv == NULL) {
        ct_gm_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    for (int p = 0; p < K; p++) xv[p] = v[p * inc];
    if (N == 1) k->gemv_dot(K, M, alpha, A, lda, xv, beta, C, 1);
    else k->gemv_dot(K, N, alpha, B, ldb, xv, beta, C, ldc);
    free(xv);
}

/* the most columns of C that the small products' kernel takes (ct_gm_serial) */
#define CT_GM_SMALL_N 64

/* products with at most this many rows and columns and at least this long
 * a k loop take one dot product per element (ct_gm_serial) */
#define CT_GM_DOTS_MN 12
#define CT_GM_DOTS_K 256

/* One product on the calling thread. */
static void ct_gm_serial(const ct_gm_isa *k, char t1, char t2, int M, int N, int K,
                         CT_GT alpha, const CT_GT *A, int64_t lda, const CT_GT *B, int64_t ldb,
                         CT_GT beta, CT_GT *C, int64_t ldc, int sym)
{
    if (M <= 0 || N <= 0) return;
    if (K <= 0 || alpha == 0) {
        ct_gm_scale(M, N, beta, C, ldc);
        return;
    }
    if ((M == 1 || N == 1) && t1 != 'X') {
        ct_gm_gemv(k, t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (k->small != NULL && t1 == 'N' && M <= CT_GW && K <= CT_GM_SMALL_K && N <= CT_GM_SMALL_N) {
        k->small(t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    if (t1 == 'T' && t2 == 'N' && M <= CT_GM_DOTS_MN && N <= CT_GM_DOTS_MN && K >= CT_GM_DOTS_K) {
        /* at most one micro-tile of C, both operands adjacent along k: a
         * dot product per element, in the same order for each (X X^T
         * stays exactly symmetric), without packing (a 10 x 10000 operand
         * transposed into micro-panels of 32 rows spent 55% of the time) */
        for (int j = 0; j < N; j++)
            for (int i = 0; i < M; i++)
                k->gemv_dot(K, 1, alpha, B + (int64_t)j * ldb, ldb, A + (int64_t)i * lda, beta,
                            C + i + (int64_t)j * ldc, 1);
        return;
    }
    int kcb = ct_gm_block(K, k->kc, t1 == 'X' ? 2 : 1);
    int mcb = ct_gm_block(M, k->mc, k->mr);
    int ncb = ct_gm_block(N, k->nc, k->nr);
    CT_GT *abuf = ct_gm_buffer(0, (size_t)mcb * kcb);
    CT_GT *bbuf = ct_gm_buffer(1, (size_t)ncb * kcb);
    if (abuf == NULL || bbuf == NULL) {
        ct_gm_unpacked(t1, t2, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
        return;
    }
    int inplace = ct_gm_inplace(k, t2, M, ldb), ain = ct_gm_a_inplace(k, t1, M, N, K, lda);
    for (int jc = 0; jc < N; jc += ncb) {
        int nc = N - jc < ncb ? N - jc : ncb;
        for (int pc = 0; pc < K; pc += kcb) {
            int kc = K - pc < kcb ? K - pc : kcb;
            ct_gm_pack_b(k, t2, inplace, B, ldb, jc, pc, nc, kc, 0, (nc + k->nr - 1) / k->nr, bbuf);
            ct_gm_rows(k, t1, ain, inplace, 0, M, mcb, jc, pc, nc, kc, alpha, A, lda, B, ldb, bbuf,
                       pc == 0 ? beta : 1, C, ldc, abuf, sym);
        }
    }
}


/* Whether every product of a batch is C = alpha X X^T with beta == 0, op2(B)
 * the transpose of op1(A) (the same elements: one operand transposed, the
 * other not, one leading dimension, the same offsets): C is then symmetric,
 * and only its lower triangle's tiles are computed. From K = CT_GM_SYM_K on,
 * where the tiles left out save more than the mirror costs. */
/* a dot product (M = N = 1) from this length on is shared between threads */
#ifndef CT_GM_DOT_PAR
#define CT_GM_DOT_PAR 32768
#endif

/* the longest k loop whose products on a C of columns off cache lines are
 * cut into slabs of columns (ct_gm_batched) */
#define CT_GM_SHARE_K 64

#ifndef CT_GM_SYM_K
#define CT_GM_SYM_K 64
#endif
static int ct_gm_symmetric(char t1, char t2, int M, int N, int K, const CT_GT *P, int ld1,
                           const int64_t *off1, const CT_GT *Q, int ld2, const int64_t *off2,
                           CT_GT beta, int64_t nb)
{
    if (M != N || M < 2 || K < CT_GM_SYM_K || beta != 0 || t1 == t2 || t1 == 'X' || P != Q
        || ld1 != ld2)
        return 0;
    for (int64_t b = 0; b < nb; b++)
        if (off1[b] != off2[b]) return 0;
    return 1;
}

/* The strictly upper triangle of the M x M column-major C copied from the
 * lower one, for the block columns q0..q1 (of CT_GM_MIRROR_B columns): the
 * tiles of the upper part that straddle the diagonal were computed too,
 * the same sums in the same order, and are overwritten alike. */
#define CT_GM_MIRROR_B 32
static void ct_gm_mirror(int M, CT_GT *C, int64_t ldc, int q0, int q1)
{
    for (int q = q0; q < q1; q++) {
        int j0 = q * CT_GM_MIRROR_B, j1 = j0 + CT_GM_MIRROR_B < M ? j0 + CT_GM_MIRROR_B : M;
        for (int i0 = 0; i0 < j1; i0 += CT_GM_MIRROR_B)
            for (int j = j0; j < j1; j++) {
                int i1 = i0 + CT_GM_MIRROR_B < j ? i0 + CT_GM_MIRROR_B : j;
                for (int i = i0; i < i1; i++) C[i + (int64_t)j * ldc] = C[j + (int64_t)i * ldc];
            }
    }
}

/* The micro-tiles of a symmetric product's lower triangle in the column
 * tile at j of the slab of columns from lo (its rows from lo on), a half
 * tile (the kernel's one-vector form) as half of one */
static int ct_gm_tri_tiles(const ct_gm_isa *k, int M, int lo, int j)
{
    int c = 0;
    for (int i = lo; i < M; i += k->mr) {
        int mr = M - i < k->mr ? M - i : k->mr;
        if (i + mr > j) c += mr > k->mr / 2 ? 2 : 1;
    }
    return c;
}

/* The slabs' first columns b[0] = 0 < b[1] < ... < b[parts] = M for a
 * symmetric product on `parts` threads (multiples of NR): each slab holds
 * about an even share of the tiles left from its first column on */
static void ct_gm_tri_split(const ct_gm_isa *k, int M, int parts, int *b)
{
    b[0] = 0;
    for (int t = 1; t < parts; t++) {
        int lo = b[t - 1], rest = 0;
        for (int j = lo; j < M; j += k->nr) rest += ct_gm_tri_tiles(k, M, lo, j);
        int want = rest / (parts - t + 1), have = 0, j = lo;
        while (j < M) {
            int c = ct_gm_tri_tiles(k, M, lo, j);
            if (have + c > want && 2 * (have + c - want) > c && j > lo) break;
            have += c;
            j += k->nr;
        }
        b[t] = j < M ? j : M;
    }
    b[parts] = M;
}

/* X advanced by lo along op(X)'s rows (dim 0) or columns (dim 1), op(X) = X
 * ('N': X(i, p) = X[i + p ld]), its transpose ('T') or A2 ('X', lo even) */
static inline const CT_GT *ct_gm_at(const CT_GT *X, char t, int64_t ld, int dim, int64_t lo)
{
    if (t == 'X') return X + (dim == 0 ? lo : lo / 2 * ld);
    return X + ((t == 'N') == (dim == 0) ? lo : lo * ld);
}

/* Whether a product's k range is cut between the nt threads: fewer
 * micro-tiles than threads, at most CT_GM_KSPLIT_MN elements of C (the
 * parts' buffers and their sum stay small), k at least two packed blocks a
 * part. */
#define CT_GM_KSPLIT_MN 4096

/* batches of at least this many products run on all threads */
#define CT_GM_PAR_BATCH 256
static int ct_gm_ksplit(const ct_gm_isa *k, int M, int N, int K, int nt)
{
    int64_t tiles = (int64_t)((M + k->mr - 1) / k->mr) * ((N + k->nr - 1) / k->nr);
    return tiles < nt && (int64_t)M * N <= CT_GM_KSPLIT_MN && K >= 4 * k->kc;
}

/* The batched product on kernel k (ct_sgemm_batched, ct_dgemm_batched), on
 * ctorch's threads. */
static void ct_gm_batched(const ct_gm_isa *k, char t1, char t2, int M, int N, int K,
                          CT_GT alpha, const CT_GT *P, int ld1, const int64_t *off1,
                          const CT_GT *Q, int ld2, const int64_t *off2, CT_GT beta,
                          CT_GT *C, int ldc, int64_t nb)
{
    size_t cstep = (size_t)M * N;
    int nt = ct_get_num_threads();
    /* a batch of many products is shared however few its flops: each small
     * product's call and setup cost more than its flops suggest (1000 of
     * 4 x 32 times 32 x 4 ran 0.7x PyTorch's speed on one thread) */
#ifdef _OPENMP
    if (omp_in_parallel()) nt = 1;      /* called from a thread of a parallel region */
    /* (a dot product has its own length threshold: its flops per byte are
     * the fewest, so it pays for the threads far below CT_GM_PAR_FLOPS) */
    if (M == 1 && N == 1 && nb == 1 && nt > 1 && K >= CT_GM_DOT_PAR && (t1 == 'T' || ld1 == 1)
        && (t2 == 'N' || ld2 == 1)) {
        /* one dot product of long adjacent vectors: its length split between
         * the threads, their partial sums added in their order */
        CT_GT part[64];
        int parts = nt < 64 ? nt : 64;
#pragma omp parallel for num_threads(parts) schedule(static)
        for (int t = 0; t < parts; t++) {
            int lo = (int)((int64_t)K * t / parts), hi = (int)((int64_t)K * (t + 1) / parts);
            k->gemv_dot(hi - lo, 1, (CT_GT)1, P + off1[0] + lo, ld1, Q + off2[0] + lo, (CT_GT)0,
                        part + t, 1);
        }
        CT_GT sum = 0;
        for (int t = 0; t < parts; t++) sum += part[t];
        C[0] = beta == 0 ? alpha * sum : alpha * sum + beta * C[0];
        return;
    }
#endif
    if (2.0 * M * N * K * nb < CT_GM_PAR_FLOPS && nb < CT_GM_PAR_BATCH) nt = 1;
    int sym = ct_gm_symmetric(t1, t2, M, N, K, P, ld1, off1, Q, ld2, off2, beta, nb);
    /* one product whole (with its mirror) */
#define CT_GM_WHOLE(b)                                                        \
    do {                                                                      \
        ct_gm_serial(k, t1, t2, M, N, K, alpha, P + off1[b], ld1, Q + off2[b], ld2, \
                     beta, C + (b) * cstep, ldc, sym);                        \
        if (sym) ct_gm_mirror(M, C + (b) * cstep, ldc, 0, (M + CT_GM_MIRROR_B - 1) / CT_GM_MIRROR_B); \
    } while (0)
    if (nt <= 1) {
        /* no parallel region at all (an if(0) region still costs a team) */
        for (int64_t b = 0; b < nb; b++) CT_GM_WHOLE(b);
        return;
    }
    if (nb >= nt) {
#ifdef _OPENMP
#pragma omp parallel for num_threads(nt) schedule(static)
#endif
        for (int64_t b = 0; b < nb; b++) CT_GM_WHOLE(b);
        return;
    }
#undef CT_GM_WHOLE
    if (sym && !ct_gm_ksplit(k, M, N, K, nt)) {
        /* fewer products than threads, each symmetric (and not cut along
         * k, below): slabs of columns
         * lo..hi, each with its rows from lo on (those above are the
         * mirror's), of about even tile counts (ct_gm_tri_split); then the
         * mirror by block columns, after a barrier */
        int parts = nt, tiles = (M + k->nr - 1) / k->nr, bound[65];
        if (parts > tiles) parts = tiles;
        if (parts > 64) parts = 64;
        ct_gm_tri_split(k, M, parts, bound);
        int nbc = (M + CT_GM_MIRROR_B - 1) / CT_GM_MIRROR_B;
        for (int64_t b = 0; b < nb; b++) {
            const CT_GT *Pb = P + off1[b], *Qb = Q + off2[b];
            CT_GT *Cb = C + b * cstep;
#ifdef _OPENMP
#pragma omp parallel num_threads(parts)
#endif
            {
#ifdef _OPENMP
                int t = omp_get_thread_num(), tn = omp_get_num_threads();
#else
                int t = 0, tn = 1;
#endif
                /* every slab, however many threads the team got */
                for (int sl = t; sl < parts; sl += tn) {
                    int lo = bound[sl], hi = bound[sl + 1];
                    if (hi > lo)
                        ct_gm_serial(k, t1, t2, M - lo, hi - lo, K, alpha,
                                     ct_gm_at(Pb, t1, ld1, 0, lo), ld1,
                                     ct_gm_at(Qb, t2, ld2, 1, lo), ld2, beta,
                                     Cb + lo + (int64_t)lo * ldc, ldc, 1);
                }
#ifdef _OPENMP
#pragma omp barrier
#endif
                /* block column q holds q + 1 blocks: the pairs q, nbc - 1 - q even out */
                for (int q = t; q < (nbc + 1) / 2; q += tn) {
                    ct_gm_mirror(M, Cb, ldc, q, q + 1);
                    if (nbc - 1 - q != q) ct_gm_mirror(M, Cb, ldc, nbc - 1 - q, nbc - q);
                }
            }
        }
        return;
    }
    /* fewer products than threads: each product cut into one part per
     * thread, each an independent product (no thread waits for another):
     * cut 0, slabs of rows, cut 1, slabs of columns, both of whole
     * micro-tiles; cut 2, ranges of k. Slabs of rows when each reads B in
     * place (nothing is then packed twice); otherwise along the dimension
     * with more tiles (each slab of columns packs all of A, each slab of
     * rows all of B). */
    int tiles_n = (N + k->nr - 1) / k->nr, tiles_m = (M + k->mr - 1) / k->mr;
    int cut = tiles_n >= tiles_m;
    if (tiles_m >= nt && N >= k->nr && ct_gm_inplace(k, t2, (tiles_m + nt - 1) / nt * k->mr, ld2))
        cut = 0;
    /* Slabs of rows of a C whose columns do not start on cache lines share
     * a line between two threads wherever one column ends and the next
     * begins, written by both on every column: with a short k loop that
     * traffic outweighs what row slabs save (1000 x 18 times 18 x 1000 ran
     * 1.35x faster in column slabs, 10000 x 18 times 18 x 100 2.1x); from
     * K = CT_GM_SHARE_K on, what column slabs repeat (packing all of A
     * each) costs as much or more. */
    if (K <= CT_GM_SHARE_K && tiles_n >= nt
        && ((uintptr_t)C % 64 != 0 || (size_t)ldc * sizeof(CT_GT) % 64 != 0))
        cut = 1;
    int unit = cut ? k->nr : k->mr, D = cut ? N : M, tiles = cut ? tiles_n : tiles_m;
    int parts = nt < tiles ? nt : tiles;
    /* Fewer micro-tiles than threads and a long k loop (10 x 10000 times
     * 10000 x 10: one tile, which one thread ran at 0.3-0.6x PyTorch's
     * speed): k cut between the threads, each part a product of its own
     * into a buffer (alpha 1, beta 0), the parts added in their order. */
    const size_t mn = (size_t)M * N;
    CT_GT *part = NULL;
    if (t1 != 'X' && ct_gm_ksplit(k, M, N, K, nt)) {
        int kp = K / (2 * k->kc) < nt ? K / (2 * k->kc) : nt;
        if (kp > 64) kp = 64;
        part = (CT_GT *)malloc(sizeof(CT_GT) * mn * (size_t)kp);
        if (part != NULL) {
            cut = 2;
            unit = 1;
            D = tiles = K;
            parts = kp;
        }
    }
    for (int64_t b = 0; b < nb; b++) {
        const CT_GT *Pb = P + off1[b], *Qb = Q + off2[b];
        CT_GT *Cb = C + b * cstep;
#ifdef _OPENMP
#pragma omp parallel for num_threads(parts) schedule(static)
#endif
        for (int t = 0; t < parts; t++) {
            int lo = (int)((int64_t)tiles * t / parts) * unit;
            int hi = (int)((int64_t)tiles * (t + 1) / parts) * unit;
            if (hi > D) hi = D;
            if (hi <= lo) continue;
            ct_gm_serial(k, t1, t2, cut == 0 ? hi - lo : M, cut == 1 ? hi - lo : N,
                         cut == 2 ? hi - lo : K, cut == 2 ? (CT_GT)1 : alpha,
                         cut == 1 ? Pb : ct_gm_at(Pb, t1, ld1, cut == 2, lo), ld1,
                         cut == 0 ? Qb : ct_gm_at(Qb, t2, ld2, cut == 1, lo), ld2,
                         cut == 2 ? (CT_GT)0 : beta,
                         cut == 2 ? part + (size_t)t * mn : cut == 1 ? Cb + (int64_t)lo * ldc : Cb + lo,
                         cut == 2 ? M : ldc, 0);
        }
        if (cut == 2)
            for (int j = 0; j < N; j++)
                for (int i = 0; i < M; i++) {
                    CT_GT v = part[i + (size_t)j * M];
                    for (int t = 1; t < parts; t++) v += part[(size_t)t * mn + i + (size_t)j * M];
                    CT_GT *c = Cb + i + (int64_t)j * ldc;
                    *c = beta == 0 ? alpha * v : alpha * v + beta * *c;
                }
    }
    free(part);
}
