/* The CUDA backend's C side: the ct_backend table of a CUDA device, over a
 * driver (ctc_driver) that either is a GPU reached through PyCUDA
 * (ctorch/cuda/_backend.pyx) or the host build of the same kernels
 * (cuda_src/host_runtime.cpp, the emulated device of the tests).
 *
 * Each family of table entries lives in its own file (cu_<family>.c) and
 * uses only what this header declares: look a kernel up by name once
 * (ctc_kernel), fill the kernel's argument struct (cuda_src/kernel_args.h)
 * and launch it (ctc_launch1d / ctc_launch), with scratch memory from the
 * caching allocator (ctc_alloc / ctc_free) and copies (ctc_copy).
 *
 * Errors: a driver failure sets a sticky error (ctc_error) that the Python
 * side raises as a RuntimeError at the next check; table entries that
 * return void just stop.
 */
#ifndef CTC_CUDA_BACKEND_H
#define CTC_CUDA_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include "backend.h"
#include "../../cuda_src/kernel_args.h"

typedef struct {
    void *(*malloc)(size_t n);                                  /* NULL: out of memory */
    void (*free)(void *p);
    int (*memcpy)(void *dst, const void *src, size_t n, int kind);   /* 0 h2d, 1 d2h, 2 d2d */
    int (*memset)(void *dst, int v, size_t n);
    int (*launch)(int kernel, const unsigned *grid, const unsigned *block, unsigned shmem,
                  const void *args, unsigned nbytes);
    int (*sync)(void);
    int (*find)(const char *name);                              /* -1: no such kernel */
    int sm_count;                                               /* multiprocessors */
    int (*bind)(void);          /* makes the device's context current on this thread before
                                   a call into a CUDA library (cuBLAS); NULL: nothing to do */
} ctc_driver;

enum { CTC_H2D = 0, CTC_D2H = 1, CTC_D2D = 2 };

/* installs the driver; cpu: the CPU table (which kernels exist) */
void ctc_init(const ctc_driver *drv, const ct_backend *cpu);
extern ct_backend ctc_backend;

/* Each family file (cu_<family>.c) fills its entries of the table in one
 * function that ctc_init calls when the file is linked in (the declarations
 * are weak: a family without CUDA kernels leaves its entries NULL, and its
 * ops raise an error naming themselves and the device). */
#define CTC_FAMILIES(X) X(reduce) X(products) X(shape) X(sort) X(random) X(sampling) X(hist) X(nn) X(fft)
#define CTC_DECLARE_FILL(family) __attribute__((weak)) void ctc_fill_##family(ct_backend *b);
CTC_FAMILIES(CTC_DECLARE_FILL)
#undef CTC_DECLARE_FILL

/* an elementwise copy (same dtype, `es` bytes an element) between
 * transposed layouts as one tiled launch (cu_shape.c): 1 when it ran it, 0
 * when the layout is not one */
int ctc_try_transpose(const ct_iter *it, int es);

/* the sticky error: 0 or the first failure's code, with its message */
extern int ctc_error;
extern char ctc_error_msg[256];
void ctc_fail(int code, const char *what);

/* kernels: the driver's index of a kernel, looked up once per call site:
 *   static int k = -1; if (k < 0) k = ctc_kernel("ct_foo");  */
int ctc_kernel(const char *name);
int ctc_launch(int kernel, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
               unsigned bz, unsigned shmem, const void *args, unsigned nbytes);
/* n work items, grid-stride kernels: 256 threads, enough blocks */
int ctc_launch1d(int kernel, int64_t n, const void *args, unsigned nbytes);
unsigned ctc_blocks_for(int64_t n, unsigned threads);

/* memory: the caching allocator (device blocks), and copies */
void *ctc_alloc(size_t n);
void ctc_free(void *p, size_t n);
/* ctc_alloc for an entry's scratch: NULL, with the sticky out-of-memory
 * error set, when the device has no memory left */
void *ctc_scratch(size_t n);
int ctc_copy(void *dst, const void *src, size_t n, int kind);
int ctc_memset(void *dst, int v, size_t n);
int ctc_sync(void);
/* the driver's bind (0: done) */
int ctc_bind(void);

/* allocator statistics (bytes) */
typedef struct {
    int64_t allocated, max_allocated, reserved, max_reserved, n_device_allocs, n_device_frees;
} ctc_mem_stats;
void ctc_get_stats(ctc_mem_stats *s);
void ctc_reset_peak(void);
void ctc_empty_cache(void);

static inline uint64_t ctc_ptr(const void *p) { return (uint64_t)(uintptr_t)p; }

#endif
