/* The host launcher of the CUDA kernels (the host build; see host_shim.h).
 *
 * A C interface, loaded by ctorch.cuda's emulated device and by the kernel
 * tests: find a kernel by name, launch it with its argument struct's bytes,
 * and "device" memory that is host memory. With the guard on, that memory is
 * PROT_NONE except while a kernel or a copy runs, so host code that reads a
 * device pointer directly (which would crash or read garbage on a GPU)
 * faults here too. Blocks run one at a time, forward or reversed; a CT_SYNC
 * kernel's threads are fibers (ucontext) of the launching thread: each runs
 * until it reaches __syncthreads() or a warp shuffle, then the next one runs,
 * and a barrier opens once every thread still running has reached it (so a
 * block costs context switches, not thousands of futex waits). Reversed
 * launches also run a block's threads last to first.
 */
#include "host_shim.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

namespace ct_host {

thread_local dim3 t_thread, t_block;
dim3 g_block_dim, g_grid_dim;
char *g_dyn_shared;

namespace {

struct kernel_info {
    std::string name;
    unsigned args_size;
    int mode;
    void (*run)(const void *);
};

std::vector<kernel_info> &registry() {
    static std::vector<kernel_info> r;
    return r;
}

/* a barrier of fibers: `live` members still running, `arrived` of them
 * waiting; it opens (gen moves on) when every live member has arrived */
struct fiber_barrier {
    int live = 0, arrived = 0;
    unsigned gen = 0;
    void check() {
        if (live > 0 && arrived == live) {
            arrived = 0;
            gen++;
        }
    }
};

struct warp {
    fiber_barrier bar;
    alignas(16) unsigned char slot[32][16];
};

struct fiber {
    ucontext_t ctx;
    char *stack = nullptr;
    fiber_barrier *wait = nullptr;      /* the barrier it waits at, or null */
    unsigned wait_gen = 0;
    bool done = false;
};

struct block_ctx {
    fiber_barrier bar;
    std::vector<warp> warps;
    std::vector<fiber> fibers;
    ucontext_t sched;
    int cur = -1;                       /* the running fiber */
};

thread_local block_ctx *t_ctx = nullptr;
thread_local int t_lin = 0;

std::mutex g_launch;                    /* one launch (or copy) at a time */
int g_reverse = 0;
int g_guard = 0;
/* "device" memory: one reserved arena, so that the guard opens and closes
 * all of it with one mprotect per launch; first fit over its free runs */
const size_t g_arena_size = (size_t)64 << 30;
char *g_arena = nullptr;
size_t g_top = 0;                       /* high-water mark */
std::map<size_t, size_t> g_free;        /* offset -> size of free runs below g_top */
std::map<char *, size_t> g_regions;     /* live device blocks (page-rounded sizes) */
size_t g_page = 0;
std::vector<char> g_shared_buf;

/* CT_SYNC blocks: one fiber per CUDA thread on the launching thread, with
 * stacks kept from launch to launch */
const size_t k_stack = (size_t)256 << 10;
std::vector<char *> g_stacks;
const kernel_info *g_k = nullptr;
const void *g_args = nullptr;

/* AddressSanitizer follows the switches between stacks when told of them */
#if defined(__SANITIZE_ADDRESS__)
const void *g_sched_bottom = nullptr;
size_t g_sched_size = 0;
#define CT_SWITCH_START(save, bottom, size) __sanitizer_start_switch_fiber(save, bottom, size)
#define CT_SWITCH_DONE(save) __sanitizer_finish_switch_fiber(save, &g_sched_bottom, &g_sched_size)
#define CT_SWITCH_BACK(save) __sanitizer_finish_switch_fiber(save, nullptr, nullptr)
#define CT_TO_SCHED(save) __sanitizer_start_switch_fiber(save, g_sched_bottom, g_sched_size)
#else
#define CT_SWITCH_START(save, bottom, size) ((void)(save))
#define CT_SWITCH_DONE(save) ((void)(save))
#define CT_SWITCH_BACK(save) ((void)(save))
#define CT_TO_SCHED(save) ((void)(save))
#endif

void set_thread(int id) {
    unsigned bx = g_block_dim.x, by = g_block_dim.y;
    t_thread = dim3(id % bx, (id / bx) % by, id / (bx * by));
    t_lin = id;
}

void fiber_main() {
    CT_SWITCH_DONE(nullptr);
    block_ctx *c = t_ctx;
    int id = c->cur;
    g_k->run(g_args);
    fiber &f = c->fibers[id];
    f.done = true;
    c->bar.live--;
    c->bar.check();
    fiber_barrier &wb = c->warps[id >> 5].bar;
    wb.live--;
    wb.check();
    CT_TO_SCHED(nullptr);
}   /* returns to the scheduler (uc_link) */

/* the current fiber waits at b until every live member has arrived */
void fiber_wait(fiber_barrier &b) {
    block_ctx *c = t_ctx;
    fiber &f = c->fibers[c->cur];
    f.wait = &b;
    f.wait_gen = b.gen;
    b.arrived++;
    b.check();
    void *fake = nullptr;
    CT_TO_SCHED(&fake);
    swapcontext(&f.ctx, &c->sched);
    CT_SWITCH_DONE(fake);
}

void run_block(dim3 bi, int n) {
    block_ctx c;
    c.fibers.resize(n);
    c.warps.resize((n + 31) / 32);
    c.bar.live = n;
    for (size_t w = 0; w < c.warps.size(); w++) c.warps[w].bar.live = std::min(32, n - (int)w * 32);
    while ((int)g_stacks.size() < n) {
        void *st = mmap(nullptr, k_stack, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
        if (st == MAP_FAILED) fail("no memory for the stacks of a block's threads");
        g_stacks.push_back((char *)st);
    }
    for (int i = 0; i < n; i++) {
        fiber &f = c.fibers[i];
        getcontext(&f.ctx);
        f.ctx.uc_stack.ss_sp = g_stacks[i];
        f.ctx.uc_stack.ss_size = k_stack;
        f.ctx.uc_link = &c.sched;
        makecontext(&f.ctx, fiber_main, 0);
    }
    t_block = bi;
    t_ctx = &c;
    for (int left = n; left > 0;) {
        bool progress = false;
        for (int j = 0; j < n; j++) {
            int i = g_reverse ? n - 1 - j : j;
            fiber &f = c.fibers[i];
            if (f.done || (f.wait != nullptr && f.wait->gen == f.wait_gen)) continue;
            f.wait = nullptr;
            c.cur = i;
            set_thread(i);
            void *fake = nullptr;
            CT_SWITCH_START(&fake, g_stacks[i], k_stack);
            swapcontext(&c.sched, &f.ctx);
            CT_SWITCH_BACK(fake);
            progress = true;
            if (f.done) left--;
        }
        if (!progress) fail("a block's threads wait at different barriers (a deadlock)");
    }
    t_ctx = nullptr;
}

void protect_all(int prot) {
    if (g_top && mprotect(g_arena, g_top, prot) != 0) fail("mprotect failed");
}

struct unguard {                       /* device memory readable while this lives */
    unguard() { if (g_guard) protect_all(PROT_READ | PROT_WRITE); }
    ~unguard() { if (g_guard) protect_all(PROT_NONE); }
};

}  // namespace

kernel_reg::kernel_reg(const char *name, unsigned args_size, int mode, void (*run)(const void *)) {
    registry().push_back({name, args_size, mode, run});
}

void fail(const char *what) {
    std::fprintf(stderr, "ctorch host kernel launcher: %s\n", what);
    std::abort();
}

void sync_block() {
    if (t_ctx == nullptr) fail("__syncthreads() in a kernel registered CT_SERIAL");
    fiber_wait(t_ctx->bar);
}

int lane_id() { return t_lin & 31; }

void warp_exchange(const void *mine, void *out, int src, int nbytes) {
    if (t_ctx == nullptr) fail("a warp shuffle in a kernel registered CT_SERIAL");
    warp &w = t_ctx->warps[t_lin >> 5];
    int lane = t_lin & 31, n = std::min(32, (int)t_ctx->fibers.size() - (t_lin & ~31));
    if (src < 0 || src >= n) src = lane;
    std::memcpy(w.slot[lane], mine, nbytes);
    fiber_wait(w.bar);
    std::memcpy(out, w.slot[src], nbytes);
    fiber_wait(w.bar);
}

}  // namespace ct_host

using namespace ct_host;

extern "C" {

__attribute__((visibility("default"))) int ctk_count(void) { return (int)registry().size(); }

__attribute__((visibility("default"))) const char *ctk_name(int k) {
    return (k >= 0 && k < ctk_count()) ? registry()[k].name.c_str() : nullptr;
}

__attribute__((visibility("default"))) int ctk_find(const char *name) {
    for (size_t i = 0; i < registry().size(); i++)
        if (registry()[i].name == name) return (int)i;
    return -1;
}

__attribute__((visibility("default"))) unsigned ctk_args_size(int k) {
    return (k >= 0 && k < ctk_count()) ? registry()[k].args_size : 0;
}

__attribute__((visibility("default"))) void ctk_set_reverse(int reverse) { g_reverse = reverse; }

/* 0 on success; 1 a wrong kernel index, 2 argument bytes of the wrong size,
 * 3 a bad launch shape (CUDA's limits: 1024 threads a block, 48 KiB of
 * dynamic shared memory) */
__attribute__((visibility("default"))) int ctk_launch(int k, const unsigned *grid, const unsigned *blk,
                                                      unsigned shmem, const void *args, unsigned nbytes) {
    if (k < 0 || k >= ctk_count()) return 1;
    const kernel_info &ki = registry()[k];
    if (nbytes != ki.args_size) return 2;
    uint64_t nthreads = (uint64_t)blk[0] * blk[1] * blk[2];
    if (nthreads == 0 || nthreads > 1024 || grid[0] == 0 || grid[1] == 0 || grid[2] == 0
        || shmem > 48 * 1024)
        return 3;
    std::lock_guard<std::mutex> lk(g_launch);
    unguard ug;
    /* the kernel reads its arguments from an exact-size heap copy, so that an
     * out-of-bounds read of the struct shows under ASan */
    std::unique_ptr<char[]> a(new char[nbytes]);
    std::memcpy(a.get(), args, nbytes);
    g_shared_buf.assign(shmem + 16, 0);
    g_dyn_shared = g_shared_buf.data();
    g_grid_dim = dim3(grid[0], grid[1], grid[2]);
    g_block_dim = dim3(blk[0], blk[1], blk[2]);
    uint64_t nblocks = (uint64_t)grid[0] * grid[1] * grid[2];
    for (uint64_t j = 0; j < nblocks; j++) {
        uint64_t b = g_reverse ? nblocks - 1 - j : j;
        dim3 bi((unsigned)(b % grid[0]), (unsigned)((b / grid[0]) % grid[1]),
                (unsigned)(b / ((uint64_t)grid[0] * grid[1])));
        if (ki.mode == CT_SYNC) {
            g_k = &ki;
            g_args = a.get();
            run_block(bi, (int)nthreads);
        } else {
            t_block = bi;
            for (uint64_t t = 0; t < nthreads; t++) {
                uint64_t tt = g_reverse ? nthreads - 1 - t : t;
                t_thread = dim3((unsigned)(tt % blk[0]), (unsigned)((tt / blk[0]) % blk[1]),
                                (unsigned)(tt / ((uint64_t)blk[0] * blk[1])));
                ki.run(a.get());
            }
        }
    }
    return 0;
}

__attribute__((visibility("default"))) void *ctk_malloc(size_t n) {
    std::lock_guard<std::mutex> lk(g_launch);
#if defined(__SANITIZE_ADDRESS__)
    /* exact-size heap blocks (to 4 bytes, the word the 8- and 16-bit atomics
     * work on): AddressSanitizer sees any overrun (the guard, which needs
     * the arena, is off in this build) */
    void *h = std::malloc(n ? (n + 3) / 4 * 4 : 4);
    if (h != nullptr) g_regions[(char *)h] = n;
    return h;
#endif
    if (g_arena == nullptr) {
        g_page = (size_t)sysconf(_SC_PAGESIZE);
        void *a = mmap(nullptr, g_arena_size, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (a == MAP_FAILED) return nullptr;
        g_arena = (char *)a;
    }
    size_t sz = ((n ? n : 1) + g_page - 1) / g_page * g_page;
    size_t off = (size_t)-1;
    for (auto it = g_free.begin(); it != g_free.end(); ++it) {
        if (it->second >= sz) {
            off = it->first;
            size_t rest = it->second - sz;
            g_free.erase(it);
            if (rest) g_free[off + sz] = rest;
            break;
        }
    }
    if (off == (size_t)-1) {
        if (g_top + sz > g_arena_size) return nullptr;
        off = g_top;
        g_top += sz;
    }
    char *p = g_arena + off;
    if (mprotect(p, sz, g_guard ? PROT_NONE : (PROT_READ | PROT_WRITE)) != 0) fail("mprotect failed");
    g_regions[p] = sz;
    return p;
}

__attribute__((visibility("default"))) void ctk_free(void *p) {
    if (p == nullptr) return;
    std::lock_guard<std::mutex> lk(g_launch);
    auto it = g_regions.find((char *)p);
    if (it == g_regions.end()) fail("free of a pointer that is not a device block");
#if defined(__SANITIZE_ADDRESS__)
    g_regions.erase(it);
    std::free(p);
    return;
#endif
    size_t off = (size_t)(it->first - g_arena), sz = it->second;
    g_regions.erase(it);
    madvise(g_arena + off, sz, MADV_DONTNEED);      /* the pages go back to the system */
    mprotect(g_arena + off, sz, PROT_NONE);
    auto next = g_free.lower_bound(off);
    if (next != g_free.end() && next->first == off + sz) {     /* merge with the run after */
        sz += next->second;
        next = g_free.erase(next);
    }
    if (next != g_free.begin()) {                               /* and the run before */
        auto prev = std::prev(next);
        if (prev->first + prev->second == off) {
            prev->second += sz;
            return;
        }
    }
    g_free[off] = sz;
}

/* kind 0: host to device, 1: device to host, 2: device to device */
__attribute__((visibility("default"))) int ctk_memcpy(void *dst, const void *src, size_t n, int kind) {
    (void)kind;
    std::lock_guard<std::mutex> lk(g_launch);
    unguard ug;
    if (n) std::memmove(dst, src, n);
    return 0;
}

__attribute__((visibility("default"))) int ctk_memset(void *dst, int v, size_t n) {
    std::lock_guard<std::mutex> lk(g_launch);
    unguard ug;
    if (n) std::memset(dst, v, n);
    return 0;
}

__attribute__((visibility("default"))) void ctk_set_guard(int on) {
    std::lock_guard<std::mutex> lk(g_launch);
    if (on == g_guard) return;
    g_guard = on;
    protect_all(on ? PROT_NONE : (PROT_READ | PROT_WRITE));
}

__attribute__((visibility("default"))) int64_t ctk_live_blocks(void) {
    std::lock_guard<std::mutex> lk(g_launch);
    return (int64_t)g_regions.size();
}

}
