/* Shared definitions of ctorch's CPU kernels: dtype codes, element types,
 * the limits on dims and operands, CT_MULTIVERSION and the inner-loop type
 * that every elementwise kernel has. Declarations only: the thread count and
 * the strided N-d loop driver that the loops run under are in strided.h /
 * strided.c.
 *
 * A kernel is an "inner loop": it processes n elements whose addresses are
 * p[k] + i * s[k] (byte strides) for each operand k (operand 0 is the output).
 * The driver walks the outer dimensions and splits the work between OpenMP
 * threads when the tensor is large enough to pay for a parallel region.
 */
#ifndef CT_COMMON_H
#define CT_COMMON_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <complex.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* CT_PARALLEL_IF(COND, "omp parallel ...", statement): the statement (a
 * loop or a block) under the OpenMP pragma where COND holds, as plain code
 * otherwise. libgomp enters a region, with its team of one, even where the
 * pragma's own if() clause is false: about 1 us a call, more than the work
 * of a kernel over a hundred elements. Outside a region, omp_get_thread_num()
 * is 0 and omp_get_num_threads() 1, and an orphaned "omp for" runs every
 * iteration, so the plain copy computes what a team of one would. */
#ifdef _OPENMP
#define CT_PARALLEL_IF(COND, PRAGMA, ...) \
    do { if (COND) { _Pragma(PRAGMA) __VA_ARGS__ } else { __VA_ARGS__ } } while (0)
#else
#define CT_PARALLEL_IF(COND, PRAGMA, ...) do { __VA_ARGS__ } while (0)
#endif

/* the calling thread's number in a parallel region (0 outside one) */
static inline int ct_thread_num(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

enum {
    CT_BOOL = 0, CT_UINT8, CT_INT8, CT_INT16, CT_INT32, CT_INT64,
    CT_FLOAT16, CT_FLOAT32, CT_FLOAT64, CT_COMPLEX64, CT_COMPLEX128,
    CT_BFLOAT16,    /* last, so that the codes before it keep their table rows */
    CT_NDTYPES
};

typedef uint8_t ct_bool;
typedef _Float16 ct_half;
/* bfloat16 is stored as its bits: C has no arithmetic type for it here, so
 * every bfloat16 kernel converts to float32 (halfconv.h) and rounds back */
typedef uint16_t ct_bf16;
typedef float _Complex ct_cfloat;
typedef double _Complex ct_cdouble;

#define CT_MAXDIM 64
#define CT_MAXARGS 4

/* Function multi-versioning for the hot float loops. The build targets
 * baseline x86-64 (SSE2) so that the wheel runs anywhere; these loops are
 * also compiled for AVX2 (x86-64-v3) and AVX-512 (x86-64-v4) and the loader
 * picks the best clone for the CPU (an ifunc). That matters for
 * compute-bound loops such as exp and sigmoid (4 floats per vector -> 16);
 * the cost is 3x the code for the few loops marked with it, so it is kept
 * off the long tail of ops. Needs GCC 12+ (arch=x86-64-vN in target_clones)
 * and an ELF/glibc target; anywhere else CT_MULTIVERSION is empty. */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__x86_64__) \
    && defined(__linux__) && !defined(CT_NO_MULTIVERSION)
#define CT_MULTIVERSION __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define CT_MULTIVERSION
#endif

/* void NAME(const T *x, T *o, int64_t count): o[i] = F(x[i]) in one vector
 * loop (F branch free), built for each instruction set */
#define CT_SIMD_MAP(NAME, T, F)                                                    \
void NAME(const T *x, T *o, int64_t count);                                        \
CT_MULTIVERSION void NAME(const T *x, T *o, int64_t count)                         \
{                                                                                  \
    _Pragma("omp simd")                                                            \
    for (int64_t i = 0; i < count; i++)                                            \
        o[i] = F(x[i]);                                                            \
}

/* CT_HAVE_AVX512_TABLES: the table-driven AVX-512 kernels (avx512_tab.h's
 * users: gelu512.h, erfc512.h, erfinv512.h, exp512.h, log512.h) are built,
 * on x86-64 with GCC-compatible compilers unless CT_NO_AVX512_TABLES is
 * defined (which builds and tests the portable loops alone).
 * ct_cpu_avx512f(): whether this CPU runs AVX-512F (a lookup in libgcc's
 * cached CPU model). CT_AVX512_OR(DECL, FAST, PORT) defines DECL, a
 * function of (x, o, n), as FAST(x, o, n) on such a CPU and PORT(x, o, n)
 * elsewhere; without the tables, PORT alone. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(CT_NO_AVX512_TABLES)
#include <cpuid.h>
#define CT_HAVE_AVX512_TABLES 1
static inline int ct_cpu_avx512f(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f");
}
#define CT_AVX512_OR(DECL, FAST, PORT) DECL { if (ct_cpu_avx512f()) FAST(x, o, n); else PORT(x, o, n); }
/* ct_cpu_split512(): whether this CPU runs AVX-512 in two 256-bit halves
 * (AMD family 19h, Zen 4): there the cheap streaming loops (a binary op's
 * dense operands) run 5-10% faster at 256 bits, the loads and stores of
 * whole 512-bit vectors costing more than their halves; computed once. */
static inline int ct_cpu_split512(void)
{
    static int v = -1;
    if (v < 0) {
        unsigned a = 0, b, c, d;
        if (ct_cpu_avx512f() && __builtin_cpu_is("amd"))
            __get_cpuid(1, &a, &b, &c, &d);
        unsigned fam = (a >> 8) & 0xf;
        v = fam + (fam == 0xf ? (a >> 20) & 0xff : 0) == 0x19;
    }
    return v;
}
#else
static inline int ct_cpu_split512(void) { return 0; }
#define CT_AVX512_OR(DECL, FAST, PORT) DECL { PORT(x, o, n); }
#endif

/* ct_cpu_avx2(): whether this CPU runs AVX2 with FMA and F16C (x86-64-v3's
 * vector set: the AVX2 siblings of the AVX-512 kernels use it); computed once */
#if defined(__x86_64__) && defined(__GNUC__)
static inline int ct_cpu_avx2(void)
{
    static int v = -1;
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
            __builtin_cpu_supports("f16c");
    }
    return v;
}
/* ct_cpu_avx512bw(): whether this CPU runs AVX-512 F, BW and VL (the kernels
 * on 16-bit lanes); computed once */
static inline int ct_cpu_avx512bw(void)
{
    static int v = -1;
    if (v < 0) {
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
            __builtin_cpu_supports("avx512vl");
    }
    return v;
}
#endif

typedef void (*ct_loop_fn)(char **p, const int64_t *s, int64_t n, const void *extra);
/* a loop's parameters in its definition: the pointer and stride arrays are
 * not written through the operands (the build has no strict aliasing, so
 * without restrict every store to an operand would reload them) */
#define CT_LOOP_ARGS char **restrict p, const int64_t *restrict s, int64_t n, const void *ex

#endif
