/* A string pool: equal strings share one copy in an arena.  The readers
 * intern the values that repeat from row to row (dates, types, actors,
 * sources, field names and values), so a million records from a few dozen
 * actors hold a few dozen actor strings.  Internal to src/data.
 *
 * Ownership: the strings live in the arena given at creation and outlive
 * the pool; im_pool_free() frees only the hash table. */
#ifndef IM_DATA_POOL_H
#define IM_DATA_POOL_H

#include <stddef.h>

#include "core/arena.h"

typedef struct im_pool im_pool;

/* A pool whose strings are allocated in A; NULL when out of memory. */
im_pool *im_pool_create(im_arena *a);
/* Free the table (not the strings).  im_pool_free(NULL) does nothing. */
void im_pool_free(im_pool *p);
/* The pooled copy of the N bytes at S (a NUL is added); NULL when out of
 * memory. */
const char *im_pool_intern(im_pool *p, const char *s, size_t n);

#endif
