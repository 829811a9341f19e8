/* The random family of the CUDA backend: the Philox fills of
 * cuda_src/random.cu, which give the CPU's numbers for the same (seed,
 * offset) (random.h's stream contract), and integers in a range.
 * randperm stays on the host (ops/random.pyx makes it there and copies). */
#include "cuda_backend.h"

#define CTC_RAND_FILL(NAME, KERNEL)                                               \
static void NAME(uint64_t seed, uint64_t offset, void *out, int64_t n) {          \
    static int k = -1;                                                            \
    if (k < 0) k = ctc_kernel(KERNEL);                                            \
    if (n <= 0) return;                                                           \
    ct_rand_args a = {seed, offset, ctc_ptr(out), n, 0, 0};                       \
    ctc_launch1d(k, n, &a, sizeof a);                                             \
}
CTC_RAND_FILL(ctc_uniform_f32, "ct_rand_uniform_f32")
CTC_RAND_FILL(ctc_uniform_f64, "ct_rand_uniform_f64")
CTC_RAND_FILL(ctc_normal_f32, "ct_rand_normal_f32")
CTC_RAND_FILL(ctc_normal_f64, "ct_rand_normal_f64")

static void ctc_int64_range(uint64_t seed, uint64_t offset, int64_t low, int64_t high,
                            int64_t *out, int64_t n) {
    static int k = -1;
    if (k < 0) k = ctc_kernel("ct_rand_int64_range");
    if (n <= 0) return;
    ct_rand_args a = {seed, offset, ctc_ptr(out), n, low, high};
    ctc_launch1d(k, n, &a, sizeof a);
}

static ct_rand_fill_fn ctc_uniform[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_uniform_f32, [CT_FLOAT64] = ctc_uniform_f64};
static ct_rand_fill_fn ctc_normal[CT_NDTYPES] = {
    [CT_FLOAT32] = ctc_normal_f32, [CT_FLOAT64] = ctc_normal_f64};

void ctc_fill_random(ct_backend *b) {
    b->uniform = ctc_uniform;
    b->normal = ctc_normal;
    b->int64_range = ctc_int64_range;
}
