/* The host launcher of the CUDA kernels (the host build; see host_shim.h).
 *
 * A C interface, loaded by ctorch.cuda's emulated device and by the kernel
 * tests: find a kernel by name, launch it with its argument struct's bytes,
 * and "device" memory that is host memory. With the guard on, that memory is
 * PROT_NONE except while a kernel or a copy runs, so host code that reads a
 * device pointer directly (which would crash or read garbage on a GPU)
 * faults here too. Blocks run one at a time, forward or reversed; a CT_SYNC
 * kernel's threads run on a pool of host threads, one per CUDA thread.
 */
#include "host_shim.h"

#include <barrier>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <sys/mman.h>
#include <unistd.h>

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

struct warp {
    std::unique_ptr<std::barrier<>> bar;
    int n;
    alignas(16) unsigned char slot[32][16];
};

struct block_ctx {
    std::unique_ptr<std::barrier<>> bar;
    std::vector<warp> warps;
};

thread_local block_ctx *t_ctx = nullptr;
thread_local int t_lin = 0;

std::mutex g_launch;                    /* one launch (or copy) at a time */
int g_reverse = 0;
int g_guard = 0;
std::map<char *, size_t> g_regions;     /* live device blocks (page-rounded sizes) */
size_t g_page = 0;
std::vector<char> g_shared_buf;

/* the pool that runs a CT_SYNC block: worker i is CUDA thread i */
struct pool {
    std::mutex m;
    std::condition_variable cv, done_cv;
    std::vector<std::thread> workers;
    unsigned long gen = 0;
    int nthreads = 0, remaining = 0;
    const kernel_info *k = nullptr;
    const void *args = nullptr;
    block_ctx *ctx = nullptr;
    dim3 block;

    void grow(int n) {
        while ((int)workers.size() < n) {
            int id = (int)workers.size();
            workers.emplace_back([this, id] { loop(id); });
        }
    }
    void loop(int id) {
        unsigned long seen = 0;
        for (;;) {
            std::unique_lock<std::mutex> lk(m);
            cv.wait(lk, [&] { return gen != seen; });
            seen = gen;
            if (id >= nthreads) continue;
            const kernel_info *kk = k;
            const void *aa = args;
            block_ctx *cc = ctx;
            dim3 b = block;
            lk.unlock();
            unsigned bx = g_block_dim.x, by = g_block_dim.y;
            t_thread = dim3(id % bx, (id / bx) % by, id / (bx * by));
            t_block = b;
            t_ctx = cc;
            t_lin = id;
            kk->run(aa);
            t_ctx = nullptr;
            lk.lock();
            if (--remaining == 0) done_cv.notify_one();
        }
    }
    void run_block(const kernel_info *kk, const void *aa, dim3 b, int n) {
        block_ctx c;
        c.bar = std::make_unique<std::barrier<>>(n);
        c.warps.resize((n + 31) / 32);
        for (size_t w = 0; w < c.warps.size(); w++) {
            c.warps[w].n = std::min(32, n - (int)w * 32);
            c.warps[w].bar = std::make_unique<std::barrier<>>(c.warps[w].n);
        }
        grow(n);
        std::unique_lock<std::mutex> lk(m);
        k = kk; args = aa; ctx = &c; block = b; nthreads = n; remaining = n;
        gen++;
        cv.notify_all();
        done_cv.wait(lk, [&] { return remaining == 0; });
    }
};

pool &the_pool() {
    static pool *p = new pool();     /* never destroyed: its workers live as long as the process */
    return *p;
}

void protect_all(int prot) {
    for (auto &r : g_regions)
        if (mprotect(r.first, r.second, prot) != 0) fail("mprotect failed");
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
    t_ctx->bar->arrive_and_wait();
}

int lane_id() { return t_lin & 31; }

void warp_exchange(const void *mine, void *out, int src, int nbytes) {
    if (t_ctx == nullptr) fail("a warp shuffle in a kernel registered CT_SERIAL");
    warp &w = t_ctx->warps[t_lin >> 5];
    int lane = t_lin & 31;
    if (src < 0 || src >= w.n) src = lane;
    std::memcpy(w.slot[lane], mine, nbytes);
    w.bar->arrive_and_wait();
    std::memcpy(out, w.slot[src], nbytes);
    w.bar->arrive_and_wait();
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
            the_pool().run_block(&ki, a.get(), bi, (int)nthreads);
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

/* "device" memory: its own pages, so that the guard can close them */
__attribute__((visibility("default"))) void *ctk_malloc(size_t n) {
    if (g_page == 0) g_page = (size_t)sysconf(_SC_PAGESIZE);
    size_t sz = ((n ? n : 1) + g_page - 1) / g_page * g_page;
    void *p = mmap(nullptr, sz, g_guard ? PROT_NONE : (PROT_READ | PROT_WRITE),
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return nullptr;
    std::lock_guard<std::mutex> lk(g_launch);
    g_regions[(char *)p] = sz;
    return p;
}

__attribute__((visibility("default"))) void ctk_free(void *p) {
    if (p == nullptr) return;
    std::lock_guard<std::mutex> lk(g_launch);
    auto it = g_regions.find((char *)p);
    if (it == g_regions.end()) fail("free of a pointer that is not a device block");
    munmap(it->first, it->second);
    g_regions.erase(it);
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
