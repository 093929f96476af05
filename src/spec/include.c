/* include: shared style files.  A map file (or a style file) names one
 * file or a list; each is read as YAML and laid under the file that
 * includes it: that file's own keys win, mappings merge key by key, any
 * other value is replaced whole.  Every node keeps the file it came from,
 * so that messages and relative paths point into the right file. */
#include "spec/include.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"

/* Includes nested deeper than this are surely a mistake. */
#define IM_INCLUDE_MAX_DEPTH 16

typedef struct inc_ctx {
    im_arena *ta;             /* the YAML trees */
    im_arena *keep;           /* file names kept in the map (node->file) */
    im_diag *d;
    const char *map_path;
    char *stack[IM_INCLUDE_MAX_DEPTH + 1]; /* real paths of the files being read */
    int depth;
} inc_ctx;

static int inc_fail(inc_ctx *c, const im_ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int inc_fail(inc_ctx *c, const im_ynode *n, const char *fmt, ...)
{
    char msg[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return im_fail(c->d, IM_ERR_SPEC, n->file ? n->file : c->map_path, n->line, n->col, "%s", msg);
}

/* Mark every node of a freshly read tree with FILE (a DAG through aliases:
 * nodes already marked are not walked again). */
static void mark_file(im_ynode *n, const char *file)
{
    int i;
    if (n->file)
        return;
    n->file = file;
    for (i = 0; i < n->nitems; i++)
        mark_file(n->items[i], file);
    for (i = 0; i < n->npairs; i++) {
        mark_file(n->pairs[i].key, file);
        mark_file(n->pairs[i].value, file);
    }
}

/* LOW with HIGH laid over it, in new nodes (the trees may share nodes
 * through aliases, which are never changed).  Mappings merge key by key;
 * otherwise HIGH wins.  NULL when out of memory. */
static im_ynode *merge(im_arena *a, const im_ynode *low, im_ynode *high, int top)
{
    im_ynode *out;
    int i;
    if (low->kind != IM_YNODE_MAP || high->kind != IM_YNODE_MAP)
        return high;
    out = im_ynode_clone(a, low);
    if (!out)
        return NULL;
    /* the map's own canvas replaces a style's: size and page exclude each other */
    if (top && im_ymap_get(high, "size"))
        im_ymap_remove(out, "page");
    if (top && im_ymap_get(high, "page"))
        im_ymap_remove(out, "size");
    for (i = 0; i < high->npairs; i++) {
        im_ypair *p = im_ymap_pair(out, high->pairs[i].key->str);
        if (p) {
            im_ynode *v = merge(a, p->value, high->pairs[i].value, 0);
            if (!v)
                return NULL;
            p->key = high->pairs[i].key; /* messages about the key point to the winner */
            p->value = v;
        } else if (im_ymap_append(a, out, high->pairs[i].key, high->pairs[i].value)) {
            return NULL;
        }
    }
    return out;
}

static int expand(inc_ctx *c, im_ynode **root);

/* Read the style file named by ITEM (relative to the file ITEM is in) and
 * expand its own includes into *OUT. */
static int read_one(inc_ctx *c, const im_ynode *item, im_ynode **out)
{
    const char *dir;
    char *path, *real;
    int i, rc;
    if (item->kind != IM_YNODE_SCALAR || im_ynode_is_null(item) || !*item->str)
        return inc_fail(c, item, "expected a file name or a list of file names for include, got %s",
                        item->kind == IM_YNODE_SCALAR && !im_ynode_is_null(item)
                            ? "an empty text"
                            : im_ynode_kind_name(item));
    dir = im_path_dir(c->keep, item->file ? item->file : c->map_path);
    path = dir ? im_path_join(c->keep, dir, item->str) : NULL;
    if (!path)
        return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    real = realpath(path, NULL);
    if (!real)
        return inc_fail(c, item, "cannot open included file '%s': %s", item->str, strerror(errno));
    for (i = 0; i <= c->depth; i++) {
        if (strcmp(c->stack[i], real) == 0) {
            free(real);
            if (i == c->depth)
                return inc_fail(c, item, "include cycle: '%s' includes itself", item->str);
            return inc_fail(c, item, "include cycle: '%s' is one of the files including this one",
                            item->str);
        }
    }
    if (c->depth + 1 > IM_INCLUDE_MAX_DEPTH) {
        free(real);
        return inc_fail(c, item, "includes are nested more than %d deep", IM_INCLUDE_MAX_DEPTH);
    }
    if (im_yaml_load_file(c->ta, path, out, c->d) != 0) {
        free(real);
        return -1;
    }
    mark_file(*out, path);
    c->depth++;
    c->stack[c->depth] = real;
    rc = expand(c, out);
    free(real);
    c->depth--;
    return rc;
}

/* Replace *ROOT by its includes with *ROOT's own keys laid over them. */
static int expand(inc_ctx *c, im_ynode **root)
{
    const im_ynode *v = im_ymap_get(*root, "include");
    im_ynode *base = NULL, *own;
    int i, n;
    if (!v)
        return 0;
    if (v->kind == IM_YNODE_SEQ && v->nitems == 0)
        return inc_fail(c, v, "include lists no file");
    n = v->kind == IM_YNODE_SEQ ? v->nitems : 1;
    for (i = 0; i < n; i++) {
        im_ynode *sub = NULL;
        /* (the loader takes only a mapping as the root of a file) */
        if (read_one(c, v->kind == IM_YNODE_SEQ ? v->items[i] : v, &sub) != 0)
            return -1;
        /* later files of the list override earlier ones */
        base = base ? merge(c->ta, base, sub, 1) : sub;
        if (!base)
            return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    own = im_ynode_clone(c->ta, *root);
    if (!own)
        return im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    im_ymap_remove(own, "include");
    *root = merge(c->ta, base, own, 1);
    return *root ? 0 : im_fail(c->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
}

int im_spec_expand_includes(im_arena *ta, im_arena *keep, const char *map_path, im_ynode **root,
                            im_diag *d)
{
    inc_ctx c;
    int rc;
    memset(&c, 0, sizeof c);
    c.ta = ta;
    c.keep = keep;
    c.d = d;
    c.map_path = map_path;
    c.stack[0] = realpath(map_path, NULL);
    if (!c.stack[0])
        return im_fail(d, IM_ERR_SPEC, map_path, 0, 0, "cannot open map file: %s", strerror(errno));
    rc = expand(&c, root);
    free(c.stack[0]);
    return rc;
}

int im_spec_peek_includes(const char *path, char ***out, int *n)
{
    im_arena *a = im_arena_create();
    im_diag quiet;
    im_ynode *root = NULL, *inc;
    const char *dir;
    char **list = NULL;
    int i, count = 0, nitems;
    *out = NULL;
    *n = 0;
    /* a quick look, not a check: a file that does not read says nothing
     * here and reports its errors when it is rendered */
    memset(&quiet, 0, sizeof quiet);
    if (!a)
        return -1;
    if (im_yaml_load_file(a, path, &root, &quiet) != 0 || !(inc = im_ymap_get(root, "include")) ||
        !(dir = im_path_dir(a, path))) {
        im_arena_destroy(a);
        return 0;
    }
    nitems = inc->kind == IM_YNODE_SEQ ? inc->nitems : 1;
    list = calloc((size_t)nitems, sizeof *list);
    if (!list) {
        im_arena_destroy(a);
        return -1;
    }
    for (i = 0; i < nitems; i++) {
        const im_ynode *item = inc->kind == IM_YNODE_SEQ ? inc->items[i] : inc;
        const char *p;
        if (item->kind != IM_YNODE_SCALAR || im_ynode_is_null(item) || !*item->str)
            continue;
        p = im_path_join(a, dir, item->str);
        if (p && (list[count] = realpath(p, NULL)))
            count++;
    }
    im_arena_destroy(a);
    *out = list;
    *n = count;
    return 0;
}
