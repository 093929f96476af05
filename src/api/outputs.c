/* The files one render writes beside its map (the caption, the world file
 * and its .prj) and their commit together with the map: each is written
 * whole to a hidden temporary file beside its destination first, and only
 * when the map and every one of them are written are they all renamed into
 * place, so a failed run leaves every earlier output as it was. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/scene.h"
#include "core/atomic.h"
#include "core/tempfile.h"

int im_outputs_stage(im_outputs *o, const char *path, const char *text, im_diag *d)
{
    char *tmp = NULL, *dst;
    if (o->n >= IM_OUTPUTS_MAX)
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "too many outputs");
    if (!(dst = strdup(path)))
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    if (im_write_temp_beside(path, text, strlen(text), &tmp, &o->tracked[o->n], d) != 0) {
        free(dst);
        return -1;
    }
    o->path[o->n] = dst;
    o->tmp[o->n++] = tmp;
    return 0;
}

/* Whether renaming onto PATH can fail for a reason known beforehand: a
 * folder in the way, or an output named twice. */
static int im_check_dest(const im_outputs *o, int upto, const char *path, const char *map, im_diag *d)
{
    struct stat st;
    int i;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: %s", strerror(EISDIR));
    if (map && path != map && strcmp(path, map) == 0)
        return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: it is the map itself");
    for (i = 0; i < upto; i++)
        if (strcmp(o->path[i], path) == 0)
            return im_fail(d, IM_ERR_IO, path, 0, 0, "cannot write: named twice as an output");
    return 0;
}

int im_outputs_commit(im_outputs *o, im_canvas *c, im_diag *d)
{
    const char *map = c ? im_canvas_path(c) : NULL;
    int i;
    if (map && im_check_dest(o, 0, map, NULL, d) != 0)
        return -1;
    for (i = 0; i < o->n; i++)
        if (im_check_dest(o, i, o->path[i], map, d) != 0)
            return -1;
    if (c && im_canvas_publish(c, d) != 0)
        return -1;
    for (i = 0; i < o->n; i++) {
        if (rename(o->tmp[i], o->path[i]) != 0)
            return im_fail(d, IM_ERR_IO, o->path[i], 0, 0, "cannot write: %s", strerror(errno));
        im_tempfile_untrack(o->tracked[i]);
        o->tracked[i] = 0;
        free(o->tmp[i]);
        o->tmp[i] = NULL;
    }
    return 0;
}

void im_outputs_discard(im_outputs *o)
{
    int i;
    for (i = 0; i < o->n; i++) {
        if (o->tmp[i])
            unlink(o->tmp[i]);
        im_tempfile_untrack(o->tracked[i]);
        free(o->tmp[i]);
        free(o->path[i]);
    }
    memset(o, 0, sizeof *o);
}
