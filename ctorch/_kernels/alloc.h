/* CPU memory for tensor storage: 64-byte aligned blocks (definitions and the
 * cache of freed large blocks in alloc.c).
 *
 * Called with the GIL held: the block cache has no lock (ct_thread_scratch
 * excepted: its blocks are per thread).
 */
#ifndef CT_ALLOC_H
#define CT_ALLOC_H

#include <stdlib.h>
#include <stdint.h>

#define CT_ALIGN 64

/* a block of at least nbytes (0 counts as 1), CT_ALIGN-aligned (2 MiB-aligned
 * with huge pages asked for from 2 MiB up); NULL when out of memory */
void *ct_alloc(size_t nbytes);
/* gives back a block of ct_alloc; nbytes: the size it was asked for */
void ct_free(void *p, size_t nbytes);
/* gives every cached block back to the system */
void ct_empty_cache(void);

/* Scratch memory of the calling thread, kept between calls (the OpenMP
 * workers live as long as the process), so that a kernel that runs over
 * and over allocates nothing and touches no fresh pages: slot's block of at
 * least nbytes, CT_ALIGN-aligned, its contents left from the last use (NULL
 * when out of memory). A block grows when asked for more; a thread's blocks
 * are freed when it ends. Any thread may call it (the blocks are its own);
 * one slot per kernel, so that two kernels in one call chain never share. */
enum { CT_SCRATCH_SGEMM_A, CT_SCRATCH_SGEMM_B, CT_SCRATCH_FFT, CT_SCRATCH_HALF, CT_SCRATCH_SLOTS };
void *ct_thread_scratch(int slot, size_t nbytes);

#endif
