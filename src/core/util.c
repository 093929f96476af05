/* Small helpers shared by every module: paths, strings, files. */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
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

double im_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}
