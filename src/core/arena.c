/* Arena allocator: a chain of large blocks, bump allocation inside each. */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IM_ARENA_BLOCK (64 * 1024)

typedef struct im_block {
    struct im_block *next;
    size_t size, used;
    max_align_t data[]; /* keeps data aligned */
} im_block;

struct im_arena {
    im_block *head;
    size_t total;
};

im_arena *im_arena_create(void)
{
    return calloc(1, sizeof(im_arena));
}

void im_arena_destroy(im_arena *a)
{
    im_block *b, *next;
    if (!a)
        return;
    for (b = a->head; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void *im_arena_alloc(im_arena *a, size_t size)
{
    im_block *b;
    void *p;
    size = (size + 15u) & ~(size_t)15u;
    if (size == 0)
        size = 16;
    b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = size > IM_ARENA_BLOCK / 4 ? size : IM_ARENA_BLOCK;
        im_block *nb = malloc(sizeof(im_block) + bs);
        if (!nb)
            return NULL;
        nb->size = bs;
        nb->used = 0;
        if (b && size > IM_ARENA_BLOCK / 4) {
            /* a big block goes behind the current one so the current one's
             * free space is still used by small allocations */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    p = (char *)b->data + b->used;
    b->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

char *im_arena_strndup(im_arena *a, const char *s, size_t n)
{
    char *p;
    if (!s)
        return NULL;
    p = im_arena_alloc(a, n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *im_arena_strdup(im_arena *a, const char *s)
{
    return s ? im_arena_strndup(a, s, strlen(s)) : NULL;
}

char *im_arena_printf(im_arena *a, const char *fmt, ...)
{
    va_list ap;
    int n;
    char *p;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    p = im_arena_alloc(a, (size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void *im_arena_grow(im_arena *a, void *old, size_t old_n, size_t new_n, size_t elem_size)
{
    void *p;
    if (elem_size && new_n > SIZE_MAX / elem_size)
        return NULL;
    p = im_arena_alloc(a, new_n * elem_size);
    if (p && old && old_n)
        memcpy(p, old, (old_n < new_n ? old_n : new_n) * elem_size);
    return p;
}

size_t im_arena_used(const im_arena *a)
{
    return a ? a->total : 0;
}
