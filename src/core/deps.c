/* The files a render read, in the order first read, each once: the map
 * file, data and base-map files (with a shapefile's sidecars), fonts.
 * Readers add to the list hung on their im_diag, so no reader's signature
 * has to carry it; with no list there, recording costs nothing. */
#include "incimap/build.h"

#include <stdlib.h>
#include <string.h>

struct im_deps {
    char **paths;
    int n, cap;
};

im_deps *im_deps_new(void)
{
    return calloc(1, sizeof(im_deps));
}

void im_deps_free(im_deps *deps)
{
    int i;
    if (!deps)
        return;
    for (i = 0; i < deps->n; i++)
        free(deps->paths[i]);
    free(deps->paths);
    free(deps);
}

int im_deps_add(im_deps *deps, const char *path)
{
    int i;
    char *copy;
    if (!deps || !path || !*path)
        return 0;
    /* a render reads a few dozen files: a linear scan is the cheap way */
    for (i = deps->n - 1; i >= 0; i--)
        if (strcmp(deps->paths[i], path) == 0)
            return 0;
    if (deps->n == deps->cap) {
        int cap = deps->cap ? deps->cap * 2 : 16;
        char **grown = realloc(deps->paths, (size_t)cap * sizeof *grown);
        if (!grown)
            return -1;
        deps->paths = grown;
        deps->cap = cap;
    }
    copy = strdup(path);
    if (!copy)
        return -1;
    deps->paths[deps->n++] = copy;
    return 0;
}

int im_deps_count(const im_deps *deps)
{
    return deps ? deps->n : 0;
}

const char *im_deps_get(const im_deps *deps, int i)
{
    return deps && i >= 0 && i < deps->n ? deps->paths[i] : NULL;
}

void im_diag_dep(im_diag *d, const char *path)
{
    if (d && d->deps)
        (void)im_deps_add(d->deps, path); /* out of memory: one dependency less, no error */
}
