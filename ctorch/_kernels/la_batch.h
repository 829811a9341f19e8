/* A batch of independent matrices run on several threads, for the loops of
 * LAPACK calls in ctorch/_ops/linalg_k.pyx (LAPACK's small drivers run on
 * one thread each, so a batch is where more cores help). The calling thread
 * and up to CT_LA_MAX_PARTS - 1 persistent POSIX threads take the matrices
 * one at a time from a shared counter, each with its own slot (workspace)
 * index. The calling thread never waits for a thread that has not started:
 * when it runs out of matrices it withdraws the invitation and waits only
 * for the matrices already taken, so a busy machine costs at most those.
 * The threads are kept: a BLAS library sets up per-thread state on a
 * thread's first call, which a thread started for each batch would pay every
 * time. One batch at a time uses them (a batch that finds them busy runs on
 * the calling thread alone); after fork() the child starts with none.
 * Without POSIX threads (Windows) the calling thread runs the batch. */
#ifndef CT_LA_BATCH_H
#define CT_LA_BATCH_H

#include <stdint.h>

/* fn(ctx, lo, hi, slot) runs matrices lo .. hi - 1 with slot's workspace;
 * nonzero: a failure, after which the batch stops taking matrices */
typedef int (*ct_la_part_fn)(void *ctx, int64_t lo, int64_t hi, int slot);

#define CT_LA_MAX_PARTS 8

#if defined(_WIN32)

static int ct_la_run_parts(ct_la_part_fn fn, void *ctx, int64_t nb, int parts)
{
    (void)parts;
    return fn(ctx, 0, nb, 0) != 0;
}

#else

#include <pthread.h>
#include <stdatomic.h>

typedef struct {
    ct_la_part_fn fn;
    void *ctx;
    int64_t nb;
    atomic_llong next;  /* the next matrix to take */
    atomic_int fail;
} ct_la_batch;

static void ct_la_take(ct_la_batch *B, int slot)
{
    for (;;) {
        int64_t b;
        if (atomic_load_explicit(&B->fail, memory_order_relaxed))
            return;
        b = (int64_t)atomic_fetch_add(&B->next, 1);
        if (b >= B->nb)
            return;
        if (B->fn(B->ctx, b, b + 1, slot))
            atomic_store(&B->fail, 1);
    }
}

static struct {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    int workers;  /* threads started */
    int busy;     /* a batch holds the threads */
    int invited;  /* workers 0 .. invited - 1 may join the current batch */
    int pending;  /* workers that joined and have not finished */
    int atfork;
    unsigned long gen;
    unsigned long seen[CT_LA_MAX_PARTS];
    ct_la_batch *cur;
} ct_la_pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER,
                0, 0, 0, 0, 0, 0, {0}, NULL};

static void ct_la_pool_child(void)
{
    static const pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    static const pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    ct_la_pool.mu = mu;
    ct_la_pool.go = cv;
    ct_la_pool.done = cv;
    ct_la_pool.workers = ct_la_pool.busy = ct_la_pool.invited = ct_la_pool.pending = 0;
    ct_la_pool.cur = NULL;
}

static void *ct_la_worker(void *arg)
{
    int i = (int)(intptr_t)arg;
    ct_la_batch *B;
    pthread_mutex_lock(&ct_la_pool.mu);
    for (;;) {
        while (ct_la_pool.gen == ct_la_pool.seen[i])
            pthread_cond_wait(&ct_la_pool.go, &ct_la_pool.mu);
        ct_la_pool.seen[i] = ct_la_pool.gen;
        if (i >= ct_la_pool.invited)
            continue;
        ct_la_pool.pending++;
        B = ct_la_pool.cur;
        pthread_mutex_unlock(&ct_la_pool.mu);
        ct_la_take(B, i + 1);
        pthread_mutex_lock(&ct_la_pool.mu);
        if (--ct_la_pool.pending == 0)
            pthread_cond_signal(&ct_la_pool.done);
    }
    return NULL;
}

/* fn over matrices 0 .. nb - 1 with slots 0 .. parts - 1 (parts <=
 * CT_LA_MAX_PARTS; slot 0 the calling thread's); returns when no thread
 * runs any of them any more: 0, or 1 when some call failed */
static int ct_la_run_parts(ct_la_part_fn fn, void *ctx, int64_t nb, int parts)
{
    ct_la_batch B;
    int k = 0;
    if (parts <= 1)
        return fn(ctx, 0, nb, 0) != 0;
    if (parts > CT_LA_MAX_PARTS)
        parts = CT_LA_MAX_PARTS;
    B.fn = fn;
    B.ctx = ctx;
    B.nb = nb;
    atomic_init(&B.next, 0);
    atomic_init(&B.fail, 0);
    pthread_mutex_lock(&ct_la_pool.mu);
    if (!ct_la_pool.busy) {
        if (!ct_la_pool.atfork)
            ct_la_pool.atfork = pthread_atfork(NULL, NULL, ct_la_pool_child) == 0;
        while (ct_la_pool.workers < parts - 1 && ct_la_pool.atfork) {
            pthread_t t;
            pthread_attr_t attr;
            int ok;
            ct_la_pool.seen[ct_la_pool.workers] = ct_la_pool.gen;
            if (pthread_attr_init(&attr) != 0)
                break;
            pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
            ok = pthread_create(&t, &attr, ct_la_worker, (void *)(intptr_t)ct_la_pool.workers) == 0;
            pthread_attr_destroy(&attr);
            if (!ok)
                break;
            ct_la_pool.workers++;
        }
        k = ct_la_pool.workers < parts - 1 ? ct_la_pool.workers : parts - 1;
        if (k) {
            ct_la_pool.busy = 1;
            ct_la_pool.cur = &B;
            ct_la_pool.invited = k;
            ct_la_pool.pending = 0;
            ct_la_pool.gen++;
            pthread_cond_broadcast(&ct_la_pool.go);
        }
    }
    pthread_mutex_unlock(&ct_la_pool.mu);
    ct_la_take(&B, 0);
    if (k) {
        pthread_mutex_lock(&ct_la_pool.mu);
        ct_la_pool.invited = 0;
        while (ct_la_pool.pending)
            pthread_cond_wait(&ct_la_pool.done, &ct_la_pool.mu);
        ct_la_pool.cur = NULL;
        ct_la_pool.busy = 0;
        pthread_mutex_unlock(&ct_la_pool.mu);
    }
    return atomic_load(&B.fail) != 0;
}

#endif
#endif
