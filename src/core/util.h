/* Small helpers shared by every module: paths, strings, files. */
#ifndef IM_UTIL_H
#define IM_UTIL_H

#include <stddef.h>

#include "core/arena.h"

/* Case-insensitive ASCII comparisons. */
int im_streq_ci(const char *a, const char *b);
int im_has_suffix_ci(const char *s, const char *suffix);

/* Directory part of PATH ("." when it has none), in the arena. */
char *im_path_dir(im_arena *a, const char *path);
/* PATH resolved against DIR unless absolute, in the arena. */
char *im_path_join(im_arena *a, const char *dir, const char *path);
/* The file name without directory and extension, in the arena. */
char *im_path_stem(im_arena *a, const char *path);

/* Grow a pair of coordinate arrays (realloc) to hold at least N points;
 * *cap is their capacity.  Returns 0, or -1 when out of memory (the
 * arrays are then unchanged). */
int im_grow_xy(double **x, double **y, size_t *cap, size_t n);

/* Milliseconds of a monotonic clock, for timings (--verbose). */
double im_clock_ms(void);

/* 1 if PATH is an existing regular file. */
int im_is_regular_file(const char *path);

/* Strict number parsing: the whole string must be a finite number. */
int im_parse_double(const char *s, double *out);
int im_parse_int(const char *s, long *out);

/* A string and how often it occurs. */
typedef struct im_str_count {
    const char *str;
    int count;
} im_str_count;

/* The distinct pointers among STRS[0..N) with their counts, in the order
 * first seen, into a malloc'd array (*NOUT entries; the caller frees it).
 * Texts that are equal but stored apart stay separate entries: callers
 * sort the (few) entries by text and merge them.  Records hold pooled
 * strings, so this turns a sort of a million strings into a sort of a
 * handful.  NULL when out of memory. */
im_str_count *im_count_ptrs(const char *const *strs, size_t n, size_t *nout);

#endif
