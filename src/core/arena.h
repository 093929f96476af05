/* Arena allocator: one per map.  Blocks are freed all at once by
 * im_arena_destroy(); nothing allocated from an arena is freed alone.
 * Every allocation is zeroed, except the new tail of a resized array.
 * Allocation failure returns NULL. */
#ifndef IM_ARENA_H
#define IM_ARENA_H

#include <stddef.h>

typedef struct im_arena im_arena;

im_arena *im_arena_create(void);
void im_arena_destroy(im_arena *a);           /* NULL: no-op */
void *im_arena_alloc(im_arena *a, size_t size); /* zeroed, 16-byte aligned */
/* Strings are packed one after the other, without alignment. */
char *im_arena_strdup(im_arena *a, const char *s);           /* NULL -> NULL */
char *im_arena_strndup(im_arena *a, const char *s, size_t n);
char *im_arena_printf(im_arena *a, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Grow an array: returns a copy of OLD (old_n elements of elem_size) with
 * room for new_n elements; the old block stays in the arena until the end.
 * Use doubling so the waste stays bounded. */
void *im_arena_grow(im_arena *a, void *old, size_t old_n, size_t new_n, size_t elem_size);
/* Resize OLD (OLD_SIZE bytes from this arena, or NULL) to NEW_SIZE bytes,
 * keeping its contents.  The new tail is NOT zeroed: its pages are only
 * touched when the caller writes them, so an array grown by doubling does
 * not hold memory it never fills.  Unlike im_arena_grow,
 * OLD must not be used afterwards: a large block of its own is resized in
 * place with realloc, so an array grown by doubling does not leave its
 * earlier copies behind (a million incidents need their memory once). */
void *im_arena_resize(im_arena *a, void *old, size_t old_size, size_t new_size);
/* Move every allocation of FROM into A: they stay where they are and are
 * freed with A; FROM is left empty (destroy it as usual).  For arenas
 * filled on another thread, merged without copying. */
void im_arena_adopt(im_arena *a, im_arena *from);
/* Bytes handed out so far (for benchmarks). */
size_t im_arena_used(const im_arena *a);

#endif
