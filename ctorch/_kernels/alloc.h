/* CPU memory for tensor storage: 64-byte aligned blocks (definitions and the
 * cache of freed large blocks in alloc.c).
 *
 * Called with the GIL held: the block cache has no lock.
 */
#ifndef CT_ALLOC_H
#define CT_ALLOC_H

#include <stdlib.h>
#include <stdint.h>

#define CT_ALIGN 64

/* a block of at least nbytes (0 counts as 1), CT_ALIGN-aligned (2 MiB from
 * 4 MiB up); NULL when out of memory */
void *ct_alloc(size_t nbytes);
/* gives back a block of ct_alloc; nbytes: the size it was asked for */
void ct_free(void *p, size_t nbytes);
/* gives every cached block back to the system */
void ct_empty_cache(void);

#endif
