/* The host build of the CUDA kernels: what nvcc provides, for g++.
 *
 * The same .cu files compile with g++ -x c++ -std=c++20 when this
 * header stands in for the CUDA headers (ct_cuda.cuh includes it when
 * __CUDACC__ is not defined). A launch (host_runtime.cpp) runs the grid's
 * blocks one after another, in forward or reversed order; inside a block,
 *   - a kernel registered CT_SERIAL runs its threads one after another, and
 *     __syncthreads() or a warp shuffle in it aborts (it needs CT_SYNC);
 *   - a kernel registered CT_SYNC runs one fiber per CUDA thread (on the
 *     launching thread, host_runtime.cpp): __syncthreads() waits at a
 *     barrier of the block, warp shuffles go through a per-warp exchange
 *     buffer between two barriers of the warp.
 * __shared__ variables are function statics: one block runs at a time, and
 * its threads share them as a block's threads share shared memory.
 * Results of this build are emulated results, never GPU results.
 */
#ifndef CT_HOST_SHIM_H
#define CT_HOST_SHIM_H

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

struct dim3 {
    unsigned x, y, z;
    constexpr dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

namespace ct_host {
/* the running CUDA thread (set before each fiber runs, in CT_SYNC kernels) */
extern thread_local dim3 t_thread, t_block;
/* per launch (launches are serialised) */
extern dim3 g_block_dim, g_grid_dim;
extern char *g_dyn_shared;
void sync_block();
void warp_exchange(const void *mine, void *out, int src_lane, int nbytes);
int lane_id();
[[noreturn]] void fail(const char *what);
}

#define threadIdx (ct_host::t_thread)
#define blockIdx (ct_host::t_block)
#define blockDim (ct_host::g_block_dim)
#define gridDim (ct_host::g_grid_dim)
#define warpSize 32

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(...)
#define __shared__ static
#define CT_DYNAMIC_SHARED(T, name) T *name = reinterpret_cast<T *>(ct_host::g_dyn_shared)

inline void __syncthreads() { ct_host::sync_block(); }
inline void __syncwarp(unsigned = 0xffffffffu) {}

template <class T> inline T __shfl_sync(unsigned, T v, int src, int width = 32) {
    static_assert(sizeof(T) <= 16, "shuffle of a value over 16 bytes");
    int lane = ct_host::lane_id();
    T r;
    ct_host::warp_exchange(&v, &r, (lane & ~(width - 1)) + (src & (width - 1)), (int)sizeof(T));
    return r;
}
template <class T> inline T __shfl_down_sync(unsigned, T v, unsigned d, int width = 32) {
    int lane = ct_host::lane_id();
    int src = (int)((lane & (width - 1)) + d) < width ? lane + (int)d : lane;
    T r;
    ct_host::warp_exchange(&v, &r, src, (int)sizeof(T));
    return r;
}
template <class T> inline T __shfl_up_sync(unsigned, T v, unsigned d, int width = 32) {
    int lane = ct_host::lane_id();
    int src = (lane & (width - 1)) >= (int)d ? lane - (int)d : lane;
    T r;
    ct_host::warp_exchange(&v, &r, src, (int)sizeof(T));
    return r;
}
template <class T> inline T __shfl_xor_sync(unsigned, T v, int m, int width = 32) {
    int lane = ct_host::lane_id();
    int src = lane ^ m;
    if ((src & ~(width - 1)) != (lane & ~(width - 1))) src = lane;
    T r;
    ct_host::warp_exchange(&v, &r, src, (int)sizeof(T));
    return r;
}

/* atomics: std::atomic_ref on the same memory */
template <class T> inline T atomicAdd(T *p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
template <class T> inline T atomicExch(T *p, T v) { return std::atomic_ref<T>(*p).exchange(v); }
template <class T> inline T atomicCAS(T *p, T cmp, T v) {
    std::atomic_ref<T>(*p).compare_exchange_strong(cmp, v);
    return cmp;
}
template <class T> inline T atomicMax(T *p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (old < v && !a.compare_exchange_weak(old, v)) {}
    return old;
}
template <class T> inline T atomicMin(T *p, T v) {
    std::atomic_ref<T> a(*p);
    T old = a.load();
    while (v < old && !a.compare_exchange_weak(old, v)) {}
    return old;
}
inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }

/* the device math that has no host twin */
inline float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
inline int __float_as_int(float f) { int i; std::memcpy(&i, &f, 4); return i; }
inline double __longlong_as_double(long long i) { double f; std::memcpy(&f, &i, 8); return f; }
inline long long __double_as_longlong(double f) { long long i; std::memcpy(&i, &f, 8); return i; }
template <class T> inline T __ldg(const T *p) { return *p; }
inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz((unsigned)x); }
inline int __popc(unsigned x) { return __builtin_popcount(x); }
using std::min;
using std::max;

/* the registry the launcher finds kernels in (host_runtime.cpp) */
namespace ct_host {
enum { CT_SERIAL = 0, CT_SYNC = 1 };
struct kernel_reg {
    kernel_reg(const char *name, unsigned args_size, int mode, void (*run)(const void *));
};
}
#define CT_HOST_REGISTER(name, Args, mode)                                              \
    static ct_host::kernel_reg name##_reg_(#name, sizeof(Args), ct_host::mode,          \
                                           [](const void *p) { name(*(const Args *)p); });

#endif
