/* String pool: open addressing on FNV-1a hashes, at most half full. */
#include "data/pool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    uint32_t hash;
    uint32_t len;
    const char *s;   /* NULL: empty slot */
} im_pool_slot;

struct im_pool {
    im_arena *a;
    im_pool_slot *slots;
    size_t cap, n;   /* cap is a power of two */
};

static uint32_t im_pool_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    size_t i;
    for (i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

im_pool *im_pool_create(im_arena *a)
{
    im_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->a = a;
    p->cap = 256;
    p->slots = calloc(p->cap, sizeof *p->slots);
    if (!p->slots) {
        free(p);
        return NULL;
    }
    return p;
}

void im_pool_free(im_pool *p)
{
    if (!p)
        return;
    free(p->slots);
    free(p);
}

static int im_pool_rehash(im_pool *p)
{
    size_t ncap = p->cap * 2, i;
    im_pool_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (i = 0; i < p->cap; i++) {
        size_t k;
        if (!p->slots[i].s)
            continue;
        k = p->slots[i].hash & (ncap - 1);
        while (ns[k].s)
            k = (k + 1) & (ncap - 1);
        ns[k] = p->slots[i];
    }
    free(p->slots);
    p->slots = ns;
    p->cap = ncap;
    return 0;
}

const char *im_pool_intern(im_pool *p, const char *s, size_t n)
{
    uint32_t h;
    size_t k;
    char *copy;
    if (n == 0)
        return "";
    if (n > UINT32_MAX)
        return NULL;
    h = im_pool_hash(s, n);
    k = h & (p->cap - 1);
    while (p->slots[k].s) {
        if (p->slots[k].hash == h && p->slots[k].len == n && memcmp(p->slots[k].s, s, n) == 0)
            return p->slots[k].s;
        k = (k + 1) & (p->cap - 1);
    }
    copy = im_arena_strndup(p->a, s, n);
    if (!copy)
        return NULL;
    p->slots[k].hash = h;
    p->slots[k].len = (uint32_t)n;
    p->slots[k].s = copy;
    p->n++;
    if (p->n * 2 > p->cap && im_pool_rehash(p) != 0)
        return NULL;
    return copy;
}
