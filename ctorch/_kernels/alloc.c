/* CPU memory for tensor storage: 64-byte aligned blocks.
 *
 * Large blocks are where the time goes: fresh pages fault on first touch.
 * We ask the kernel for transparent huge pages on them and keep a few freed
 * blocks from 128 KiB on to hand out again for the same size (training
 * loops and benchmarks allocate the same shapes over and over). Called
 * with the GIL held, so the cache needs no lock. alloc.h declares the entry
 * points.
 */
#include "alloc.h"
#include <pthread.h>
#ifdef __linux__
#include <sys/mman.h>
#endif
#ifdef __GLIBC__
#include <malloc.h>
#endif

/* Under AddressSanitizer (setup.py's CTORCH_SANITIZE) every block has exactly
 * the size asked for and none is cached, so that a read or write past the end
 * or after the free is reported, not absorbed by the padding or the cache. */
#ifdef __SANITIZE_ADDRESS__
void *ct_alloc(size_t nbytes) {
    void *p = NULL;
    return posix_memalign(&p, CT_ALIGN, nbytes ? nbytes : 1) == 0 ? p : NULL;
}
void ct_free(void *p, size_t nbytes) { (void)nbytes; free(p); }
void ct_empty_cache(void) {}
#else

#define CT_MID ((size_t)128 << 10)         /* blocks from 128 KiB are cached */
#define CT_LARGE ((size_t)1 << 20)          /* (in two caches: below and from 1 MiB) */
#define CT_HUGE ((size_t)2 << 20)           /* and from 2 MiB get huge pages */
#define CT_CACHE_SLOTS 16
#define CT_CACHE_BYTES ((size_t)1 << 30)     /* at most 1 GiB kept */

/* Blocks of 128 KiB to 1 MiB: glibc maps them afresh while its mmap
 * threshold is low, and later gives the top of its heap back, so a block of
 * that size faults its pages in again and again; the cache keeps 16 of them
 * (16 MiB at most), apart from the large ones so as not to push those out. */
typedef struct {
    void *ptr[CT_CACHE_SLOTS];
    size_t size[CT_CACHE_SLOTS];
    size_t total;
    int next;               /* the slot evicted when all are taken */
} ct_block_cache;
static ct_block_cache ct_mid_cache, ct_large_cache;

static inline size_t ct_round_size(size_t n) {
    return n >= CT_LARGE ? (n + 65535) & ~(size_t)65535 : (n + CT_ALIGN - 1) & ~(size_t)(CT_ALIGN - 1);
}

static inline ct_block_cache *ct_cache_of(size_t n) {
    return n >= CT_LARGE ? &ct_large_cache : n >= CT_MID ? &ct_mid_cache : NULL;
}

void *ct_alloc(size_t nbytes) {
    size_t n = ct_round_size(nbytes ? nbytes : 1);
    ct_block_cache *c = ct_cache_of(n);
    if (c) {
        for (int i = 0; i < CT_CACHE_SLOTS; i++) {
            if (c->ptr[i] && c->size[i] == n) {
                void *p = c->ptr[i];
                c->ptr[i] = NULL;
                c->total -= n;
                return p;
            }
        }
    }
    void *p = NULL;
    size_t align = n >= CT_HUGE ? ((size_t)2 << 20) : CT_ALIGN;
    if (posix_memalign(&p, align, n) != 0) return NULL;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (n >= CT_HUGE) madvise(p, n, MADV_HUGEPAGE);
#endif
    return p;
}

void ct_free(void *p, size_t nbytes) {
    if (!p) return;
    size_t n = ct_round_size(nbytes ? nbytes : 1);
    ct_block_cache *c = ct_cache_of(n);
    if (c && n <= CT_CACHE_BYTES) {
        int slot = -1;
        for (int i = 0; i < CT_CACHE_SLOTS && slot < 0; i++)
            if (!c->ptr[i]) slot = i;
        if (slot < 0) slot = c->next = (c->next + 1) % CT_CACHE_SLOTS;
        /* make room: evict from the chosen slot onwards until the new block fits */
        for (int i = 0; c->ptr[slot] || c->total + n > CT_CACHE_BYTES; i++) {
            int j = (slot + i) % CT_CACHE_SLOTS;
            if (c->ptr[j]) {
                free(c->ptr[j]);
                c->total -= c->size[j];
                c->ptr[j] = NULL;
            }
        }
        c->ptr[slot] = p;
        c->size[slot] = n;
        c->total += n;
        return;
    }
    free(p);
}

/* gives every cached block back to the system. glibc keeps freed blocks
 * below its mmap threshold in its heap, and raises that threshold (up to
 * 32 MiB) each time it unmaps a larger block: after some large tensors were
 * freed, later blocks of a few MiB come from the heap and their pages stay
 * with the process when freed. malloc_trim returns the heap's free pages. */
void ct_empty_cache(void) {
    ct_block_cache *caches[2] = {&ct_mid_cache, &ct_large_cache};
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < CT_CACHE_SLOTS; i++) {
            free(caches[k]->ptr[i]);
            caches[k]->ptr[i] = NULL;
        }
        caches[k]->total = 0;
    }
#ifdef __GLIBC__
    malloc_trim(0);
#endif
}
#endif

/* ---- per-thread scratch (alloc.h) ----------------------------------------
 * A thread that ends frees its own blocks: a pthread key's destructor runs
 * in the ending thread, its __thread variables still in place. Under
 * AddressSanitizer a block is made anew whenever its size changes, so that
 * an access past the size asked for is reported. */
static __thread void *ct_scr_ptr[CT_SCRATCH_SLOTS];
static __thread size_t ct_scr_cap[CT_SCRATCH_SLOTS];
static __thread int ct_scr_keyed;
static pthread_key_t ct_scr_key;
static pthread_once_t ct_scr_once = PTHREAD_ONCE_INIT;

static void ct_scr_release(void *unused)
{
    (void)unused;
    for (int i = 0; i < CT_SCRATCH_SLOTS; i++) {
        free(ct_scr_ptr[i]);
        ct_scr_ptr[i] = NULL;
        ct_scr_cap[i] = 0;
    }
}

static void ct_scr_make_key(void)
{
    pthread_key_create(&ct_scr_key, ct_scr_release);
}

void *ct_thread_scratch(int slot, size_t nbytes)
{
    if (slot < 0 || slot >= CT_SCRATCH_SLOTS)
        return NULL;
#ifdef __SANITIZE_ADDRESS__
    int grow = nbytes != ct_scr_cap[slot] || ct_scr_ptr[slot] == NULL;
#else
    int grow = nbytes > ct_scr_cap[slot] || ct_scr_ptr[slot] == NULL;
#endif
    if (grow) {
        if (!ct_scr_keyed) {
            pthread_once(&ct_scr_once, ct_scr_make_key);
            pthread_setspecific(ct_scr_key, (void *)1);    /* non-NULL: the destructor runs */
            ct_scr_keyed = 1;
        }
        free(ct_scr_ptr[slot]);
        ct_scr_cap[slot] = 0;
        ct_scr_ptr[slot] = aligned_alloc(CT_ALIGN, ((nbytes ? nbytes : 1) + CT_ALIGN - 1) & ~(size_t)(CT_ALIGN - 1));
        if (ct_scr_ptr[slot] == NULL)
            return NULL;
        ct_scr_cap[slot] = nbytes;
    }
    return ct_scr_ptr[slot];
}
