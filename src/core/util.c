/* Small helpers shared by every module: paths, strings, files. */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int im_streq_ci(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    while (*a && *b) {
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
        a++;
        b++;
    }
    return *a == *b;
}

int im_has_suffix_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && im_streq_ci(s + n - m, suffix);
}

char *im_path_dir(im_arena *a, const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return im_arena_strdup(a, ".");
    if (slash == path)
        return im_arena_strdup(a, "/");
    return im_arena_strndup(a, path, (size_t)(slash - path));
}

char *im_path_join(im_arena *a, const char *dir, const char *path)
{
    if (!path)
        return NULL;
    if (path[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
        return im_arena_strdup(a, path);
    return im_arena_printf(a, "%s/%s", dir, path);
}

char *im_path_stem(im_arena *a, const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    return im_arena_strndup(a, base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

int im_is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int im_parse_double(const char *s, double *out)
{
    char *end;
    double v;
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int im_parse_int(const char *s, long *out)
{
    char *end;
    long v;
    if (!s)
        return -1;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

int im_grow_xy(double **x, double **y, size_t *cap, size_t n)
{
    size_t c = *cap ? *cap : 1024;
    double *nx, *ny;
    if (n <= *cap)
        return 0;
    while (c < n)
        c *= 2;
    nx = realloc(*x, c * sizeof *nx);
    if (!nx)
        return -1;
    *x = nx;
    ny = realloc(*y, c * sizeof *ny);
    if (!ny)
        return -1;
    *y = ny;
    *cap = c;
    return 0;
}

im_str_count *im_count_ptrs(const char *const *strs, size_t n, size_t *nout)
{
    /* open addressing on the pointer, table grown at half load */
    size_t cap = 64, used = 0, i, j;
    size_t *slot = calloc(cap, sizeof *slot); /* entry index + 1; 0: empty */
    im_str_count *out = malloc((n > 0 ? n : 1) * sizeof *out);
    *nout = 0;
    if (!slot || !out) {
        free(slot);
        free(out);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        size_t h = ((size_t)(uintptr_t)strs[i] >> 3) * 0x9E3779B97F4A7C15ull;
        for (j = h & (cap - 1); slot[j] && out[slot[j] - 1].str != strs[i]; j = (j + 1) & (cap - 1))
            ;
        if (slot[j]) {
            out[slot[j] - 1].count++;
            continue;
        }
        out[used].str = strs[i];
        out[used].count = 1;
        slot[j] = ++used;
        if (2 * used > cap) {
            size_t ncap = 2 * cap, k;
            size_t *grown = calloc(ncap, sizeof *grown);
            if (!grown) {
                free(slot);
                free(out);
                return NULL;
            }
            for (k = 0; k < used; k++) {
                size_t g = ((size_t)(uintptr_t)out[k].str >> 3) * 0x9E3779B97F4A7C15ull;
                for (j = g & (ncap - 1); grown[j]; j = (j + 1) & (ncap - 1))
                    ;
                grown[j] = k + 1;
            }
            free(slot);
            slot = grown;
            cap = ncap;
        }
    }
    free(slot);
    *nout = used;
    return out;
}

double im_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
