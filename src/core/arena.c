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

/* SIZE bytes at an ALIGN (a power of two, at most 16) boundary, zeroed
 * when ZERO. */
static void *im_arena_take(im_arena *a, size_t size, size_t align, int zero)
{
    im_block *b;
    size_t start = 0;
    void *p;
    if (size == 0)
        size = 1;
    b = a->head;
    if (b)
        start = (b->used + align - 1) & ~(align - 1);
    if (!b || start > b->size || b->size - start < size) {
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
        start = 0;
    }
    p = (char *)b->data + start;
    b->used = start + size;
    a->total += size;
    if (zero)
        memset(p, 0, size);
    return p;
}

void *im_arena_alloc(im_arena *a, size_t size)
{
    return im_arena_take(a, (size + 15u) & ~(size_t)15u, 16, 1);
}

char *im_arena_strndup(im_arena *a, const char *s, size_t n)
{
    char *p;
    if (!s)
        return NULL;
    p = im_arena_take(a, n + 1, 1, 0); /* text needs no alignment: packed */
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

void *im_arena_resize(im_arena *a, void *old, size_t old_size, size_t new_size)
{
    im_block *b, *prev = NULL, *nb;
    size_t rounded = (old_size + 15u) & ~(size_t)15u;
    void *p;
    if (new_size > SIZE_MAX - sizeof(im_block) - 16)
        return NULL;
    new_size = (new_size + 15u) & ~(size_t)15u;
    if (old && new_size > IM_ARENA_BLOCK / 4) {
        /* a block of its own holds exactly one allocation: OLD */
        for (b = a->head; b; prev = b, b = b->next) {
            if ((void *)b->data == old && b->used == rounded && b->size == rounded)
                break;
        }
        if (b && rounded > IM_ARENA_BLOCK / 4) {
            nb = realloc(b, sizeof(im_block) + new_size);
            if (!nb)
                return NULL;
            if (prev)
                prev->next = nb;
            else
                a->head = nb;
            a->total = a->total - rounded + new_size;
            nb->size = nb->used = new_size;
            return nb->data;
        }
    }
    p = im_arena_take(a, new_size, 16, 0);
    if (p && old && old_size)
        memcpy(p, old, old_size < new_size ? old_size : new_size);
    return p;
}

size_t im_arena_used(const im_arena *a)
{
    return a ? a->total : 0;
}

void im_arena_adopt(im_arena *a, im_arena *from)
{
    im_block *last;
    if (!from || !from->head)
        return;
    /* behind the current block, whose free space small allocations still use */
    for (last = from->head; last->next; last = last->next)
        ;
    if (a->head) {
        last->next = a->head->next;
        a->head->next = from->head;
    } else {
        a->head = from->head;
    }
    a->total += from->total;
    from->head = NULL;
    from->total = 0;
}
