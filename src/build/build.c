/* incimap build: every map of a project, rendered only when something it
 * depends on changed.  Plans from the manifest (stat first, hash when the
 * stat differs), reads a map file only when it has to, renders on worker
 * processes, and records what each output was made from. */
#include "build/build_priv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic.h"
#include "core/util.h"
#include "spec/include.h"

typedef struct im_bmapjob {
    char *path;              /* absolute */
    char *stem;              /* output name stem */
    const char *why;         /* why it is rebuilt (NULL: up to date) */
    im_map *map;             /* atlas maps: loaded here, pages render from it */
    im_page *pages;
    int npages;
    im_deps *load_deps;      /* what loading it here read */
    im_deps *deps;           /* what its renders read */
    int njobs, nok, nfailed; /* this run */
    int whole;               /* every output of the map is rendered this run */
    int formats;             /* a plain map's formats this run (0: not read) */
} im_bmapjob;

typedef struct im_run {
    const im_build_opts *o;
    im_manifest mf;
    char *mf_path;
    im_bmapjob *maps;
    int nmaps;
    im_job *jobs;
    int njobs, jobs_cap, ndone;
    im_render_opts ro;
    uint64_t options;        /* hash of the options that change what is drawn */
    im_build_result res;
    im_diag *d;
} im_run;

static void im_event(im_run *r, im_build_event_kind kind, const char *output, const char *why)
{
    im_build_event e;
    if (!r->o->on_event)
        return;
    memset(&e, 0, sizeof e);
    e.kind = kind;
    e.output = output;
    e.why = why;
    e.done = r->ndone;
    e.total = r->njobs;
    r->o->on_event(r->o->user, &e);
}

static int im_in_shard(const im_build_opts *o, const char *name)
{
    if (o->shard_count <= 0)
        return 1;
    return (int)(im_hash_str(name) % (uint64_t)o->shard_count) == o->shard_index;
}

static int im_mkdir_p(const char *path)
{
    char *p = strdup(path), *s;
    int rc = 0;
    if (!p)
        return -1;
    for (s = p + 1; *s; s++) {
        if (*s == '/') {
            *s = '\0';
            if (mkdir(p, 0777) != 0 && errno != EEXIST)
                rc = -1;
            *s = '/';
        }
    }
    if (mkdir(p, 0777) != 0 && errno != EEXIST)
        rc = -1;
    free(p);
    return rc;
}

static char *im_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

static int im_cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- inputs */

static int im_add_map(im_run *r, const char *path)
{
    char real[PATH_MAX];
    im_bmapjob *g, *bj;
    const char *base, *dot;
    int i;
    if (!realpath(path, real))
        return im_fail(r->d, IM_ERR_USAGE, path, 0, 0, "cannot open: %s", strerror(errno));
    for (i = 0; i < r->nmaps; i++)
        if (strcmp(r->maps[i].path, real) == 0)
            return 0;
    g = realloc(r->maps, (size_t)(r->nmaps + 1) * sizeof *g);
    if (!g)
        return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    r->maps = g;
    bj = &g[r->nmaps];
    memset(bj, 0, sizeof *bj);
    base = strrchr(real, '/');
    base = base ? base + 1 : real;
    dot = strrchr(base, '.');
    bj->path = strdup(real);
    bj->stem = strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
    if (!bj->path || !bj->stem) {
        free(bj->path);
        free(bj->stem);
        return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    r->nmaps++;
    return 0;
}

/* The files that the N map files NAMES include (real paths, malloc'd, in
 * *STYLES): in a folder of maps sharing a style, the style is no map of
 * its own.  Each file is read once.  Returns 0, or -1 when out of memory. */
static int im_included_files(char *const *names, int n, char ***styles, int *nstyles)
{
    int i, k;
    *styles = NULL;
    *nstyles = 0;
    for (i = 0; i < n; i++) {
        char **inc = NULL, **g;
        int ninc = 0;
        if (im_spec_peek_includes(names[i], &inc, &ninc) != 0)
            return -1;
        g = ninc ? realloc(*styles, (size_t)(*nstyles + ninc) * sizeof *g) : *styles;
        if (ninc && !g) {
            for (k = 0; k < ninc; k++)
                free(inc[k]);
            free(inc);
            return -1;
        }
        *styles = g;
        for (k = 0; k < ninc; k++)
            (*styles)[(*nstyles)++] = inc[k];
        free(inc);
    }
    return 0;
}

/* 1 if PATH is one of the N real paths STYLES. */
static int im_is_style(char *const *styles, int n, const char *path)
{
    char real[PATH_MAX];
    int i;
    if (!realpath(path, real))
        return 0;
    for (i = 0; i < n; i++)
        if (strcmp(styles[i], real) == 0)
            return 1;
    return 0;
}

static int im_add_dir(im_run *r, const char *dir)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char **names = NULL, **styles = NULL;
    int n = 0, nstyles = 0, i, rc = 0;
    if (!dp)
        return im_fail(r->d, IM_ERR_USAGE, dir, 0, 0, "cannot open: %s", strerror(errno));
    while ((e = readdir(dp))) {
        char **g;
        if (e->d_name[0] == '.' || !(im_has_suffix_ci(e->d_name, ".yaml") ||
                                     im_has_suffix_ci(e->d_name, ".yml")))
            continue;
        g = realloc(names, (size_t)(n + 1) * sizeof *g);
        if (!g || !(g[n] = im_join(dir, e->d_name))) {
            names = g ? g : names;
            rc = im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
            break;
        }
        names = g;
        n++;
    }
    closedir(dp);
    if (n > 1)
        qsort(names, (size_t)n, sizeof *names, im_cmp_cstr);
    if (rc == 0 && im_included_files(names, n, &styles, &nstyles) != 0)
        rc = im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    for (i = 0; i < n; i++) {
        if (rc == 0 && !im_is_style(styles, nstyles, names[i]) && im_add_map(r, names[i]) != 0)
            rc = -1;
        free(names[i]);
    }
    for (i = 0; i < nstyles; i++)
        free(styles[i]);
    free(styles);
    free(names);
    return rc;
}

/* ---- planning */

static const char *im_file_part(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Why M must be built again, judged from the manifest alone; NULL when
 * every output of it in this shard is there and every file it was made
 * from is as it was.  *DATA_ONLY is set when only incident sources
 * changed (atlas pages then compare their records). */
static const char *im_map_why(im_run *r, im_bmap *bm, int *data_only, char *buf, size_t n)
{
    int i, changed = -1, changed_data = -1, outs = 0;
    *data_only = 0;
    if (!bm || bm->ndeps == 0)
        return "new output";
    if (!r->mf.version || strcmp(r->mf.version, INCIMAP_VERSION) != 0)
        return "incimap version changed";
    if (r->o->force)
        return "--force";
    for (i = 0; i < bm->ndeps; i++) {
        im_dep_state st;
        if (!r->mf.deps[bm->deps[i]].known)
            return "its last build failed"; /* never read whole */
        st = im_manifest_check(&r->mf, bm->deps[i]);
        if (st == IM_DEP_SAME)
            continue;
        if (bm->is_data[i]) {
            if (changed_data < 0)
                changed_data = i;
        } else if (changed < 0) {
            changed = i;
        }
    }
    if (changed >= 0) {
        snprintf(buf, n, "%s %s", im_file_part(r->mf.deps[bm->deps[changed]].path),
                 r->mf.deps[bm->deps[changed]].state == IM_DEP_MISSING ? "is gone" : "changed");
        return buf;
    }
    if (changed_data >= 0) {
        *data_only = 1;
        snprintf(buf, n, "%s %s", im_file_part(r->mf.deps[bm->deps[changed_data]].path),
                 r->mf.deps[bm->deps[changed_data]].state == IM_DEP_MISSING ? "is gone"
                                                                             : "changed");
        return buf;
    }
    if (r->mf.options != r->options)
        return "options changed";
    for (i = 0; i < bm->nouts; i++) {
        char *p;
        int there;
        if (!im_in_shard(r->o, bm->outs[i].name))
            continue;
        outs++;
        if (bm->outs[i].key == 0)
            return "its last build failed";
        p = im_join(r->o->outdir, bm->outs[i].name);
        there = p && access(p, F_OK) == 0;
        free(p);
        if (!there)
            return "output missing";
    }
    (void)outs;
    return NULL;
}

static int im_add_job(im_run *r, int map, int page, const char *name, uint64_t key,
                      const char *why)
{
    im_job *j;
    if (r->njobs == r->jobs_cap) {
        int cap = r->jobs_cap ? r->jobs_cap * 2 : 64;
        im_job *g = realloc(r->jobs, (size_t)cap * sizeof *g);
        if (!g)
            return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        r->jobs = g;
        r->jobs_cap = cap;
    }
    j = &r->jobs[r->njobs];
    memset(j, 0, sizeof *j);
    j->map = map;
    j->page = page;
    j->key = key ? key : 1; /* 0 marks a failed output in the manifest */
    /* Cairo numbers an SVG's surfaces with a process-wide counter: an SVG
     * drawn after other outputs in the same process has other ids */
    j->fresh = im_has_suffix_ci(name, ".svg");
    j->name = strdup(name);
    j->out_path = im_join(r->o->outdir, name);
    if (!j->name || !j->out_path) {
        free(j->name);
        free(j->out_path);
        return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    }
    r->njobs++;
    r->maps[map].njobs++;
    im_event(r, IM_BUILD_PLAN, name, why);
    return 0;
}

static const im_bout *im_find_out(const im_bmap *bm, const char *name)
{
    int i;
    for (i = 0; bm && i < bm->nouts; i++)
        if (strcmp(bm->outs[i].name, name) == 0)
            return &bm->outs[i];
    return NULL;
}

static void im_fail_map(im_run *r, im_bmapjob *bj, const char *name, im_diag *md)
{
    r->res.failed++;
    bj->nfailed++;
    im_event(r, IM_BUILD_FAILED, name, md->message);
    if (r->d->status == IM_OK)
        im_fail(r->d, md->status, NULL, 0, 0, "%s", md->message);
}

/* The index files of an atlas: written here, they are small. */
static int im_atlas_index(im_run *r, im_bmapjob *bj, im_bmap *bm)
{
    static const char *const names[2] = {"index.csv", "index.html"};
    int k;
    for (k = 0; k < 2; k++) {
        char *name = im_join(bj->stem, names[k]), *path = NULL, *text = NULL;
        const im_bout *old;
        uint64_t key;
        int rc = -1;
        if (!name)
            goto next;
        rc = 0;
        if (!im_in_shard(r->o, name))
            goto next;
        rc = -1;
        text = im_atlas_index_text(bj->map, bj->pages, bj->npages, k == 0);
        path = im_join(r->o->outdir, name);
        if (!text || !path)
            goto next;
        key = im_hash_str(text) | 1;
        old = im_find_out(bm, name);
        rc = 0;
        if (old && old->key == key && access(path, F_OK) == 0 && !r->o->force)
            goto next;
        if (!r->o->dry_run)
            rc = im_write_file_atomic(path, text, strlen(text), r->d);
    next:
        free(name);
        free(path);
        free(text);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* An atlas's index files are written with its pages, not counted apart
 * (page names end in .png, .svg or .pdf). */
static int im_is_index(const char *name)
{
    const char *b = im_file_part(name);
    return strcmp(b, "index.csv") == 0 || strcmp(b, "index.html") == 0;
}

/* A plain map's output files: its name stem with one of these. */
static const struct {
    int bit;
    const char *ext;
} im_formats[] = {{IM_MAP_FORMAT_PNG, ".png"}, {IM_MAP_FORMAT_SVG, ".svg"}, {IM_MAP_FORMAT_PDF, ".pdf"}};

static int im_plan_map(im_run *r, int mi)
{
    im_bmapjob *bj = &r->maps[mi];
    im_bmap *bm = NULL;
    im_map *m = NULL;
    im_diag md;
    char buf[PATH_MAX + 32];
    const char *why;
    int data_only = 0, i, nout = 0, rc = 0;

    for (i = 0; i < r->mf.nmaps; i++)
        if (strcmp(r->mf.maps[i].path, bj->path) == 0)
            bm = &r->mf.maps[i];
    why = im_map_why(r, bm, &data_only, buf, sizeof buf);
    if (!why) {
        for (i = 0; i < bm->nouts; i++)
            if (im_in_shard(r->o, bm->outs[i].name) && !im_is_index(bm->outs[i].name))
                r->res.up_to_date++;
        return 0;
    }
    bj->why = strdup(why);
    im_diag_init(&md, r->d->warn, r->d->warn_user);
    md.deps = bj->load_deps = im_deps_new();
    if (!bj->why || !md.deps)
        return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
    if (im_map_read(bj->path, r->ro.overrides, r->ro.noverrides, &m, &md) != 0) {
        /* reported under the name of its first output, by that name's shard */
        char *name = im_join(bj->stem, "png");
        if (name)
            name[strlen(bj->stem)] = '.';
        if (!bm || bm->nouts == 0 ? im_in_shard(r->o, name ? name : bj->stem)
                                  : im_in_shard(r->o, bm->outs[0].name))
            im_fail_map(r, bj, bm && bm->nouts ? bm->outs[0].name : name ? name : bj->stem,
                        &md);
        free(name);
        return 0;
    }
    if (m->atlas.per == IM_ATLAS_NONE) {
        int formats = m->formats ? m->formats : IM_MAP_FORMAT_PNG;
        size_t k;
        for (k = 0; k < sizeof im_formats / sizeof im_formats[0] && rc == 0; k++) {
            char name[PATH_MAX];
            if (!(formats & im_formats[k].bit))
                continue;
            snprintf(name, sizeof name, "%s%s", bj->stem, im_formats[k].ext);
            if (!im_in_shard(r->o, name))
                continue;
            nout++;
            rc = im_add_job(r, mi, -1, name, im_hash_str(name), bj->why);
        }
        im_map_free(m);
        bj->whole = 1;
        bj->formats = formats;
        return rc;
    }
    im_map_free(m);
    m = NULL;
    /* an atlas: load it here, pages render from this copy in workers */
    if (im_render_load(bj->path, &r->ro, &bj->map, &md) != 0) {
        char *name = im_join(bj->stem, "index.csv");
        /* its data is bad: whatever another map records of the shared
         * files, the pages are built again next time */
        for (i = 0; bm && i < bm->nouts; i++)
            bm->outs[i].key = 0;
        im_fail_map(r, bj, name ? name : bj->stem, &md);
        free(name);
        return 0;
    }
    if (im_atlas_pages(bj->map, &bj->pages, &bj->npages, r->d) != 0)
        return -1;
    if (!r->o->dry_run) {
        char *dir = im_join(r->o->outdir, bj->stem);
        if (!dir || im_mkdir_p(dir) != 0) {
            free(dir);
            return im_fail(r->d, IM_ERR_IO, r->o->outdir, 0, 0, "cannot create %s/: %s",
                           bj->stem, strerror(errno));
        }
        free(dir);
    }
    bj->whole = !data_only;
    for (i = 0; i < bj->npages && rc == 0; i++) {
        char *name = im_join(bj->stem, bj->pages[i].name);
        const im_bout *old;
        const char *pwhy = bj->why;
        if (!name)
            return im_fail(r->d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
        if (!im_in_shard(r->o, name)) {
            free(name);
            continue;
        }
        old = im_find_out(bm, name);
        if (data_only) {
            char *path = im_join(r->o->outdir, name);
            int there = path && access(path, F_OK) == 0;
            free(path);
            if (!old)
                pwhy = "new page";
            else if (old->key != (bj->pages[i].key ? bj->pages[i].key : 1))
                pwhy = bj->why;
            else if (!there)
                pwhy = "output missing";
            else
                pwhy = NULL;
        }
        if (pwhy)
            rc = im_add_job(r, mi, i, name, bj->pages[i].key, pwhy);
        else
            r->res.up_to_date++;
        free(name);
    }
    if (rc == 0 && bj->map->atlas.index)
        rc = im_atlas_index(r, bj, bm);
    return rc;
}

/* ---- rendering (in a worker) */

static int im_job_render(void *user, im_job *job, im_diag *d)
{
    im_run *r = user;
    im_bmapjob *bj = &r->maps[job->map];
    im_map whole;
    int rc;
    if (job->page < 0)
        return im_render_file(bj->path, job->out_path, &r->ro, d);
    /* a worker renders page after page of the one loaded map: each page
     * starts from the map as loaded, not from the page before */
    whole = *bj->map;
    im_atlas_apply(bj->map, &bj->pages[job->page]);
    rc = im_render_map(bj->map, job->out_path, &r->ro, d);
    *bj->map = whole;
    return rc;
}

static void im_job_done(void *user, im_job *job)
{
    im_run *r = user;
    im_bmapjob *bj = &r->maps[job->map];
    int i;
    r->ndone++;
    if (job->ok) {
        r->res.rendered++;
        bj->nok++;
        if (!bj->deps)
            bj->deps = im_deps_new();
        for (i = 0; i < im_deps_count(job->deps); i++)
            im_deps_add(bj->deps, im_deps_get(job->deps, i));
        im_event(r, IM_BUILD_DONE, job->name, NULL);
    } else {
        r->res.failed++;
        bj->nfailed++;
        im_event(r, IM_BUILD_FAILED, job->name, job->error);
        if (r->d->status == IM_OK)
            im_fail(r->d, job->status ? (im_status)job->status : IM_ERR_INTERNAL, NULL, 0, 0,
                    "%s", job->error ? job->error : "failed");
    }
    im_event(r, IM_BUILD_PROGRESS, job->name, NULL);
}

/* ---- recording */

static int im_is_source(const im_map *m, const char *path)
{
    int i;
    for (i = 0; m && i < m->nsources; i++)
        if (strcmp(m->sources[i].path, path) == 0)
            return 1;
    return 0;
}

static void im_set_out(im_bmap *bm, const char *name, uint64_t key)
{
    im_bout *g;
    int i;
    for (i = 0; i < bm->nouts; i++) {
        if (strcmp(bm->outs[i].name, name) == 0) {
            bm->outs[i].key = key;
            return;
        }
    }
    g = realloc(bm->outs, (size_t)(bm->nouts + 1) * sizeof *g);
    if (!g)
        return;
    bm->outs = g;
    g[bm->nouts].name = strdup(name);
    g[bm->nouts].key = key;
    if (g[bm->nouts].name)
        bm->nouts++;
}

/* Whether NAME is one of the outputs M makes this run: a page or an index
 * of its atlas, or its file in one of its formats. */
static int im_is_current_output(const im_bmapjob *bj, const char *name)
{
    size_t stem = strlen(bj->stem), k;
    int i;
    if (strncmp(name, bj->stem, stem) != 0)
        return 0;
    if (bj->map) {
        if (name[stem] != '/')
            return 0;
        if (im_is_index(name))
            return 1;
        for (i = 0; i < bj->npages; i++)
            if (strcmp(name + stem + 1, bj->pages[i].name) == 0)
                return 1;
        return 0;
    }
    for (k = 0; k < sizeof im_formats / sizeof im_formats[0]; k++)
        if ((bj->formats & im_formats[k].bit) && strcmp(name + stem, im_formats[k].ext) == 0)
            return 1;
    return 0;
}

/* Outputs of an earlier build that the map no longer makes (an incident
 * deleted, a group gone, a format dropped from `formats:`, an atlas made a
 * plain map): their files are removed with their entries, so that the
 * folder holds what the map makes.  Only files the manifest records as
 * this map's outputs are ever removed. */
static void im_drop_stale_outputs(im_run *r, im_bmapjob *bj, im_bmap *bm)
{
    int i, n = 0;
    for (i = 0; i < bm->nouts; i++) {
        const char *name = bm->outs[i].name;
        if (!im_in_shard(r->o, name) || im_is_current_output(bj, name)) {
            bm->outs[n++] = bm->outs[i];
            continue;
        }
        {
            char *path = im_join(r->o->outdir, name);
            if (path)
                unlink(path);
            free(path);
        }
        free(bm->outs[i].name);
    }
    bm->nouts = n;
}

/* What a rebuilt map was made from, into the manifest: the files read,
 * now (a file that failed to render keeps the manifest's old view of its
 * map's files, so it is built again next time). */
static int im_record_map(im_run *r, im_bmapjob *bj, int mi)
{
    im_bmap *bm;
    im_deps *all = im_deps_new();
    int i, k, n, rc = 0;
    if (!all)
        return -1;
    if (!(bm = im_manifest_map(&r->mf, bj->path))) {
        im_deps_free(all);
        return -1;
    }
    /* keep old files unless everything was rebuilt from scratch */
    if (!(bj->whole && bj->nok == bj->njobs))
        for (i = 0; i < bm->ndeps; i++)
            im_deps_add(all, r->mf.deps[bm->deps[i]].path);
    for (i = 0; i < im_deps_count(bj->load_deps); i++)
        im_deps_add(all, im_deps_get(bj->load_deps, i));
    for (i = 0; i < im_deps_count(bj->deps); i++)
        im_deps_add(all, im_deps_get(bj->deps, i));
    n = im_deps_count(all);
    free(bm->deps);
    free(bm->is_data);
    bm->deps = calloc((size_t)n + 1, sizeof *bm->deps);
    bm->is_data = calloc((size_t)n + 1, 1);
    bm->ndeps = 0;
    if (!bm->deps || !bm->is_data) {
        im_deps_free(all);
        return -1;
    }
    for (i = 0; i < n; i++) {
        const char *p = im_deps_get(all, i);
        int di = im_manifest_dep(&r->mf, p);
        if (di < 0) {
            rc = -1;
            break;
        }
        /* with a failure (or renders not started), the map's files keep
         * their old state, so that it is built again */
        if (bj->nok == bj->njobs && im_manifest_refresh(&r->mf, di) != 0)
            continue;
        bm->deps[bm->ndeps] = di;
        bm->is_data[bm->ndeps] = bj->map ? im_is_source(bj->map, p) : 0;
        bm->ndeps++;
    }
    im_deps_free(all);
    /* the outputs: rendered ones with their key, failed ones with 0 */
    for (k = 0; k < r->njobs; k++) {
        if (r->jobs[k].map != mi || !r->jobs[k].started)
            continue;
        im_set_out(bm, r->jobs[k].name, r->jobs[k].ok ? r->jobs[k].key : 0);
    }
    /* a plain map whose render failed may not have been read whole */
    if (bj->map || (bj->formats && !bj->nfailed))
        im_drop_stale_outputs(r, bj, bm);
    if (bj->map && bj->map->atlas.index) {
        static const char *const names[2] = {"index.csv", "index.html"};
        for (k = 0; k < 2; k++) {
            char *name = im_join(bj->stem, names[k]);
            char *text = im_atlas_index_text(bj->map, bj->pages, bj->npages, k == 0);
            if (name && text && im_in_shard(r->o, name))
                im_set_out(bm, name, im_hash_str(text) | 1);
            free(name);
            free(text);
        }
    }
    return rc;
}

static void im_run_free(im_run *r)
{
    int i;
    for (i = 0; i < r->njobs; i++) {
        free(r->jobs[i].name);
        free(r->jobs[i].out_path);
        free(r->jobs[i].error);
        im_deps_free(r->jobs[i].deps);
    }
    free(r->jobs);
    for (i = 0; i < r->nmaps; i++) {
        im_bmapjob *bj = &r->maps[i];
        free(bj->path);
        free(bj->stem);
        free((char *)bj->why);
        im_map_free(bj->map);
        im_atlas_pages_free(bj->pages, bj->npages);
        im_deps_free(bj->load_deps);
        im_deps_free(bj->deps);
    }
    free(r->maps);
    free(r->mf_path);
    im_manifest_clear(&r->mf);
}

int im_build_run(const im_build_opts *o, im_build_result *res, im_diag *d)
{
    im_run r;
    im_build_opts oo = *o;
    char mfname[96];
    int i, rc = -1, jobs;
    struct stat st;

    memset(&r, 0, sizeof r);
    if (!oo.outdir)
        oo.outdir = "output";
    r.o = &oo;
    r.d = d;
    r.ro.geodata_dir = o->geodata_dir ? o->geodata_dir : im_default_geodata_dir();
    r.ro.overrides = o->overrides;
    r.ro.noverrides = o->noverrides;
    r.options = im_hash_str(r.ro.geodata_dir);
    for (i = 0; i < o->noverrides; i++)
        r.options = r.options * 31 + im_hash_str(o->overrides[i]);
    for (i = 0; i < o->ninputs; i++) {
        int bad = stat(o->inputs[i], &st) != 0;
        if (bad) {
            im_fail(d, IM_ERR_USAGE, o->inputs[i], 0, 0, "cannot open: %s", strerror(errno));
            goto done;
        }
        if ((S_ISDIR(st.st_mode) ? im_add_dir(&r, o->inputs[i]) : im_add_map(&r, o->inputs[i])) !=
            0)
            goto done;
    }
    if (!oo.dry_run && im_mkdir_p(oo.outdir) != 0) {
        im_fail(d, IM_ERR_IO, oo.outdir, 0, 0, "cannot create: %s", strerror(errno));
        goto done;
    }
    if (oo.shard_count > 0)
        snprintf(mfname, sizeof mfname, ".incimap-build.shard-%d-of-%d", oo.shard_index,
                 oo.shard_count);
    else
        snprintf(mfname, sizeof mfname, ".incimap-build");
    r.mf_path = im_join(oo.outdir, mfname);
    if (!r.mf_path || im_manifest_load(&r.mf, r.mf_path, d) != 0)
        goto done;

    for (i = 0; i < r.nmaps; i++)
        if (im_plan_map(&r, i) != 0)
            goto done;
    if (oo.dry_run) {
        r.res.rendered = r.njobs;
        rc = 0;
        goto done;
    }
    jobs = oo.jobs > 0 ? oo.jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    /* a map that failed already stops the build, unless asked to go on */
    if (r.njobs > 0 && (oo.keep_going || !r.res.failed) &&
        im_jobs_run(r.jobs, r.njobs, jobs, oo.keep_going, im_job_render, im_job_done, &r, d) != 0)
        goto done;
    for (i = 0; i < r.nmaps; i++)
        if ((r.maps[i].why || r.maps[i].njobs) && !(r.maps[i].nfailed && !r.maps[i].nok &&
                                                    !r.maps[i].njobs) &&
            im_record_map(&r, &r.maps[i], i) != 0) {
            im_fail(d, IM_ERR_INTERNAL, NULL, 0, 0, "out of memory");
            goto done;
        }
    free(r.mf.version);
    r.mf.version = strdup(INCIMAP_VERSION);
    r.mf.options = r.options;
    if (im_manifest_save(&r.mf, r.mf_path, d) != 0)
        goto done;
    rc = r.res.failed ? -1 : 0;
done:
    if (res)
        *res = r.res;
    im_run_free(&r);
    if (rc == 0 && d->status != IM_OK)
        rc = -1;
    return rc;
}
