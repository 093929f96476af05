/* The build manifest: a small text file in the output folder naming, per
 * map file, the outputs made and the files they were made from with size,
 * modification time and XXH3 hash.  A file is re-hashed only when its
 * size or time differ (like ninja's restat), so a no-op build costs one
 * stat per file. */
#include "build/build_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "core/atomic.h"

#define IM_MANIFEST_MAGIC "incimap-build 1"

int im_hash_file(const char *path, uint64_t *out)
{
    XXH3_state_t *st = XXH3_createState();
    char buf[1 << 16];
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC), rc = -1;
    if (fd < 0 || !st || XXH3_64bits_reset(st) != XXH_OK)
        goto done;
    while ((n = read(fd, buf, sizeof buf)) > 0)
        XXH3_64bits_update(st, buf, (size_t)n);
    if (n == 0) {
        *out = XXH3_64bits_digest(st);
        rc = 0;
    }
done:
    if (fd >= 0)
        close(fd);
    XXH3_freeState(st);
    return rc;
}

uint64_t im_hash_str(const char *s)
{
    return XXH3_64bits(s, strlen(s));
}

int im_manifest_dep(im_manifest *mf, const char *path)
{
    int i;
    for (i = 0; i < mf->ndeps; i++)
        if (strcmp(mf->deps[i].path, path) == 0)
            return i;
    if (mf->ndeps == mf->deps_cap) {
        int cap = mf->deps_cap ? mf->deps_cap * 2 : 64;
        im_bdep *g = realloc(mf->deps, (size_t)cap * sizeof *g);
        if (!g)
            return -1;
        mf->deps = g;
        mf->deps_cap = cap;
    }
    memset(&mf->deps[mf->ndeps], 0, sizeof mf->deps[0]);
    mf->deps[mf->ndeps].path = strdup(path);
    if (!mf->deps[mf->ndeps].path)
        return -1;
    return mf->ndeps++;
}

im_bmap *im_manifest_map(im_manifest *mf, const char *path)
{
    int i;
    for (i = 0; i < mf->nmaps; i++)
        if (strcmp(mf->maps[i].path, path) == 0)
            return &mf->maps[i];
    if (mf->nmaps == mf->maps_cap) {
        int cap = mf->maps_cap ? mf->maps_cap * 2 : 16;
        im_bmap *g = realloc(mf->maps, (size_t)cap * sizeof *g);
        if (!g)
            return NULL;
        mf->maps = g;
        mf->maps_cap = cap;
    }
    memset(&mf->maps[mf->nmaps], 0, sizeof mf->maps[0]);
    mf->maps[mf->nmaps].path = strdup(path);
    if (!mf->maps[mf->nmaps].path)
        return NULL;
    return &mf->maps[mf->nmaps++];
}

static void im_bmap_clear(im_bmap *bm)
{
    int i;
    for (i = 0; i < bm->nouts; i++)
        free(bm->outs[i].name);
    free(bm->outs);
    free(bm->deps);
    free(bm->is_data);
    free(bm->path);
}

void im_manifest_clear(im_manifest *mf)
{
    int i;
    for (i = 0; i < mf->ndeps; i++)
        free(mf->deps[i].path);
    for (i = 0; i < mf->nmaps; i++)
        im_bmap_clear(&mf->maps[i]);
    free(mf->deps);
    free(mf->maps);
    free(mf->version);
    memset(mf, 0, sizeof *mf);
}

/* Parsing: one record per line, the path or name last (it may hold
 * blanks; a newline in it is written as \n, a backslash as \\). */
static void im_put_path(FILE *f, const char *p)
{
    for (; *p; p++) {
        if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\\')
            fputs("\\\\", f);
        else
            fputc(*p, f);
    }
    fputc('\n', f);
}

static char *im_get_path(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    for (; *s && *s != '\n'; s++) {
        if (*s == '\\' && s[1] == 'n') {
            *o++ = '\n';
            s++;
        } else if (*s == '\\' && s[1] == '\\') {
            *o++ = '\\';
            s++;
        } else {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* A damaged manifest is dropped as a whole: everything is rebuilt. */
static int im_manifest_parse(im_manifest *mf, FILE *f)
{
    char *line = NULL;
    size_t cap = 0;
    im_bmap *cur = NULL;
    int rc = -1, first = 1;
    while (getline(&line, &cap, f) > 0) {
        char *p = line, *end;
        if (first) {
            if (strncmp(line, IM_MANIFEST_MAGIC "\n", strlen(IM_MANIFEST_MAGIC) + 1) != 0)
                goto done;
            first = 0;
            continue;
        }
        if (strncmp(p, "version ", 8) == 0) {
            free(mf->version);
            mf->version = im_get_path(p + 8);
        } else if (strncmp(p, "options ", 8) == 0) {
            mf->options = strtoull(p + 8, NULL, 16);
        } else if (strncmp(p, "dep ", 4) == 0) {
            im_bdep b;
            int i;
            memset(&b, 0, sizeof b);
            b.size = strtoll(p + 4, &end, 10);
            b.mtime_ns = strtoll(end, &end, 10);
            b.hash = strtoull(end, &end, 16);
            if (*end != ' ')
                goto done;
            b.path = im_get_path(end + 1);
            if (!b.path)
                goto done;
            i = im_manifest_dep(mf, b.path);
            free(b.path);
            if (i < 0)
                goto done;
            b.path = mf->deps[i].path;
            b.known = 1;
            mf->deps[i] = b;
        } else if (strncmp(p, "map ", 4) == 0) {
            long n = strtol(p + 4, &end, 10), k;
            char *path;
            if (n < 0 || n > mf->ndeps)
                goto done;
            for (k = 0; k < n; k++)
                strtol(end, &end, 10);
            path = im_get_path(end + 1);
            if (!path)
                goto done;
            cur = im_manifest_map(mf, path);
            free(path);
            if (!cur || cur->ndeps)
                goto done;
            cur->deps = calloc((size_t)n + 1, sizeof *cur->deps);
            cur->is_data = calloc((size_t)n + 1, 1);
            if (!cur->deps || !cur->is_data)
                goto done;
            end = p + 4;
            strtol(end, &end, 10);
            for (k = 0; k < n; k++) {
                long v = strtol(end, &end, 10);
                cur->is_data[k] = v < 0;
                cur->deps[k] = (int)(v < 0 ? -v - 1 : v);
                if (cur->deps[k] >= mf->ndeps)
                    goto done;
            }
            cur->ndeps = (int)n;
        } else if (strncmp(p, "out ", 4) == 0 && cur) {
            im_bout *g = realloc(cur->outs, (size_t)(cur->nouts + 1) * sizeof *g);
            if (!g)
                goto done;
            cur->outs = g;
            g[cur->nouts].key = strtoull(p + 4, &end, 16);
            if (*end != ' ')
                goto done;
            g[cur->nouts].name = im_get_path(end + 1);
            if (!g[cur->nouts].name)
                goto done;
            cur->nouts++;
        } else {
            goto done;
        }
    }
    rc = first ? -1 : 0;
done:
    free(line);
    return rc;
}

int im_manifest_load(im_manifest *mf, const char *path, im_diag *d)
{
    FILE *f = fopen(path, "r");
    (void)d;
    memset(mf, 0, sizeof *mf);
    if (!f)
        return 0;
    if (im_manifest_parse(mf, f) != 0)
        im_manifest_clear(mf);
    fclose(f);
    return 0;
}

int im_manifest_save(const im_manifest *mf, const char *path, im_diag *d)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int *renum = calloc((size_t)mf->ndeps + 1, sizeof *renum);
    int i, k, rc, n = 0;
    if (!f || !renum) {
        if (f)
            fclose(f);
        free(text);
        free(renum);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    /* only the files some map still depends on are kept */
    for (i = 0; i < mf->nmaps; i++)
        for (k = 0; k < mf->maps[i].ndeps; k++)
            renum[mf->maps[i].deps[k]] = 1;
    fprintf(f, IM_MANIFEST_MAGIC "\nversion %s\noptions %016" PRIx64 "\n",
            mf->version ? mf->version : "", mf->options);
    for (i = 0; i < mf->ndeps; i++) {
        const im_bdep *b = &mf->deps[i];
        if (!renum[i]) {
            renum[i] = -1;
            continue;
        }
        renum[i] = n++;
        fprintf(f, "dep %lld %lld %016" PRIx64 " ", b->known ? b->size : -1,
                b->known ? b->mtime_ns : -1, b->hash);
        im_put_path(f, b->path);
    }
    for (i = 0; i < mf->nmaps; i++) {
        const im_bmap *bm = &mf->maps[i];
        fprintf(f, "map %d", bm->ndeps);
        for (k = 0; k < bm->ndeps; k++) {
            int di = renum[bm->deps[k]];
            fprintf(f, " %d", bm->is_data[k] ? -di - 1 : di);
        }
        fputc(' ', f);
        im_put_path(f, bm->path);
        for (k = 0; k < bm->nouts; k++) {
            fprintf(f, "out %016" PRIx64 " ", bm->outs[k].key);
            im_put_path(f, bm->outs[k].name);
        }
    }
    free(renum);
    if (fclose(f) != 0 || !text) {
        free(text);
        return im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    rc = im_write_file_atomic(path, text, len, d);
    free(text);
    return rc;
}

static long long im_mtime_ns(const struct stat *st)
{
    return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

im_dep_state im_manifest_check(im_manifest *mf, int i)
{
    im_bdep *b = &mf->deps[i];
    struct stat st;
    uint64_t h;
    if (b->state != IM_DEP_UNCHECKED)
        return b->state;
    if (stat(b->path, &st) != 0)
        return b->state = IM_DEP_MISSING;
    if (b->known && st.st_size == b->size && im_mtime_ns(&st) == b->mtime_ns)
        return b->state = IM_DEP_SAME;
    /* touched, or copied with a new time: the content decides */
    if (!b->known || im_hash_file(b->path, &h) != 0)
        return b->state = IM_DEP_CHANGED;
    if (h != b->hash)
        return b->state = IM_DEP_CHANGED;
    b->size = st.st_size;
    b->mtime_ns = im_mtime_ns(&st);
    return b->state = IM_DEP_SAME;
}

int im_manifest_refresh(im_manifest *mf, int i)
{
    im_bdep *b = &mf->deps[i];
    struct stat st;
    if (b->known && b->state == IM_DEP_SAME)
        return 0;
    if (stat(b->path, &st) != 0 || im_hash_file(b->path, &b->hash) != 0) {
        b->known = 0;
        return -1;
    }
    b->size = st.st_size;
    b->mtime_ns = im_mtime_ns(&st);
    b->known = 1;
    b->state = IM_DEP_SAME;
    return 0;
}
